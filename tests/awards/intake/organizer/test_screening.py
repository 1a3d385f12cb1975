"""Organizer screening: entry detail, decisions, their notices, notes."""

from __future__ import annotations

import re

from awards.intake.tables import Entry, EntryNote
from tests.awards.helpers import PASSWORD, api_post, login, outbox_messages, post_form
from tests.awards.intake.organizer_support import (
    add_member,
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
    sample_nib,
    seed_entries,
)


def test_mark_ineligible_requires_a_reason(app, client, run):
    """Ineligible without a reason is refused beside the reason field; nothing changes."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    entry_id = ids["Keripik Bu Sri"]

    response = post_form(
        client, f"/organizer/entries/{entry_id}/screening", {"decision": "ineligible"}
    )

    assert response.status_code == 422
    assert 'id="error-reason"' in response.text
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first().run())
    assert row["screening"] == "pending"


def test_ineligible_reason_is_emailed_and_shown_to_the_entrant(
    app, client, run, make_user, settings
):
    """Once the notice is sent, the reason reaches every member by email; it is shown on the
    entrant's entry page."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    entry_id = ids["Keripik Bu Sri"]
    business = run(Entry.select(Entry.business).where(Entry.id == entry_id).first().run())
    owner = make_user("sri@example.com")
    staff = make_user("staf@example.com")
    add_member(run, business["business"], owner.id)
    add_member(run, business["business"], staff.id, "staff")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    reason = "NIB tidak sesuai dengan nama usaha pada OSS."

    response = post_form(
        client,
        f"/organizer/entries/{entry_id}/screening",
        {"decision": "ineligible", "reason": reason},
    )
    post_form(client, f"/organizer/entries/{entry_id}/screening/notify", {})
    client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
    login(client, "sri@example.com", PASSWORD)
    entrant_page = client.get(f"/entries/{entry_id}")

    assert response.status_code == 303
    mails = outbox_messages(settings.outbox_dir)
    assert sorted(m["To"] for m in mails) == ["sri@example.com", "staf@example.com"]
    assert all(reason in m.get_body(("plain",)).get_content() for m in mails)
    assert "MLG26-KUL-000001" in mails[0]["Subject"]
    assert entrant_page.status_code == 200
    assert reason in entrant_page.text


def test_only_submitted_entries_can_be_screened(app, client, run):
    """A draft cannot be marked eligible (422 from the API naming ``decision``)."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = api_post(
        client,
        f"/api/v1/editions/{edition['id']}/entries/{ids['Kopi Dampit']}/screening",
        {"decision": "eligible"},
    )

    assert response.status_code == 422
    assert "decision" in response.json()["errors"]


def test_mark_eligible_through_api(app, client, run, settings):
    """The API marks an entry eligible and returns the updated entry."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = api_post(
        client,
        f"/api/v1/editions/{edition['id']}/entries/{ids['Batik Celaket']}/screening",
        {"decision": "eligible"},
    )

    assert response.status_code == 200
    assert response.json()["screening"] == "eligible"


def test_notes_are_for_organizers_only(app, client, run, make_user):
    """A note shows on the organizer's entry page and never on the entrant's."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    entry_id = ids["Keripik Bu Sri"]
    business = run(Entry.select(Entry.business).where(Entry.id == entry_id).first().run())
    owner = make_user("sri@example.com")
    add_member(run, business["business"], owner.id)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    note = "Cek ulang foto produk dengan dinas."

    post_form(client, f"/organizer/entries/{entry_id}/notes", {"body": note})
    organizer_page = client.get(f"/organizer/entries/{entry_id}")
    client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
    login(client, "sri@example.com", PASSWORD)
    entrant_page = client.get(f"/entries/{entry_id}")
    entrant_api = client.get(f"/api/v1/entries/{entry_id}")

    assert run(EntryNote.count().run()) == 1
    assert note in organizer_page.text
    assert entrant_page.status_code == 200
    assert note not in entrant_page.text
    assert note not in entrant_api.text


def test_entry_detail_renders_answers_by_field_type(app, client, run):
    """Choice answers show their labels, numbers and dates their values."""
    edition = make_edition(run)
    fashion = categories(run, edition["id"])["fashion-kriya"]
    business = make_business(run, sample_nib(1), "Batik Celaket")
    answers = {
        "product_name": "Batik tulis Teplok",
        "description": "Pewarna alami.",
        "price": 450000,
        "channel": "both",
        "markets": ["malang", "jatim"],
        "launched_on": "2023-08-17",
    }
    entry_id = make_entry(run, edition, fashion, business, answers=answers)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    page = client.get(f"/organizer/entries/{entry_id}").text

    assert "Batik tulis Teplok" in page
    assert "Both" in page
    assert "Malang, Jatim" in page
    assert "450000" in page
    assert "2023-08-17" in page


def test_organizer_of_another_edition_cannot_see_or_screen_entry(app, client, run):
    """An organizer of edition B gets 404 for edition A's entry page, decision and notes."""
    edition = make_edition(run, "malang-2026")
    other = make_edition(run, "batu-2026")
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@batu.example.org", other["id"])
    entry_id = ids["Keripik Bu Sri"]

    page = client.get(f"/organizer/entries/{entry_id}")
    decide = post_form(client, f"/organizer/entries/{entry_id}/screening", {"decision": "eligible"})
    note = post_form(client, f"/organizer/entries/{entry_id}/notes", {"body": "x"})
    api = client.get(f"/api/v1/editions/{edition['id']}/entries/{entry_id}")

    assert (page.status_code, decide.status_code, note.status_code) == (404, 404, 404)
    assert api.status_code == 404
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first().run())
    assert row["screening"] == "pending"
    assert run(EntryNote.count().run()) == 0


