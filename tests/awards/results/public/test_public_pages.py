"""Public results pages: winners, ranking, corrections, history, methodology, embargo, caching."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from awards.results.public.reader import forget_settings
from awards.results.tables import CategoryRule
from tests.awards.querycount import count_queries
from tests.awards.results.public.support import correct, make_published


def _pages(world) -> list[str]:
    base = f"/results/{world.edition_slug}"
    return [
        base,
        f"{base}/{world.category_slug}",
        f"{base}/methodology",
        f"{base}/naik-kelas",
        f"/results/businesses/{world.businesses[0]}",
    ]


def test_edition_page_lists_winners_with_tier_district_and_citation(client, run):
    """The edition home shows each winner's award, business, district and citation."""
    world = run(make_published())
    page = client.get(f"/results/{world.edition_slug}")
    assert page.status_code == 200
    text = page.text
    assert "Juara 1" in text
    assert "Usaha 00" in text
    assert "Klojen" in text
    assert "Kemasan terbaik tahun ini" in text
    assert "Usaha 05" not in text  # no award, and the full ranking is not shown
    assert "<script src" not in text


def test_category_page_full_ranking_only_when_organizer_chose(client, run):
    """Without the flag only winners appear; with it, every entry with its place."""
    hidden = run(make_published())
    shown = run(make_published(show_full_ranking=True))
    hidden_page = client.get(f"/results/{hidden.edition_slug}/kuliner").text
    shown_page = client.get(f"/results/{shown.edition_slug}/kuliner").text
    assert "Usaha 05" not in hidden_page
    assert "Usaha 05" in shown_page
    assert "Full ranking" in client.get(f"/en/results/{shown.edition_slug}/kuliner").text


def test_category_page_english_path_translates(client, run):
    """/en/... pages are in English, with the English award label, and link back to Indonesian."""
    world = run(make_published())
    page = client.get(f"/en/results/{world.edition_slug}/kuliner")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Winner 1" in page.text
    assert f'href="/results/{world.edition_slug}/kuliner"' in page.text


def test_category_page_correction_notice_and_history(client, run):
    """After a correction: "corrected on … (reason)" and both versions in the history."""
    world = run(make_published())
    run(correct(world, "Salah input nilai juri", order=[1, 0, 2, 3, 4, 5]))
    page = client.get(f"/en/results/{world.edition_slug}/kuliner").text
    assert re.search(r"Corrected on [^<]+\(Salah input nilai juri\)", page)
    assert "Version 1" in page
    assert "Version 2" in page
    winners = page.index("Winners")
    assert page.index("Usaha 01", winners) < page.index("Usaha 00", winners)


def test_business_page_shows_award_history_across_editions(client, run):
    """A business's page lists its awards in every published edition, newest first."""
    first = run(make_published(year=2025))
    run(make_published(year=2026, businesses=first.businesses[:1]))
    page = client.get(f"/en/results/businesses/{first.businesses[0]}")
    assert page.status_code == 200
    assert page.text.index("(2026)") < page.text.index("(2025)")
    assert "Size class: micro" in page.text
    assert "Score 85.2" in page.text
    assert client.get(f"/results/businesses/{first.businesses[5]}").status_code == 404


def test_methodology_page_states_edition_numbers(client, run):
    """Entries, judges, recusals, P(top 3), tied places and reliability from the manifest."""
    world = run(make_published())
    page = client.get(f"/en/results/{world.edition_slug}/methodology").text
    assert "<strong>6</strong> entries scored" in page
    assert "<strong>3</strong> judges" in page
    assert "<strong>2</strong> recusals" in page
    assert "probability of being in the top 3 80%" in page
    assert "2 entries sit in groups" in page
    assert "0.83" in page
    assert "Judges agreed well." in page
    assert "Product quality &amp; quality control" in page
    assert "judge 41" not in page  # engine warnings name judges: organizers only
    indonesian = client.get(f"/results/{world.edition_slug}/methodology").text
    assert '<html lang="id">' in indonesian


def test_pages_embargoed_until_publish_at(client, run):
    """Before publish_at every page is 404 and nothing names a winner; the index lists nothing."""
    world = run(make_published(publish_at=datetime.now(UTC) + timedelta(hours=2)))
    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Usaha 00" not in response.text
    assert world.edition_slug not in client.get("/results").text
    assert world.edition_slug not in client.get("/results/feed.xml").text


