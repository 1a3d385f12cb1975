"""The entrant's hot-path reads and save (plain SQL, ``awards/intake/entries/sql.py``) give the
same rows, with the same Python types, as Piccolo's selects of the same tables; the entry
save re-checks eligibility inside its write transaction."""

from __future__ import annotations

import pytest
from piccolo.utils.encoding import load_json

from awards.errors import ValidationError
from awards.intake.businesses.service import BusinessService
from awards.intake.common import NotFoundError
from awards.intake.editions.service import EditionService
from awards.intake.entries.service import EntryService
from awards.intake.entries.sql import json_value
from awards.intake.form.formspec import FormSpec
from awards.intake.tables import Attachment, Business, BusinessMember, Category, Edition, Entry
from tests.awards.helpers import csrf_token, login, post_form
from tests.awards.intake.entrant_support import (
    FORM,
    NIBS,
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    profile,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.intake.organizer_support import organizer

PHOTO = [("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg"))]


def _service(app) -> EntryService:
    return EntryService(app.state.settings, app.state.accounts.mailer)


async def _piccolo_rows(entry_id: int) -> dict:
    """The rows around an entry as Piccolo's selects give them (the reference)."""
    entry = await Entry.select().where(Entry.id == entry_id).output(load_json=True).first()
    return {
        "entry": entry,
        "business": await Business.select().where(Business.id == entry["business"]).first(),
        "category": await Category.select()
        .where(Category.id == entry["category"])
        .output(load_json=True)
        .first(),
        "edition": await Edition.select()
        .where(Edition.id == entry["edition"])
        .output(load_json=True)
        .first(),
        "attachments": await Attachment.select()
        .where(Attachment.entry == entry_id)
        .order_by(Attachment.id),
    }


def test_entry_context_matches_the_tables_rows(app, client, make_user, run):
    """The context's entry, business, category, edition and attachments equal Piccolo's rows
    (same keys, values and types: aware datetimes, decoded JSON); ``declared`` follows the
    declaration; another user's context is not found."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    assert save_entry(client, entry_id, VALID_ANSWERS, files=PHOTO).status_code == 303
    user = run(app.state.accounts.find_by_email("sri@example.id"))
    make_user("lain@example.id")
    stranger = run(app.state.accounts.find_by_email("lain@example.id"))

    ctx = run(_service(app).context(user, entry_id))
    reference = run(_piccolo_rows(entry_id))

    assert ctx.entry == reference["entry"]
    assert ctx.business == reference["business"]
    assert ctx.category == reference["category"]
    assert ctx.edition == reference["edition"]
    assert ctx.attachments == {"photos": reference["attachments"]}
    assert ctx.form == FormSpec.from_dict(FORM)
    assert ctx.declared is True
    assert ctx.entry["updated_at"].tzinfo is not None
    assert ctx.edition["intake_closes_at"].tzinfo is not None
    assert ctx.entry["answers"]["product_name"] == VALID_ANSWERS["product_name"]
    with pytest.raises(NotFoundError):
        run(_service(app).context(stranger, entry_id))
    with pytest.raises(NotFoundError):
        run(_service(app).context(user, entry_id + 1000))


def test_entry_context_without_declaration_is_not_declared(app, client, make_user, run):
    """A business that has not declared its size for the edition: ``declared`` is False."""
    ids = seed_edition(run)
    make_user("baru@example.id")
    login(client, "baru@example.id")
    created = post_form(client, "/business/new", profile())
    business = int(created.headers["location"].rsplit("/", 1)[1])
    entry_id = start_entry(client, business, ids["KUL"])
    user = run(app.state.accounts.find_by_email("baru@example.id"))

    ctx = run(_service(app).context(user, entry_id))

    assert ctx.declared is False
    assert ctx.attachments == {}


def test_entry_save_returns_the_row_as_stored(app, client, make_user, run):
    """The saved context's entry is the row as a fresh select reads it (types included)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    user = run(app.state.accounts.find_by_email("sri@example.id"))

    saved = run(_service(app).save(user, entry_id, {"product_name": "Keripik"}, submit=False))

    assert saved.entry == entry_row(run, entry_id)
    assert saved.entry["answers"] == {"product_name": "Keripik"}
    assert saved.entry["size_class"] == "micro"


