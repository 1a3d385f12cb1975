"""The reliability summary of a matrix: which statistics a design gets, real Olympic data, and
the input checks every coefficient shares."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from judging.reliability.coefficients import (
    icc,
    is_complete,
    kendall_w,
    krippendorff_alpha_interval,
    reliability_summary,
)
from tests.judging.reliability.support import KRIPPENDORFF_UNITS, NAN, SHROUT_FLEISS, vars_of

DATA = Path(__file__).parents[1] / "data"


def _skating_matrix() -> np.ndarray:
    """The 120 x 9 program-component matrix of the 2018 Olympic men's free skating."""
    with (DATA / "reliability_skating_men_free_components.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return np.array([[float(row[f"J{j}"]) for j in range(1, 10)] for row in rows])


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
