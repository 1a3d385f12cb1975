"""Pure scoring rules: round window, lock, replacement choice, spread, blind view, snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awards.scoring.rules import (
    Candidate,
    accepts_scores,
    blind_view,
    locked_after_submit,
    pick_replacement,
    rubric_snapshot,
    spread_cases,
)

T0 = datetime(2027, 1, 10, 1, 0, tzinfo=UTC)


def test_accepts_scores_only_inside_open_window():
    """Open status and opens_at <= now < closes_at; the close instant itself is refused."""
    end = T0 + timedelta(days=1)
    assert [
        accepts_scores("open", T0, end, T0),
        accepts_scores("open", T0, end, end - timedelta(seconds=1)),
        accepts_scores("open", T0, end, end),
        accepts_scores("open", T0, end, T0 - timedelta(seconds=1)),
        accepts_scores("closed", T0, end, T0 + timedelta(hours=1)),
    ] == [True, True, False, False, False]


def test_locked_after_submit_counts_minutes():
    """Without lock_minutes a sheet never locks; with 10 it locks at exactly 10 minutes."""
    assert [
        locked_after_submit(T0, None, T0 + timedelta(days=9)),
        locked_after_submit(T0, 10, T0 + timedelta(minutes=9)),
        locked_after_submit(T0, 10, T0 + timedelta(minutes=10)),
    ] == [False, False, True]


def test_pick_replacement_prefers_least_loaded_then_room_then_id():
    """Least load wins; ties go to more room left, then the lower id; a full judge never."""
    assert pick_replacement([Candidate(5, 2, None), Candidate(3, 1, 1), Candidate(4, 1, 4)]) == 4
    assert pick_replacement([Candidate(9, 0, 0), Candidate(8, 3, None)]) == 8
    assert pick_replacement([Candidate(2, 1, None), Candidate(1, 1, None)]) == 1
    assert pick_replacement([Candidate(1, 0, 0)]) is None


def test_spread_cases_above_threshold_largest_first():
    """Entries whose totals spread beyond the threshold, largest first; one total never."""
    totals = {1: [50.0, 90.0], 2: [60.0, 70.0], 3: [10.0, 95.0, 50.0], 4: [99.0]}
    assert spread_cases(totals, 25.0) == [(3, 85.0), (1, 40.0)]


def test_blind_view_drops_hidden_fields_only():
    """Hidden identity keys are removed from both the business and the answers."""
    business, answers = blind_view(
        {"name": "Usaha", "district": "Klojen"},
        {"owner_name": "Bu Sri", "story": "x"},
        ["name", "owner_name"],
    )
    assert (business, answers) == ({"district": "Klojen"}, {"story": "x"})


def test_rubric_snapshot_hash_ignores_key_order():
    """The hash is over canonical JSON: the same rubric in another key order hashes equal."""
    a = {"version": 1, "criteria": [{"key": "k", "weight": 2}]}
    b = {"criteria": [{"weight": 2, "key": "k"}], "version": 1}
    assert rubric_snapshot(a)[1] == rubric_snapshot(b)[1]
    assert rubric_snapshot(a)[1] != rubric_snapshot({**a, "version": 2})[1]
