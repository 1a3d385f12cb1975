"""Percentiles and medians of the entrant feedback page, on hand-worked examples."""

from __future__ import annotations

import pytest

from awards.results.public.feedback_stats import criterion_standings, median, percentile_rank


def test_percentile_rank_mid_rank_hand_example():
    """Below count plus half the ties, over n: 3 of [1,2,3,4] -> (2 + 0.5)/4 = 62.5."""
    assert percentile_rank(3, [1, 2, 3, 4]) == pytest.approx(62.5)
    assert percentile_rank(2, [2, 2, 2, 2]) == pytest.approx(50.0)
    assert percentile_rank(5, [5]) == pytest.approx(50.0)
    assert percentile_rank(1, []) == 50.0


def test_median_ignores_missing():
    """Missing values are skipped; an even count averages the middle two."""
    assert median([4, None, 1, 3, 2]) == pytest.approx(2.5)
    assert median([None]) is None


def test_criterion_standings_skips_unscored_criteria():
    """Only criteria the entry has a score for (and the category has values for) are listed."""
    standings = criterion_standings(
        [("q", "Quality"), ("m", "Market"), ("x", "Extra")],
        {"q": 8.0, "m": None},
        {"q": [2.0, 8.0, 6.0], "m": [1.0], "x": [3.0]},
    )
    assert [(s.key, s.percentile, s.median) for s in standings] == [
        ("q", pytest.approx(100 * 2.5 / 3), 6.0)
    ]
