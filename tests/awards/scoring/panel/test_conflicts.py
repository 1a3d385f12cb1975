"""Conflicts, declarations, abstentions and recusals: recorded, excluded, reassigned keeping k."""

from __future__ import annotations

import pytest

from awards.errors import ValidationError
from awards.scoring.common import NotFoundError
from awards.scoring.judge import queries, sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.tables import Conflict, ScoreSheet
from tests.awards.scoring.support import (
    assigned_entries,
    build_world,
    full_scores,
    panel,
)


def test_declared_conflict_removes_entry_and_keeps_k(run):
    """A judge declaring a conflict loses the entry (404), the conflict is recorded against the
    business, and another judge takes it so the entry keeps k judges."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=True, reason="tetangga"))
    after = run(panel(world.round_id, entry))
    recorded = run(Conflict.select(Conflict.judge, Conflict.source, Conflict.reason))
    assert len(after) == 2
    assert judge.id not in after
    assert recorded == [{"judge": judge.id, "source": "declared", "reason": "tetangga"}]
    with pytest.raises(NotFoundError):
        run(queries.judge_entry(judge, world.round_id, entry))
    statuses = {
        item.entry_id: item.status
        for queue in run(queries.judge_queue(judge))
        for item in queue.items
    }
    assert statuses[entry] == "conflict_declared"


def test_declared_conflict_needs_reason(run):
    """A conflict without a reason is refused on the reason field."""
    world = build_world(run)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    with pytest.raises(ValidationError) as refused:
        run(conflicts.declare(judge, world.round_id, entry, conflict=True, reason=" "))
    assert set(refused.value.errors) == {"reason"}


def test_abstention_recorded_excluded_and_reassigned(run):
    """An abstention keeps its draft as an abstained sheet (never counted), and the entry goes
    to another judge."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[1]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"kemasan": 4}), version=0
        )
    )
    new_judge = run(conflicts.abstain(judge, world.round_id, entry, "tidak menguasai bidang"))
    sheet = run(ScoreSheet.select().where(ScoreSheet.judge == judge.id).first())
    assert (sheet["status"], sheet["reason"], sheet["version"]) == (
        "abstained",
        "tidak menguasai bidang",
        2,
    )
    assert new_judge not in (None, judge.id)
    assert len(run(panel(world.round_id, entry))) == 2


def test_recusal_by_organizer_recorded_and_reassigned(run):
    """An organizer's recusal creates a recused sheet and reassigns; the judge loses access."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[2]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.recuse(world.organizer, world.round_id, entry, judge.id, "konflik usaha"))
    sheet = run(ScoreSheet.select(ScoreSheet.status).where(ScoreSheet.judge == judge.id).first())
    assert sheet == {"status": "recused"}
    assert judge.id not in run(panel(world.round_id, entry))
    assert len(run(panel(world.round_id, entry))) == 2
    with pytest.raises(NotFoundError):
        run(sheets.read_sheet(judge, world.round_id, entry))


def test_late_organizer_conflict_recuses_submitted_sheet(run):
    """A conflict entered after the judge submitted recuses that sheet and reassigns."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    business = world.businesses[world.entries.index(entry)]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(7)), version=0, submit=True
        )
    )
    taken = run(
        conflicts.add_conflict(
            world.organizer, world.edition_id, judge.id, business, "istri pemilik"
        )
    )
    sheet = run(ScoreSheet.select(ScoreSheet.status).where(ScoreSheet.judge == judge.id).first())
    assert sheet == {"status": "recused"}
    assert len(taken) == 1
    assert len(run(panel(world.round_id, entry))) == 2


def test_reassignment_notifies_new_judge(run, settings):
    """The judge who takes over an entry gets an email."""
    from awards.mail import Mailer
    from tests.awards.helpers import outbox_messages

    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    new_judge = run(conflicts.abstain(judge, world.round_id, entry, "sakit", Mailer(settings)))
    messages = outbox_messages(settings.outbox_dir)
    assert [m["To"] for m in messages] == [
        f"judge{world.judges.index(world.judge(new_judge))}@example.com"
    ]
