"""The organizer's entry list: filters, search, counts and pages."""

from __future__ import annotations

import re

from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
    sample_nib,
    seed_entries,
)


def _names(html: str) -> set[str]:
    return set(re.findall(r"<td>([A-Z][A-Za-z ]+)</td>", html))


def test_entry_list_filters_by_status_district_category_and_size(app, client, run):
    """Each filter narrows the list to the matching entries only."""
    edition = make_edition(run)
    seed_entries(run, edition)
    kuliner = categories(run, edition["id"])["kuliner"]["id"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/editions/{edition['id']}/entries"

    by_status = client.get(url, params={"status": "submitted"}).text
    by_district = client.get(url, params={"district": "Klojen"}).text
    by_category = client.get(url, params={"category": kuliner}).text
    by_size = client.get(url, params={"size_class": "small", "status": "submitted"}).text

    assert _names(by_status) >= {"Keripik Bu Sri", "Batik Celaket", "Bakso Lowokwaru"}
    assert "Kopi Dampit" not in by_status
    assert "Tenun Sukun" not in by_status
    assert "Batik Celaket" in by_district
    assert "Keripik Bu Sri" not in by_district
    assert "Batik Celaket" not in by_category
    assert "Kopi Dampit" in by_category
    assert "Batik Celaket" in by_size
    assert "Bakso Lowokwaru" in by_size
    assert "Keripik Bu Sri" not in by_size


def test_entry_list_search_matches_name_receipt_and_nib(app, client, run):
    """Search finds part of a business name (any case), a receipt number and an exact NIB."""
    edition = make_edition(run)
    seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/api/v1/editions/{edition['id']}/entries"

    def names(q: str) -> list[str]:
        return sorted(
            row["business_name"] for row in client.get(url, params={"q": q}).json()["entries"]
        )

    assert names("celaket") == ["Batik Celaket"]
    assert names("MLG26-KUL-000004") == ["Bakso Lowokwaru"]
    assert names(sample_nib(3)) == ["Kopi Dampit"]
    assert names("tidak ada") == []


def test_entry_list_search_for_a_wildcard_matches_only_names_containing_it(app, client, run):
    """``%`` and ``_`` in the search are characters, not LIKE wildcards matching every entry."""
    edition = make_edition(run)
    seed_entries(run, edition)
    kuliner = categories(run, edition["id"])["kuliner"]
    business = make_business(run, sample_nib(9), "Kopi 100% Arabika")
    make_entry(run, edition, kuliner, business, name="Kopi 100% Arabika")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/api/v1/editions/{edition['id']}/entries"

    percent = client.get(url, params={"q": "%"}).json()
    underscore = client.get(url, params={"q": "_"}).json()

    assert [row["business_name"] for row in percent["entries"]] == ["Kopi 100% Arabika"]
    assert percent["total"] == 1
    assert (underscore["entries"], underscore["total"]) == ([], 0)


def test_entry_list_counts_per_status(app, client, run):
    """Status counts cover every matching entry, not just the page; screening counts only
    the submitted ones (drafts and withdrawn entries are not awaiting screening)."""
    edition = make_edition(run)
    seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    body = client.get(f"/api/v1/editions/{edition['id']}/entries").json()

    assert body["total"] == 5
    assert body["status_counts"] == {"submitted": 3, "draft": 1, "withdrawn": 1}
    assert body["screening_counts"] == {"pending": 3}


def test_entry_list_paginates_fifty_per_page(app, client, run):
    """120 entries give pages of 50, 50 and 20, newest first, with links to each page."""
    edition = make_edition(run)
    kuliner = categories(run, edition["id"])["kuliner"]
    for n in range(120):
        business = make_business(run, sample_nib(n), f"Usaha {n:03d}")
        make_entry(run, edition, kuliner, business, name=f"Usaha {n:03d}")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/api/v1/editions/{edition['id']}/entries"

    first = client.get(url).json()
    last = client.get(url, params={"page": 3}).json()
    beyond = client.get(url, params={"page": 99}).json()
    page_two = client.get(f"/organizer/editions/{edition['id']}/entries", params={"page": 2}).text

    assert (first["total"], first["pages"], len(first["entries"])) == (120, 3, 50)
    assert first["entries"][0]["business_name"] == "Usaha 119"
    assert len(last["entries"]) == 20
    assert last["entries"][-1]["business_name"] == "Usaha 000"
    assert beyond["page"] == 3
    assert 'aria-current="page">2<' in page_two
    assert "page=3" in page_two
    assert "page=1" in page_two


def test_entry_list_pending_count_excludes_drafts_and_withdrawn(app, client, run):
    """The page's "awaiting screening" count and filter cover submitted entries only."""
    edition = make_edition(run)
    seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/editions/{edition['id']}/entries"

    page = client.get(url).text
    pending = client.get(url, params={"screening": "pending"}).text

    assert re.search(r'data-count="screening-pending">[^<]*: 3<', page)
    assert re.search(r'data-count="status-draft">[^<]*: 1<', page)
    assert "Kopi Dampit" not in pending
    assert "Tenun Sukun" not in pending
    assert "Keripik Bu Sri" in pending


def test_entry_list_of_unmanaged_or_missing_edition_is_404(app, client, run):
    """The list page and the API list answer 404 for an edition the organizer does not manage
    and, for an organizer of every edition, for an edition that does not exist."""
    edition = make_edition(run, "malang-2026")
    other = make_edition(run, "batu-2026")
    organizer(app, run, client, "panitia@batu.example.org", other["id"])
    unmanaged = [
        client.get(f"/organizer/editions/{edition['id']}/entries").status_code,
        client.get(f"/api/v1/editions/{edition['id']}/entries").status_code,
    ]
    client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
    organizer(app, run, client, "panitia@jatim.example.org")
    missing = edition["id"] + other["id"] + 1000
    absent = [
        client.get(f"/organizer/editions/{missing}/entries").status_code,
        client.get(f"/api/v1/editions/{missing}/entries").status_code,
    ]

    assert unmanaged == [404, 404]
    assert absent == [404, 404]
