"""Reliability statistics: published examples, independent cross-checks, properties, real data."""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from scipy.stats import rankdata

from judging import reliability
from judging.reliability import (
    IccResult,
    icc,
    is_complete,
    kendall_w,
    krippendorff_alpha_interval,
    reliability_summary,
)

DATA = Path(__file__).parent / "data"
NAN = np.nan

# Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns).
SHROUT_FLEISS = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=np.float64,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers
# (A, B, C, D) x 12 units with missing values. Here rows are units, columns the observers.
KRIPPENDORFF_OBSERVERS = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],  # A
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],  # B
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],  # C
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],  # D
    ]
)
KRIPPENDORFF_UNITS = KRIPPENDORFF_OBSERVERS.T

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


def _or_nan(function, matrix: np.ndarray) -> float:
    """The statistic, or NaN when the function reports it undefined."""
    try:
        return function(matrix)
    except ValueError:
        return float("nan")


def vars_of(result: IccResult) -> dict[str, float]:
    """The fields of an IccResult by name."""
    return {name: getattr(result, name) for name in IccResult.__dataclass_fields__}


def _skating_matrix() -> np.ndarray:
    """The 120 x 9 program-component matrix of the 2018 Olympic men's free skating."""
    with (DATA / "reliability_skating_men_free_components.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return np.array([[float(row[f"J{j}"]) for j in range(1, 10)] for row in rows])


small_scores = st.integers(min_value=0, max_value=10).map(float)
complete_matrices = st.tuples(
    st.integers(min_value=2, max_value=7), st.integers(min_value=2, max_value=5)
).flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=small_scores))


@st.composite
def matrices_with_gaps(draw: st.DrawFn) -> np.ndarray:
    """Small integer score matrices with some cells missing and at least one pairable unit."""
    matrix = draw(complete_matrices).copy()
    missing = draw(hnp.arrays(np.bool_, matrix.shape))
    matrix[missing] = NAN
    matrix[0, :2] = draw(st.tuples(small_scores, small_scores))
    return matrix


# --- Shrout & Fleiss (1979) -------------------------------------------------------------------


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


# --- Krippendorff's alpha ---------------------------------------------------------------------


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
    expected = _or_nan(_alpha_by_coincidences_or_raise, matrix)

    actual = _or_nan(krippendorff_alpha_interval, matrix)

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
    before = _or_nan(krippendorff_alpha_interval, matrix)

    after = _or_nan(krippendorff_alpha_interval, matrix + constant)

    assert_allclose(after, before, rtol=1e-9, atol=1e-9, equal_nan=True)


@given(matrices_with_gaps(), st.randoms(use_true_random=False))
def test_krippendorff_alpha_permuting_judges_and_entries_leaves_alpha_unchanged(matrix, random):
    """alpha does not depend on the order of the judges or of the entries."""
    rows = list(range(matrix.shape[0]))
    cols = list(range(matrix.shape[1]))
    random.shuffle(rows)
    random.shuffle(cols)

    before = _or_nan(krippendorff_alpha_interval, matrix)
    after = _or_nan(krippendorff_alpha_interval, matrix[np.ix_(rows, cols)])

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


# --- Kendall's W ------------------------------------------------------------------------------


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
    expected = _or_nan(_kendall_w_with_scipy_ranks_or_raise, matrix)

    actual = _or_nan(kendall_w, matrix)

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


# --- is_complete and the summary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        (SHROUT_FLEISS, True),
        (KRIPPENDORFF_UNITS, False),
        (SHROUT_FLEISS[:1], False),
        (SHROUT_FLEISS[:, :1], False),
        (SHROUT_FLEISS[:, 0], False),
    ],
    ids=["complete", "missing-cells", "one-row", "one-column", "one-dimensional"],
)
def test_is_complete_design_conditions(matrix, expected):
    """is_complete needs a 2-D matrix, no NaN, at least 2 rows and 2 columns."""
    assert is_complete(matrix) is expected


def test_reliability_summary_complete_design_has_every_statistic():
    """A complete design reports alpha, the six ICCs and W, equal to the individual functions."""
    summary = reliability_summary(SHROUT_FLEISS)

    assert summary == {
        "krippendorff_alpha": krippendorff_alpha_interval(SHROUT_FLEISS),
        **vars_of(icc(SHROUT_FLEISS)),
        "kendall_w": kendall_w(SHROUT_FLEISS),
    }


def test_reliability_summary_incomplete_design_has_only_alpha():
    """With missing cells only Krippendorff's alpha is reported."""
    summary = reliability_summary(KRIPPENDORFF_UNITS)

    assert summary == {"krippendorff_alpha": krippendorff_alpha_interval(KRIPPENDORFF_UNITS)}


def test_reliability_summary_undefined_statistics_are_nan():
    """Constant scores make every statistic undefined; the summary says NaN instead of raising."""
    summary = reliability_summary(np.full((3, 4), 7.0))

    assert sorted(summary) == sorted(
        ["krippendorff_alpha", "icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k", "kendall_w"]
    )
    assert all(np.isnan(value) for value in summary.values())


def test_reliability_summary_single_judge_gives_nan_alpha():
    """One judge column: alpha is undefined and reported as NaN; no complete-design statistics."""
    assert np.isnan(reliability_summary(np.array([[1.0], [2.0]]))["krippendorff_alpha"])


