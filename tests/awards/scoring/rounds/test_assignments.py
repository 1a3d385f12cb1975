"""Assignment through the engine: preview then apply; k judges, balanced, conflict-free,
within capacity, connected; anchors to every judge."""

from __future__ import annotations

from collections import Counter

import pytest

from awards.scoring.common import ScoringRefusedError
from awards.scoring.panel import conflicts
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import Assignment, JudgeProfile
from tests.awards.scoring.support import build_world


def _pairs(run, round_id):
    rows = run(
        Assignment.select(Assignment.entry, Assignment.judge).where(Assignment.round == round_id)
    )
    return sorted((r["entry"], r["judge"]) for r in rows)


def test_apply_assignment_stores_the_preview(run):
    """Applying stores exactly the previewed pairs: k judges per entry, loads within one."""
    world = build_world(run, n_entries=8, n_judges=4, k=3, assign=False)
    preview = run(assignments.preview_assignment(world.organizer, world.round_id))
    run(assignments.apply_assignment(world.organizer, world.round_id))
    stored = _pairs(run, world.round_id)
    per_entry = Counter(entry for entry, _ in stored)
    loads = Counter(judge for _, judge in stored)
    assert stored == preview.pairs
    assert set(per_entry.values()) == {3}
    assert max(loads.values()) - min(loads.values()) <= 1
    assert preview.connected
    assert preview.error == ""


def test_apply_assignment_avoids_conflicts(run):
    """A judge in conflict with a business never gets its entry."""
    world = build_world(run, n_entries=6, n_judges=4, k=2, assign=False)
    judge = world.judges[0]
    run(
        conflicts.add_conflict(
            world.organizer, world.edition_id, judge.id, world.businesses[0], "saudara"
        )
    )
    run(assignments.apply_assignment(world.organizer, world.round_id))
    assert (world.entries[0], judge.id) not in _pairs(run, world.round_id)


def test_preview_reports_capacity_shortfall(run):
    """When capacities cannot cover k per entry, the preview says so and apply is refused."""
    world = build_world(run, n_entries=6, n_judges=3, k=2, capacity=3, assign=False)
    preview = run(assignments.preview_assignment(world.organizer, world.round_id))
    with pytest.raises(ScoringRefusedError):
        run(assignments.apply_assignment(world.organizer, world.round_id))
    assert preview.pairs == []
    assert "12" in preview.error
    assert "9" in preview.error
    assert _pairs(run, world.round_id) == []


def test_capacity_counts_other_rounds(run):
    """A judge's capacity is shared across the edition's rounds."""
    world = build_world(run, n_entries=4, n_judges=3, k=1)
    used = Counter(judge for _, judge in _pairs(run, world.round_id))
    busy = max(used, key=used.get)
    run(JudgeProfile.update({JudgeProfile.capacity: used[busy]}).where(JudgeProfile.user == busy))
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    final = run(
        rounds.create_round(
            world.organizer,
            world.category_id,
            kind="final",
            opens_at=now,
            closes_at=now + timedelta(days=1),
            judges_per_entry=1,
        )
    )
    run(rounds.set_entrants(world.organizer, final, "all"))
    preview = run(assignments.preview_assignment(world.organizer, final))
    assert preview.loads[busy] == 0


def test_anchor_entries_go_to_every_judge(run):
    """An anchor entry is assigned to every judge of the round."""
    world = build_world(run, n_entries=6, n_judges=4, k=2, open_round=False, assign=False)
    run(rounds.set_entrants(world.organizer, world.round_id, "all", anchors=[world.entries[0]]))
    preview = run(assignments.preview_assignment(world.organizer, world.round_id))
    anchored = sorted(j for e, j in preview.pairs if e == world.entries[0])
    assert anchored == sorted(j.id for j in world.judges)
    assert set(Counter(e for e, _ in preview.pairs if e != world.entries[0]).values()) == {2}


def test_apply_twice_refused(run):
    """A round's assignment is applied once."""
    world = build_world(run)
    with pytest.raises(ScoringRefusedError):
        run(assignments.apply_assignment(world.organizer, world.round_id))
