"""Manual assignment edits: add or remove a judge with a reason; a change that disconnects the
design (or leaves an entry short, or overloads a judge) is only applied once confirmed."""

from __future__ import annotations

import pytest

from awards.errors import ValidationError
from awards.mail import Mailer
from awards.scoring.common import NotFoundError, ScoringRefusedError
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts, judges
from awards.scoring.rounds import assignment_edits
from awards.scoring.rounds import service as rounds
from awards.scoring.rounds.assignment_edits import ConfirmationNeededError
from awards.scoring.tables import Assignment, Conflict, ScoreSheet
from tests.awards.helpers import outbox_messages
from tests.awards.scoring.support import build_world, full_scores, panel


def _bridge_world(run):
    """Entries 0, 1, 2 judged by {j0, j1}, {j1, j2}, {j2}: j1 on entry 1 links j0 to j2."""
    world = build_world(run, n_entries=3, n_judges=3, k=1, assign=False)
    j0, j1, j2 = (j.id for j in world.judges)
    e0, e1, e2 = world.entries
    pairs = [(e0, j0), (e0, j1), (e1, j1), (e1, j2), (e2, j2)]
    run(
        Assignment.insert(
            *[Assignment(round=world.round_id, entry=e, judge=j, reason="") for e, j in pairs]
        )
    )
    return world


def test_remove_judge_disconnecting_needs_confirmation(run):
    """Removing the bridging judge warns that the judges split into 2 groups and changes
    nothing; confirmed, the assignment is withdrawn with the reason and not replaced."""
    world = _bridge_world(run)
    j1 = world.judges[1].id
    e1 = world.entries[1]
    with pytest.raises(ConfirmationNeededError) as warned:
        run(assignment_edits.remove_judge(world.organizer, world.round_id, e1, j1, "sakit"))
    unchanged = run(panel(world.round_id, e1))
    check = run(
        assignment_edits.remove_judge(
            world.organizer, world.round_id, e1, j1, "sakit", confirm=True
        )
    )
    row = run(
        Assignment.select(Assignment.status, Assignment.reason)
        .where((Assignment.entry == e1) & (Assignment.judge == j1))
        .first()
    )
    assert warned.value.check.disconnects
    assert (warned.value.check.components_before, warned.value.check.components_after) == (1, 2)
    assert unchanged == sorted([j1, world.judges[2].id])
    assert check.disconnects
    assert row == {"status": "withdrawn", "reason": "sakit"}
    assert run(panel(world.round_id, e1)) == [world.judges[2].id]


def test_remove_judge_keeping_connection_applies_without_warning(run):
    """Removing a judge whose entries stay linked otherwise needs no confirmation."""
    world = _bridge_world(run)
    e0, j0 = world.entries[0], world.judges[0].id
    run(
        Assignment.insert(
            Assignment(round=world.round_id, entry=world.entries[2], judge=j0, reason="")
        )
    )
    check = run(assignment_edits.remove_judge(world.organizer, world.round_id, e0, j0, "beban"))
    assert check.warnings == []
    assert run(panel(world.round_id, e0)) == [world.judges[1].id]


