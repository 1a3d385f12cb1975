"""Organizer pages for the edition life cycle: confirmation, log, locks, and the overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awards.intake.tables import Category, Edition, Entry
from tests.awards.helpers import csrf_token, post_form
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)


def _status(run, edition_id):
    return run(Edition.select(Edition.status).where(Edition.id == edition_id).first())["status"]


def _english(client):
    post_form(client, "/language", {"language": "en", "next": "/"})


def _entry(run, edition, n=1, slug="kuliner", **values):
    business = make_business(run, f"91200{n:08d}", f"Usaha {n}")
    return make_entry(
        run,
        edition,
        categories(run, edition["id"])[slug],
        business,
        name=f"Usaha {n}",
        receipt=f"MLG26-KUL-{n:06d}",
        **values,
    )


def test_status_confirmation_page_lists_unscreened_entries_with_links(app, client, run):
    """The "start judging" page shows the blocker, links to each unscreened entry, and offers
    no confirm button."""
    edition = make_edition(run, status="closed")
    first = _entry(run, edition, 1)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    page = client.get(f"/organizer/editions/{edition['id']}/status/judging")

    assert page.status_code == 200
    assert "1 submitted entry has not been screened." in page.text
    assert f'href="/organizer/entries/{first}"' in page.text
    assert 'name="confirm"' not in page.text


def test_status_post_without_confirmation_only_shows_the_page(app, client, run):
    """Posting the status without ``confirm=yes`` changes nothing and shows the consequences."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    response = post_form(
        client, f"/organizer/editions/{edition['id']}/status", {"status": "closed"}
    )

    assert response.status_code == 200
    assert "Businesses can no longer create, change, submit or withdraw entries." in response.text
    assert 'name="confirm" value="yes"' in response.text
    assert _status(run, edition["id"]) == "open"


def test_status_confirmed_change_is_logged_on_the_edition_page(app, client, run):
    """A confirmed close moves the status and the edition page's log shows who and why."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    response = post_form(
        client,
        f"/organizer/editions/{edition['id']}/status",
        {"status": "closed", "confirm": "yes", "reason": "Batas waktu"},
    )
    page = client.get(f"/organizer/editions/{edition['id']}")

    assert response.status_code == 303
    assert _status(run, edition["id"]) == "closed"
    assert "Registration open → Registration closed" in page.text
    assert "Reason: Batas waktu" in page.text
    assert "panitia@malang.example.org" in page.text
    assert "WIB" in page.text


def test_status_reversal_without_reason_shows_the_error_beside_the_field(app, client, run):
    """Reopening without a reason answers 422 with the message next to the reason field."""
    edition = make_edition(run, status="closed")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    response = post_form(
        client, f"/organizer/editions/{edition['id']}/status", {"status": "open", "confirm": "yes"}
    )

    assert response.status_code == 422
    assert 'id="error-reason"' in response.text
    assert _status(run, edition["id"]) == "closed"


def test_status_unknown_transition_answers_409(app, client, run):
    """A move that does not exist from the current status is refused (409), nothing changes."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = client.get(f"/organizer/editions/{edition['id']}/status/published")

    assert response.status_code == 409
    assert _status(run, edition["id"]) == "open"


def test_status_pages_of_another_edition_are_not_found(app, client, run):
    """An organizer of another edition gets 404 on this edition's overview and status page."""
    edition = make_edition(run)
    other = make_edition(run, slug="batu-2026")
    organizer(app, run, client, "panitia@batu.example.org", other["id"])

    assert client.get(f"/organizer/editions/{edition['id']}/overview").status_code == 404
    assert client.get(f"/organizer/editions/{edition['id']}/status/closed").status_code == 404
    response = post_form(
        client,
        f"/organizer/editions/{edition['id']}/status",
        {"status": "closed", "confirm": "yes"},
    )
    assert response.status_code == 404
    assert _status(run, edition["id"]) == "open"


def test_status_pages_refuse_entrants(app, client, run, make_user):
    """An entrant gets 403 on the overview."""
    edition = make_edition(run)
    make_user("pemilik@example.id")
    post_form(client, "/login", {"email": "pemilik@example.id", "password": "correct-horse-42"})
    assert client.get(f"/organizer/editions/{edition['id']}/overview").status_code == 403


def test_import_page_refuses_upload_when_registration_is_closed(app, client, run):
    """Uploading to a closed edition answers 409 with the reason; nothing is stored."""
    edition = make_edition(run, status="closed")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    form = client.get(f"/organizer/editions/{edition['id']}/import")
    response = client.post(
        f"/organizer/editions/{edition['id']}/import",
        files={"file": ("paper.csv", b"business_name\n", "text/csv")},
        data={"_csrf_token": csrf_token(client)},
    )

    assert "Importing entries is not possible now: registration is closed." in form.text
    assert response.status_code == 409
    assert "Importing entries is not possible now: registration is closed." in response.text
    assert run(Entry.count()) == 0


