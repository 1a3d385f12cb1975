"""Entrant loose ends: the withdrawn entry's pages, withdrawing twice, withdraw links, the
message after changing a submitted entry, and one word for "withdrawn" on both sides."""

from __future__ import annotations

from tests.awards.helpers import post_form
from tests.awards.intake.entrant_support import (
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.intake.organizer_support import organizer

PHOTO = [("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg"))]


def _submitted(client, make_user, run):
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)
    assert response.status_code == 303
    return ids, entry_id


def test_withdrawn_entry_edit_page_does_not_offer_changes(client, make_user, run):
    """The edit page of a withdrawn entry says it was withdrawn, never "masih bisa mengubah",
    and offers no save button."""
    _ids, entry_id = _submitted(client, make_user, run)
    post_form(client, f"/entries/{entry_id}/withdraw", {})

    page = client.get(f"/entries/{entry_id}/edit").text

    assert "Pendaftaran ini sudah ditarik dan tidak bisa diubah lagi." in page
    assert "masih bisa mengubah" not in page
    assert 'name="action"' not in page


def test_withdraw_confirmed_twice_changes_nothing_and_says_so(client, make_user, run):
    """A second confirmation keeps the first withdrawal time and flashes "already withdrawn";
    the confirmation page then offers no button."""
    _ids, entry_id = _submitted(client, make_user, run)

    first = post_form(client, f"/entries/{entry_id}/withdraw", {})
    withdrawn_at = entry_row(run, entry_id)["withdrawn_at"]
    client.get("/entries")  # the first flash is shown
    second = post_form(client, f"/entries/{entry_id}/withdraw", {})
    after = client.get("/entries").text
    page = client.get(f"/entries/{entry_id}/withdraw").text

    assert (first.status_code, second.status_code) == (303, 303)
    assert entry_row(run, entry_id)["withdrawn_at"] == withdrawn_at
    assert "Pendaftaran ini sudah ditarik sebelumnya; tidak ada yang berubah." in after
    assert "Ya, tarik" not in page
    assert "Pendaftaran ini sudah ditarik; tidak ada lagi yang perlu dilakukan." in page


def test_withdraw_is_reachable_from_the_entry_page_and_dashboard(client, make_user, run):
    """The entry page and its dashboard card link to the withdraw confirmation; once withdrawn
    neither does, and both call it "Ditarik"."""
    _ids, entry_id = _submitted(client, make_user, run)
    link = f'href="/entries/{entry_id}/withdraw"'

    entry_page = client.get(f"/entries/{entry_id}").text
    dashboard = client.get("/entries").text
    post_form(client, f"/entries/{entry_id}/withdraw", {})
    entry_after = client.get(f"/entries/{entry_id}").text
    dashboard_after = client.get("/entries").text

    assert link in entry_page
    assert link in dashboard
    assert link not in entry_after
    assert link not in dashboard_after
    assert "Ditarik" in entry_after
    assert "Ditarik" in dashboard_after
    assert "Dibatalkan" not in entry_after + dashboard_after


def test_saving_a_submitted_entry_says_changes_saved(client, make_user, run):
    """Changing a submitted entry flashes "Perubahan disimpan" with the same receipt, not the
    first-submission "terkirim" message."""
    _ids, entry_id = _submitted(client, make_user, run)
    client.get(f"/entries/{entry_id}")  # the submission flash is shown

    response = save_entry(client, entry_id, VALID_ANSWERS | {"product_name": "Keripik Pedas"})
    page = client.get(response.headers["location"]).text

    assert response.status_code == 303
    assert "Perubahan disimpan. Pendaftaran tetap terkirim; nomor tanda terima: MLG26-KUL" in page
    assert "Pendaftaran Anda terkirim" not in page
    assert entry_row(run, entry_id)["answers"]["product_name"] == "Keripik Pedas"


def test_organizer_calls_withdrawn_entries_ditarik_and_drafts_unscreened(
    app, client, make_user, run
):
    """The organizer list says "ditarik" for a withdrawn entry and shows no screening
    ("menunggu") for a draft or a withdrawn entry."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    draft_id = start_entry(client, business, ids["KUL"])
    withdrawn_id = start_entry(client, business, ids["KUL"])
    post_form(client, f"/entries/{withdrawn_id}/withdraw", {})
    client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
    organizer(app, run, client, "panitia@malang.example.org", ids["edition"])

    listing = client.get(f"/organizer/editions/{ids['edition']}/entries").text
    draft_page = client.get(f"/organizer/entries/{draft_id}").text

    rows = listing.split("<tbody>")[1].split("</tbody>")[0]
    assert "ditarik" in rows
    assert "menunggu" not in rows
    assert "menunggu" not in draft_page.split("<dl")[1].split("</dl>")[0]
