"""Additive calibration of judge bias by weighted least squares (MacKay et al. 2017).

Model, for every scored (entry e, judge j) pair with rubric total y_ej and confidence w_ej:

    y_ej = value_e + bias_j + noise,   noise ~ N(0, sigma^2 / w_ej).

With unit confidences this is Fisher's intra-block analysis of an incomplete block design
(entries = treatments, judges = blocks). Eliminating the entries (a Schur complement) leaves a
J x J system in the biases,

    (L + lambda I) b = r,   r_j = sum_e w_ej (y_ej - ybar_e),   ybar_e = sum_j w_ej y_ej / W_e,

with L the weighted judge-graph Laplacian (:func:`judging.calibration.graph.laplacian`), and then
value_e = ybar_e - sum_j (w_ej / W_e) b_j. The system is assembled from the judge pairs within
each entry and solved densely in J (never an E x E or (E + J) x (E + J) matrix).

Gauge: with lambda = 0 the biases are fixed by requiring them to sum to zero within each
connected component of the judge-entry graph; with lambda > 0 that holds automatically (the
joint ridge) or by re-centring (``judgewise``, ``auto``).

Settings (``shrinkage``); lambda = sigma^2 / tau^2 for a prior bias_j ~ N(0, tau^2):
- ``"auto"`` (the default): the two-way mixed model of :mod:`judging.calibration.mixed` (REML
  variance components, BLUP of entries and judges, a Mundlak term), used only when Hausman's test
  and the bias-spread test both find it consistent with the data; otherwise ``"none"``.
  ``model``/``model_reason`` say which and why; ``entry_var`` is sigma_v^2, ``tau2`` tau^2.
- ``"none"``: lambda = 0, the exact fixed-effects solution b_hat (gauge as above).
- a number: lambda itself, as a joint ridge: (L + lambda I) b = r, the posterior mean under the
  prior (lambda extra scores per judge exactly equal to the entries' values).
  Cov(b) = sigma^2 (L + lambda I)^-1, the posterior covariance.
- ``"judgewise"`` (the default before 0.x): empirical Bayes, judge by judge. tau^2 by moments
  from the fixed-effects fit: with L^+ the gauge pseudo-inverse, E[sum_j b_hat_j^2] =
  tau^2 (J - C) + sigma^2 trace(L^+) (C components), so
  tau^2 = max(0, (sum b_hat^2 - sigma^2 tr L^+) / (J - C)). Then

      b_j = s_j b_hat_j - m_c,   s_j = tau^2 / (tau^2 + V_j) = L_jj / (L_jj + lambda),

  with V_j = sigma^2 / L_jj and m_c the mean of s_j b_hat_j over judge j's component (so the
  gauge holds after shrinking); value_e = ybar_e - sum_j (w_ej / W_e) b_j. Judgewise rather
  than the joint ridge because the ridge shrinks the weakly determined eigen-directions of L
  most, where a harshness gradient along a chain-like judge graph lies (benchmarks/
  judging_accuracy.py). tau^2 = 0 means no detectable bias: lambda = inf and every bias is 0.
  Uncertainty of ``judgewise`` (an approximation: S = diag(s_j) and tau^2 are treated as known,
  P the per-component centring): Cov(b) = P (S Cov(b_hat) S + tau^2 (I - S)^2) P, the sampling
  covariance of the shrunk estimator plus its expected squared bias under the prior (the bias
  of b_j given the true b_j is -(1 - s_j) b_j; entry values move by sum_j (w_ej/W_e)(1 - s_j)
  b_hat_j toward the raw means). Before centring its diagonal, s_j^2 V'_j + (1 - s_j)^2 tau^2
  with V'_j the diagonal of Cov(b_hat), equals the posterior variance tau^2 V'_j / (tau^2 +
  V'_j) when V'_j = V_j. The expected bias is taken under the prior, so it ignores any
  dependence of the biases on the assignment.
sigma^2 = sum_i w_i res_i^2 / (n - E - J + C) from the fixed-effects residuals (REML for the
mixed model; 0 when the residual sd is below 1e-9 of the largest total: an exact fit).
Failure modes of shrinkage: the prior assumes biases unrelated to who scores what.
``judgewise`` keeps the fixed effects' protection against confounding for judges with many
scores, but a thin judge is shrunk whatever the assignment (one or two scores cannot tell bias from
quality), so its scores count partly as they are; tau^2 by moments is inflated when the
assignment follows harshness, which means less shrinkage (the safe side).

Uncertainty: Cov(b) as above (for lambda = 0, sigma^2 L^+), and Var(value_e) = sigma^2 / W_e +
a_e^T Cov(b) a_e with a_e = (w_ej / W_e)_j, the judge mixture of entry e (ybar_e is
independent of b_hat). sigma^2 is treated as known. Standardized residuals use the leverage
w_i Var(fitted_i) / sigma^2 with this Cov(b), exact for ``none``.

Bias and scale (``bias_scale=True``): y_ej - m = g_j (value_e - m + bias_j) + noise, with m the
weighted mean of all totals (gains stretch the scale around its centre). Alternating least
squares from the additive solution: given the values, each judge's slope of its totals on the
values, ghat_j (weighted; kept at 1 with fewer than 3 scores or a slope <= 0, clipped to
[0.25, 4]), is shrunk on the log scale, log g_j = t_j log ghat_j, t_j = tau_g^2 / (tau_g^2 +
V_j), V_j = sigma^2 / (Sxx_j ghat_j^2) the delta-method variance of log ghat_j (sigma^2 from the
residuals of the current bias+scale fit) and tau_g^2 =
max(0, var(log ghat) - mean V) by moments (a judge with ten scores barely moves its gain off
1; unregularized slopes lost up to 0.36 Kendall tau to the additive model on sparse designs);
gains are normalized to mean 1; given the gains, the additive model is refitted to
m + (y - m) / g_j with weights w g_j^2. Repeated until the gains change by less than 1e-9 (at
most 50 rounds). Standard errors treat the gains as known; lambda (and for ``auto`` tau^2) stays
at its value from the first additive fit, the factors s_j follow the reweighted L_jj. With
``auto`` the gains come from the fixed-effects fit and the model choice is made on the
rescaled totals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from judging.calibration.gains import judge_gains
from judging.calibration.graph import EntryGroups, judge_components, laplacian
from judging.calibration.mixed import Hausman, MixedFit, choose_model
from judging.sheets.sheet import ScoreSheet

__all__ = [
    "Calibration",
    "calibrate",
    "centre_per_component",
    "parse_shrinkage",
    "shrink_factors",
]

Array = NDArray[np.float64]
Index = NDArray[np.intp]

FLOOR_SHARE = 0.7
"""The random-entries model's value variance is at least this share of the fixed-effects one:
the choice of the random model is uncertain, and when it is wrong (assignment follows quality
without the tests seeing it) its intervals would be too narrow. On benchmarks/
judging_coverage.py: without a floor two designs covered 83% and 90%; with 0.7 every design
lies in [93%, 97%] (1.0 over-covers sparse random designs, 97.9%)."""


@dataclass(frozen=True, slots=True, eq=False)
class Calibration:
    """The fitted calibration model (see the module docstring for every formula).

    Per entry: ``values``, ``value_stderr``, ``precision`` (W_e). Per judge: ``biases``,
    ``bias_stderr``, ``gains`` (all 1 for the additive model), ``component``. ``bias_cov`` is
    Cov(b) (J x J). Per observation (the sheet's pairs): ``residual`` (y - fitted, on the total
    scale), ``std_residual`` (residual / its standard deviation, leverage included; NaN when the
    score is fitted exactly) and ``mixture`` = w_ej / W_e. ``shrinkage`` is the lambda used.
    ``shrink_factors`` holds the per-judge s_j of ``auto`` (None for ``none`` and a numeric
    lambda, which use no per-judge factors). ``extra_var`` (random-entries model only) is what
    the variance floor (``FLOOR_SHARE``) adds to an entry's model variance:
    value_stderr^2 - the model's prediction error variance, drawn as independent noise by
    :func:`judging.ranking.uncertainty.draw_values` so that P(top k) uses the reported uncertainty.
    ``fixed_values``/``fixed_value_stderr`` (random-entries model only): the exact
    fixed-effects solution it was chosen over, as ``calibrate(sheet, "none")`` gives it.
    """

    values: Array
    value_stderr: Array
    precision: Array
    biases: Array
    bias_stderr: Array
    gains: Array
    bias_cov: Array
    component: Index
    residual: Array
    std_residual: Array
    mixture: Array
    entry_idx: Index
    judge_idx: Index
    sigma2: float
    tau2: float
    shrinkage: float
    dof: int
    shrink_factors: Array | None = None
    model: str = "fixed entries"
    model_reason: str = ""
    entry_var: float = float("nan")
    hausman: Hausman | None = None
    offset_col: Index | None = None
    offset_weight: Array | None = None
    joint_cov: Array | None = None
    extra_var: Array | None = None
    fixed_values: Array | None = None
    fixed_value_stderr: Array | None = None


SHRINKAGE_WORDS = ("auto", "none", "judgewise")
"""Named shrinkage settings; a number >= 0 is a joint-ridge lambda (module docstring)."""


def parse_shrinkage(text: str | float) -> str | float:
    """``"auto"``, ``"none"``, ``"judgewise"`` or a number >= 0 (lambda); ValueError otherwise."""
    if isinstance(text, (int, float)):
        value = float(text)
    elif text in SHRINKAGE_WORDS:
        return text
    else:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(
                f"shrinkage must be auto, none, judgewise or a number >= 0, not {text!r}"
            ) from None
    if not (value >= 0 and np.isfinite(value)):
        raise ValueError(f"shrinkage must be a finite number >= 0, not {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class _Problem:
    entry_idx: Index
    judge_idx: Index
    n_entries: int
    n_judges: int
    pairs: tuple[Index, Index, Index]
    component: Index


def _problem(entry_idx: Index, judge_idx: Index, n_entries: int, n_judges: int) -> _Problem:
    groups = EntryGroups(entry_idx, n_entries)
    every = np.arange(n_entries)
    return _Problem(
        entry_idx,
        judge_idx,
        n_entries,
        n_judges,
        groups.pairs(every, every),
        judge_components(entry_idx, judge_idx, n_judges),
    )


def _gauge_projector(component: Index) -> Array:
    """U U^T: 1/n_c where judges j, k share component c, else 0."""
    size = np.bincount(component).astype(np.float64)
    same = component[:, None] == component[None, :]
    return same / size[component][:, None]


def _solve(
    prob: _Problem, y: Array, w: Array, lam: float
) -> tuple[Array, Array, Array, Array, Array]:
    """Biases b, Cov(b)/sigma^2, values v, precisions W and diag(L) for a joint ridge lambda."""
    e, j, nj = prob.entry_idx, prob.judge_idx, prob.n_judges
    lap, big_w = laplacian(e, j, w, prob.pairs[1:], prob.n_entries, nj)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = np.bincount(e, w * y, minlength=prob.n_entries) / big_w
    rhs = np.bincount(j, w * (y - ybar[e]), minlength=nj)
    if np.isinf(lam):
        b, cov = np.zeros(nj), np.zeros((nj, nj))
    elif lam > 1e-10 * max(float(np.diag(lap).mean()), 1e-300):  # else: the lambda -> 0 limit
        cov = np.linalg.inv(lap + lam * np.eye(nj))
        b = cov @ rhs
    else:
        proj = _gauge_projector(prob.component)
        inv = np.linalg.inv(lap + proj)
        b = inv @ rhs
        cov = inv - proj
    cov = 0.5 * (cov + cov.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = ybar - np.bincount(e, w * b[j], minlength=prob.n_entries) / big_w
    return b, cov, v, big_w, np.diag(lap).copy()


def shrink_factors(lap_diag: Array, lam: float) -> Array:
    """s_j = L_jj / (L_jj + lambda) of ``auto`` (0 for lambda = inf, 1 for lambda = 0)."""
    if np.isinf(lam):
        return np.zeros_like(lap_diag)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(lap_diag > 0, lap_diag / (lap_diag + lam), 1.0 if lam == 0 else 0.0)


def centre_per_component(b: Array, component: Index) -> Array:
    """b minus its mean over each connected component (the gauge)."""
    size = np.bincount(component)
    return b - (np.bincount(component, b, minlength=size.size) / size)[component]


def _judgewise(
    prob: _Problem, y: Array, w: Array, lam: float
) -> tuple[Array, Array, Array, Array, Array]:
    """``auto``: fixed effects, then b = P S b_hat and Cov(b)/sigma^2 = P (S L^+ S +
    (I - S)^2 / lambda) P (module docstring); returns b, Cov/sigma^2, v, W and S."""
    b_hat, pinv, v_hat, big_w, lap_diag = _solve(prob, y, w, 0.0)
    s = shrink_factors(lap_diag, lam)
    b = centre_per_component(s * b_hat, prob.component)
    e, j = prob.entry_idx, prob.judge_idx
    with np.errstate(invalid="ignore", divide="ignore"):
        v = v_hat + np.bincount(e, w * (b_hat - b)[j], minlength=prob.n_entries) / big_w
    cov = s[:, None] * pinv * s[None, :]
    if lam > 0 and np.isfinite(lam):
        cov[np.diag_indices_from(cov)] += (1.0 - s) ** 2 / lam
    cov = _centre_rows(_centre_rows(cov, prob.component).T, prob.component)
    return b, 0.5 * (cov + cov.T), v, big_w, s


def _centre_rows(matrix: Array, component: Index) -> Array:
    """P M: every column of M minus its mean over each component's rows (P = I - U U^T)."""
    onehot = np.zeros((component.size, int(component.max()) + 1))
    onehot[np.arange(component.size), component] = 1.0
    means = (onehot.T @ matrix) / onehot.sum(axis=0)[:, None]
    return matrix - onehot @ means


