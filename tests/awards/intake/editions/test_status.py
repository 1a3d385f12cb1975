"""Edition status changes against the database: preconditions, reasons, the log, the locks."""

from __future__ import annotations

import pytest

from awards.errors import ValidationError
from awards.i18n import use_language
from awards.intake.bulk import service as bulk
from awards.intake.editions import lifecycle
from awards.intake.editions.lifecycle import Action, Blocker, EditionLockedError
from awards.intake.editions.service import EditionService
from awards.intake.editions.status import EditionLifecycle, ensure_edition_allows
from awards.intake.entries.screening import ScreeningService
from awards.intake.tables import Edition, EditionStatusChange, Entry
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
)

CSV = (
    "business_name,owner_name,nib,phone,district,sector,address,year_founded,employees,"
    "capital,turnover,category,menu\n"
    "Keripik Tempe Bu Sri,Sri Wahyuni,9120001234567,0812-3300-1122,Blimbing,kuliner,"
    "Jl. Sanan 12,2015,4,150000000,600000000,kuliner,Keripik tempe pedas\n"
)


def _organizer(app, run):
    user = run(app.state.accounts.sign_up("panitia@malang.example.org", "correct-horse-42"))
    run(app.state.accounts.grant_role(user.id, "organizer", None))
    return run(app.state.accounts.load(user.id))


def _status(run, edition_id):
    return run(Edition.select(Edition.status).where(Edition.id == edition_id).first())["status"]


def _closed_edition_with(run, screenings):
    edition = make_edition(run, status="closed")
    kuliner = categories(run, edition["id"])["kuliner"]
    ids = []
    for n, screening in enumerate(screenings, start=1):
        business = make_business(run, f"91200{n:08d}", f"Usaha {n}")
        entry_id = make_entry(
            run, edition, kuliner, business, name=f"Usaha {n}", receipt=f"MLG26-KUL-{n:06d}"
        )
        run(Entry.update({Entry.screening: screening}).where(Entry.id == entry_id))
        ids.append(entry_id)
    return edition, ids


def test_change_to_judging_refused_while_entries_await_screening(app, run):
    """Judging cannot start with unscreened entries; the blocker names them with links."""
    edition, ids = _closed_edition_with(run, ["eligible", "pending", "pending"])
    user = _organizer(app, run)
    with use_language("en"):
        plan = run(EditionLifecycle().plan(user, edition["id"], "judging"))
        with pytest.raises(ValidationError) as caught:
            run(EditionLifecycle().change(user, edition["id"], "judging"))
    assert [b.message for b in plan.blockers] == ["2 submitted entries have not been screened."]
    assert [url for _label, url in plan.blockers[0].links] == [
        f"/organizer/entries/{ids[1]}",
        f"/organizer/entries/{ids[2]}",
    ]
    assert caught.value.errors == {"status": "2 submitted entries have not been screened."}
    assert _status(run, edition["id"]) == "closed"


def test_change_to_judging_refused_without_an_eligible_entry(app, run):
    """With every entry screened but none eligible there is nothing to judge."""
    edition, _ids = _closed_edition_with(run, ["ineligible"])
    user = _organizer(app, run)
    with use_language("en"):
        plan = run(EditionLifecycle().plan(user, edition["id"], "judging"))
    assert [b.message for b in plan.blockers] == ["No entry has been found eligible yet."]


def test_change_to_judging_records_who_when_and_why(app, run):
    """A permitted change updates the status and writes one log row with the user and note."""
    edition, _ids = _closed_edition_with(run, ["eligible", "ineligible"])
    user = _organizer(app, run)
    run(EditionLifecycle().change(user, edition["id"], "judging", "  Semua sudah diperiksa. "))
    log = run(EditionLifecycle().history(user, edition["id"]))
    assert _status(run, edition["id"]) == "judging"
    assert [(r["from_status"], r["to_status"], r["reason"], r["who"]) for r in log] == [
        ("closed", "judging", "Semua sudah diperiksa.", "panitia@malang.example.org")
    ]
    assert log[0]["created_at"].tzinfo is not None


def test_change_reversal_without_reason_is_refused(app, run):
    """Reopening registration needs a reason; nothing changes without one."""
    edition, _ids = _closed_edition_with(run, [])
    user = _organizer(app, run)
    with use_language("en"), pytest.raises(ValidationError) as caught:
        run(EditionLifecycle().change(user, edition["id"], "open", "   "))
    assert caught.value.errors == {"reason": "Give the reason; it is kept in the log."}
    assert _status(run, edition["id"]) == "closed"
    assert run(EditionStatusChange.count()) == 0


def test_change_that_skips_a_step_is_refused(app, run):
    """Open cannot jump to published."""
    edition = make_edition(run)
    user = _organizer(app, run)
    with pytest.raises(ValidationError) as caught:
        run(EditionLifecycle().change(user, edition["id"], "published"))
    assert list(caught.value.errors) == ["status"]
    assert _status(run, edition["id"]) == "open"


def test_change_back_to_draft_refused_once_entries_exist(app, run):
    """An open edition with entries cannot return to draft."""
    edition = make_edition(run)
    make_entry(
        run, edition, categories(run, edition["id"])["kuliner"], make_business(run, "9120000000001")
    )
    user = _organizer(app, run)
    with use_language("en"), pytest.raises(ValidationError) as caught:
        run(EditionLifecycle().change(user, edition["id"], "draft", "salah buka"))
    assert caught.value.errors["status"] == (
        "1 entry exists; an edition with entries cannot return to draft."
    )


