"""Entries through the pages: draft and submit validation, receipts, deadlines, withdraw,
eligibility by size class."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from awards.accounts.identity import CurrentUser
from awards.intake.entries.service import EntryService
from awards.intake.tables import Entry
from tests.awards.helpers import login, outbox_messages, post_form
from tests.awards.intake.entrant_support import (
    NIBS,
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    profile,
    save_entry,
    seed_edition,
    set_closing,
    start_entry,
    wib,
)

PHOTO = [("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg"))]


def test_entry_draft_saves_with_required_fields_empty(client, make_user, run):
    """A draft keeps what was typed even though required fields are still empty."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = save_entry(client, entry_id, {"product_name": "Keripik Tempe"})

    assert response.status_code == 303
    assert response.headers["location"] == f"/entries/{entry_id}/edit"
    row = entry_row(run, entry_id)
    assert row["status"] == "draft"
    assert row["answers"] == {"product_name": "Keripik Tempe"}
    assert row["receipt_number"] is None


def test_entry_draft_refuses_malformed_values_beside_the_field(client, make_user, run):
    """A draft with a malformed value is refused (422) with the message beside that field."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = save_entry(client, entry_id, {"product_name": "Keripik", "price": "mahal"})

    assert response.status_code == 422
    assert 'id="error-price"' in response.text
    assert 'href="#field-price"' in response.text  # the summary links to the field
    assert 'value="Keripik"' in response.text  # input kept
    assert entry_row(run, entry_id)["answers"] == {}


def test_entry_submit_requires_every_required_field(client, make_user, run):
    """Submitting with required fields empty is refused with one message per field; the
    entry stays a draft without a receipt."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = save_entry(client, entry_id, {"product_name": "Keripik"}, action="submit")

    assert response.status_code == 422
    for key in ("description", "photos"):
        assert f'id="error-{key}"' in response.text
        assert f'href="#field-{key}"' in response.text
    assert 'id="error-product_name"' not in response.text
    row = entry_row(run, entry_id)
    assert (row["status"], row["receipt_number"]) == ("draft", None)


def test_entry_submit_assigns_receipt_and_emails_members(client, make_user, run, settings):
    """A complete submission gets MLG26-KUL-000001, shows the receipt page and emails it."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/entries/{entry_id}"
    row = entry_row(run, entry_id)
    assert row["status"] == "submitted"
    assert row["receipt_number"] == "MLG26-KUL-000001"
    assert row["answers"]["markets"] == ["malang", "jatim"]
    assert row["answers"]["website"] == "https://tempesanan.id"
    assert row["answers"]["photos"][0]["content_type"] == "image/jpeg"
    assert row["size_class"] == "micro"
    assert row["business_name"] == "Keripik Tempe Bu Sri"
    page = client.get(f"/entries/{entry_id}")
    assert "MLG26-KUL-000001" in page.text
    mails = [m for m in outbox_messages(settings.outbox_dir) if "MLG26-KUL-000001" in m["Subject"]]
    assert [m["To"] for m in mails] == ["sri@example.id"]


def test_receipt_numbers_are_sequential_per_edition_across_categories(client, make_user, run):
    """Receipts count up through the edition whatever the category; another edition starts
    its own sequence."""
    first = seed_edition(run)
    second = seed_edition(run, slug="surabaya-2027", year=2027)
    receipts = []
    for index, (edition, category) in enumerate(
        [(first, "KUL"), (first, "MIK"), (second, "KUL"), (first, "KUL")]
    ):
        business = entrant_with_business(
            client, make_user, f"e{index}@example.id", edition["edition"], nib=NIBS[index]
        )
        if edition is second:
            post_form(
                client,
                f"/business/{business}/declaration/{second['edition']}",
                {"capital": "1000000", "turnover": "1000000"},
            )
        entry_id = start_entry(client, business, edition[category])
        response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)
        assert response.status_code == 303, response.text
        receipts.append(entry_row(run, entry_id)["receipt_number"])
    assert receipts == [
        "MLG26-KUL-000001",
        "MLG26-MIK-000002",
        "SRY27-KUL-000001",
        "MLG26-KUL-000003",
    ]


def test_receipt_numbers_unique_under_concurrent_submissions(client, make_user, run, app):
    """Eight drafts submitted at the same time get eight distinct numbers 1..8."""
    ids = seed_edition(run)
    entry_ids = []
    users: list[CurrentUser] = []
    for index in range(8):
        nib = f"{index + 1}000000000000"
        business = entrant_with_business(
            client, make_user, f"c{index}@example.id", ids["edition"], nib=nib
        )
        entry_id = start_entry(client, business, ids["KUL"])
        assert save_entry(client, entry_id, VALID_ANSWERS, files=PHOTO).status_code == 303
        entry_ids.append(entry_id)
        users.append(run(app.state.accounts.find_by_email(f"c{index}@example.id")))
    service = EntryService(app.state.settings, app.state.accounts.mailer)

    async def submit_all() -> None:
        await asyncio.gather(
            *(
                service.save(user, entry_id, VALID_ANSWERS, submit=True)
                for user, entry_id in zip(users, entry_ids, strict=True)
            )
        )

    run(submit_all())

    async def receipts() -> list[str]:
        rows = await Entry.select(Entry.receipt_number).where(Entry.id.is_in(entry_ids))
        return sorted(row["receipt_number"] for row in rows)

    assert run(receipts()) == [f"MLG26-KUL-{n:06d}" for n in range(1, 9)]


def test_submission_after_deadline_refused_with_local_closing_time(client, make_user, run):
    """After intake_closes_at the submit is refused (409) and the page names the closing
    time in Jakarta time; nothing changes."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    set_closing(run, ids["edition"], wib(2025, 12, 31, 23, 59, 59))

    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)

    assert response.status_code == 409
    assert "31 Desember 2025 23.59 WIB" in response.text
    row = entry_row(run, entry_id)
    assert (row["status"], row["answers"], row["receipt_number"]) == ("draft", {}, None)