def _sigma2(prob: _Problem, y: Array, w: Array, extra: int = 0) -> tuple[float, int, Array, Array]:
    """Fixed-effects sigma^2, its degrees of freedom, biases and Cov(b)/sigma^2."""
    b, cov, v, _, _ = _solve(prob, y, w, 0.0)
    res = y - v[prob.entry_idx] - b[prob.judge_idx]
    n_comp = int(prob.component.max()) + 1
    scored = int(np.count_nonzero(np.bincount(prob.entry_idx, minlength=prob.n_entries)))
    dof = y.size - scored - (prob.n_judges - n_comp) - extra
    sigma2 = float((w * res * res).sum() / dof) if dof > 0 else float("nan")
    if sigma2 < (1e-9 * float(np.abs(y).max(initial=1.0))) ** 2:
        sigma2 = 0.0  # an exact fit up to rounding: no noise at all

    return sigma2, dof, b, cov


def _lambda(
    shrinkage: str | float, sigma2: float, b: Array, cov: Array, prob: _Problem
) -> tuple[float, float]:
    """(lambda, tau^2) for a shrinkage setting (see module docstring)."""
    if shrinkage == "none":
        return 0.0, float("nan")
    if shrinkage != "judgewise":
        lam = float(shrinkage)
        return lam, (sigma2 / lam if lam > 0 else float("inf"))
    free = prob.n_judges - (int(prob.component.max()) + 1)
    if free <= 0 or not np.isfinite(sigma2):
        return 0.0, float("nan")
    tau2 = max(0.0, (float(b @ b) - sigma2 * float(np.trace(cov))) / free)
    return (sigma2 / tau2 if tau2 > 0 else float("inf")), tau2