def test_entry_save_after_the_organizer_edits_the_form_uses_the_new_form(
    app, client, make_user, run
):
    """Saves read the category's form and rubric through caches keyed by the stored text:
    after the organizer adds a field, relabels one and adds a criterion, the next save
    validates against the new form and its context carries the new form and rubric."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    user = run(app.state.accounts.find_by_email("sri@example.id"))
    service = _service(app)
    run(service.save(user, entry_id, {"product_name": "Keripik"}, submit=False))
    with pytest.raises(ValidationError) as before:
        run(service.save(user, entry_id, {"awards": "Juara 1"}, submit=False))
    organizer(app, run, client, "panitia@example.org", ids["edition"])
    boss = run(app.state.accounts.find_by_email("panitia@example.org"))
    editions = EditionService()
    new_field = {
        "type": "short_text",
        "key": "awards",
        "label_id": "Penghargaan",
        "max_length": "20",
    }
    relabelled = {"label_id": "Nama dagang", "max_length": "60"}
    criterion = {"key": "rasa", "label_id": "Rasa", "weight": "2"}
    run(editions.add_field(boss, ids["KUL"], new_field))
    run(editions.update_field(boss, ids["KUL"], "product_name", relabelled))
    run(editions.save_criterion(boss, ids["KUL"], None, criterion))

    saved = run(service.save(user, entry_id, {"awards": "Juara 1"}, submit=False))
    with pytest.raises(ValidationError) as too_long:
        run(service.save(user, entry_id, {"awards": "x" * 21}, submit=False))
    reference = run(_piccolo_rows(entry_id))

    assert set(before.value.errors) == {"awards"}
    assert saved.entry["answers"] == {"awards": "Juara 1"}
    assert set(too_long.value.errors) == {"awards"}
    assert saved.category == reference["category"]
    assert saved.form.field("product_name").label.id == "Nama dagang"
    assert saved.category["form"]["fields"][-1]["key"] == "awards"
    assert [c["key"] for c in saved.category["rubric"]["criteria"]][-1] == "rasa"


def test_entry_submit_over_the_category_limit_refused(client, make_user, run):
    """Two drafts in a category whose limit was lowered to one: submitting either is refused
    with the limit beside the category, and nothing changes."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    first = start_entry(client, business, ids["KUL"])
    start_entry(client, business, ids["KUL"])
    assert save_entry(client, first, VALID_ANSWERS, files=PHOTO).status_code == 303

    async def lower_limit() -> None:
        await Category.update({Category.eligibility: {"max_entries_per_business": 1}}).where(
            Category.id == ids["KUL"]
        )

    run(lower_limit())
    response = client.post(
        f"/api/v1/entries/{first}/submit", headers={"x-csrftoken": csrf_token(client)}
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"category"}
    row = entry_row(run, first)
    assert (row["status"], row["receipt_number"]) == ("draft", None)


def test_my_entries_and_memberships_match_joined_selects(app, client, make_user, run):
    """The dashboard's entries and memberships equal Piccolo's joined selects (newest entry
    first; oldest membership first)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    created = post_form(client, "/business/new", profile(NIBS[1]))
    second = int(created.headers["location"].rsplit("/", 1)[1])
    start_entry(client, business, ids["KUL"])
    start_entry(client, second, ids["KUL"])
    user = run(app.state.accounts.find_by_email("sri@example.id"))

    async def reference() -> tuple[list, list]:
        entries = await (
            Entry.select(
                Entry.id,
                Entry.status,
                Entry.screening,
                Entry.screening_reason,
                Entry.receipt_number,
                Entry.business_name,
                Entry.updated_at,
                Entry.submitted_at,
                Entry.category.name_id,
                Entry.category.name_en,
                Entry.edition.name_id,
                Entry.edition.name_en,
                Entry.edition.time_zone,
                Entry.edition.intake_closes_at,
            )
            .where(Entry.business.is_in([business, second]))
            .order_by(Entry.id, ascending=False)
        )
        members = await (
            BusinessMember.select(
                BusinessMember.business, BusinessMember.business.name, BusinessMember.role
            )
            .where(BusinessMember.user == user.id)
            .order_by(BusinessMember.id)
        )
        return entries, members

    entries, members = run(reference())

    assert len(entries) == 2
    assert run(_service(app).my_entries(user)) == entries
    businesses = BusinessService(app.state.settings, app.state.accounts.mailer)
    memberships = run(businesses.memberships(user.id))
    assert [(m.business_id, m.name, m.role) for m in memberships] == [
        (r["business"], r["business.name"], r["role"]) for r in members
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{"version": 1, "fields": [{"key": "nama", "required": true, "order": 0.5}]}',
        '["x\\u00e9", null, false, -0.0, 1E5, 123456789012345678901234567890]',
        '{"a": 1, "a": 2}',
        '"\\ud800"',
        "[NaN, 1e400]",
    ],
)
def test_json_value_decodes_as_piccolos_load_json(text):
    """JSON columns decode to what Piccolo's ``load_json`` gives, also for text only the
    standard library reads (``NaN``, a float beyond range, a lone surrogate)."""
    decoded, expected = json_value(text), load_json(text)
    assert repr(decoded) == repr(expected)
    assert json_value(text.encode()) is not None
    assert json_value(None) is None
