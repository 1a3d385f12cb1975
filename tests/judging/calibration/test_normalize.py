"""Simple normalization methods on hand-worked tables."""

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from judging.calibration.normalize import (
    median_score,
    rank_mean,
    raw_mean,
    simple_stderr,
    trimmed_mean,
    zscore_mean,
)

# Two judges, three entries: judge 0 scores e0=6, e1=4; judge 1 scores e1=7, e2=9.
E = np.array([0, 1, 1, 2])
J = np.array([0, 0, 1, 1])
Y = np.array([6.0, 4.0, 7.0, 9.0])


def test_raw_mean_averages_judges_totals():
    """raw = mean of the entry's totals."""
    assert_allclose(raw_mean(E, J, Y), [6.0, 5.5, 9.0])


def test_raw_mean_unscored_entry_is_nan():
    """An entry nobody scored is NaN."""
    out = raw_mean(E, J, Y, n_entries=4)
    assert math.isnan(out[3])


def test_zscore_mean_maps_back_to_the_scale():
    """z per judge (sample sd), then M + S * mean z with the grand mean and sd."""
    # judge 0: mean 5, sd sqrt(2): z = +-1/sqrt(2); judge 1: mean 8, sd sqrt(2)
    m, s = Y.mean(), Y.std(ddof=1)
    z = 1 / math.sqrt(2)
    assert_allclose(zscore_mean(E, J, Y), [m + s * z, m + s * (-z - z) / 2, m + s * z])


def test_trimmed_mean_drops_extremes_only_with_four_judges():
    """With 4+ judges the highest and lowest are dropped; fewer judges: plain mean."""
    e = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    j = np.array([0, 1, 2, 3, 4, 0, 1, 2])
    y = np.array([1.0, 5.0, 6.0, 7.0, 100.0, 1.0, 2.0, 9.0])
    assert_allclose(trimmed_mean(e, j, y), [6.0, 4.0])


def test_median_score_uses_middle_values():
    """Median with an odd and an even number of judges."""
    e = np.array([0, 0, 0, 1, 1])
    j = np.array([0, 1, 2, 0, 1])
    y = np.array([9.0, 1.0, 4.0, 2.0, 3.0])
    assert_allclose(median_score(e, j, y), [4.0, 2.5])


def test_rank_mean_averages_mid_rank_percentiles():
    """Percentile 100 (r - 0.5)/n per judge with ties sharing their mean rank."""
    e = np.array([0, 1, 2, 0, 1])
    j = np.array([0, 0, 0, 1, 1])
    y = np.array([5.0, 5.0, 1.0, 3.0, 8.0])
    # judge 0: ranks 2.5, 2.5, 1 of 3 -> 100*(2/3, 2/3, 1/6); judge 1: ranks 1, 2 of 2 -> 25, 75
    expected = [(200 / 3 + 25) / 2, (200 / 3 + 75) / 2, 100 / 6]
    assert_allclose(rank_mean(e, j, y), expected)


def test_simple_stderr_uses_pooled_within_entry_spread():
    """SE = s_pooled / sqrt(m_e), s^2 from entries with two or more judges."""
    e = np.array([0, 0, 1, 1, 1])
    j = np.array([0, 1, 0, 1, 2])
    y = np.array([1.0, 3.0, 2.0, 4.0, 6.0])
    s2 = (2.0 + 8.0) / (1 + 2)
    assert_allclose(simple_stderr("raw", e, j, y), np.sqrt(s2 / np.array([2, 3])))
    assert_allclose(
        simple_stderr("median", e, j, y), math.sqrt(math.pi / 2) * np.sqrt(s2 / np.array([2, 3]))
    )


@st.composite
def _sheets(draw):
    """Random designs: every judge scores at least 2 entries, values are integers 0..100."""
    n_e, n_j = draw(st.integers(3, 8)), draw(st.integers(2, 4))
    e, j, y = [], [], []
    for judge in range(n_j):
        for entry in sorted(draw(st.sets(st.integers(0, n_e - 1), min_size=2, max_size=n_e))):
            e.append(entry)
            j.append(judge)
            y.append(float(draw(st.integers(0, 100))))
    return np.array(e), np.array(j), np.array(y), n_e


@settings(max_examples=60, deadline=None)
@given(sheet=_sheets(), scale=st.floats(0.2, 5.0), shift=st.floats(-50, 50))
def test_zscore_mean_ignores_one_judges_scale_and_offset(sheet, scale, shift):
    """score_e = M + S * mean z: after a positive affine change of one judge's totals,
    (score_e - M) / S is unchanged for every entry."""
    e, j, y, n_e = sheet
    moved = np.where(j == 0, y * scale + shift, y)
    assume(y.std() > 0 and moved.std() > 0)
    before = (zscore_mean(e, j, y, n_e) - y.mean()) / y.std(ddof=1)
    after = (zscore_mean(e, j, moved, n_e) - moved.mean()) / moved.std(ddof=1)
    assert_allclose(before, after, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(sheet=_sheets())
def test_rank_mean_is_invariant_to_monotone_judge_transforms(sheet):
    """Percentile ranks only see each judge's order: cubing scores changes nothing."""
    e, j, y, n_e = sheet
    assert_allclose(rank_mean(e, j, (y - 50) ** 3, n_e), rank_mean(e, j, y, n_e))


def test_zscore_mean_treats_rounding_level_spread_as_no_spread():
    """A judge whose totals are equal up to rounding (0.2 three times) gets z = 0, not noise."""
    e = np.array([0, 1, 2, 0, 1, 2])
    j = np.array([0, 0, 0, 1, 1, 1])
    y = np.array([0.2, 0.2, 0.2, 10.0, 20.0, 30.0])
    M, S = y.mean(), y.std(ddof=1)
    assert_allclose(zscore_mean(e, j, y, 3), M + S * np.array([-1.0, 0.0, 1.0]) / 2)
