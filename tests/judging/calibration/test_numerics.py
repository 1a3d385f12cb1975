"""Numerical helpers: the F quantile against scipy."""

import pytest

from judging.calibration.numerics import f_quantile


@pytest.mark.parametrize(
    ("q", "d1", "d2"),
    [(0.975, 5, 18), (0.95, 2, 10), (0.975, 15, 5), (0.5, 1, 1), (0.975, 5, 7.31), (0.99, 40, 3)],
)
def test_f_quantile_matches_scipy(q, d1, d2):
    """F quantiles (whole and fractional degrees of freedom) equal scipy's to 1e-9."""
    from scipy.stats import f

    assert f_quantile(q, d1, d2) == pytest.approx(f.ppf(q, d1, d2), rel=1e-9)