def test_remove_judge_below_k_warns(run):
    """Leaving an entry with fewer judges than the round's k asks for confirmation."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    judge = run(panel(world.round_id, entry))[0]
    with pytest.raises(ConfirmationNeededError) as warned:
        run(assignment_edits.remove_judge(world.organizer, world.round_id, entry, judge, "x"))
    assert any("2" in w for w in warned.value.check.warnings)


def test_remove_judge_emails_the_judge(run, settings):
    """The removed judge is told which entry left their list."""
    world = _bridge_world(run)
    j0 = world.judges[0]
    run(
        Assignment.insert(
            Assignment(round=world.round_id, entry=world.entries[2], judge=j0.id, reason="")
        )
    )
    run(
        assignment_edits.remove_judge(
            world.organizer,
            world.round_id,
            world.entries[0],
            j0.id,
            "beban",
            mailer=Mailer(settings),
        )
    )
    mails = outbox_messages(settings.outbox_dir)
    assert [m["To"] for m in mails] == [j0.email]
    assert f"#{world.entries[0]}" in mails[0].get_content()


def test_remove_judge_begun_sheet_recused(run):
    """A removed judge's draft is kept as recused (never counted)."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    judge = world.judge(run(panel(world.round_id, entry))[0])
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(5)), version=0
        )
    )
    run(
        assignment_edits.remove_judge(
            world.organizer, world.round_id, entry, judge.id, "diganti", confirm=True
        )
    )
    sheet = run(ScoreSheet.select(ScoreSheet.status, ScoreSheet.reason).first())
    assert sheet == {"status": "recused", "reason": "diganti"}


def test_add_judge_records_reason_and_emails(run, settings):
    """An added judge's assignment records who and why; the judge is emailed."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    newcomer = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    eligible = run(assignment_edits.eligible_judges(world.organizer, world.round_id, entry))
    run(
        assignment_edits.add_judge(
            world.organizer,
            world.round_id,
            entry,
            newcomer.id,
            "keahlian kemasan",
            mailer=Mailer(settings),
        )
    )
    row = run(
        Assignment.select(Assignment.reason, Assignment.assigned_by, Assignment.status)
        .where((Assignment.entry == entry) & (Assignment.judge == newcomer.id))
        .first()
    )
    assert [e["judge"] for e in eligible] == [newcomer.id]
    assert row == {
        "reason": "keahlian kemasan",
        "assigned_by": world.organizer.id,
        "status": "active",
    }
    assert [m["To"] for m in outbox_messages(settings.outbox_dir)] == [newcomer.email]


def test_add_judge_conflicted_or_present_refused(run):
    """A judge in conflict with the business, or already on the entry, cannot be added; a
    reason is required."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    present = run(panel(world.round_id, entry))[0]
    newcomer = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    run(
        Conflict.insert(
            Conflict(edition=world.edition_id, judge=newcomer.id, business=world.businesses[0])
        )
    )
    for judge in (present, newcomer.id):
        with pytest.raises(ValidationError) as refused:
            run(assignment_edits.add_judge(world.organizer, world.round_id, entry, judge, "x"))
        assert "judge" in refused.value.errors
    with pytest.raises(ValidationError) as missing:
        run(assignment_edits.add_judge(world.organizer, world.round_id, entry, present, " "))
    assert "reason" in missing.value.errors


def test_add_judge_over_capacity_warns(run):
    """Adding a judge beyond their capacity needs confirmation."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    newcomer = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    load = run(Assignment.count().where(Assignment.judge == newcomer.id))
    run(judges.save_profile(world.organizer, world.edition_id, newcomer.id, capacity=load))
    with pytest.raises(ConfirmationNeededError):
        run(assignment_edits.add_judge(world.organizer, world.round_id, entry, newcomer.id, "x"))
    run(
        assignment_edits.add_judge(
            world.organizer, world.round_id, entry, newcomer.id, "x", confirm=True
        )
    )
    assert newcomer.id in run(panel(world.round_id, entry))


def test_assignment_edit_closed_round_refused(run):
    """A closed round's assignments cannot be edited."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    judge = run(panel(world.round_id, entry))[0]
    run(rounds.close_round(world.organizer, world.round_id))
    with pytest.raises(ScoringRefusedError):
        run(
            assignment_edits.remove_judge(
                world.organizer, world.round_id, entry, judge, "x", confirm=True
            )
        )


def test_remove_judge_not_assigned_not_found(run):
    """Removing a judge who is not on the entry is 404."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    outsider = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    with pytest.raises(NotFoundError):
        run(
            assignment_edits.remove_judge(
                world.organizer, world.round_id, entry, outsider.id, "x", confirm=True
            )
        )
