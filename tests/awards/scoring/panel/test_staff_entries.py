"""Judges and organizers of an edition hold no entry in it: starting an entry, submitting a
draft begun before the appointment, and screening one's own business eligible are all refused
with the reason shown beside the field."""

from __future__ import annotations

from awards.intake.tables import Entry
from tests.awards.helpers import login, post_form
from tests.awards.intake.entrant_support import (
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.intake.organizer_support import (
    add_member,
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)

REFUSAL = "tidak dapat mengikutinya"
PHOTO = [("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg"))]


def test_organizer_of_the_edition_cannot_start_an_entry(app, client, make_user, run):
    """An organizer of the edition starting an entry for their business is sent back to the
    category choice with the reason; no entry exists."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    user = run(app.state.accounts.find_by_email("sri@example.id"))
    run(app.state.accounts.grant_role(user.id, "organizer", ids["edition"]))
    login(client, "sri@example.id")
    response = post_form(
        client, "/entries/new", {"business_id": str(business), "category_id": str(ids["KUL"])}
    )
    page = client.get(response.headers["location"])
    assert response.status_code == 303
    assert REFUSAL in page.text
    assert run(Entry.count()) == 0


def test_draft_begun_before_appointment_cannot_be_submitted(app, client, make_user, run):
    """A draft started before its owner became an organizer of the edition is refused at
    submission with the reason on the form, and stays a draft."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    user = run(app.state.accounts.find_by_email("sri@example.id"))
    run(app.state.accounts.grant_role(user.id, "organizer", ids["edition"]))
    login(client, "sri@example.id")
    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)
    assert response.status_code == 422
    assert REFUSAL in response.text
    assert entry_row(run, entry_id)["status"] == "draft"


def test_organizer_cannot_screen_their_own_business_eligible(app, client, run):
    """An organizer who manages the entered business cannot screen the entry eligible."""
    edition = make_edition(run, "malang-2026")
    cats = categories(run, edition["id"])
    business = make_business(run, "9120000000001")
    entry_id = make_entry(run, edition, cats["kuliner"], business)
    user = organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    add_member(run, business, user.id)
    response = post_form(
        client, f"/organizer/entries/{entry_id}/screening", {"decision": "eligible"}
    )
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first())
    assert response.status_code in (303, 422)
    assert row["screening"] == "pending"
    page = client.get(f"/organizer/entries/{entry_id}")
    assert REFUSAL in response.text + page.text
