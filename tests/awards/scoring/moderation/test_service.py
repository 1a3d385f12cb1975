"""Moderation: cases by spread and by the engine's standardized residual, and the recorded
actions (add a judge, ask the panel to review, accept)."""

from __future__ import annotations

import pytest

from awards.errors import ValidationError
from awards.mail import Mailer
from awards.scoring.common import ScoringRefusedError, review_open
from awards.scoring.moderation import service as moderation
from awards.scoring.rounds import rules as round_rules
from awards.scoring.tables import Assignment, ModerationAction, ModerationCase
from tests.awards.helpers import outbox_messages
from tests.awards.scoring.support import build_world, panel, score_round


def _rules(run, world, spread="25", residual="2.5"):
    run(
        round_rules.set_round_rules(
            world.organizer,
            world.round_id,
            {"spread_threshold": spread, "residual_threshold": residual},
        )
    )


def _outlier_world(run):
    """Six entries, four judges scoring all; judge 0 gives the first entry 10 where the others
    give 4 (one score far from what the engine's model expects)."""
    world = build_world(run, n_entries=6, n_judges=4, k=4)
    first = world.entries[0]
    score_round(run, world, lambda j, e: 10 if (j == 0 and e == first) else 4 + e % 3)
    return world


def _disagree(run, world):
    """The first judge of the first entry gives it 2, everything else gets 9."""
    harsh = run(panel(world.round_id, world.entries[0]))[0]
    first = world.entries[0]
    score_round(run, world, lambda j, e: 2 if (world.judges[j].id == harsh and e == first) else 9)


def test_moderation_queue_residual_opens_case_with_metric(run):
    """With the spread threshold out of reach, the engine's standardized residual alone opens a
    case (reason residual, metric the largest |r|); entries within the threshold open none."""
    world = _outlier_world(run)
    _rules(run, world, spread="99")
    cases = run(moderation.moderation_queue(world.organizer, world.round_id))
    judges = run(moderation.case_detail(world.organizer, cases[0]["id"]))["judges"]
    judge0 = next(j for j in judges if j["judge"] == world.judges[0].id)
    assert [(c["entry"], c["reason"]) for c in cases] == [(world.entries[0], "residual")]
    assert cases[0]["metric"] == pytest.approx(abs(judge0["std_residual"]))
    assert cases[0]["metric"] >= 2.5


def test_moderation_queue_residual_threshold_per_round(run):
    """Raising the round's residual threshold above the outlier's |r| opens no case."""
    world = _outlier_world(run)
    _rules(run, world, spread="99", residual="10")
    assert run(moderation.moderation_queue(world.organizer, world.round_id)) == []


def test_moderation_queue_spread_reason_when_both(run):
    """An entry beyond both thresholds is recorded once, with reason spread and its spread."""
    world = _outlier_world(run)
    cases = run(moderation.moderation_queue(world.organizer, world.round_id))
    again = run(moderation.moderation_queue(world.organizer, world.round_id))
    assert [(c["entry"], c["reason"]) for c in cases] == [(world.entries[0], "spread")]
    assert cases[0]["metric"] == pytest.approx(max(cases[0]["totals"]) - min(cases[0]["totals"]))
    assert max(cases[0]["totals"]) == 100
    assert cases[0]["residual"] >= 2.5
    assert len(again) == 1
    assert run(ModerationCase.count()) == 1


