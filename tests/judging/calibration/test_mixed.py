"""Two-way mixed model: REML and BLUP against dense references, the chi-square tail, and the
fixed-or-random choice on simulated designs."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats

from judging.calibration.calibrate import calibrate
from judging.calibration.graph import judge_components
from judging.calibration.mixed import _Design, fit_mixed
from judging.calibration.numerics import chi2_sf, newton_2d
from judging.sheets.sheet import build_sheet

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from judging_designs import simulate


def _data(seed=1, n_e=30, n_j=7, per=3):
    rng = np.random.default_rng(seed)
    truth, bias = rng.normal(60, 10, n_e), rng.normal(0, 6, n_j)
    e, j = [], []
    for i in range(n_e):
        for k in rng.choice(n_j, per, replace=False):
            e.append(i)
            j.append(int(k))
    e, j = np.array(e), np.array(j)
    y = truth[e] + bias[j] + rng.normal(0, 3, e.size)
    w = rng.choice([0.5, 1.0, 2.0], e.size)
    return e, j, y, w, n_e, n_j


def _dense_reml(e, j, y, w, n_e, n_j, x, log_k, log_lam):
    """-2 log REML likelihood from V = W^-1 + Z_e Z_e^T / k + Z_j Z_j^T / lambda, with the
    fixed effects [1, x_e]; up to the constant sum log w."""
    n = y.size
    k, lam = math.exp(log_k), math.exp(log_lam)
    ze = np.zeros((n, n_e))
    ze[np.arange(n), e] = 1
    zj = np.zeros((n, n_j))
    zj[np.arange(n), j] = 1
    h = np.diag(1 / w) + ze @ ze.T / k + zj @ zj.T / lam
    xm = np.column_stack([np.ones(n), x[e]])
    hi = np.linalg.inv(h)
    xhx = xm.T @ hi @ xm
    p = hi - hi @ xm @ np.linalg.solve(xhx, xm.T @ hi)
    dof = n - xm.shape[1]
    return (
        dof * math.log(y @ p @ y / dof)
        + np.linalg.slogdet(h)[1]
        + np.linalg.slogdet(xhx)[1]
        + np.log(w).sum()
    )


def test_mixed_reml_objective_equals_dense_likelihood():
    """The Schur-complement REML objective equals the dense -2 log L_R (with the covariate)."""
    e, j, y, w, n_e, n_j = _data()
    x = np.random.default_rng(5).normal(0, 1, n_e)
    comp = judge_components(e, j, n_j)
    design = _Design(e, j, y, w, n_e, n_j, comp, x)
    for log_k, log_lam in [(0.0, 0.0), (1.0, -1.0), (-2.0, 2.5)]:
        assert_allclose(
            design.neg2_reml(log_k, log_lam),
            _dense_reml(e, j, y, w, n_e, n_j, x, log_k, log_lam),
            rtol=1e-9,
        )


def test_newton_2d_finds_the_minimum_of_a_smooth_function():
    """Newton on finite differences lands within its tolerance of scipy's minimum."""

    def f(a, b):
        return math.exp(a) - 2.0 * a + 3.0 * (b - 0.5 * a) ** 2 + math.cosh(b - 1.0)

    x, _, evals = newton_2d(f, np.array([-2.0, 3.0]))
    best = optimize.minimize(lambda p: f(*p), [0.0, 0.0], tol=1e-12).x
    assert_allclose(x, best, atol=0.005)
    assert evals < 46


def test_newton_2d_gives_up_on_a_minimum_at_a_bound():
    """Infinite values on the stencil (a bound) return None, for Nelder-Mead to take over."""
    x = newton_2d(lambda a, b: (a - 1.0) ** 2 + b * b if a <= 1.0 else math.inf, np.zeros(2))
    assert x is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fit_mixed_reaches_the_reml_minimum(seed):
    """fit_mixed's variance ratios minimize -2 l_R as scipy finds it (0.5% in a ratio)."""
    e, j, y, w, n_e, n_j = _data(seed=seed, n_e=60, n_j=9)
    comp = judge_components(e, j, n_j)
    fit, design = fit_mixed(e, j, y, w, n_e, n_j, comp, (9.0, 100.0, 36.0))
    best = optimize.minimize(
        lambda p: design.neg2_reml(*p),
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000},
    ).x
    found = [math.log(fit.sigma2 / fit.entry_var), math.log(fit.sigma2 / fit.judge_var)]
    assert_allclose(found, best, atol=0.005)


