"""Tie rules: declared before scoring, locked after; cascade, shared and jury decisions."""

from __future__ import annotations

import pytest

from awards.results import domain, rules, snapshots
from awards.results.tables import Placement
from awards.scoring.common import ScoringRefusedError
from tests.awards.results.support import scored_world

TIERS = [dict(t) for t in rules.DEFAULT_TIERS]


def _entry(entry, rank, score, tied=(0, 0)):
    return domain.EngineEntry(entry, rank, score, 1.0, score, None, tied)


def test_cascade_orders_exact_tie_by_declared_criteria():
    """Equal scores: the higher mean on the first declared criterion that differs wins."""
    entries = [_entry("1", 1, 80.0), _entry("2", 2, 70.004), _entry("3", 3, 70.001)]
    means = {"2": {"a": 5.0, "b": 6.0}, "3": {"a": 5.0, "b": 7.0}}
    placed, undecided = domain.place_entries(
        entries, domain.Rule("cascade", ("a", "b")), TIERS, means=means
    )
    assert [p.entry for p in placed] == ["1", "3", "2"]
    assert [p.decided_by for p in placed] == ["engine", "criteria:b", "criteria:b"]
    assert [p.tier for p in placed] == ["juara-1", "juara-2", "juara-3"]
    assert undecided == []


def test_shared_policy_gives_same_place_and_tier():
    """Shared: 1, 2, 2, 4 with the tier slots used up by the shared group."""
    entries = [
        _entry("1", 1, 90.0),
        _entry("2", 2, 80.0),
        _entry("3", 3, 80.0),
        _entry("4", 4, 70.0),
    ]
    placed, _ = domain.place_entries(entries, domain.Rule("shared"), TIERS)
    assert [(p.place, p.tier) for p in placed] == [
        (1, "juara-1"), (2, "juara-2"), (2, "juara-2"), (4, "harapan-1")
    ]  # fmt: skip


def test_minimum_standard_withholds_tiers_below_threshold():
    """No ranked award below the category's minimum score."""
    entries = [_entry("1", 1, 90.0), _entry("2", 2, 55.0)]
    placed, _ = domain.place_entries(entries, domain.Rule("cascade", (), 60.0), TIERS)
    assert [p.tier for p in placed] == ["juara-1", ""]


def test_panel_order_reorders_within_statistical_tie_with_reason():
    """A recorded panel decision swaps two statistically tied entries and keeps the reason."""
    entries = [_entry("1", 1, 90.0, (1, 2)), _entry("2", 2, 89.0, (1, 2)), _entry("3", 3, 50.0)]
    orders = {"1": (2, "Kemasan lebih baik"), "2": (1, "Inovasi lebih kuat")}
    placed, _ = domain.place_entries(entries, domain.Rule(), TIERS, orders=orders)
    assert [p.entry for p in placed] == ["2", "1", "3"]
    assert placed[0].override_reason == "Inovasi lebih kuat"
    assert placed[0].decided_by == "panel"


def test_jury_tie_refuses_freeze_until_decided_then_applies(run):
    """Under the jury policy an exact tie blocks freezing until the panel records an order."""
    world = scored_world(
        run, n_entries=4, n_judges=3, k=3, quality={0: 8, 1: 8, 2: 5, 3: 4},
        rule={"policy": "jury", "text": "Diputuskan rapat juri"},
    )  # fmt: skip
    with pytest.raises(ScoringRefusedError):
        run(snapshots.freeze(world.organizer, world.category_id))
    a, b = world.entries[0], world.entries[1]
    run(rules.record_order(world.organizer, world.category_id, b, 1, "Dampak sosial lebih besar"))
    run(rules.record_order(world.organizer, world.category_id, a, 2, "Dampak sosial lebih kecil"))
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    rows = run(
        Placement.select(Placement.entry, Placement.decided_by, Placement.override_reason)
        .where(Placement.snapshot == frozen.snapshot_id)
        .order_by(Placement.place)
    )
    assert [r["entry"] for r in rows[:2]] == [b, a]
    assert rows[0]["decided_by"] == "panel"
    assert rows[0]["override_reason"] == "Dampak sosial lebih besar"
    assert run(snapshots.verify(frozen.snapshot_id)).ok


def test_tie_rule_locked_once_scoring_opens(run):
    """Changing the declared tie rule after the round opened is refused."""
    world = scored_world(run, rule={"policy": "cascade", "criteria": []})
    with pytest.raises(ScoringRefusedError):
        run(rules.declare_rule(world.organizer, world.category_id, policy="shared"))
    run(rules.declare_rule(world.organizer, world.category_id, policy="cascade",
                           show_full_ranking=True))  # fmt: skip
    assert run(rules.category_rule(world.category_id))["show_full_ranking"] is True
