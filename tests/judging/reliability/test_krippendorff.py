"""Krippendorff's alpha: published values for every metric, the coincidence-matrix definition
as an independent check, properties and refusals."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from judging.reliability import coefficients
from judging.reliability.coefficients import krippendorff_alpha, krippendorff_alpha_interval
from tests.judging.reliability.support import KRIPPENDORFF_UNITS, NAN, matrices_with_gaps, or_nan


def _alpha_by_coincidences(matrix: np.ndarray) -> float:
    """Krippendorff's alpha (interval) straight from the coincidence-matrix definition."""
    coincidences: dict[tuple[float, float], float] = defaultdict(float)
    for row in matrix:
        values = [value for value in row if not np.isnan(value)]
        if len(values) < 2:
            continue
        for i, j in itertools.permutations(range(len(values)), 2):
            coincidences[(values[i], values[j])] += 1.0 / (len(values) - 1)
    marginals: dict[float, float] = defaultdict(float)
    for (c, _), weight in coincidences.items():
        marginals[c] += weight
    n = sum(marginals.values())
    observed = sum(w * (c - k) ** 2 for (c, k), w in coincidences.items())
    expected = sum(marginals[c] * marginals[k] * (c - k) ** 2 for c in marginals for k in marginals)
    return 1.0 - (n - 1.0) * observed / expected


def test_krippendorff_alpha_worked_example_reproduces_published_interval_value():
    """Krippendorff's (2011) example with missing values gives alpha_interval = 0.849."""
    alpha = krippendorff_alpha_interval(KRIPPENDORFF_UNITS)

    assert round(alpha, 3) == 0.849


def test_krippendorff_alpha_worked_example_matches_coincidence_definition():
    """The vectorized formula equals the coincidence-matrix computation to rounding error."""
    assert_allclose(
        krippendorff_alpha_interval(KRIPPENDORFF_UNITS),
        _alpha_by_coincidences(KRIPPENDORFF_UNITS),
        rtol=1e-12,
    )


@given(matrices_with_gaps())
def test_krippendorff_alpha_random_gaps_match_coincidence_definition(matrix):
    """On random incomplete matrices the fast formula agrees with the textbook definition."""
    expected = or_nan(_alpha_by_coincidences_or_raise, matrix)

    actual = or_nan(krippendorff_alpha_interval, matrix)

    assert_allclose(actual, expected, rtol=1e-9, atol=1e-9, equal_nan=True)


def _alpha_by_coincidences_or_raise(matrix: np.ndarray) -> float:
    """The reference alpha, raising ValueError where it is 0/0 (no variation)."""
    pairable = matrix[(~np.isnan(matrix)).sum(axis=1) >= 2]
    values = pairable[~np.isnan(pairable)]
    if np.all(values == values[0]):
        raise ValueError("no variation")
    return _alpha_by_coincidences(matrix)


def test_krippendorff_alpha_unit_with_one_value_is_dropped():
    """Adding an entry that only one judge scored leaves alpha unchanged (it is not pairable)."""
    extra = np.vstack([KRIPPENDORFF_UNITS, [NAN, 99.0, NAN, NAN]])

    assert krippendorff_alpha_interval(extra) == pytest.approx(
        krippendorff_alpha_interval(KRIPPENDORFF_UNITS), rel=1e-12
    )


@given(matrices_with_gaps(), st.integers(min_value=-1000, max_value=1000))
def test_krippendorff_alpha_adding_constant_leaves_alpha_unchanged(matrix, constant):
    """alpha depends only on differences between scores, so a common shift changes nothing."""
    before = or_nan(krippendorff_alpha_interval, matrix)

    after = or_nan(krippendorff_alpha_interval, matrix + constant)

    assert_allclose(after, before, rtol=1e-9, atol=1e-9, equal_nan=True)


@given(matrices_with_gaps(), st.randoms(use_true_random=False))
def test_krippendorff_alpha_permuting_judges_and_entries_leaves_alpha_unchanged(matrix, random):
    """alpha does not depend on the order of the judges or of the entries."""
    rows = list(range(matrix.shape[0]))
    cols = list(range(matrix.shape[1]))
    random.shuffle(rows)
    random.shuffle(cols)

    before = or_nan(krippendorff_alpha_interval, matrix)
    after = or_nan(krippendorff_alpha_interval, matrix[np.ix_(rows, cols)])

    assert_allclose(after, before, rtol=1e-9, atol=1e-9, equal_nan=True)


def test_krippendorff_alpha_perfect_agreement_gives_one():
    """Judges who agree on every scored entry have alpha = 1 even with gaps."""
    matrix = np.array([[1.0, 1.0, NAN], [3.0, NAN, 3.0], [NAN, 6.0, 6.0], [2.0, 2.0, 2.0]])

    assert krippendorff_alpha_interval(matrix) == pytest.approx(1.0)


def test_krippendorff_alpha_single_judge_raises_value_error():
    """alpha needs at least two judge columns."""
    with pytest.raises(ValueError, match="at least 2 judges"):
        krippendorff_alpha_interval(np.array([[1.0], [2.0], [3.0]]))


def test_krippendorff_alpha_no_pairable_entry_raises_value_error():
    """When no entry has two scores there is nothing to compare, and the error says so."""
    matrix = np.array([[1.0, NAN], [NAN, 2.0]])

    with pytest.raises(ValueError, match="scored by 2 or more judges"):
        krippendorff_alpha_interval(matrix)


def test_krippendorff_alpha_constant_scores_raise_value_error():
    """All pairable scores equal: expected disagreement is zero and alpha is undefined."""
    with pytest.raises(ValueError, match="no variation"):
        krippendorff_alpha_interval(np.full((3, 3), 0.1) * 3)


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_every_metric_reproduces_published_values(metric, published):
    """Krippendorff's 2011 example gives his printed alpha for each metric, to 3 decimals."""
    assert round(krippendorff_alpha(KRIPPENDORFF_UNITS, metric), 3) == published


def test_krippendorff_alpha_coincidence_interval_equals_closed_form():
    """The coincidence matrix with the interval metric equals the closed form on random gaps."""
    rng = np.random.default_rng(3)
    matrix = rng.integers(1, 8, (40, 5)).astype(float)
    matrix[rng.random(matrix.shape) < 0.3] = np.nan
    kept = ~np.isnan(matrix) & ((~np.isnan(matrix)).sum(1) >= 2)[:, None]
    unit = np.unique(np.nonzero(kept)[0], return_inverse=True)[1]
    by_coincidence = coefficients._alpha_coincidence(unit, matrix[kept], "interval")
    assert by_coincidence == pytest.approx(krippendorff_alpha_interval(matrix), abs=1e-12)


def test_krippendorff_alpha_ordinal_ignores_monotone_transform():
    """Ordinal alpha depends on the order of the values only: squaring them changes nothing."""
    squared = KRIPPENDORFF_UNITS**2
    assert krippendorff_alpha(squared, "ordinal") == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_UNITS, "ordinal"), abs=1e-12
    )


def test_krippendorff_alpha_unknown_metric_raises_value_error():
    """A metric outside nominal/ordinal/interval/ratio is refused."""
    with pytest.raises(ValueError, match="unknown metric"):
        krippendorff_alpha(KRIPPENDORFF_UNITS, "cosine")