def test_mixed_blup_and_prediction_variance_equal_dense_equations():
    """Values, biases and value variances equal Henderson's equations solved densely."""
    e, j, y, w, n_e, n_j = _data(seed=2)
    x = np.random.default_rng(6).normal(0, 1, n_e)
    comp = judge_components(e, j, n_j)
    fit, _ = fit_mixed(e, j, y, w, n_e, n_j, comp, (9.0, 100.0, 36.0), x)
    k, lam = fit.sigma2 / fit.entry_var, fit.sigma2 / fit.judge_var
    n = y.size
    m = np.zeros((n, 2 + n_e + n_j))
    m[:, 0], m[:, 1] = 1, x[e]
    m[np.arange(n), 2 + e] = 1
    m[np.arange(n), 2 + n_e + j] = 1
    c = m.T @ (w[:, None] * m) + np.diag([0, 0] + [k] * n_e + [lam] * n_j)
    sol = np.linalg.solve(c, m.T @ (w * y))
    b = sol[2 + n_e :]
    values = sol[0] + sol[1] * x + sol[2 : 2 + n_e] + b.mean()
    assert_allclose(fit.values, values, atol=1e-9)
    assert_allclose(fit.biases, b - b.mean(), atol=1e-9)
    contrast = np.zeros((n_e, 2 + n_e + n_j))
    contrast[:, 0], contrast[:, 1] = 1, x
    contrast[np.arange(n_e), 2 + np.arange(n_e)] = 1
    contrast[:, 2 + n_e :] = 1 / n_j
    pev = np.einsum("ij,jk,ik->i", contrast, np.linalg.inv(c), contrast)
    mix = np.zeros((n_e, n_j + fit.cov_unit.shape[0] - n_j))
    np.add.at(mix, (e, j), fit.mixture)
    for a in range(fit.offset_col.shape[1]):
        np.add.at(mix, (np.arange(n_e), fit.offset_col[:, a]), -fit.offset_weight[:, a])
    ours = 1 / fit.precision + np.einsum("ij,jk,ik->i", mix, fit.cov_unit, mix)
    assert_allclose(ours, pev, rtol=1e-8)


@pytest.mark.parametrize("df", [1, 2, 7, 59, 300])
def test_chi2_sf_matches_scipy(df):
    """The chi-square survival function agrees with scipy to 1e-10 relative."""
    for x in [0.01, 0.5 * df, df, 2.0 * df + 10, 5.0 * df + 40]:
        assert_allclose(chi2_sf(x, df), stats.chi2.sf(x, df), rtol=1e-10, atol=1e-300)


def test_calibrate_auto_chooses_fixed_entries_when_assignment_follows_quality():
    """Confounded band design (harsh judges draw strong entries): auto equals --shrinkage none."""
    for seed in range(3):
        sheet, _, _ = simulate(("confounded", 3, 20, 6), seed)
        auto, none = calibrate(sheet, "auto"), calibrate(sheet, "none")
        assert auto.model == "fixed entries"
        assert auto.model_reason.startswith("fixed entries: ")
        assert_allclose(auto.values, none.values)


def test_calibrate_auto_random_model_reports_its_components():
    """When the random model is chosen, sigma^2, sigma_v^2 and tau^2 are positive and the values
    are on the fixed-effects gauge (biases sum to zero)."""
    rng = np.random.default_rng(0)
    truth, bias = rng.normal(60, 10, 80), rng.normal(0, 6, 12)
    rows = []
    for e in range(80):
        for j in rng.choice(12, 3, replace=False):
            rows.append((f"e{e}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 6)))
    sheet = build_sheet(*zip(*rows, strict=True))
    cal = calibrate(sheet, "auto")
    assert cal.model == "random entries and judges"
    assert cal.model_reason.startswith("random entries and judges: ")
    assert cal.sigma2 > 0
    assert cal.entry_var > 0
    assert cal.tau2 > 0
    assert_allclose(cal.biases.sum(), 0.0, atol=1e-8)
    assert cal.hausman.p_value >= 0.2
    assert_allclose(cal.shrinkage, cal.sigma2 / cal.tau2)


def test_calibrate_auto_random_model_intervals_keep_a_floor():
    """Sparse random design (2 judges per entry, 60 judges) where the random model is chosen:
    each value's variance is at least 0.7 of the fixed-effects one, and here the floor binds
    (the BLUP's own prediction variance is smaller)."""
    sheet, _, _ = simulate(("random", 2, 60, 1), 1)
    auto, none = calibrate(sheet, "auto"), calibrate(sheet, "none")
    assert auto.model == "random entries and judges"
    floor = 0.7 * none.value_stderr**2
    assert np.all(auto.value_stderr**2 >= floor * (1 - 1e-12))
    assert np.isclose(auto.value_stderr**2, floor).mean() > 0.9