def _estimate(prob: _Problem, y: Array, w: Array, lam: float, judgewise: bool):
    """(b, Cov(b)/sigma^2, v, W, s or None) for the joint ridge or the judgewise shrinkage."""
    if judgewise:
        return _judgewise(prob, y, w, lam)
    return (*_solve(prob, y, w, lam)[:4], None)


def _fit(prob: _Problem, y: Array, w: Array, shrinkage: str | float, bias_scale: bool):
    sigma2, dof, b_fixed, cov_fixed = _sigma2(prob, y, w)
    lam, tau2 = _lambda(shrinkage, sigma2, b_fixed, cov_fixed, prob)
    judgewise = shrinkage == "judgewise" and not np.isnan(tau2)
    gains = np.ones(prob.n_judges)
    b, cov, v, big_w, s = _estimate(prob, y, w, lam, judgewise)
    if bias_scale:
        m = float(np.average(y, weights=w))
        e, j = prob.entry_idx, prob.judge_idx
        for _ in range(50):
            g = gains[j]
            res = y - m - g * (v[e] - m + b[j])
            noise = float((w * res * res).sum() / dof) if dof > 0 else float("nan")
            new = judge_gains(prob.entry_idx, prob.judge_idx, prob.n_judges, y, w, v, noise)
            change = float(np.abs(new - gains).max())
            gains = new
            g = gains[prob.judge_idx]
            b, cov, v, big_w, s = _estimate(prob, m + (y - m) / g, w * g * g, lam, judgewise)
            if change < 1e-9:
                break
        g = gains[prob.judge_idx]
        extra = int(np.count_nonzero(gains != 1.0))
        sigma2, dof, _, _ = _sigma2(prob, m + (y - m) / g, w * g * g, extra=max(extra - 1, 0))
    return sigma2, dof, lam, tau2, gains, b, cov, v, big_w, s


