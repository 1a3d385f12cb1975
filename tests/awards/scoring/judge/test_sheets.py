"""Score sheets: versions, idempotent submits, history, closed rounds, isolation, validation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from awards.errors import ValidationError
from awards.scoring.common import (
    NotFoundError,
    RoundClosedError,
    ScoringRefusedError,
    StaleVersionError,
)
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import ScoreSheet, ScoringRound, SheetRevision
from tests.awards.scoring.support import assigned_entries, build_world, full_scores


def _ready(run, world, judge=None):
    """(judge, entry) with the conflict question answered "no conflict"."""
    judge = judge or world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    return judge, entry


def test_save_sheet_draft_then_submit_computes_engine_total(run):
    """A partial draft saves as version 1; the submit is version 2 with the rubric total."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    draft = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"kemasan": "6"}), version=0
        )
    )
    done = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(10)), version=1, submit=True
        )
    )
    assert (draft.status, draft.version, draft.scores, draft.total) == (
        "draft",
        1,
        {"kemasan": 6},
        None,
    )
    assert (done.status, done.version, done.total) == ("submitted", 2, 100.0)


def test_save_sheet_stale_version_refused_with_current(run):
    """A second tab saving on version 1 after the first saved version 2 is refused and told
    the stored sheet; the submitted score is kept."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"kemasan": 5}), version=0
        )
    )
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(8)), version=1, submit=True
        )
    )
    with pytest.raises(StaleVersionError) as refused:
        run(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 2}), version=1
            )
        )
    stored = run(sheets.read_sheet(judge, world.round_id, entry))
    assert refused.value.current.version == 2
    assert (stored.status, stored.scores) == ("submitted", full_scores(8))


def test_save_sheet_concurrent_first_saves_make_one_sheet(run):
    """Two saves racing on version 0: exactly one wins, the other is told it is stale."""
    world = build_world(run)
    judge, entry = _ready(run, world)

    async def race():
        return await asyncio.gather(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 3}), version=0
            ),
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 4}), version=0
            ),
            return_exceptions=True,
        )

    results = run(race())
    count = run(ScoreSheet.count().where(ScoreSheet.entry == entry))
    assert sorted(type(r).__name__ for r in results) == ["SheetView", "StaleVersionError"]
    assert count == 1


def test_save_sheet_concurrent_updates_one_wins_with_its_history_row(run):
    """Two saves racing on the same stored version: one wins, the other is told it is stale,
    and the history has exactly one row for the winner (the write and its row are one unit)."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    first = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"kemasan": 3}), version=0
        )
    )

    async def race():
        return await asyncio.gather(
            *(
                sheets.save_sheet(
                    judge, world.round_id, entry, SheetInput(scores={"kemasan": v}), version=1
                )
                for v in (4, 5)
            ),
            return_exceptions=True,
        )

    results = run(race())
    assert sorted(type(r).__name__ for r in results) == ["SheetView", "StaleVersionError"]
    [won] = [r for r in results if not isinstance(r, Exception)]
    revisions = run(
        SheetRevision.select(SheetRevision.version).where(SheetRevision.sheet == first.id)
    )
    assert sorted(r["version"] for r in revisions) == [1, 2]
    assert won.version == 2


def test_save_sheet_concurrent_double_tap_with_same_key_writes_once(run):
    """A double tap racing on an existing sheet (same key, same version): both answers carry
    the stored sheet, one of them marked replayed, and one history row is written."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    first = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"kemasan": 3}), version=0
        )
    )
    data = SheetInput(scores=full_scores(7))

    async def race():
        return await asyncio.gather(
            *(
                sheets.save_sheet(
                    judge, world.round_id, entry, data, version=1, submit=True, key="tap-2"
                )
                for _ in range(2)
            ),
        )

    results = run(race())
    assert sorted(r.replayed for r in results) == [False, True]
    assert {(r.id, r.version) for r in results} == {(first.id, 2)}
    assert run(SheetRevision.count().where(SheetRevision.sheet == first.id)) == 2


def test_submit_repeated_with_same_key_is_idempotent(run):
    """A double tap (same idempotency key, same version) returns the stored sheet and writes
    one sheet and one history row."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    data = SheetInput(scores=full_scores(6), confidence="high")
    first = run(
        sheets.save_sheet(judge, world.round_id, entry, data, version=0, submit=True, key="tap-1")
    )
    again = run(
        sheets.save_sheet(judge, world.round_id, entry, data, version=0, submit=True, key="tap-1")
    )
    revisions = run(SheetRevision.count().where(SheetRevision.sheet == first.id))
    assert (again.id, again.version, again.replayed) == (first.id, 1, True)
    assert run(ScoreSheet.count().where(ScoreSheet.entry == entry)) == 1
    assert revisions == 1