def test_change_runs_preconditions_registered_by_other_capabilities(app, run, monkeypatch):
    """A check registered for judging -> closed (as scoring does for "no score exists")
    blocks the move with its message."""
    isolated = {key: dict(checks) for key, checks in lifecycle._PRECONDITIONS.items()}
    monkeypatch.setattr(lifecycle, "_PRECONDITIONS", isolated)

    @lifecycle.register_precondition("judging", "closed")
    async def no_scores(edition):
        return [Blocker("3 scores exist.")]

    edition = make_edition(run, status="judging")
    user = _organizer(app, run)
    with pytest.raises(ValidationError) as caught:
        run(EditionLifecycle().change(user, edition["id"], "closed", "kembali"))
    assert caught.value.errors == {"status": "3 scores exist."}
    assert _status(run, edition["id"]) == "judging"


def test_change_published_can_open_a_correction_and_publish_it_again(app, run):
    """published -> correcting -> published, each with a reason, both logged."""
    edition = make_edition(run, status="published")
    user = _organizer(app, run)
    run(EditionLifecycle().change(user, edition["id"], "correcting", "Nilai juri salah input"))
    run(EditionLifecycle().change(user, edition["id"], "published", "Sudah diperbaiki"))
    log = run(EditionLifecycle().history(user, edition["id"]))
    assert [(r["from_status"], r["to_status"]) for r in log] == [
        ("correcting", "published"),
        ("published", "correcting"),
    ]


def test_change_by_organizer_of_another_edition_is_not_found(app, run):
    """An organizer scoped to another edition cannot see or change this one."""
    from awards.intake.common import NotFoundError

    edition = make_edition(run)
    other = make_edition(run, slug="batu-2026")
    user = run(app.state.accounts.sign_up("lain@batu.example.org", "correct-horse-42"))
    run(app.state.accounts.grant_role(user.id, "organizer", other["id"]))
    user = run(app.state.accounts.load(user.id))
    with pytest.raises(NotFoundError):
        run(EditionLifecycle().change(user, edition["id"], "closed"))


def test_import_refused_when_registration_is_closed(app, run):
    """A valid import into a closed edition writes nothing and says why."""
    edition = make_edition(run, status="closed")
    report = run(bulk.validate_file(edition, CSV.encode(), "paper.csv"))
    assert report.ok
    with use_language("en"), pytest.raises(EditionLockedError) as caught:
        run(bulk.import_rows(edition, report))
    assert caught.value.message == "Importing entries is not possible now: registration is closed."
    assert run(Entry.count()) == 0


def test_import_allowed_while_open(app, run):
    """The same import into an open edition creates the entry."""
    edition = make_edition(run)
    report = run(bulk.validate_file(edition, CSV.encode(), "paper.csv"))
    outcome = run(bulk.import_rows(edition, report))
    assert outcome.created == 1


def test_screening_decision_refused_once_judging_started(app, run, settings):
    """A screening decision in a judging edition is refused with the reason; nothing changes."""
    edition = make_edition(run, status="judging")
    entry_id = make_entry(
        run, edition, categories(run, edition["id"])["kuliner"], make_business(run, "9120000000002")
    )
    user = _organizer(app, run)
    service = ScreeningService(settings, app.state.accounts.mailer)
    with use_language("en"), pytest.raises(EditionLockedError) as caught:
        run(service.decide(user, entry_id, "eligible", ""))
    assert caught.value.message == "Screening is not possible now: judging has started."
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first())
    assert row["screening"] == "pending"


def test_screening_decision_allowed_during_a_correction(app, run, settings):
    """A correction reopens screening."""
    edition = make_edition(run, status="correcting")
    entry_id = make_entry(
        run, edition, categories(run, edition["id"])["kuliner"], make_business(run, "9120000000003")
    )
    user = _organizer(app, run)
    service = ScreeningService(settings, app.state.accounts.mailer)
    run(service.decide(user, entry_id, "ineligible", "Bukan UMKM Kota Malang"))
    row = run(Entry.select(Entry.screening).where(Entry.id == entry_id).first())
    assert row["screening"] == "ineligible"


def test_setup_change_refused_once_published(app, run):
    """Categories cannot be edited in a published edition (the rubric neither)."""
    edition = make_edition(run, status="published")
    kuliner = categories(run, edition["id"])["kuliner"]
    user = _organizer(app, run)
    service = EditionService()
    with pytest.raises(EditionLockedError):
        run(service.update_category(user, kuliner["id"], {**kuliner, "name_id": "Baru"}))
    with pytest.raises(EditionLockedError):
        run(service.remove_criterion(user, kuliner["id"], "kualitas_produk"))


def test_ensure_edition_allows_reads_the_current_status(app, run):
    """The service-level check follows the stored status, not a stale row."""
    edition = make_edition(run)
    run(ensure_edition_allows(edition["id"], Action.import_entries))
    run(Edition.update({Edition.status: "closed"}).where(Edition.id == edition["id"]))
    with pytest.raises(EditionLockedError):
        run(ensure_edition_allows(edition["id"], Action.import_entries))