def _select(
    prob: _Problem, y: Array, w: Array, fixed: tuple[float, Array, Array, Array]
) -> tuple[MixedFit | None, str, Hausman | None]:
    """The ``auto`` model choice: (the mixed fit or None for fixed entries, reason, test);
    ``fixed`` = (sigma^2, biases, L^+, values) of the fixed-effects fit to (y, w)."""
    sigma2, b_fixed, pinv, v_fixed = fixed
    return choose_model(
        prob.entry_idx,
        prob.judge_idx,
        y,
        w,
        (prob.n_entries, prob.n_judges),
        prob.component,
        (sigma2, b_fixed, pinv, v_fixed),
    )


def calibrate(
    sheet: ScoreSheet, shrinkage: str | float = "auto", bias_scale: bool = False
) -> Calibration:
    """Fit the calibration model to a score sheet (formulas in the module docstring)."""
    shrinkage = parse_shrinkage(shrinkage)
    e, j = sheet.entry_idx, sheet.judge_idx
    prob = _problem(e, j, sheet.n_entries, sheet.n_judges)
    y, w = sheet.total, sheet.weight
    base = "none" if shrinkage == "auto" else shrinkage
    sigma2, dof, lam, tau2, gains, b, cov_unit, v, big_w, s_j = _fit(prob, y, w, base, bias_scale)
    g = gains[j]
    m = float(np.average(y, weights=w))
    y_fit, w_fit = m + (y - m) / g, w * g * g
    mixed, reason, test = None, "", None
    if shrinkage == "auto":
        mixed, reason, test = _select(prob, y_fit, w_fit, (sigma2, b, cov_unit, v))
    elif shrinkage == "none":
        reason = "fixed entries and judges (--shrinkage none)"
    else:
        reason = f"fixed entries, judge biases shrunk ({shrinkage})"
    with np.errstate(invalid="ignore", divide="ignore"):
        mix = w_fit / big_w[e]
    p, s, t = prob.pairs
    quad = np.bincount(e[s], mix[s] * mix[t] * cov_unit[j[s], j[t]], minlength=sheet.n_entries)
    if mixed is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            floor = FLOOR_SHARE * sigma2 * (1.0 / big_w + quad)
        out = _from_mixed(sheet, prob, mixed, gains, m, reason, test, dof, floor)
        with np.errstate(invalid="ignore", divide="ignore"):
            fixed_se = np.sqrt(sigma2 * (1.0 / big_w + quad))
        return replace(out, fixed_values=v, fixed_value_stderr=fixed_se)
    cov = sigma2 * cov_unit if np.isfinite(sigma2) else np.full_like(cov_unit, np.nan)
    cross = np.bincount(s, mix[t] * cov_unit[j[s], j[t]], minlength=e.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        var_v = 1.0 / big_w + quad
        residual = y - m - g * (v[e] - m + b[j])
        var_fit = 1.0 / big_w[e] + np.diag(cov_unit)[j] - 2.0 * cross + quad[e]
        leverage = w_fit * var_fit
        spread = np.sqrt(sigma2 / w_fit * (1.0 - leverage)) * g
        std_res = np.where((1.0 - leverage > 1e-9) & (spread > 0), residual / spread, np.nan)
    del p
    return Calibration(
        values=v,
        value_stderr=np.sqrt(sigma2 * var_v),
        precision=big_w,
        biases=b,
        bias_stderr=np.sqrt(np.clip(np.diag(cov), 0.0, None)),
        gains=gains,
        bias_cov=cov,
        component=prob.component,
        residual=residual,
        std_residual=std_res,
        mixture=mix,
        entry_idx=e,
        judge_idx=j,
        sigma2=sigma2,
        tau2=tau2,
        shrinkage=lam,
        dof=dof,
        shrink_factors=s_j,
        model="fixed entries",
        model_reason=reason,
        hausman=test,
    )


def _from_mixed(
    sheet: ScoreSheet,
    prob: _Problem,
    fit: MixedFit,
    gains: Array,
    m: float,
    reason: str,
    test: Hausman | None,
    dof: int,
    floor: Array,
) -> Calibration:
    """A :class:`Calibration` from the random-entries BLUP (:mod:`judging.calibration.mixed`);
    ``value_stderr``^2 is at least ``floor`` (``FLOOR_SHARE`` of the fixed-effects variance)."""
    e, j, n_j = sheet.entry_idx, sheet.judge_idx, sheet.n_judges
    g = gains[j]
    w_fit = sheet.weight * g * g
    joint = fit.sigma2 * fit.cov_unit
    cov_unit = fit.cov_unit
    oc, ow, mix = fit.offset_col, fit.offset_weight, fit.mixture
    _, s, t = prob.pairs
    quad = np.bincount(e[s], mix[s] * mix[t] * cov_unit[j[s], j[t]], minlength=sheet.n_entries)
    for a in range(oc.shape[1]):
        lin = np.bincount(e, mix * cov_unit[j, oc[e, a]], minlength=sheet.n_entries)
        quad -= 2.0 * ow[:, a] * lin
        for c in range(oc.shape[1]):
            quad += ow[:, a] * ow[:, c] * cov_unit[oc[:, a], oc[:, c]]
    with np.errstate(invalid="ignore", divide="ignore"):
        var_v = 1.0 / fit.precision + quad
        residual = sheet.total - m - g * (fit.values[e] - m + fit.biases[j])
        lam = fit.sigma2 / fit.judge_var
        d_j = np.bincount(j, w_fit, minlength=n_j)
        leverage = np.clip(w_fit / fit.precision[e] + w_fit / (d_j[j] + lam), 0.0, 1.0)
        spread = np.sqrt(fit.sigma2 / w_fit * (1.0 - leverage)) * g
        std_res = np.where((1.0 - leverage > 1e-9) & (spread > 0), residual / spread, np.nan)
    bias_cov = joint[:n_j, :n_j]
    model_var = np.clip(fit.sigma2 * var_v, 0.0, None)
    value_var = np.clip(np.fmax(model_var, floor), 0.0, None)
    return Calibration(
        values=fit.values,
        value_stderr=np.sqrt(value_var),
        extra_var=np.nan_to_num(value_var - model_var, nan=0.0),
        precision=fit.precision,
        biases=fit.biases,
        bias_stderr=np.sqrt(np.clip(np.diag(bias_cov), 0.0, None)),
        gains=gains,
        bias_cov=bias_cov,
        component=prob.component,
        residual=residual,
        std_residual=std_res,
        mixture=mix,
        entry_idx=e,
        judge_idx=j,
        sigma2=fit.sigma2,
        tau2=fit.judge_var,
        shrinkage=lam,
        dof=dof,
        model="random entries and judges",
        model_reason=reason,
        entry_var=fit.entry_var,
        hausman=test,
        offset_col=oc,
        offset_weight=ow,
        joint_cov=joint,
    )
