"""Freezing and verifying category results: reproducible, immutable, hashed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from awards.intake.editions.lifecycle import EditionLockedError
from awards.results import snapshots
from awards.results.tables import Placement, ResultSnapshot
from awards.scoring.common import ScoringRefusedError
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import ScoreSheet, SheetRevision
from tests.awards.results.support import score_everything, scored_world
from tests.awards.scoring.support import build_world


def test_freeze_stores_snapshot_and_verify_reproduces_it(run):
    """A frozen snapshot re-runs to the same ranking, places and rounded scores."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    snap = run(ResultSnapshot.select().where(ResultSnapshot.id == frozen.snapshot_id).first())
    placements = run(Placement.select().where(Placement.snapshot == frozen.snapshot_id))
    result = run(snapshots.verify(frozen.snapshot_id))

    assert frozen.version == 1
    assert snap["seed"] == 0
    assert snap["method"] == "calibrated"
    assert len(placements) == len(world.entries)
    assert sorted(p["place"] for p in placements) == list(range(1, len(world.entries) + 1))
    assert [p["tier"] for p in sorted(placements, key=lambda p: p["place"])][:6] == [
        "juara-1", "juara-2", "juara-3", "harapan-1", "harapan-2", "harapan-3"
    ]  # fmt: skip
    manifest = json.loads(snap["manifest"])
    assert manifest["inputs"]["hash"] == snap["inputs_hash"]
    assert manifest["inputs"]["entries"] == len(world.entries)
    assert result.ok
    assert not result.inputs_changed
    assert result.differences == []


def test_freeze_twice_gives_same_content_except_version(run):
    """Two freezes of the same inputs give the same placements; versions count up."""
    world = scored_world(run)
    first = run(snapshots.freeze(world.organizer, world.category_id))
    second = run(snapshots.freeze(world.organizer, world.category_id))

    def rows(sid):
        return run(
            Placement.select(Placement.entry, Placement.place, Placement.score, Placement.tier)
            .where(Placement.snapshot == sid)
            .order_by(Placement.place)
        )

    assert (first.version, second.version) == (1, 2)
    assert rows(first.snapshot_id) == rows(second.snapshot_id)


def test_frozen_snapshot_rows_cannot_be_changed(run):
    """The database refuses updates and deletes of frozen snapshots and placements."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    with pytest.raises(Exception, match="immutable"):
        run(
            ResultSnapshot.update({ResultSnapshot.seed: 5}).where(
                ResultSnapshot.id == frozen.snapshot_id
            )
        )
    with pytest.raises(Exception, match="immutable"):
        run(Placement.delete().where(Placement.snapshot == frozen.snapshot_id))
    assert run(Placement.count().where(Placement.snapshot == frozen.snapshot_id)) == 8


def test_verify_reports_changed_inputs_when_history_tampered(run):
    """A sheet and its history both changed behind the service: verify says the inputs
    changed (neither the current sheets nor their history reproduce the frozen inputs)."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    sheet = run(ScoreSheet.select(ScoreSheet.id, ScoreSheet.scores).output(load_json=True).first())
    scores = dict.fromkeys(sheet["scores"], 1)
    run(ScoreSheet.update({ScoreSheet.scores: scores}).where(ScoreSheet.id == sheet["id"]))
    history = SheetRevision.select().where(SheetRevision.sheet == sheet["id"])
    for rev in run(history.output(load_json=True)):
        value = {**rev["new_value"], "scores": scores}
        run(
            SheetRevision.update({SheetRevision.new_value: value}).where(
                SheetRevision.id == rev["id"]
            )
        )
    result = run(snapshots.verify(frozen.snapshot_id))
    assert not result.ok
    assert result.inputs_changed


def test_verify_reproduces_frozen_ranking_after_sheet_changed_without_revision(run):
    """A sheet changed in the database alone: the history still rebuilds the frozen inputs."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    sheet = run(ScoreSheet.select(ScoreSheet.id, ScoreSheet.scores).output(load_json=True).first())
    scores = dict.fromkeys(sheet["scores"], 1)
    run(ScoreSheet.update({ScoreSheet.scores: scores}).where(ScoreSheet.id == sheet["id"]))
    result = run(snapshots.verify(frozen.snapshot_id))
    assert result.ok
    assert result.corrected_since


def test_verify_reproduces_frozen_ranking_after_recusal(run):
    """A submitted sheet recused after the freeze (a revision is written): verify rebuilds the
    inputs as of ``frozen_at`` and reproduces the frozen ranking; today's inputs differ."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    snap = run(ResultSnapshot.select().where(ResultSnapshot.id == frozen.snapshot_id).first())
    sheet = run(ScoreSheet.select().where(ScoreSheet.status == "submitted").first())
    revisions = run(SheetRevision.count().where(SheetRevision.sheet == sheet["id"]))
    judge = sheet["judge"]
    run(conflicts.recuse(world.organizer, world.round_id, sheet["entry"], judge, "Kerabat"))
    round_row = run(snapshots.final_round(world.category_id))
    current = run(snapshots.load_inputs(round_row))
    rebuilt = run(snapshots.inputs_as_of(round_row, snap["frozen_at"]))
    result = run(snapshots.verify(frozen.snapshot_id))

    assert run(SheetRevision.count().where(SheetRevision.sheet == sheet["id"])) == revisions + 1
    assert current.hash != snap["inputs_hash"]
    assert current.recused == 1
    assert rebuilt.hash == snap["inputs_hash"]
    assert rebuilt.recused == 0
    assert result.ok
    assert not result.inputs_changed
    assert result.corrected_since
    assert result.differences == []


def test_inputs_as_of_gives_state_before_resubmission(run):
    """A re-submitted sheet (new scores, version 2): the inputs as of a moment between the
    submission and the re-submission are those of the first submission."""
    world = build_world(run, open_round=False, assign=False)
    run(rounds.open_round(world.organizer, world.round_id))
    run(assignments.apply_assignment(world.organizer, world.round_id))
    score_everything(run, world)
    round_row = run(snapshots.final_round(world.category_id))
    before = run(snapshots.load_inputs(round_row))
    moment = datetime.now(UTC)
    sheet = run(ScoreSheet.select().output(load_json=True).first())
    run(
        sheets.save_sheet(
            world.judge(sheet["judge"]), world.round_id, sheet["entry"],
            SheetInput(scores=dict.fromkeys(sheet["scores"], 1), confidence="high"),
            version=sheet["version"], submit=True,
        )
    )  # fmt: skip
    after = run(snapshots.load_inputs(round_row))

    assert after.hash != before.hash
    assert run(snapshots.inputs_as_of(round_row, moment)) == before
    assert run(snapshots.inputs_as_of(round_row, datetime.now(UTC))) == after


def test_freeze_refused_while_round_open(run):
    """Results are frozen from a closed round only."""
    world = build_world(run)
    with pytest.raises(ScoringRefusedError):
        run(snapshots.freeze(world.organizer, world.category_id))


def test_freeze_refused_when_edition_not_judging(run):
    """A published edition is locked: no freeze without opening a correction."""
    from awards.intake.tables import Edition

    world = scored_world(run)
    run(Edition.update({Edition.status: "published"}).where(Edition.id == world.edition_id))
    with pytest.raises(EditionLockedError):
        run(snapshots.freeze(world.organizer, world.category_id))