def test_pages_visible_after_publish_at(client, run):
    """Once publish_at has passed, every page answers 200 (checked at read time)."""
    world = run(make_published(publish_at=datetime.now(UTC) - timedelta(seconds=1)))
    for path in _pages(world):
        assert client.get(path).status_code == 200, path
        assert client.get("/en" + path).status_code == 200, path
    assert world.edition_slug in client.get("/results").text


def test_pages_send_etag_last_modified_and_answer_304(client, run):
    """Public pages are cacheable; a matching If-None-Match or If-Modified-Since gives 304."""
    world = run(make_published())
    path = f"/results/{world.edition_slug}/kuliner"
    first = client.get(path)
    assert first.headers["cache-control"].startswith("public")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_etag_changes_after_correction(client, run):
    """A correction changes the page's ETag, so caches fetch the new result."""
    world = run(make_published())
    path = f"/results/{world.edition_slug}/kuliner"
    etag = client.get(path).headers["etag"]
    run(correct(world, "Ralat", order=[1, 0, 2, 3, 4, 5]))
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


def test_published_pages_never_touch_score_tables(client, run):
    """Rendering every public page reads no scoring_* table (frozen placements only)."""
    world = run(make_published(show_full_ranking=True))
    with count_queries() as queries:
        for path in _pages(world):
            assert client.get(path).status_code == 200
    touched = [sql for sql in queries if "scoring_" in sql]
    assert touched == []
    assert len(queries) > 0


def test_category_page_query_count_independent_of_entries(client, run):
    """The category page costs the same number of queries for 6 or 30 entries."""
    small = run(make_published(n_entries=6, show_full_ranking=True))
    large = run(make_published(n_entries=30, show_full_ranking=True))
    counts = []
    for world in (small, large):
        with count_queries() as queries:
            client.get(f"/results/{world.edition_slug}/kuliner")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_category_page_open_graph_and_json_ld(client, run):
    """OG/Twitter tags carry absolute URLs; the JSON-LD lists the winners with their award."""
    world = run(make_published())
    page = client.get(f"/results/{world.edition_slug}/kuliner").text
    assert (
        f'<meta property="og:url" content="http://testserver.local/results/{world.edition_slug}/kuliner">'
        in page
    )
    assert '<meta name="twitter:title"' in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    first = data["itemListElement"][0]["item"]
    assert first["@type"] == "LocalBusiness"
    assert first["name"] == "Usaha 00"
    assert first["award"].startswith("Juara 1")


def test_charts_are_inline_accessible_svg(client, run):
    """The category page embeds the histogram and intervals as SVG with title and desc."""
    world = run(make_published())
    page = client.get(f"/en/results/{world.edition_slug}/kuliner").text
    assert page.count('role="img"') >= 2
    assert "<title id=" in page
    assert "<desc id=" in page


def test_landing_page_links_results(client):
    """The landing page links the published results."""
    assert 'href="/results"' in client.get("/").text


def test_feed_lists_published_categories_with_winners(client, run):
    """The Atom feed has an entry per published category, naming its winners; not before."""
    world = run(make_published())
    later = run(make_published(publish_at=datetime.now(UTC) + timedelta(hours=1)))
    feed = client.get("/en/results/feed.xml")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    links = [e.find("{http://www.w3.org/2005/Atom}link").get("href") for e in entries]
    assert links == [f"http://testserver.local/en/results/{world.edition_slug}/kuliner"]
    assert "Winner 1: Usaha 00 (Klojen)" in feed.text
    assert later.edition_slug not in feed.text


def test_etag_changes_when_full_ranking_is_switched_on(client, run):
    """Showing the full ranking after publication changes the category page's ETag."""
    world = run(make_published())
    path = f"/results/{world.edition_slug}/kuliner"
    etag = client.get(path).headers["etag"]
    run(
        CategoryRule.update({CategoryRule.show_full_ranking: True}).where(
            CategoryRule.category == world.category_id
        )
    )
    forget_settings()  # organizer settings are reused for a few seconds
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Usaha 05" in response.text


def test_repeat_visit_served_from_rendered_page_with_etag_queries_only(client, run):
    """A second visit gets the same bytes after only the queries that compute the ETag."""
    world = run(make_published(n_entries=12, show_full_ranking=True))
    path = f"/results/{world.edition_slug}/kuliner"
    first = client.get(path)
    with count_queries() as queries:
        second = client.get(path)
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert len(queries) <= 3, queries