def test_screening_page_refuses_a_decision_once_judging_started(app, client, run):
    """A screening decision in a judging edition answers 409 with the reason beside the choice."""
    edition = make_edition(run, status="judging")
    entry_id = _entry(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    response = post_form(
        client, f"/organizer/entries/{entry_id}/screening", {"decision": "eligible", "reason": ""}
    )

    assert response.status_code == 409
    assert "Screening is not possible now: judging has started." in response.text
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first())
    assert row["screening"] == "pending"


def test_overview_counts_entries_per_status_and_category(app, client, run):
    """The overview counts entries by status, screening and category."""
    edition = make_edition(run)
    _entry(run, edition, 1)
    _entry(run, edition, 2, status="draft")
    _entry(run, edition, 3, slug="fashion-kriya")
    kuliner = categories(run, edition["id"])["kuliner"]["id"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    page = client.get(f"/organizer/editions/{edition['id']}/overview")

    assert page.status_code == 200
    assert '<strong data-count="total">3</strong>' in page.text
    assert '<strong data-count="submitted">2</strong>' in page.text
    assert '<strong data-count="draft">1</strong>' in page.text
    assert '<strong data-count="pending">2</strong>' in page.text
    assert f'data-category="{kuliner}">Submitted: 1 · Drafts: 1' in page.text


def test_overview_lists_what_needs_attention(app, client, run):
    """Unscreened entries, a category without rubric and a passed closing date are listed."""
    past = datetime.now(UTC) - timedelta(hours=1)
    edition = make_edition(
        run,
        intake_opens_at=past - timedelta(days=30),
        intake_closes_at=past,
    )
    _entry(run, edition, 1)
    kuliner = categories(run, edition["id"])["kuliner"]["id"]
    run(
        Category.update({Category.rubric: {"version": 1, "criteria": []}}).where(
            Category.id == kuliner
        )
    )
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    page = client.get(f"/organizer/editions/{edition['id']}/overview")

    assert "1 submitted entry awaits screening." in page.text
    assert "The category Kuliner has no rubric." in page.text
    assert f'href="/organizer/categories/{kuliner}#rubric"' in page.text
    assert "The closing date has passed." in page.text


def test_overview_of_an_empty_edition_says_so(app, client, run):
    """Without entries the overview says there are none instead of a row of zeros."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    _english(client)

    page = client.get(f"/organizer/editions/{edition['id']}/overview")

    assert "No entries yet." in page.text
    assert 'data-count="total"' not in page.text


def test_overview_shows_english_names_in_the_english_ui(app, client, run):
    """Edition and category names appear in English when the UI is English and they exist."""
    edition = make_edition(run, name_id="Anugerah UMKM Kota Malang", name_en="Malang SME Awards")
    kuliner = categories(run, edition["id"])["kuliner"]["id"]
    run(Category.update({Category.name_en: "Culinary"}).where(Category.id == kuliner))
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    indonesian = client.get(f"/organizer/editions/{edition['id']}/overview").text
    _english(client)
    english = client.get(f"/organizer/editions/{edition['id']}/overview").text
    entries = client.get(f"/organizer/editions/{edition['id']}/entries").text

    assert "<h1>Anugerah UMKM Kota Malang</h1>" in indonesian
    assert "<h1>Malang SME Awards</h1>" in english
    assert ">Culinary</a>" in english
    assert ">Culinary</option>" in entries


def test_status_api_requires_a_reason_for_reversals(app, client, run):
    """The JSON endpoint answers 422 naming ``reason`` for a reopen without one, then accepts
    it with a reason."""
    edition = make_edition(run, status="closed")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/api/v1/editions/{edition['id']}/status"
    headers = {"x-csrftoken": csrf_token(client)}

    refused = client.post(url, json={"status": "open"}, headers=headers)
    accepted = client.post(url, json={"status": "open", "reason": "Diperpanjang"}, headers=headers)

    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["reason"]
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "open"


def test_screening_api_refuses_a_decision_once_judging_started(app, client, run):
    """The JSON screening endpoint answers 409 with the reason in a judging edition."""
    edition = make_edition(run, status="judging")
    entry_id = _entry(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    post_form(client, "/language", {"language": "en", "next": "/"})

    response = client.post(
        f"/api/v1/editions/{edition['id']}/entries/{entry_id}/screening",
        json={"decision": "eligible"},
        headers={"x-csrftoken": csrf_token(client)},
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Screening is not possible now: judging has started."
