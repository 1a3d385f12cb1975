"""Rounds: rubric copied and versioned at open, times in the edition's zone, entrants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awards.errors import ValidationError
from awards.intake.tables import Category, Edition
from awards.scoring.common import NotFoundError, ScoringRefusedError
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import service as rounds
from awards.scoring.rules import rubric_snapshot
from awards.scoring.tables import RoundEntry, ScoringRound
from tests.awards.scoring.support import assigned_entries, build_world, quick_user


def _round(run, round_id):
    return run(
        ScoringRound.select().where(ScoringRound.id == round_id).output(load_json=True).first()
    )


def test_open_round_copies_rubric_with_hash(run):
    """Opening copies the category's rubric (version 1, SHA-256 of its canonical JSON)."""
    world = build_world(run, assign=False)
    category = run(Category.select(Category.rubric).output(load_json=True).first())
    row = _round(run, world.round_id)
    assert (row["status"], row["rubric_version"]) == ("open", 1)
    assert (row["rubric"], row["rubric_hash"]) == rubric_snapshot(category["rubric"])


def test_open_round_refused_unless_edition_in_judging(run):
    """A round of an edition that is not in judging cannot open."""
    world = build_world(run, open_round=False, assign=False)
    run(Edition.update({Edition.status: "closed"}).where(Edition.id == world.edition_id))
    with pytest.raises(ScoringRefusedError):
        run(rounds.open_round(world.organizer, world.round_id))
    assert _round(run, world.round_id)["status"] == "draft"


def test_category_rubric_change_after_open_leaves_round_copy(run):
    """Editing the category's rubric after opening does not change the round's copy; renewing
    makes version 2 while nothing is scored, and is refused after the first score."""
    world = build_world(run)
    copy = _round(run, world.round_id)["rubric"]
    changed = {**copy, "criteria": copy["criteria"][:2]}
    run(Category.update({Category.rubric: changed}).where(Category.id == world.category_id))
    assert _round(run, world.round_id)["rubric"] == copy
    assert run(rounds.refresh_rubric(world.organizer, world.round_id)) == 2
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    key = changed["criteria"][0]["key"]
    run(sheets.save_sheet(judge, world.round_id, entry, SheetInput(scores={key: 3}), version=0))
    with pytest.raises(ScoringRefusedError):
        run(rounds.refresh_rubric(world.organizer, world.round_id))
    assert _round(run, world.round_id)["rubric_version"] == 2


def test_round_times_read_in_edition_time_zone(run):
    """A naive 08:00 in Asia/Jakarta (UTC+7) is stored as 01:00 UTC."""
    world = build_world(run, open_round=False, assign=False)
    round_id = run(
        rounds.create_round(
            world.organizer,
            world.category_id,
            kind="final",
            opens_at=datetime(2027, 1, 10, 8, 0),
            closes_at=datetime(2027, 1, 20, 17, 0),
        )
    )
    row = _round(run, round_id)
    assert row["opens_at"] == datetime(2027, 1, 10, 1, 0, tzinfo=UTC)
    assert row["closes_at"] == datetime(2027, 1, 20, 10, 0, tzinfo=UTC)


def test_create_round_refuses_close_before_open_and_duplicate_kind(run):
    """Errors name the field: closes_at before opens_at, a second screening round."""
    world = build_world(run, open_round=False, assign=False)
    now = datetime.now(UTC)
    with pytest.raises(ValidationError) as refused:
        run(
            rounds.create_round(
                world.organizer, world.category_id, opens_at=now, closes_at=now - timedelta(1)
            )
        )
    assert set(refused.value.errors) == {"closes_at", "kind"}


def test_rounds_hidden_from_other_editions_organizers(run):
    """An organizer of another edition cannot see or open the round (404)."""
    world = build_world(run, open_round=False, assign=False)
    outsider = quick_user(run, "other-org@example.com")
    scoped = outsider.__class__(**{**outsider.__dict__, "grants": frozenset({("organizer", 999)})})
    with pytest.raises(NotFoundError):
        run(rounds.open_round(scoped, world.round_id))


def test_manual_entrants_need_reason_and_eligible_entries(run):
    """A manual list needs a reason, and only eligible entries of the category; anchors must
    be entrants."""
    world = build_world(run, open_round=False, assign=False)
    with pytest.raises(ValidationError) as no_reason:
        run(
            rounds.set_entrants(
                world.organizer, world.round_id, "manual", entry_ids=world.entries[:2]
            )
        )
    chosen = run(
        rounds.set_entrants(
            world.organizer,
            world.round_id,
            "manual",
            entry_ids=world.entries[:3],
            reason="kurasi panitia",
            anchors=[world.entries[0]],
            anchors_excluded=True,
        )
    )
    rows = run(
        RoundEntry.select().where(RoundEntry.round == world.round_id).order_by(RoundEntry.entry)
    )
    assert set(no_reason.value.errors) == {"reason"}
    assert chosen == world.entries[:3]
    assert [(r["source"], r["anchor"], r["anchor_excluded"]) for r in rows] == [
        ("manual", True, True),
        ("manual", False, False),
        ("manual", False, False),
    ]
