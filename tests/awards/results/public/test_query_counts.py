"""The public results pages make the same number of statements whatever the edition's size,
within the page budget (``tests/awards/page_budgets.py``): an edition of 6 entries in one
category after the year before's, then one of 30 entries in three categories with a
correction, after two more. Each page is counted on its
first visit with nothing in memory (a rendered page is kept, so a repeat visit only computes
its ETag; the organizers' settings and frozen placements are kept too)."""

from __future__ import annotations

from awards.results.public.reader import forget_settings
from awards.results.visibility import forget_placements
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import count_queries
from tests.awards.results.public.support import add_published_category, correct, make_published

#: The edition's pages (route path -> URL pattern), and the pages over every edition.
EDITION_PAGES = {
    "/results/{edition_slug:str}": "/results/{slug}",
    "/en/results/{edition_slug:str}": "/en/results/{slug}",
    "/results/{edition_slug:str}/{category_slug:str}": "/results/{slug}/kuliner",
    "/en/results/{edition_slug:str}/{category_slug:str}": "/en/results/{slug}/kuliner",
    "/results/{edition_slug:str}/methodology": "/results/{slug}/methodology",
    "/results/{edition_slug:str}/naik-kelas": "/results/{slug}/naik-kelas",
    "/results/businesses/{business_id:int}": "/results/businesses/{business}",
    "/results/{edition_slug:str}/data/{fmt:str}": "/results/{slug}/data/csv",
}
INDEX_PAGES = ("/results", "/en/results", "/results/feed.xml", "/en/results/feed.xml")


def _counts(client, world) -> dict[str, int]:
    """Statements of the first GET of every public page of ``world`` and of the indexes."""
    counts = {}
    urls = {
        path: url.format(slug=world.edition_slug, business=world.businesses[0])
        for path, url in EDITION_PAGES.items()
    } | {path: path for path in INDEX_PAGES}
    for path, url in urls.items():
        forget_settings()
        forget_placements()
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[path] = len(queries)
    return counts


def test_public_pages_make_the_same_queries_as_editions_grow(client, run):
    """6 entries in one category of a published edition after the year before's, then 30 in
    each of three categories, one corrected (version 2), in a fourth edition: every public
    page and index makes the same count, within its budget."""
    run(make_published(n_entries=6, year=2025))
    small = run(make_published(n_entries=6, show_full_ranking=True))
    before = _counts(client, small)
    run(make_published(n_entries=12, year=2024))
    large = run(make_published(n_entries=30, year=2027, show_full_ranking=True))
    run(correct(large, "Salah hitung", [1, 0, *range(2, 30)]))
    for slug in ("kriya", "fesyen"):
        run(add_published_category(large, slug))
    after = _counts(client, large)
    assert after == before
    heavy = {path: n for path, n in after.items() if n > page_budget(path)}
    assert heavy == {}
    page = client.get(f"/results/{large.edition_slug}/kuliner").text
    assert "Salah hitung" in page
    assert page.count("Usaha ") >= 30
    edition = client.get(f"/en/results/{large.edition_slug}").text
    for slug in ("kriya", "fesyen"):
        assert f"/en/results/{large.edition_slug}/{slug}" in edition
