"""The six ICCs and their intervals: Shrout & Fleiss's published values, an independent ANOVA,
R psych::ICC's bounds, properties and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from judging.reliability.coefficients import icc, icc_intervals
from tests.judging.reliability.support import NAN, SHROUT_FLEISS, complete_matrices, vars_of


def test_icc_shrout_fleiss_table_reproduces_published_values():
    """The six ICCs of Shrout & Fleiss's Table 2 data round to their published Table 4 values."""
    result = icc(SHROUT_FLEISS)

    rounded = {name: round(value, 2) for name, value in vars_of(result).items()}

    assert rounded == {
        "icc1": 0.17,
        "icc2": 0.29,
        "icc3": 0.71,
        "icc1k": 0.44,
        "icc2k": 0.62,
        "icc3k": 0.91,
    }


def test_icc_shrout_fleiss_matches_independent_anova():
    """ICCs equal the formulas on mean squares computed cell by cell (11.24, 6.26, 32.49, 1.02)."""
    n, k = SHROUT_FLEISS.shape
    cells = [(i, j, SHROUT_FLEISS[i, j]) for i in range(n) for j in range(k)]
    grand = sum(x for _, _, x in cells) / (n * k)
    row_mean = [sum(x for i2, _, x in cells if i2 == i) / k for i in range(n)]
    col_mean = [sum(x for _, j2, x in cells if j2 == j) / n for j in range(k)]
    bms = k * sum((r - grand) ** 2 for r in row_mean) / (n - 1)
    jms = n * sum((c - grand) ** 2 for c in col_mean) / (k - 1)
    wms = sum((x - row_mean[i]) ** 2 for i, _, x in cells) / (n * (k - 1))
    ems = sum((x - row_mean[i] - col_mean[j] + grand) ** 2 for i, j, x in cells) / (
        (n - 1) * (k - 1)
    )

    result = icc(SHROUT_FLEISS)

    assert [round(v, 2) for v in (bms, wms, jms, ems)] == [11.24, 6.26, 32.49, 1.02]
    assert_allclose(
        [result.icc1, result.icc2, result.icc3, result.icc1k, result.icc2k, result.icc3k],
        [
            (bms - wms) / (bms + (k - 1) * wms),
            (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
            (bms - ems) / (bms + (k - 1) * ems),
            (bms - wms) / bms,
            (bms - ems) / (bms + (jms - ems) / n),
            (bms - ems) / bms,
        ],
        rtol=1e-12,
    )


@given(complete_matrices, st.randoms(use_true_random=False))
def test_icc_row_permutation_leaves_result_unchanged(matrix, random):
    """Reordering the entries (rows) does not change any ICC."""
    order = list(range(matrix.shape[0]))
    random.shuffle(order)

    before = vars_of(icc(matrix))
    after = vars_of(icc(matrix[order]))

    assert_allclose(list(after.values()), list(before.values()), rtol=1e-9, atol=1e-9)


def test_icc_perfect_agreement_gives_one():
    """Judges who give identical scores to every entry have every ICC equal to 1."""
    matrix = np.repeat(np.array([[1.0], [4.0], [2.5], [7.0]]), 3, axis=1)

    result = icc(matrix)

    assert_allclose(list(vars_of(result).values()), [1.0] * 6)


def test_icc_missing_cell_raises_value_error():
    """ICC refuses an incomplete design and says how many cells are missing."""
    matrix = SHROUT_FLEISS.copy()
    matrix[2, 1] = NAN

    with pytest.raises(ValueError, match=r"ICC needs every judge to score every entry.*1 missing"):
        icc(matrix)


def test_icc_single_judge_raises_value_error():
    """ICC needs at least two judges."""
    with pytest.raises(ValueError, match="at least 2 judges"):
        icc(SHROUT_FLEISS[:, :1])


def test_icc_constant_scores_give_nan():
    """When every score is equal each ICC is 0/0 and reported as NaN, not a number."""
    result = icc(np.full((4, 3), 5.0))

    assert all(np.isnan(value) for value in vars_of(result).values())


def test_icc_intervals_shrout_fleiss_match_psych_icc():
    """95% intervals on Shrout & Fleiss's Table 2 data equal R psych::ICC's printed bounds."""
    bounds = icc_intervals(SHROUT_FLEISS)
    printed = {  # psych::ICC(sf) (Revelle), lower and upper bound columns
        "icc1": (-0.133, 0.72),
        "icc2": (0.019, 0.76),
        "icc3": (0.342, 0.95),
        "icc1k": (-0.884, 0.91),
        "icc2k": (0.071, 0.93),
        "icc3k": (0.676, 0.99),
    }
    for name, (lower, upper) in printed.items():
        got = getattr(bounds, name)
        assert round(got[0], 3) == lower
        assert round(got[1], 2) == upper


def test_icc_intervals_contain_the_estimate():
    """Each interval contains its point estimate on random complete matrices."""
    rng = np.random.default_rng(5)
    for _ in range(20):
        matrix = rng.normal(size=(12, 1)) * 2 + rng.normal(size=(12, 4))
        point, bounds = icc(matrix), icc_intervals(matrix)
        for name in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"):
            lower, upper = getattr(bounds, name)
            assert lower <= getattr(point, name) <= upper


def test_icc_intervals_judges_who_disagree_give_bounds_not_an_error():
    """Two judges scoring four entries in opposite directions (the first entry 6 and 2, the
    others 2 and 5 on a 1-10 scale, as rubric totals) make ICC(2,1) strongly negative and
    its interval's degrees of freedom tiny: an F quantile near 1e30 that once made
    ``icc_intervals`` raise ZeroDivisionError, and the organizers' round page with it. The
    single-measure intervals contain their estimates."""
    total = [(v - 1) / 9 * 100 for v in (6, 2, 5)]
    matrix = np.array([[total[0], total[1]], *[[total[1], total[2]]] * 3])
    point, bounds = icc(matrix), icc_intervals(matrix)
    assert point.icc2 < -1
    for name in ("icc1", "icc2", "icc3"):
        lower, upper = getattr(bounds, name)
        assert lower <= getattr(point, name) <= upper