def test_entry_pages_show_size_class_and_sector_names_in_indonesian(app, client, run):
    """The list filter, the list and the detail page name size classes and sectors in
    Indonesian, not by their keys."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    listing = client.get(f"/organizer/editions/{edition['id']}/entries").text
    detail = client.get(f"/organizer/entries/{ids['Keripik Bu Sri']}").text

    assert ">mikro</option>" in listing
    assert ">menengah</option>" in listing
    assert "<td>mikro</td>" in listing
    assert "<td>micro</td>" not in listing
    assert "<dd>mikro</dd>" in detail
    assert "<dd>Kuliner (makanan &amp; minuman)</dd>" in detail
    assert "<dd>kuliner</dd>" not in detail


def test_entry_detail_screening_radios_sit_beside_their_text(app, client, run):
    """Each screening radio is inside a .choice label, before its text, with no inline width."""
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    detail = client.get(f"/organizer/entries/{ids['Keripik Bu Sri']}").text

    radios = re.findall(r'<label class="choice"><input type="radio" name="decision"[^>]*>', detail)
    assert len(radios) == 2
    assert "style=" not in "".join(radios)


def _decide(client, entry_id, decision, reason=""):
    return post_form(
        client,
        f"/organizer/entries/{entry_id}/screening",
        {"decision": decision, "reason": reason},
    )


def _screened_entry(app, client, run, make_user):
    edition = make_edition(run)
    ids = seed_entries(run, edition)
    entry_id = ids["Keripik Bu Sri"]
    business = run(Entry.select(Entry.business).where(Entry.id == entry_id).first().run())
    add_member(run, business["business"], make_user("sri@example.com").id)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    return edition, ids, entry_id


def test_screening_flip_before_notice_sends_one_consistent_mail(
    app, client, run, make_user, settings
):
    """Ineligible then eligible within seconds emails nothing; the notice then sends one mail,
    saying eligible; sending again sends nothing more."""
    _edition, _ids, entry_id = _screened_entry(app, client, run, make_user)

    _decide(client, entry_id, "ineligible", "NIB tidak cocok.")
    _decide(client, entry_id, "eligible")
    before = outbox_messages(settings.outbox_dir)
    page = client.get(f"/organizer/entries/{entry_id}").text
    first = post_form(client, f"/organizer/entries/{entry_id}/screening/notify", {})
    again = post_form(client, f"/organizer/entries/{entry_id}/screening/notify", {})
    mails = outbox_messages(settings.outbox_dir)

    assert before == []
    assert f'action="/organizer/entries/{entry_id}/screening/notify"' in page
    assert (first.status_code, again.status_code) == (303, 303)
    assert len(mails) == 1
    assert mails[0]["Subject"].endswith("Anda layak")
    assert "tidak layak" not in mails[0]["Subject"]
    row = run(Entry.select().where(Entry.id == entry_id).first().run())
    assert (row["screening_notified"], row["screening_notified_at"] is not None) == (
        "eligible",
        True,
    )


def test_screening_correction_after_notice_says_it_replaces_the_first(
    app, client, run, make_user, settings
):
    """After an eligible notice, changing to ineligible is due again and its mail says that it
    replaces the earlier message; changing back to eligible before sending leaves nothing due."""
    edition, _ids, entry_id = _screened_entry(app, client, run, make_user)
    _decide(client, entry_id, "eligible")
    post_form(client, f"/organizer/entries/{entry_id}/screening/notify", {})

    _decide(client, entry_id, "ineligible", "Usaha di luar Kota Malang.")
    _decide(client, entry_id, "eligible")
    listing_same = client.get(f"/organizer/editions/{edition['id']}/entries").text
    _decide(client, entry_id, "ineligible", "Usaha di luar Kota Malang.")
    post_form(client, f"/organizer/entries/{entry_id}/screening/notify", {})
    mails = outbox_messages(settings.outbox_dir)

    assert "/screening/notify" not in listing_same
    assert len(mails) == 2
    body = mails[1].get_body(("plain",)).get_content()
    assert "Usaha di luar Kota Malang." in body
    assert "menggantikan pesan kami sebelumnya" in body


def test_screening_notices_sent_for_the_whole_edition_at_once(
    app, client, run, make_user, settings
):
    """The entry list counts the decisions not yet emailed and sends them all in one step; the
    API sends one notice and reports whether it did."""
    edition, ids, entry_id = _screened_entry(app, client, run, make_user)
    _decide(client, entry_id, "eligible")
    _decide(client, ids["Bakso Lowokwaru"], "ineligible", "Foto produk tidak jelas.")
    _decide(client, ids["Batik Celaket"], "eligible")
    url = f"/api/v1/editions/{edition['id']}/entries/{ids['Batik Celaket']}/screening/notify"
    api_first = api_post(client, url)
    api_again = api_post(client, url)

    listing = client.get(f"/organizer/editions/{edition['id']}/entries").text
    response = post_form(client, f"/organizer/editions/{edition['id']}/screening/notify", {})
    listing_after = client.get(f"/organizer/editions/{edition['id']}/entries").text

    assert (api_first.json(), api_again.json()) == ({"sent": True}, {"sent": False})
    assert "2 keputusan pemeriksaan belum dikirim" in listing
    assert response.status_code == 303
    assert "2 usaha telah menerima email keputusannya." in listing_after
    assert "/screening/notify" not in listing_after
    notified = run(
        Entry.select(Entry.id).where(Entry.screening_notified != "").order_by(Entry.id).run()
    )
    assert sorted(r["id"] for r in notified) == sorted(
        [entry_id, ids["Bakso Lowokwaru"], ids["Batik Celaket"]]
    )
    assert len(outbox_messages(settings.outbox_dir)) == 1  # only the business with a member