def test_act_on_case_records_every_action_who_when_note(run, settings):
    """Review (note required) and add a judge keep the case open; accept resolves it; each is
    recorded with who, when and the note; review emails the panel a link to the discussion."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _disagree(run, world)
    cases = run(moderation.moderation_queue(world.organizer, world.round_id))
    case = next(c for c in cases if c["entry"] == world.entries[0])
    with pytest.raises(ValidationError):
        run(moderation.act_on_case(world.organizer, case["id"], "review", ""))
    run(
        moderation.act_on_case(
            world.organizer, case["id"], "review", "Mohon cek ulang", mailer=Mailer(settings)
        )
    )
    open_review = run(review_open(world.round_id, world.entries[0]))
    before = run(panel(world.round_id, world.entries[0]))
    added = run(moderation.act_on_case(world.organizer, case["id"], "add_judge", "pendapat ketiga"))
    after = run(panel(world.round_id, world.entries[0]))
    run(moderation.act_on_case(world.organizer, case["id"], "accept", "sudah sesuai"))
    record = run(moderation.case_actions(case["id"]))
    stored = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    mails = outbox_messages(settings.outbox_dir)
    assert open_review is True
    assert added not in before
    assert sorted([*before, added]) == after
    assert [(a["action"], a["note"], a["actor"]) for a in record] == [
        ("review", "Mohon cek ulang", world.organizer.id),
        ("add_judge", "pendapat ketiga", world.organizer.id),
        ("accept", "sudah sesuai", world.organizer.id),
    ]
    assert record[1]["judge"] == added
    assert all(a["created_at"] is not None for a in record)
    assert (stored["status"], stored["resolution"], stored["resolved_by"]) == (
        "resolved",
        "accept",
        world.organizer.id,
    )
    assert run(review_open(world.round_id, world.entries[0])) is False
    assert len(mails) == 2
    assert f"/entries/{world.entries[0]}/discussion" in mails[0].get_content()
    reason = run(
        Assignment.select(Assignment.reason)
        .where((Assignment.entry == world.entries[0]) & (Assignment.judge == added))
        .first()
    )["reason"]
    assert reason.startswith(f"moderation case {case['id']}")


def test_act_on_case_resolved_refused(run):
    """A resolved case takes no further action."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    score_round(run, world, lambda j, e: 2 if (j == 0 and e == world.entries[0]) else 9)
    case = run(moderation.moderation_queue(world.organizer, world.round_id))[0]
    run(moderation.act_on_case(world.organizer, case["id"], "accept"))
    with pytest.raises(ScoringRefusedError):
        run(moderation.act_on_case(world.organizer, case["id"], "review", "lagi"))
    assert run(ModerationAction.count()) == 1


def test_act_on_case_add_judge_none_left_refused(run):
    """With every judge already on the entry, adding a judge is refused and nothing recorded."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    score_round(run, world, lambda j, e: 2 if (j == 0 and e == world.entries[0]) else 9)
    case = run(moderation.moderation_queue(world.organizer, world.round_id))[0]
    with pytest.raises(ScoringRefusedError):
        run(moderation.act_on_case(world.organizer, case["id"], "add_judge"))
    assert run(ModerationAction.count()) == 0


def test_act_on_case_other_organizer_not_found(run):
    """An organizer of another edition cannot see or act on the case."""
    from awards.accounts.identity import CurrentUser
    from awards.scoring.common import NotFoundError

    world = build_world(run, n_entries=4, n_judges=2, k=2)
    score_round(run, world, lambda j, e: 2 if (j == 0 and e == world.entries[0]) else 9)
    case = run(moderation.moderation_queue(world.organizer, world.round_id))[0]
    stranger = CurrentUser(
        world.organizer.id, "x@example.com", "x", "id", 1, frozenset({("organizer", 99999)})
    )
    with pytest.raises(NotFoundError):
        run(moderation.act_on_case(stranger, case["id"], "accept"))
    with pytest.raises(NotFoundError):
        run(moderation.case_detail(stranger, case["id"]))


def _revise(run, world, entry, judge_id, value):
    """The judge revises (and resubmits) their submitted sheet of ``entry`` with ``value``."""
    from awards.scoring.judge import sheets
    from awards.scoring.judge.sheets import SheetInput
    from awards.scoring.tables import ScoreSheet
    from tests.awards.scoring.support import full_scores

    version = run(
        ScoreSheet.select(ScoreSheet.version)
        .where((ScoreSheet.entry == entry) & (ScoreSheet.judge == judge_id))
        .first()
    )["version"]
    run(
        sheets.save_sheet(
            world.judge(judge_id),
            world.round_id,
            entry,
            SheetInput(scores=full_scores(value)),
            version=version,
            submit=True,
        )
    )


def _accepted_case(run, world):
    """The spread case of the first entry (harsh judge: 2, the other: 9), accepted."""
    score_round(run, world, lambda j, e: 2 if (j == 0 and e == world.entries[0]) else 9)
    case = run(moderation.moderation_queue(world.organizer, world.round_id))[0]
    run(moderation.act_on_case(world.organizer, case["id"], "accept", "wajar"))
    return case


def test_accepted_case_reopens_when_scores_change_and_still_disagree(run):
    """A sheet revised after the acceptance that leaves the spread beyond the threshold with
    another size reopens the case (new metric, no resolution), records ``reopened`` by the
    system, and the queue lists it open and marked reopened."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    case = _accepted_case(run, world)
    harsh = world.judges[0].id
    _revise(run, world, world.entries[0], harsh, 4)
    queue = run(moderation.moderation_queue(world.organizer, world.round_id))
    again = run(moderation.moderation_queue(world.organizer, world.round_id))
    stored = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    record = run(moderation.case_actions(case["id"]))
    listed = next(c for c in queue if c["id"] == case["id"])
    new_spread = 100 * 8 / 9 - 100 * 3 / 9
    assert (stored["status"], stored["resolution"], stored["resolved_at"]) == ("open", "", None)
    assert (stored["reason"], stored["metric"]) == ("spread", pytest.approx(new_spread))
    assert [(a["action"], a["actor"]) for a in record] == [
        ("accept", world.organizer.id),
        ("reopened", None),
    ]
    assert record[1]["note"] == f"spread {case['metric']:.2f} -> {new_spread:.2f}"
    assert (listed["status"], listed["reopened"]) == ("open", True)
    assert [c["reopened"] for c in again if c["id"] == case["id"]] == [True]
    assert run(ModerationAction.count().where(ModerationAction.action == "reopened")) == 1