def test_submit_repeated_without_key_same_content_writes_nothing(run):
    """A retried submit of the same content (no key) changes nothing, even with an old version."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    data = SheetInput(scores=full_scores(6))
    first = run(sheets.save_sheet(judge, world.round_id, entry, data, version=0, submit=True))
    again = run(sheets.save_sheet(judge, world.round_id, entry, data, version=0, submit=True))
    assert again.version == first.version == 1


def test_sheet_history_keeps_who_when_old_and_new(run):
    """Every change is a revision with actor, action, old and new snapshots; organizers read it."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores={"inovasi": 4}), version=0
        )
    )
    view = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(9)), version=1, submit=True
        )
    )
    history = run(sheets.sheet_history(world.organizer, view.id))
    assert [(h["version"], h["action"], h["actor"]) for h in history] == [
        (1, "draft", judge.id),
        (2, "submit", judge.id),
    ]
    assert history[1]["old_value"]["scores"] == {"inovasi": 4}
    assert history[1]["new_value"]["scores"] == full_scores(9)
    assert history[1]["created_at"] is not None
    with pytest.raises(NotFoundError):
        run(sheets.sheet_history(judge, view.id))


def test_closed_round_refuses_scores(run):
    """After the organizer closes the round, or after its close time on the server clock, a
    save is refused."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    later = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(RoundClosedError):
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                entry,
                SheetInput(scores={"kemasan": 5}),
                version=0,
                now=later,
            )
        )
    run(rounds.close_round(world.organizer, world.round_id))
    with pytest.raises(RoundClosedError):
        run(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 5}), version=0
            )
        )
    assert run(ScoreSheet.count()) == 0


def test_sheet_locked_minutes_after_submission(run):
    """With lock_minutes set, a submitted sheet cannot change once that time has passed."""
    world = build_world(run)
    run(
        ScoringRound.update({ScoringRound.lock_minutes: 10}).where(
            ScoringRound.id == world.round_id
        )
    )
    judge, entry = _ready(run, world)
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(5)), version=0, submit=True
        )
    )
    later = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(ScoringRefusedError):
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                entry,
                SheetInput(scores=full_scores(6)),
                version=1,
                now=later,
            )
        )


def test_unassigned_judge_gets_not_found(run):
    """A judge reading or saving an entry not assigned to them gets NotFoundError (404)."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    mine = set(run(assigned_entries(world.round_id, judge.id)))
    other = next(e for e in world.entries if e not in mine)
    with pytest.raises(NotFoundError):
        run(sheets.read_sheet(judge, world.round_id, other))
    with pytest.raises(NotFoundError):
        run(sheets.save_sheet(judge, world.round_id, other, SheetInput(), version=0))


def test_save_before_declaring_refused(run):
    """Scores are refused until the judge answers the conflict question."""
    world = build_world(run)
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    with pytest.raises(ScoringRefusedError):
        run(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 5}), version=0
            )
        )


def test_out_of_range_and_incomplete_submit_name_the_fields(run):
    """A value off the scale, a non-number and a missing criterion on submit are errors keyed
    by criterion; nothing is stored."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    bad = SheetInput(scores={"kemasan": "11", "inovasi": "tujuh", "kualitas_produk": "5"})
    with pytest.raises(ValidationError) as refused:
        run(sheets.save_sheet(judge, world.round_id, entry, bad, version=0, submit=True))
    errors = refused.value.errors
    assert set(errors) == {
        f"scores.{k}"
        for k in (
            "kemasan",
            "inovasi",
            "jangkauan_pemasaran",
            "manajemen_produksi",
            "manajemen_keuangan",
        )
    }
    assert "1 to 10" in errors["scores.kemasan"] or "1 sampai 10" in errors["scores.kemasan"]
    assert run(ScoreSheet.count()) == 0


def test_submitted_sheet_stays_submitted_on_later_save(run):
    """Saving a submitted sheet again re-submits it (and must stay complete)."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(5)), version=0, submit=True
        )
    )
    with pytest.raises(ValidationError):
        run(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={"kemasan": 9}), version=1
            )
        )
    changed = run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores(6)), version=1
        )
    )
    assert (changed.status, changed.version, changed.total) == (
        "submitted",
        2,
        pytest.approx(500 / 9),
    )