def test_submission_after_deadline_message_in_english(client, make_user, run):
    """With English chosen, the refusal shows the closing time in English, still WIB."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    set_closing(run, ids["edition"], wib(2025, 12, 31, 23, 59, 59))
    post_form(client, "/language", {"language": "en", "next": "/"})

    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit")

    assert response.status_code == 409
    assert "31 December 2025, 23:59 WIB" in response.text


def test_entry_edit_after_submission_keeps_receipt_and_revalidates(client, make_user, run):
    """A submitted entry can be changed before closing; the receipt stays; a change that
    breaks a required field is refused."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)

    changed = VALID_ANSWERS | {"product_name": "Keripik Tempe Pedas"}
    assert save_entry(client, entry_id, changed).status_code == 303
    broken = VALID_ANSWERS | {"description": ""}
    refused = save_entry(client, entry_id, broken)

    assert refused.status_code == 422
    assert 'id="error-description"' in refused.text
    row = entry_row(run, entry_id)
    assert row["answers"]["product_name"] == "Keripik Tempe Pedas"
    assert (row["status"], row["receipt_number"]) == ("submitted", "MLG26-KUL-000001")


def test_entry_edit_after_close_refused(client, make_user, run):
    """After closing, a submitted entry cannot be changed (page and withdraw) and the edit
    page says when intake closed."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)
    set_closing(run, ids["edition"], datetime.now(UTC) - timedelta(minutes=1))

    edit_page = client.get(f"/entries/{entry_id}/edit")
    changed = save_entry(client, entry_id, VALID_ANSWERS | {"product_name": "Baru"})
    withdraw = post_form(client, f"/entries/{entry_id}/withdraw", {})

    assert "Pendaftaran ditutup" in edit_page.text or "Registration closed" in edit_page.text
    assert 'name="action"' not in edit_page.text
    assert (changed.status_code, withdraw.status_code) == (409, 409)
    row = entry_row(run, entry_id)
    assert (row["status"], row["answers"]["product_name"]) == ("submitted", "Keripik Tempe Sanan")


def test_entry_before_opening_refused_with_opening_time(client, make_user, run):
    """Before intake opens no category is offered and a direct create is refused (409)."""
    ids = seed_edition(run, opens_at=wib(2030, 1, 2, 8, 0), closes_at=wib(2030, 3, 1))
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])

    listing = client.get(f"/entries/new?business={business}")
    response = post_form(
        client, "/entries/new", {"business_id": str(business), "category_id": str(ids["KUL"])}
    )

    assert "Kuliner" not in listing.text
    assert response.status_code == 409
    assert "2 Januari 2030 08.00 WIB" in response.text


def test_entry_withdraw_needs_confirmation_and_frees_the_slot(client, make_user, run):
    """The withdraw link shows a confirmation page; confirming withdraws the entry (kept with
    its receipt) and it no longer counts against the category limit."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["MIK"])
    save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)

    confirm = client.get(f"/entries/{entry_id}/withdraw")
    assert confirm.status_code == 200
    assert f'action="/entries/{entry_id}/withdraw"' in confirm.text
    assert entry_row(run, entry_id)["status"] == "submitted"
    response = post_form(client, f"/entries/{entry_id}/withdraw", {})

    assert response.status_code == 303
    row = entry_row(run, entry_id)
    assert (row["status"], row["receipt_number"]) == ("withdrawn", "MLG26-MIK-000001")
    assert row["withdrawn_at"] is not None
    assert save_entry(client, entry_id, VALID_ANSWERS).status_code == 422
    assert start_entry(client, business, ids["MIK"]) != entry_id