# --- Real data: 2018 Olympic figure skating ---------------------------------------------------


def test_reliability_olympic_skating_components_are_high():
    """Nine Olympic judges' program component scores agree strongly on every statistic.

    Data: BuzzFeed News, repository BuzzFeedNews/2018-02-olympic-figure-skating-analysis
    (CC BY 4.0); fixture = men's free skating program components (24 skaters x 5 components
    = 120 rows, judges J1..J9), extracted by data/reliability_skating_extract.py.
    """
    matrix = _skating_matrix()

    summary = reliability_summary(matrix)

    assert matrix.shape == (120, 9)
    assert 0.75 < summary["krippendorff_alpha"] < 1.0
    assert 0.75 < summary["icc2"] < 1.0
    assert 0.95 < summary["icc2k"] < 1.0
    assert 0.75 < summary["kendall_w"] < 1.0


def test_reliability_olympic_skating_half_missing_keeps_alpha_defined():
    """Blanking a random half of the cells leaves alpha defined and close to the complete value.

    Data: BuzzFeed News, BuzzFeedNews/2018-02-olympic-figure-skating-analysis (CC BY 4.0).
    """
    matrix = _skating_matrix()
    holes = matrix.copy()
    holes[np.random.default_rng(4).random(matrix.shape) < 0.5] = NAN

    summary = reliability_summary(holes)

    assert list(summary) == ["krippendorff_alpha"]
    assert summary["krippendorff_alpha"] == pytest.approx(
        krippendorff_alpha_interval(matrix), abs=0.1
    )


@pytest.mark.parametrize(
    "function", [krippendorff_alpha_interval, icc, kendall_w, reliability_summary]
)
def test_reliability_infinite_score_raises_value_error(function):
    """An infinite score is refused with a hint to use NaN for a missing score."""
    matrix = SHROUT_FLEISS.copy()
    matrix[0, 0] = np.inf

    with pytest.raises(ValueError, match="use NaN for a missing score"):
        function(matrix)


@pytest.mark.parametrize(
    "function", [krippendorff_alpha_interval, icc, kendall_w, reliability_summary]
)
def test_reliability_one_dimensional_input_raises_value_error(function):
    """A flat list of scores is not a matrix of entries x judges, and the error says so."""
    with pytest.raises(ValueError, match="expected a 2-D matrix"):
        function(SHROUT_FLEISS[:, 0])


# --- Krippendorff (2011), every metric; ICC confidence intervals ------------------------------

KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
).T
"""Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
(columns) by 12 units (rows) with missing values."""


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_every_metric_reproduces_published_values(metric, published):
    """Krippendorff's 2011 example gives his printed alpha for each metric, to 3 decimals."""
    assert round(reliability.krippendorff_alpha(KRIPPENDORFF_2011, metric), 3) == published


def test_krippendorff_alpha_coincidence_interval_equals_closed_form():
    """The coincidence matrix with the interval metric equals the closed form on random gaps."""
    rng = np.random.default_rng(3)
    matrix = rng.integers(1, 8, (40, 5)).astype(float)
    matrix[rng.random(matrix.shape) < 0.3] = np.nan
    kept = ~np.isnan(matrix) & ((~np.isnan(matrix)).sum(1) >= 2)[:, None]
    unit = np.unique(np.nonzero(kept)[0], return_inverse=True)[1]
    by_coincidence = reliability._alpha_coincidence(unit, matrix[kept], "interval")
    assert by_coincidence == pytest.approx(krippendorff_alpha_interval(matrix), abs=1e-12)


def test_krippendorff_alpha_ordinal_ignores_monotone_transform():
    """Ordinal alpha depends on the order of the values only: squaring them changes nothing."""
    squared = KRIPPENDORFF_2011**2
    assert reliability.krippendorff_alpha(squared, "ordinal") == pytest.approx(
        reliability.krippendorff_alpha(KRIPPENDORFF_2011, "ordinal"), abs=1e-12
    )


def test_krippendorff_alpha_unknown_metric_raises_value_error():
    """A metric outside nominal/ordinal/interval/ratio is refused."""
    with pytest.raises(ValueError, match="unknown metric"):
        reliability.krippendorff_alpha(KRIPPENDORFF_2011, "cosine")


def test_icc_intervals_shrout_fleiss_match_psych_icc():
    """95% intervals on Shrout & Fleiss's Table 2 data equal R psych::ICC's printed bounds."""
    bounds = reliability.icc_intervals(SHROUT_FLEISS)
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
        point, bounds = reliability.icc(matrix), reliability.icc_intervals(matrix)
        for name in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"):
            lower, upper = getattr(bounds, name)
            assert lower <= getattr(point, name) <= upper


@pytest.mark.parametrize(
    ("q", "d1", "d2"),
    [(0.975, 5, 18), (0.95, 2, 10), (0.975, 15, 5), (0.5, 1, 1), (0.975, 5, 7.31), (0.99, 40, 3)],
)
def test_f_quantile_matches_scipy(q, d1, d2):
    """F quantiles (whole and fractional degrees of freedom) equal scipy's to 1e-9."""
    from scipy.stats import f

    assert reliability.f_quantile(q, d1, d2) == pytest.approx(f.ppf(q, d1, d2), rel=1e-9)
