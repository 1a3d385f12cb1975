"""Additive calibration: textbook BIBD, dense least-squares cross-checks, shrinkage, bias+scale."""

import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from judging.calibration.calibrate import calibrate, parse_shrinkage
from judging.sheets.sheet import build_sheet, read_scores

DATA = Path(__file__).parents[1] / "data"

# Montgomery, Design and Analysis of Experiments (5th ed.), Example 4.5 / Table 4.22: a balanced
# incomplete block design, 4 catalysts (treatments) in 4 batches of raw material (blocks), k = 3.
CATALYST = {
    "1": {"1": 73, "2": 74, "4": 71},
    "2": {"2": 75, "3": 67, "4": 72},
    "3": {"1": 73, "2": 75, "3": 68},
    "4": {"1": 75, "3": 72, "4": 75},
}


def _catalyst_sheet():
    rows = [(t, b, v) for t, batches in CATALYST.items() for b, v in batches.items()]
    entries, judges, values = zip(*rows, strict=True)
    return build_sheet(entries, judges, values)


def _random_sheet(seed, n_entries=40, n_judges=8, per_entry=3, confidences=False):
    rng = np.random.default_rng(seed)
    truth = rng.normal(60, 10, n_entries)
    bias = rng.normal(0, 6, n_judges)
    rows = []
    for e in range(n_entries):
        for j in rng.choice(n_judges, per_entry, replace=False):
            rows.append((f"e{e}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 3)))
    entries, judges, values = zip(*rows, strict=True)
    conf = rng.choice([0.5, 1.0, 3.0], len(rows)) if confidences else None
    return build_sheet(entries, judges, values, confidences=conf)


def _dense_fit(sheet, lam=0.0):
    """Independent cross-check: the (E + J) weighted least-squares system solved densely,
    with the gauge sum(b) = 0 as a Lagrange constraint (lam = 0) or a ridge on b (lam > 0)."""
    n_e, n_j, n = sheet.n_entries, sheet.n_judges, sheet.total.size
    x = np.zeros((n, n_e + n_j))
    x[np.arange(n), sheet.entry_idx] = 1
    x[np.arange(n), n_e + sheet.judge_idx] = 1
    xtwx = x.T @ (sheet.weight[:, None] * x)
    xtwy = x.T @ (sheet.weight * sheet.total)
    if lam > 0:
        xtwx[n_e:, n_e:] += lam * np.eye(n_j)
        inv = np.linalg.inv(xtwx)
        return inv @ xtwy, inv
    kkt = np.zeros((n_e + n_j + 1, n_e + n_j + 1))
    kkt[:-1, :-1] = xtwx
    kkt[-1, n_e:-1] = kkt[n_e:-1, -1] = 1
    inv = np.linalg.inv(kkt)
    sol = inv @ np.append(xtwy, 0.0)
    return sol[:-1], inv[:-1, :-1]


def test_calibrate_catalyst_bibd_reproduces_montgomery_effects():
    """Unit confidences, shrinkage none = intra-block analysis: tau_i = kQ_i/(lambda a)."""
    sheet = _catalyst_sheet()
    cal = calibrate(sheet, "none")
    # Printed: tau_1..4 = -9/8, -7/8, -4/8, 20/8; overall mean 870/12 = 72.50
    assert_allclose(cal.values - 72.5, [-1.125, -0.875, -0.5, 2.5], atol=1e-12)
    # Block effects beta_j = r Q'_j / (lambda b): 7/8, 24/8, -31/8, 0 for batches 1..4
    biases = dict(zip(sheet.judge_ids, cal.biases, strict=True))
    assert_allclose([biases[b] for b in "1234"], [0.875, 3.0, -3.875, 0.0], atol=1e-12)
    # ANOVA: SS_E = 3.25 on 5 degrees of freedom, MS_E = 0.65
    assert cal.dof == 5
    assert_allclose(cal.sigma2, 0.65)


def test_calibrate_catalyst_contrast_stderr_matches_bibd_formula():
    """SE(tau_i - tau_j) in a BIBD is sqrt(2 k sigma^2 / (lambda a)) = sqrt(6 * 0.65 / 8)."""
    from judging.ranking.uncertainty import difference_stderr

    cal = calibrate(_catalyst_sheet(), "none")
    se = difference_stderr(cal)(np.array([0, 1, 2]), np.array([1, 2, 3]))
    assert_allclose(se, math.sqrt(2 * 3 * 0.65 / (2 * 4)))


def test_calibrate_none_matches_dense_least_squares_with_confidences():
    """The reduced J x J solve equals the dense (E + J) WLS solution and its covariance."""
    sheet = _random_sheet(3, confidences=True)
    cal = calibrate(sheet, "none")
    sol, inv = _dense_fit(sheet)
    n_e = sheet.n_entries
    assert_allclose(cal.values, sol[:n_e], rtol=1e-10)
    assert_allclose(cal.biases, sol[n_e:], atol=1e-9)
    assert_allclose(cal.value_stderr, np.sqrt(cal.sigma2 * np.diag(inv)[:n_e]), rtol=1e-8)
    assert_allclose(cal.bias_stderr, np.sqrt(cal.sigma2 * np.diag(inv)[n_e:]), rtol=1e-8)


def test_calibrate_float_shrinkage_matches_dense_ridge():
    """A number is lambda: the dense system with lambda * I added on the judge block."""
    sheet = _random_sheet(4)
    cal = calibrate(sheet, 2.5)
    sol, inv = _dense_fit(sheet, lam=2.5)
    assert_allclose(cal.values, sol[: sheet.n_entries], rtol=1e-10)
    assert_allclose(cal.biases, sol[sheet.n_entries :], atol=1e-9)
    assert_allclose(cal.value_stderr**2, cal.sigma2 * np.diag(inv)[: sheet.n_entries], rtol=1e-8)
    assert cal.shrinkage == 2.5


def test_calibrate_leverage_standardizes_residuals():
    """Standardized residuals use 1 - h_i from the dense hat matrix."""
    sheet = _random_sheet(5)
    cal = calibrate(sheet, "none")
    n_e, n = sheet.n_entries, sheet.total.size
    x = np.zeros((n, n_e + sheet.n_judges))
    x[np.arange(n), sheet.entry_idx] = 1
    x[np.arange(n), n_e + sheet.judge_idx] = 1
    hat = np.diag(x @ np.linalg.pinv(x.T @ x) @ x.T)
    expected = cal.residual / np.sqrt(cal.sigma2 * (1 - hat))
    assert_allclose(cal.std_residual, expected, rtol=1e-7)


def test_calibrate_disconnected_biases_sum_to_zero_per_component():
    """Gauge: biases sum to zero within each connected component."""
    sheet = build_sheet(
        ["a", "a", "b", "b", "c", "c", "d", "d"],
        ["j1", "j2", "j1", "j2", "k1", "k2", "k1", "k2"],
        [5, 7, 6, 9, 1, 2, 3, 3],
    )
    cal = calibrate(sheet, "none")
    assert cal.component.tolist() == [0, 0, 1, 1]
    assert_allclose([cal.biases[:2].sum(), cal.biases[2:].sum()], [0, 0], atol=1e-12)


def test_calibrate_judgewise_uses_method_of_moments_tau():
    """tau^2 = (sum b_hat^2 - sigma^2 tr L^+) / (J - C) from the fixed-effects fit."""
    sheet = _random_sheet(6)
    fixed = calibrate(sheet, "none")
    auto = calibrate(sheet, "judgewise")
    tau2 = (fixed.biases @ fixed.biases - np.trace(fixed.bias_cov)) / (sheet.n_judges - 1)
    assert_allclose(auto.tau2, tau2, rtol=1e-8)
    assert_allclose(auto.shrinkage, fixed.sigma2 / tau2, rtol=1e-8)


def test_calibrate_judgewise_shrinks_single_rating_reviewer_in_aibs_panel():
    """Real AIBS panel (Gallo, figshare 12728087; R package rankrate): reviewer 12 rated one
    proposal, and `auto` pulls that reviewer's bias much further toward 0 than the others'."""
    sheet = _aibs_sheet((DATA / "aibs-ratings.csv").read_text(encoding="utf-8"))
    none = calibrate(sheet, "none")
    auto = calibrate(sheet, "judgewise")
    twelve, six, nine = (sheet.judge_ids.index(j) for j in ("12", "6", "9"))
    # the one-rating reviewer's bias keeps under 40% of its fixed-effects size ...
    assert abs(auto.biases[twelve]) < 0.4 * abs(none.biases[twelve])
    assert auto.bias_stderr[twelve] < none.bias_stderr[twelve]
    # ... while the difference between two reviewers with 28 and 25 ratings keeps over 85%
    full_auto = auto.biases[six] - auto.biases[nine]
    full_none = none.biases[six] - none.biases[nine]
    assert 0.85 < full_auto / full_none <= 1.0


def _aibs_sheet(text):
    """Rows judge, proposal, rating -> a sheet with proposals as entries."""
    lines = text.strip().splitlines()[1:]
    judges, entries, values = zip(*(line.split(",") for line in lines), strict=True)
    return build_sheet(entries, judges, [float(v) for v in values])


def test_calibrate_judgewise_with_no_bias_spread_sets_biases_to_zero():
    """When the bias spread is below noise, tau^2 = 0: lambda = inf and biases are 0."""
    sheet = build_sheet(
        ["a", "a", "b", "b", "c", "c"], ["x", "y", "x", "y", "x", "y"], [5, 6, 7, 6, 3, 3]
    )
    cal = calibrate(sheet, "judgewise")
    assert cal.tau2 == 0.0
    assert math.isinf(cal.shrinkage)
    assert_allclose(cal.biases, 0.0)
    assert_allclose(cal.values, [5.5, 6.5, 3.0])


def test_calibrate_bias_scale_recovers_judge_gains():
    """bias+scale: a judge who doubles every spread gets a gain near 2 x the others'."""
    rng = np.random.default_rng(11)
    truth = rng.normal(0, 10, 150)
    gain = np.array([1.0, 1.0, 2.0, 0.5, 1.0])
    rows = []
    for e in range(150):
        for j in rng.choice(5, 3, replace=False):
            rows.append((f"e{e}", f"j{j}", 50 + gain[j] * truth[e] + rng.normal(0, 1)))
    entries, judges, values = zip(*rows, strict=True)
    sheet = build_sheet(entries, judges, values)
    cal = calibrate(sheet, "none", bias_scale=True)
    fitted = np.array([cal.gains[sheet.judge_ids.index(f"j{j}")] for j in range(5)])
    assert_allclose(fitted / fitted[0], gain, rtol=0.06)
    assert_allclose(cal.gains.mean(), 1.0)
    assert np.corrcoef(cal.values, truth)[0, 1] > 0.99


def test_parse_shrinkage_rejects_negative_and_words():
    """auto, none or a finite number >= 0."""
    assert parse_shrinkage("auto") == "auto"
    assert parse_shrinkage("judgewise") == "judgewise"
    assert parse_shrinkage("0.5") == 0.5
    for bad in ("-1", "lots", "inf"):
        with pytest.raises(ValueError, match="shrinkage"):
            parse_shrinkage(bad)


def test_read_scores_aibs_fixture_has_279_ratings(tmp_path):
    """The copied AIBS fixture reads as 12 reviewers, 28 proposals, 279 ratings."""
    src = (DATA / "aibs-ratings.csv").read_text(encoding="utf-8")
    path = tmp_path / "aibs.csv"
    path.write_text(src.replace("judge,proposal,rating", "judge,entry,score"), encoding="utf-8")
    sheet = read_scores(path)
    assert (sheet.n_judges, sheet.n_entries, sheet.total.size) == (12, 28, 279)


def test_calibrate_judgewise_hand_worked_two_judges():
    """x scores 10, 20, 30 and y 14, 22, 36: b_hat = (-2, 2), sigma^2 = 2, tr L^+ = 1/3, so
    tau^2 = 22/3, lambda = 3/11, L_jj = 3/2, s = 11/13; Cov(b) = P(S C S + tau^2 (I - S)^2)P
    = 55/169 [[1, -1], [-1, 1]]; values stay the raw means with SE sqrt(sigma^2 / 2) = 1."""
    sheet = build_sheet(list("abcabc"), list("xxxyyy"), [10, 20, 30, 14, 22, 36])
    cal = calibrate(sheet, "judgewise")
    assert_allclose(cal.sigma2, 2.0)
    assert_allclose(cal.tau2, 22 / 3)
    assert_allclose(cal.shrinkage, 3 / 11)
    assert_allclose(cal.shrink_factors, [11 / 13, 11 / 13])
    assert_allclose(cal.biases, [-22 / 13, 22 / 13])
    assert_allclose(cal.bias_cov, 55 / 169 * np.array([[1, -1], [-1, 1]]), atol=1e-12)
    assert_allclose(cal.values, [12, 21, 33])
    assert_allclose(cal.value_stderr, [1, 1, 1])


def test_calibrate_judgewise_shrinks_each_fixed_effect_by_its_own_information():
    """auto = the fixed-effects biases times s_j = L_jj / (L_jj + lambda), re-centred per
    component, with L_jj = sum_e w_ej (1 - w_ej / W_e); values = ybar - sum_j a_ej b_j."""
    sheet = _random_sheet(8, confidences=True)
    none, auto = calibrate(sheet, "none"), calibrate(sheet, "judgewise")
    e, j, w = sheet.entry_idx, sheet.judge_idx, sheet.weight
    big_w = np.bincount(e, w)
    l_jj = np.bincount(j, w * (1 - w / big_w[e]))
    lam = none.sigma2 / auto.tau2
    shrunk = l_jj / (l_jj + lam) * none.biases
    assert_allclose(auto.biases, shrunk - shrunk.mean(), atol=1e-10)
    ybar = np.bincount(e, w * sheet.total) / big_w
    assert_allclose(auto.values, ybar - np.bincount(e, w * auto.biases[j]) / big_w, rtol=1e-12)
    s = np.diag(l_jj / (l_jj + lam))
    proj = np.eye(sheet.n_judges) - 1 / sheet.n_judges
    expected = proj @ (s @ none.bias_cov @ s + auto.tau2 * (np.eye(sheet.n_judges) - s) ** 2)
    assert_allclose(auto.bias_cov, expected @ proj, atol=1e-12)


def test_calibrate_judgewise_thin_judge_is_shrunk_well_sampled_ones_barely():
    """A late judge with one score on an entry with 3 other judges has L_jj = 1 - 1/4 and is
    shrunk by s = 0.75 / (0.75 + lambda) (here lambda = sigma^2 / tau^2 ~ 0.19, s ~ 0.80);
    judges with about 15 scores keep over 95% of their biases and bias differences."""
    sheet = _random_sheet(9)
    rows = list(zip(sheet.entry_idx, sheet.judge_idx, sheet.total, strict=True))
    entries = [sheet.entry_ids[e] for e, _, _ in rows] + ["e0"]
    judges = [sheet.judge_ids[j] for _, j, _ in rows] + ["late"]
    values = [float(v) for _, _, v in rows] + [float(sheet.total[0]) + 10.0]
    thin = build_sheet(entries, judges, values)
    none, auto = calibrate(thin, "none"), calibrate(thin, "judgewise")
    late = thin.judge_ids.index("late")
    assert_allclose(auto.shrink_factors[late], 0.75 / (0.75 + auto.shrinkage))
    assert auto.shrink_factors[late] < 0.85
    assert abs(auto.biases[late]) < 0.85 * abs(none.biases[late])
    others = np.arange(thin.n_judges) != late
    assert np.all(auto.shrink_factors[others] > 0.95)
    spread = np.ptp(auto.biases[others]) / np.ptp(none.biases[others])
    assert 0.95 < spread <= 1.0


def test_calibrate_judgewise_keeps_the_gradient_of_a_confounded_chain():
    """Harsh judges drawing strong entries along a band: judgewise stays within 0.01 of none in
    Kendall tau to the truth, where the joint ridge with the same lambda loses much more."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
    from judging_designs import kendall_tau, simulate

    losses = {"auto": [], "ridge": []}
    for seed in range(4):
        sheet, truth, _ = simulate(("confounded", 3, 20, 6), seed)
        none, auto = calibrate(sheet, "none"), calibrate(sheet, "judgewise")
        ridge = calibrate(sheet, auto.shrinkage)
        base = kendall_tau(none.values, truth)
        losses["auto"].append(base - kendall_tau(auto.values, truth))
        losses["ridge"].append(base - kendall_tau(ridge.values, truth))
    assert np.mean(losses["auto"]) < 0.01
    assert np.mean(losses["ridge"]) > 3 * np.mean(losses["auto"])


def test_calibrate_judgewise_aibs_reviewer_12_factor_comes_from_its_one_rating():
    """AIBS panel: reviewer 12's one rating, on a proposal with m reviewers, gives L_jj =
    1 - 1/m and s = L_jj / (L_jj + lambda) < 0.35; reviewers with 20+ ratings keep s > 0.85."""
    sheet = _aibs_sheet((DATA / "aibs-ratings.csv").read_text(encoding="utf-8"))
    auto = calibrate(sheet, "judgewise")
    twelve = sheet.judge_ids.index("12")
    (proposal,) = sheet.entry_idx[sheet.judge_idx == twelve]
    m = np.count_nonzero(sheet.entry_idx == proposal)
    l_jj = 1 - 1 / m
    assert_allclose(auto.shrink_factors[twelve], l_jj / (l_jj + auto.shrinkage))
    assert auto.shrink_factors[twelve] < 0.35
    counts = np.bincount(sheet.judge_idx)
    assert np.all(auto.shrink_factors[counts >= 20] > 0.85)


def test_calibrate_bias_scale_keeps_equal_gains_at_one_under_confounding():
    """Harsh judges draw strong entries and every true gain is 1: the log-gain prior keeps every
    fitted gain within 10% of 1 (unregularized slopes hit the clip bounds), and the values rank
    the entries as well as the additive model (Kendall tau within 0.01)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
    from judging_designs import kendall_tau, simulate

    for seed in range(3):
        sheet, truth, _ = simulate(("confounded", 3, 20, 1), seed)
        scaled, additive = calibrate(sheet, "none", bias_scale=True), calibrate(sheet, "none")
        assert np.abs(np.log(scaled.gains)).max() < np.log(1.1)
        assert kendall_tau(scaled.values, truth) > kendall_tau(additive.values, truth) - 0.01
