"""Numerical helpers: the F quantile against scipy."""

import math

import pytest

from judging.calibration.numerics import f_quantile


@pytest.mark.parametrize(
    ("q", "d1", "d2"),
    [
        (0.975, 5, 18),
        (0.95, 2, 10),
        (0.975, 15, 5),
        (0.5, 1, 1),
        (0.975, 5, 7.31),
        (0.99, 40, 3),
        (0.975, 3, 0.1),
        (0.975, 0.1, 3),
        (0.975, 0.01, 3),
        (0.975, 0.001, 3),
    ],
)
def test_f_quantile_matches_scipy(q, d1, d2):
    """F quantiles (whole and fractional degrees of freedom) equal scipy's to 1e-9."""
    from scipy.stats import f

    assert f_quantile(q, d1, d2) == pytest.approx(f.ppf(q, d1, d2), rel=1e-9)


def test_f_quantile_beyond_the_doubles_saturates():
    """With tiny degrees of freedom the quantile lies beyond the doubles (the upper tail of
    F(3, 0.001) at 2.5% is near e^7400): it is ``inf`` above and 0.0 below, never an error."""
    assert f_quantile(0.975, 3, 0.001) == math.inf
    assert f_quantile(0.025, 0.001, 3) == 0.0
