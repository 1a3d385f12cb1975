"""What a judge sees: queue, entry view, attachments; blind mode hides identity."""

from __future__ import annotations

import pytest

from awards.intake.tables import Attachment
from awards.scoring.common import NotFoundError
from awards.scoring.judge import queries, sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.tables import Conflict
from tests.awards.scoring.support import assigned_entries, build_world, full_scores


def _attach(run, world, entry, name="foto-usaha-00.jpg"):
    business = world.businesses[world.entries.index(entry)]
    rows = run(
        Attachment.insert(
            Attachment(
                entry=entry,
                business=business,
                field_key="photos",
                storage_key=f"k-{entry}-{name}",
                original_name=name,
                content_type="image/jpeg",
                size_bytes=10,
                sha256="0" * 64,
            )
        ).returning(Attachment.id)
    )
    return rows[0]["id"]


def test_queue_lists_status_progress_and_resume(run):
    """The queue shows each assigned entry's status, the progress and where to continue."""
    world = build_world(run, n_entries=6, n_judges=3, k=2)
    judge = world.judges[0]
    mine = run(assigned_entries(world.round_id, judge.id))
    for entry in mine[:2]:
        run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, mine[0], SheetInput(scores=full_scores()), version=0, submit=True
        )
    )
    run(
        sheets.save_sheet(
            judge, world.round_id, mine[1], SheetInput(scores={"kemasan": 3}), version=0
        )
    )
    [queue] = run(queries.judge_queue(judge))
    statuses = [item.status for item in queue.items]
    assert statuses == ["submitted", "draft"] + ["not_started"] * (len(mine) - 2)
    assert queue.percent == round(100 / len(mine))
    assert queue.resume.entry_id == mine[1]
    assert queue.accepting


def test_entry_before_declaration_shows_only_name_and_owner(run):
    """Until the judge answers, the entry view has only the business's name and owner."""
    world = build_world(run)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    view = run(queries.judge_entry(judge, world.round_id, entry))
    assert view.declared is False
    assert set(view.business) == {"name", "owner_name"}
    assert (view.answers, view.attachments) == ([], [])


def test_blind_round_hides_identity_and_file_names(run):
    """In a blind round the title, business identity fields and attachment names are hidden."""
    world = build_world(run, blind=True)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    attachment = _attach(run, world, entry)
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    view = run(queries.judge_entry(judge, world.round_id, entry))
    row = run(queries.judge_attachment(judge, world.round_id, entry, attachment))
    [queue] = run(queries.judge_queue(judge))
    text = repr((view.title, view.business, view.attachments, [i.label for i in queue.items]))
    for secret in ("Usaha", "Pemilik", "foto-usaha"):
        assert secret not in text
    assert "081234567890" not in text
    assert view.business == {"district": "Klojen", "sector": "kuliner"}
    assert row["original_name"].startswith("Lampiran 1") or row["original_name"].startswith(
        "Attachment 1"
    )


def test_unassigned_attachment_is_not_found(run):
    """A judge cannot fetch an attachment of an entry not assigned to them."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    mine = set(run(assigned_entries(world.round_id, judge.id)))
    other = next(e for e in world.entries if e not in mine)
    attachment = _attach(run, world, other)
    with pytest.raises(NotFoundError):
        run(queries.judge_attachment(judge, world.round_id, other, attachment))
    with pytest.raises(NotFoundError):
        run(queries.judge_entry(judge, world.round_id, other))


def test_entry_next_entry_skips_submitted_and_wraps(run):
    """The next entry is the first later assigned entry without a submitted sheet (a draft
    does not count), wrapping to the earliest; None when every other entry is submitted."""
    world = build_world(run, n_entries=6, n_judges=3, k=2)
    judge = world.judges[0]
    mine = run(assigned_entries(world.round_id, judge.id))
    assert len(mine) >= 3
    for entry in mine:
        run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, mine[1], SheetInput(scores=full_scores()), version=0, submit=True
        )
    )
    run(
        sheets.save_sheet(
            judge, world.round_id, mine[2], SheetInput(scores={"kemasan": 3}), version=0
        )
    )

    def after(entry):
        return run(queries.judge_entry(judge, world.round_id, entry)).next_entry

    assert after(mine[0]) == mine[2]
    assert after(mine[-1]) == mine[0]
    for entry in mine[2:]:
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                entry,
                SheetInput(scores=full_scores()),
                version=run(sheets.read_sheet(judge, world.round_id, entry)).version,
                submit=True,
            )
        )
    assert after(mine[0]) is None


def test_conflict_with_business_hides_entry_from_every_judge_read(run):
    """A conflict between the judge and the entry's business (however recorded) makes the
    entry, its sheet and a save answer not found, and takes the entry off the queue."""
    world = build_world(run, n_entries=6, n_judges=3, k=2)
    judge = world.judges[0]
    entry, other = run(assigned_entries(world.round_id, judge.id))[:2]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    business = world.businesses[world.entries.index(entry)]
    run(
        Conflict.insert(
            Conflict(edition=world.edition_id, judge=judge.id, business=business, reason="x")
        )
    )
    with pytest.raises(NotFoundError):
        run(queries.judge_entry(judge, world.round_id, entry))
    with pytest.raises(NotFoundError):
        run(sheets.read_sheet(judge, world.round_id, entry))
    with pytest.raises(NotFoundError):
        run(sheets.save_sheet(judge, world.round_id, entry, SheetInput(), version=0))
    [queue] = run(queries.judge_queue(judge))
    listed = [item.entry_id for item in queue.items]
    assert entry not in listed
    assert other in listed