def test_eligibility_medium_business_cannot_enter_micro_category(client, make_user, run):
    """A medium business sees the micro-only category with the reason and cannot start it."""
    ids = seed_edition(run)
    business = entrant_with_business(
        client,
        make_user,
        "besar@example.id",
        ids["edition"],
        capital="8.000.000.000",
        turnover="30.000.000.000",
    )

    listing = client.get(f"/entries/new?business={business}")
    response = post_form(
        client, "/entries/new", {"business_id": str(business), "category_id": str(ids["MIK"])}
    )

    mikro = listing.text[listing.text.index("Mikro Pemula") :]
    assert re.search(r"mikro.*menengah|micro.*medium", mikro[:800], re.S | re.I)
    assert response.status_code == 303
    assert response.headers["location"] == f"/entries/new?business={business}"

    async def count() -> int:
        return await Entry.count().where(Entry.business == business)

    assert run(count()) == 0


def test_eligibility_micro_business_may_enter_micro_category(client, make_user, run):
    """The same category accepts a micro business."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "kecil@example.id", ids["edition"])

    entry_id = start_entry(client, business, ids["MIK"])

    assert entry_row(run, entry_id)["size_class"] == "micro"


def test_entry_ineligible_screening_reason_shown_to_entrant(client, make_user, run):
    """When the organizer marks an entry ineligible, the entrant sees the result and reason."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)

    async def screen() -> None:
        await Entry.update(
            {Entry.screening: "ineligible", Entry.screening_reason: "NIB tidak aktif di OSS."}
        ).where(Entry.id == entry_id)

    run(screen())

    page = client.get(f"/entries/{entry_id}")
    dashboard = client.get("/entries")
    assert "NIB tidak aktif di OSS." in page.text
    assert "NIB tidak aktif di OSS." in dashboard.text


def test_entries_dashboard_empty_state_guides_new_user(client, make_user):
    """A new entrant without a business sees the empty state pointing to the profile."""
    make_user("baru@example.id")
    login(client, "baru@example.id")

    page = client.get("/entries")

    assert page.status_code == 200
    assert 'href="/business/new"' in page.text


def test_entry_form_without_csrf_token_refused(client, make_user, run):
    """The entry form without its CSRF token is refused (403) and nothing is saved.

    (Sent URL-encoded: Litestar leaves a rejected multipart body's spooled files to the garbage
    collector, which the warnings-as-errors setting would report.)"""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = client.post(
        f"/entries/{entry_id}/edit",
        data={"action": "save", "product_name": "Tanpa token"},
        follow_redirects=False,
    )

    assert response.status_code == 403
    assert entry_row(run, entry_id)["answers"] == {}


def test_entry_submit_requires_size_declaration(client, make_user, run):
    """Without a capital/turnover declaration for the edition the submission is refused with a
    link to declare; after declaring it goes through."""
    ids = seed_edition(run)
    make_user("baru@example.id")
    login(client, "baru@example.id")
    created = post_form(client, "/business/new", profile())
    business = int(created.headers["location"].rsplit("/", 1)[1])
    entry_id = start_entry(client, business, ids["KUL"])

    refused = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=PHOTO)
    declaration_url = f"/business/{business}/declaration/{ids['edition']}"
    post_form(client, declaration_url, {"capital": "50.000.000", "turnover": "300.000.000"})
    accepted = save_entry(client, entry_id, VALID_ANSWERS, action="submit")

    assert refused.status_code == 422
    assert 'href="#field-declaration"' in refused.text
    assert f'href="{declaration_url}?next=' in refused.text
    assert accepted.status_code == 303
    row = entry_row(run, entry_id)
    assert (row["status"], row["size_class"]) == ("submitted", "micro")
