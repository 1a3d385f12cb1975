"""The panel's discussion inside a moderation case: only the entry's judges, only while the
case is open with a review requested, only after their own submission; nobody else ever sees
another judge's scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awards.scoring.common import NotFoundError, ScoringRefusedError
from awards.scoring.judge import discussion, queries, sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.moderation import service as moderation
from awards.scoring.panel import conflicts
from awards.scoring.tables import Assignment, ScoringRound
from tests.awards.scoring.support import CRITERIA, assigned_entries, build_world, full_scores, panel


def _submit(run, world, judge, entry, value, comment=""):
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    return run(
        sheets.save_sheet(
            judge,
            world.round_id,
            entry,
            SheetInput(
                scores=full_scores(value),
                comments={CRITERIA[0]: comment} if comment else {},
                private_note=f"rahasia {judge.id}",
            ),
            version=0,
            submit=True,
        )
    )


def _case_in_review(run, world, review=True):
    """Entry 0's two judges disagree (2 vs 9) and the organizer asks them to review."""
    entry = world.entries[0]
    first, second = run(panel(world.round_id, entry))
    _submit(run, world, world.judge(first), entry, 2, "kemasan kurang rapi")
    _submit(run, world, world.judge(second), entry, 9, "sangat baik")
    case = run(moderation.moderation_queue(world.organizer, world.round_id))[0]
    if review:
        run(moderation.act_on_case(world.organizer, case["id"], "review", "Mohon cek ulang"))
    return case, world.judge(first), world.judge(second), entry


def test_discussion_shows_panel_scores_during_review(run):
    """Each judge of the entry sees both submitted sheets (scores, comments), the note, and
    the others labelled by letter; the private notes never appear."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, second, entry = _case_in_review(run, world)
    seen = run(discussion.panel_discussion(first, world.round_id, entry))
    theirs = run(discussion.panel_discussion(second, world.round_id, entry)).as_dict()
    data = seen.as_dict()
    assert sorted((m["judge"], m["total"]) for m in theirs["members"])[1][0] == "you"
    assert [n["note"] for n in data["notes"]] == ["Mohon cek ulang"]
    assert sorted((m["judge"], m["scores"][CRITERIA[0]]) for m in data["members"]) == [
        ("A", 9),
        ("you", 2),
    ]
    assert {m["comments"].get(CRITERIA[0]) for m in data["members"]} == {
        "kemasan kurang rapi",
        "sangat baik",
    }
    assert "rahasia" not in repr(data)
    assert seen.accepting is True


def test_discussion_missing_without_review(run):
    """An open case without a review request shows the judges nothing."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, _second, entry = _case_in_review(run, world, review=False)
    with pytest.raises(NotFoundError):
        run(discussion.panel_discussion(first, world.round_id, entry))


def test_discussion_missing_for_other_judges_and_entries(run):
    """A judge of the round who is not on the entry gets 404, and a panel judge gets 404 on
    their other entries; their own entry view never carries other sheets."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, _second, entry = _case_in_review(run, world)
    outsider = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    other_entry = next(e for e in run(assigned_entries(world.round_id, first.id)) if e != entry)
    with pytest.raises(NotFoundError):
        run(discussion.panel_discussion(outsider, world.round_id, entry))
    with pytest.raises(NotFoundError):
        run(discussion.panel_discussion(first, world.round_id, other_entry))
    view = run(queries.judge_entry(first, world.round_id, entry))
    assert view.sheet.scores == full_scores(2)


def test_discussion_closed_after_accept(run):
    """Once the case is accepted the discussion is gone (404)."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    case, first, _second, entry = _case_in_review(run, world)
    run(moderation.act_on_case(world.organizer, case["id"], "accept", "ok"))
    with pytest.raises(NotFoundError):
        run(discussion.panel_discussion(first, world.round_id, entry))


def test_discussion_requires_own_submission(run):
    """A judge added to the entry during the case sees nothing until their own submission."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    case, _first, _second, entry = _case_in_review(run, world)
    added = run(moderation.act_on_case(world.organizer, case["id"], "add_judge"))
    newcomer = world.judge(added)
    run(conflicts.declare(newcomer, world.round_id, entry, conflict=False))
    with pytest.raises(ScoringRefusedError):
        run(discussion.panel_discussion(newcomer, world.round_id, entry))
    _ = run(
        sheets.save_sheet(
            newcomer,
            world.round_id,
            entry,
            SheetInput(scores=full_scores(6)),
            version=0,
            submit=True,
        )
    )
    seen = run(discussion.panel_discussion(newcomer, world.round_id, entry))
    assert len(seen.members) == 3


def test_discussion_withdrawn_judge_not_found(run):
    """A judge removed from the entry loses the discussion."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, _second, entry = _case_in_review(run, world)
    run(
        Assignment.update({Assignment.status: "withdrawn"}).where(
            (Assignment.entry == entry) & (Assignment.judge == first.id)
        )
    )
    with pytest.raises(NotFoundError):
        run(discussion.panel_discussion(first, world.round_id, entry))


def test_review_revises_locked_sheet_while_open(run):
    """With sheets locked right after submission, a review lets the panel re-submit; another
    entry's submitted sheet stays locked."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    run(ScoringRound.update({ScoringRound.lock_minutes: 0}).where(ScoringRound.id > 0))
    _case, first, _second, entry = _case_in_review(run, world)
    revised = run(
        sheets.save_sheet(
            first, world.round_id, entry, SheetInput(scores=full_scores(7)), version=1, submit=True
        )
    )
    other = next(e for e in run(assigned_entries(world.round_id, first.id)) if e != entry)
    _submit(run, world, first, other, 5)
    with pytest.raises(ScoringRefusedError):
        run(
            sheets.save_sheet(
                first, world.round_id, other, SheetInput(scores=full_scores(6)), version=1
            )
        )
    assert (revised.status, revised.version, revised.scores) == ("submitted", 2, full_scores(7))


def test_review_after_close_refuses_revision(run):
    """After the round's close time the discussion is still readable but saves are refused."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, _second, entry = _case_in_review(run, world)
    from awards.scoring.common import RoundClosedError

    later = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(RoundClosedError):
        run(
            sheets.save_sheet(
                first,
                world.round_id,
                entry,
                SheetInput(scores=full_scores(7)),
                version=1,
                now=later,
            )
        )


def test_dashboard_marks_review_requested_only_for_the_panel(client, run):
    """The panel's judges see "review requested" (and the discussion link) on the entry in
    their queue; a judge of the round off that panel, and the entry before the review, do not."""
    from tests.awards.helpers import login

    world = build_world(run, n_entries=4, n_judges=3, k=2)
    case, first, second, entry = _case_in_review(run, world, review=False)
    before = run(queries.judge_queue(first))[0]
    run(moderation.act_on_case(world.organizer, case["id"], "review", "Mohon cek ulang"))
    outsider = next(j for j in world.judges if j.id not in (first.id, second.id))
    flags = {
        judge.id: {item.entry_id: item.review for item in run(queries.judge_queue(judge))[0].items}
        for judge in (first, second, outsider)
    }
    login(client, first.email)
    page = client.get("/judge/")
    assert not any(item.review for item in before.items)
    assert flags[first.id][entry]
    assert flags[second.id][entry]
    assert [e for e, review in flags[first.id].items() if review] == [entry]
    assert not any(flags[outsider.id].values())
    assert page.text.count("Peninjauan diminta") == 1
    assert f"/judge/rounds/{world.round_id}/entries/{entry}/discussion" in page.text