def test_accepted_case_stays_resolved_without_score_changes(run):
    """After the acceptance, a lower threshold and another entry's revised scores leave the
    case resolved: its entry's scores did not change."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    case = _accepted_case(run, world)
    _rules(run, world, spread="5")
    other = world.entries[1]
    judge = run(panel(world.round_id, other))[0]
    _revise(run, world, other, judge, 3)
    run(moderation.moderation_queue(world.organizer, world.round_id))
    stored = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    assert (stored["status"], stored["resolution"]) == ("resolved", "accept")
    assert run(ModerationAction.count().where(ModerationAction.action == "reopened")) == 0


def test_accepted_case_stays_resolved_when_the_metric_is_unchanged_or_agreement_reached(run):
    """A resubmission with the same scores (same spread), and then a revision that brings
    the totals within the threshold, leave the accepted case resolved."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    case = _accepted_case(run, world)
    harsh = world.judges[0].id
    _revise(run, world, world.entries[0], harsh, 2)
    run(moderation.moderation_queue(world.organizer, world.round_id))
    same = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    _revise(run, world, world.entries[0], harsh, 9)
    run(moderation.moderation_queue(world.organizer, world.round_id))
    agreed = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    assert same["status"] == "resolved"
    assert agreed["status"] == "resolved"
    assert run(ModerationAction.count().where(ModerationAction.action == "reopened")) == 0


def test_reopened_case_accepted_again_does_not_flap(run):
    """Accepting a reopened case records the new metric; without further changes it stays
    resolved on the next queue runs."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    case = _accepted_case(run, world)
    _revise(run, world, world.entries[0], world.judges[0].id, 4)
    run(moderation.moderation_queue(world.organizer, world.round_id))
    run(moderation.act_on_case(world.organizer, case["id"], "accept", "tetap wajar"))
    for _ in range(2):
        run(moderation.moderation_queue(world.organizer, world.round_id))
    stored = run(ModerationCase.select().where(ModerationCase.id == case["id"]).first())
    assert stored["status"] == "resolved"
    assert [a["action"] for a in run(moderation.case_actions(case["id"]))] == [
        "accept",
        "reopened",
        "accept",
    ]
