"""Kendall's W with tie correction: published and hand-worked values, scipy's ranks as an
independent check, and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from numpy.testing import assert_allclose
from scipy.stats import rankdata

from judging.reliability.coefficients import kendall_w
from tests.judging.reliability.support import NAN, complete_matrices, or_nan

# The `anxiety` data (20 subjects x 3 raters) of the R package irr, whose documented result in
# DescTools::KendallW(anxiety, correct=TRUE) is 0.5396569: ratings on a 1-6 scale, many ties.
ANXIETY = np.array(
    [
        [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ],
    dtype=np.float64,
).T


def _kendall_w_with_scipy_ranks(matrix: np.ndarray) -> float:
    """Kendall's W with tie correction, ranks from scipy.stats.rankdata (independent check)."""
    n, m = matrix.shape
    ranks = rankdata(matrix, axis=0)
    ties = sum(
        float(np.sum(counts.astype(float) ** 3 - counts))
        for counts in (np.unique(column, return_counts=True)[1] for column in matrix.T)
    )
    s = float(np.sum((ranks.sum(axis=1) - ranks.sum() / n) ** 2))
    return 12.0 * s / (m**2 * (n**3 - n) - m * ties)


def test_kendall_w_anxiety_with_ties_reproduces_published_value():
    """The irr `anxiety` ratings give the tie-corrected W = 0.5396569 printed by DescTools."""
    assert round(kendall_w(ANXIETY), 7) == 0.5396569


def test_kendall_w_hand_worked_without_ties():
    """Ranks (1,2,3,4), (1,3,2,4), (2,1,3,4): rank sums 4,6,8,12, S = 35, W = 12*35/(9*60) = 7/9."""
    matrix = np.array([[1, 1, 2], [2, 3, 1], [3, 2, 3], [4, 4, 4]], dtype=np.float64)

    assert kendall_w(matrix) == pytest.approx(7 / 9, rel=1e-12)


def test_kendall_w_strawberry_example_without_ties():
    """Four raters ranking eight farms (influentialpoints.com worked example): W = 500/672."""
    raters = np.array(
        [
            [8, 4, 2, 3, 5, 1, 6, 7],
            [7, 3, 1, 4, 5, 2, 6, 8],
            [8, 2, 5, 6, 7, 1, 4, 3],
            [8, 3, 4, 2, 5, 1, 6, 7],
        ],
        dtype=np.float64,
    )

    w = kendall_w(raters.T)

    assert round(w, 3) == 0.744


def test_kendall_w_perfect_agreement_gives_one():
    """Judges who order the entries identically (on different scales) have W = 1."""
    matrix = np.array([[1.0, 10.0, 0.5], [2.0, 20.0, 0.7], [5.0, 21.0, 0.9], [9.0, 40.0, 1.5]])

    assert kendall_w(matrix) == pytest.approx(1.0)


@given(complete_matrices)
def test_kendall_w_random_matrices_match_scipy_ranks_and_lie_in_unit_interval(matrix):
    """W with ties equals the scipy-ranked computation and always lies in [0, 1]."""
    expected = or_nan(_kendall_w_with_scipy_ranks_or_raise, matrix)

    actual = or_nan(kendall_w, matrix)

    assert_allclose(actual, expected, rtol=1e-9, atol=1e-12, equal_nan=True)
    assert np.isnan(actual) or 0.0 <= actual <= 1.0 + 1e-12


def _kendall_w_with_scipy_ranks_or_raise(matrix: np.ndarray) -> float:
    """The reference W, raising ValueError where every judge tied every entry."""
    if all(np.all(column == column[0]) for column in matrix.T):
        raise ValueError("all tied")
    return _kendall_w_with_scipy_ranks(matrix)


def test_kendall_w_missing_cell_raises_value_error():
    """Kendall's W refuses an incomplete design with a message naming the problem."""
    matrix = ANXIETY.copy()
    matrix[0, 0] = NAN

    with pytest.raises(ValueError, match=r"Kendall's W needs every judge to score every entry"):
        kendall_w(matrix)


def test_kendall_w_single_judge_raises_value_error():
    """Kendall's W needs at least two judges."""
    with pytest.raises(ValueError, match="at least 2 judges"):
        kendall_w(ANXIETY[:, :1])


def test_kendall_w_all_ties_raises_value_error():
    """When every judge gives every entry the same score, W is undefined and says so."""
    with pytest.raises(ValueError, match="same score"):
        kendall_w(np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]))
