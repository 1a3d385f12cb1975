"""Ranking with explicit tie-breaks, and the plain-language warnings."""

import numpy as np

from judging.ranking.rank import (
    category_orders,
    coverage_warnings,
    rank_within_categories,
    top_k_change_warnings,
)


def test_rank_within_categories_applies_tie_breaks_in_order():
    """Equal scores fall back to lower stderr, more judges, higher raw mean, then entry id."""
    ids = ["d", "c", "b", "a", "e"]
    scores = np.array([5.0, 5.0, 5.0, 5.0, 5.0 + 1e-12])  # e ties with the rest after rounding
    stderr = np.array([1.0, 0.5, 1.0, 1.0, 1.0])
    judges = np.array([3, 3, 4, 3, 3])
    raw = np.array([2.0, 2.0, 2.0, 2.0, 3.0])
    ranks = rank_within_categories(
        scores, [""] * 5, ids, stderr=stderr, n_judges=judges, raw_mean=raw
    )
    # c (lowest se), b (more judges), e (higher raw mean), then a before d by id
    assert dict(zip(ids, ranks.tolist(), strict=True)) == {"c": 1, "b": 2, "e": 3, "a": 4, "d": 5}


def test_rank_within_categories_ranks_each_category_separately():
    """Ranks restart at 1 in every category; unscored entries come last."""
    ranks = rank_within_categories(
        np.array([1.0, 3.0, np.nan, 2.0]), ["x", "y", "x", "x"], ["a", "b", "c", "d"]
    )
    assert ranks.tolist() == [2, 1, 3, 1]
    orders = category_orders(ranks, ["x", "y", "x", "x"])
    assert {k: v.tolist() for k, v in orders.items()} == {"x": [3, 0, 2], "y": [1]}


def test_coverage_warnings_name_components_thin_entries_and_few_scores():
    """Disconnected groups are named; single-judge entries and 1-score judges are listed."""
    entry_idx = np.array([0, 0, 1, 1, 2])
    judge_idx = np.array([0, 1, 0, 1, 2])
    warnings = coverage_warnings(
        ["a", "b", "c"], ["J1", "J2", "J3"], entry_idx, judge_idx, np.array([0, 0, 1])
    )
    assert warnings == [
        "The judges fall into 2 separate groups that share no entries, so their scores cannot "
        "be compared across groups (group 1: judges J1, J2; group 2: judge J3). Judge biases "
        "are only estimated within each group; assign judges so that the groups overlap.",
        "1 entry has fewer than 2 judges, so its score rests on too few opinions: c.",
        "3 judges have fewer than 3 scores, too few to estimate a bias reliably: J1 (2 scores), "
        "J2 (2 scores), J3 (1 score).",
    ]


def test_top_k_change_warnings_report_differing_categories_only():
    """A warning names both top-k lists when the order differs."""
    ids = ["a", "b", "c"]
    mine = {"food": np.array([0, 1, 2]), "art": np.array([2, 1, 0])}
    other = {"food": np.array([1, 0, 2]), "art": np.array([2, 1, 0])}
    assert top_k_change_warnings(2, mine, other, ids, "calibrated score", "raw mean") == [
        "In category 'food' the top 2 by calibrated score (a, b) differs from the top 2 by "
        "raw mean (b, a)."
    ]
