"""Two-way mixed model: REML variance components, BLUP, and the Hausman choice of entry effects.

Model, for every scored (entry e, judge j) pair with total y_ej and confidence w_ej:

    y_ej = mu_c + u_e + b_j + noise,   noise ~ N(0, sigma^2 / w_ej),

with mu_c a fixed mean per connected component c of the judge-entry graph, judge effects
b_j ~ N(0, tau^2) and, in the *random-entries* model, entry effects u_e ~ N(0, sigma_v^2), all
independent. Ratios: k = sigma^2 / sigma_v^2 (entry shrinkage) and lambda = sigma^2 / tau^2.

Henderson's mixed-model equations, entries eliminated (their block is diagonal), leave a
(C + J) system in beta = (mu, b) (unit sigma^2):

    S beta = q,   S = [[diag_c sum_e W_e k/d_e,  U^T], [U,  L_k + lambda I]],
    L_k = D - sum_e w_e w_e^T / d_e,   d_e = W_e + k,   U_jc = [j in c] sum_e w_ej k / d_e,
    q_mu,c = sum_{e in c} R_e k / d_e,   q_j = sum_e w_ej (y_ej - R_e / d_e),
    R_e = sum_j w_ej y_ej,

and u_e = (R_e - W_e mu_c - sum_j w_ej b_j) / d_e. L_k is the judge Laplacian of
:mod:`judging.calibration.graph` with W_e replaced by W_e + k; k = 0 gives the fixed-entries
(intra-block) analysis. Reported on the fixed-effects gauge (biases sum to 0 per component):

    value_e = mu_c + u_e + mean_c(b),   bias_j = b_j - mean_c(b),

so value_e = R_e/d_e - sum_j (w_ej/d_e) bias_j + (k/d_e) m_c with m_c = mu_c + mean_c(b).
Its prediction error variance (Henderson 1975) is sigma^2 (1/d_e + x_e^T S^-1 x_e), with
x_e = (-k/d_e at mu_c; w_ej/d_e - 1/n_c at the judges of c).

REML (Patterson & Thompson 1971), sigma^2 profiled out, n scores, p = C fixed effects:

    -2 l_R = (n - p) log s^2 - E log k - J log lambda + sum_e log d_e + log det S,
    s^2 = (y^T W y - u^T R - beta^T r) / (n - p),   r = (sum_{e in c} R_e; sum_e w_ej y_ej),

minimized over (log k, log lambda) from moment estimates by Newton's method on finite
differences (:func:`judging.calibration.numerics.newton_2d`), or by Nelder-Mead where Newton fails
(a minimum on a bound); E and J count the
scored entries and judges.

Mundlak term: the random-entries model gets one entry covariate x_e = sum_j (w_ej / W_e) b^F_j,
the mean fixed-effects bias of the entry's judges, with a fixed coefficient pi (Mundlak 1978):
entry effects are then shrunk toward mu_c + pi x_e, the level expected of an entry with that
panel, rather than toward mu_c, so that part of any dependence of quality on the panel's
harshness is kept out of the shrinkage. value_e then includes pi x_e (its error enters as a
second offset column, see :class:`MixedFit`).

Fixed or random entries: when assignment follows quality (strong entries to harsh judges), the
random-entries model, which assumes the entry effects unrelated to who judges them, pulls the
harshness back into the values. Two tests compare it with the fixed-entries fit b^F (which is
consistent either way):

- Hausman (1978) on the judge biases: H = d^T (V_F - V_R)^+ d, d = P (b^F - b^R), V_F =
  sigma^2 P L^+ P, V_R = sigma^2 P L_k^-1 P (b^R: random entries, fixed judges), P the
  per-component centring; chi^2 with df = rank(V_F - V_R);
- agreement of the judge variance: under independence REML's tau^2 (random entries) and the
  moment estimate from b^F, tau^2_F = (sum b^F^2 - sigma^2 tr L^+) / (J - C), estimate the
  same tau^2; when assignment follows quality the random-entries model explains harshness as
  quality and REML finds tau^2 near 0 while b^F keeps its spread.

The entries are random only when Hausman's p >= ``HAUSMAN_LEVEL`` and tau^2_REML >=
``TAU_AGREEMENT`` tau^2_F; otherwise the calibration is the exact fixed-effects solution.
(A chi-square test of b^F against M = tau^2_REML P + sigma^2 L^+ was tried and dropped: with
tau^2 from REML the statistic sits at its mean under independence, so it is no test.)
Accuracy of the candidates (plain two-way BLUP, with the Mundlak term, with and without the
tests, at several levels): benchmarks/judging_accuracy.py and the CHANGELOG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from judging.calibration.numerics import chi2_sf, cho_solve, nelder_mead, newton_2d

__all__ = [
    "HAUSMAN_LEVEL",
    "Hausman",
    "MixedFit",
    "choose_model",
    "fit_mixed",
    "hausman",
]

Array = NDArray[np.float64]
Index = NDArray[np.intp]

HAUSMAN_LEVEL = 0.2
"""Random entries need Hausman's p >= this (not the usual 0.05: the test has little power when
assignment follows quality only partly, and a wrong "random" costs far more Kendall tau than a
wrong "fixed"; see TAU_AGREEMENT)."""

TAU_AGREEMENT = 0.7
"""Random entries also need tau^2 (REML, random entries) >= this times tau^2 by moments from
the fixed-entries biases. Tried on benchmarks/judging_accuracy.py (36 designs x 15 seeds):
Hausman alone at 0.05 lost up to 0.17 Kendall tau to the fixed-effects solution; with this
agreement at 0.5 up to 0.031, at 0.8 up to 0.025 (both with Hausman at 0.05); (0.2, 0.7) lost
at most 0.0045 on every design and gained up to 0.013 on sparse random ones."""


@dataclass(frozen=True, slots=True)
class Hausman:
    """Hausman's statistic H, its degrees of freedom and p-value (chi^2 survival)."""

    statistic: float
    df: int
    p_value: float


@dataclass(frozen=True, slots=True, eq=False)
class MixedFit:
    """The random-entries, random-judges fit on the fixed-effects gauge (module docstring).

    ``values``/``biases`` as reported; ``precision`` d_e = W_e + k; ``mixture`` w_ej / d_e per
    observation; ``offset_weight`` k / d_e per entry; ``cov_unit`` = Cov of the errors of
    (bias_1..bias_J, m_1..m_C) / sigma^2, a (J + C) square matrix.
    """

    values: Array
    biases: Array
    precision: Array
    mixture: Array
    offset_col: Index
    offset_weight: Array
    cov_unit: Array
    sigma2: float
    entry_var: float
    judge_var: float
    evaluations: int
    pi: float


class _Design:
    """Sufficient statistics of a sheet for the mixed-model equations (module docstring)."""

    def __init__(
        self,
        e: Index,
        j: Index,
        y: Array,
        w: Array,
        n_e: int,
        n_j: int,
        comp: Index,
        x: Array | None = None,
    ):
        self.e, self.j, self.w, self.n_e, self.n_j = e, j, w, n_e, n_j
        self.comp = comp
        self.n_c = int(comp.max()) + 1
        self.x = None if x is None else np.where(np.isfinite(x), x, 0.0)
        self.n_f = self.n_c + (x is not None)
        self.big_w = np.bincount(e, w, minlength=n_e)
        self.scored = self.big_w > 0
        self.sum_r = np.bincount(e, w * y, minlength=n_e)
        self.d_j = np.bincount(j, w, minlength=n_j)
        self.r_j = np.bincount(j, w * y, minlength=n_j)
        self.ywy = float((w * y * y).sum())
        self.sum_r2 = self.sum_r[self.big_w > 0] ** 2
        self.n = y.size
        entry_comp = np.zeros(n_e, dtype=np.intp)
        entry_comp[e] = comp[j]
        self.entry_comp = entry_comp
        self.n_scored_e = int(self.scored.sum())
        self.n_scored_j = int(np.count_nonzero(self.d_j))
        self.comp_size = np.bincount(comp, minlength=self.n_c)
        order = np.argsort(e, kind="stable")
        count = np.bincount(e, minlength=n_e)
        start = np.cumsum(count) - count
        # every ordered pair (s, t) of observations sharing an entry
        rep = count[e[order]]
        s = np.repeat(order, rep)
        first = start[e[s]]
        offs = np.arange(s.size) - np.repeat(np.cumsum(rep) - rep, rep)
        t = order[first + offs]
        self.pair_flat = j[s] * n_j + j[t]
        self.pair_w = w[s] * w[t]
        self.pair_e = e[s]
        keys, inverse = np.unique(np.round(self.big_w[self.scored], 12), return_inverse=True)
        self.levels = None
        self.level_vectors: dict[str, list[Array]] = {}
        if keys.size * n_j * n_j <= 40_000_000 and keys.size <= 16:
            level_of = np.full(n_e, -1)
            level_of[self.scored] = inverse
            self.level_of = level_of
            # an entry whose W_e equals keys[g] (first scored entry of each level)
            self.level_index = np.array(
                [np.flatnonzero(level_of == g)[0] for g in range(keys.size)], dtype=np.intp
            )
            lp = level_of[self.pair_e]
            self.levels = keys
            self.level_mats = [
                np.bincount(self.pair_flat[lp == g], self.pair_w[lp == g], minlength=n_j * n_j)
                for g in range(keys.size)
            ]

    def _judge_sum(self, base: str, factor: Array) -> Array:
        """sum_e w_ej base_e factor_e per judge, with factor_e depending on W_e only (so that,
        with few distinct W_e, it is a sum of precomputed per-level vectors)."""
        if self.levels is not None:
            if base not in self.level_vectors:
                values = {"one": np.ones(self.n_e), "r": self.sum_r, "x": self.x}[base]
                self.level_vectors[base] = [
                    np.bincount(
                        self.j, self.w * (values * (self.level_of == g))[self.e], minlength=self.n_j
                    )
                    for g in range(self.levels.size)
                ]
            at = factor[self.level_index]
            return sum(f * v for f, v in zip(at, self.level_vectors[base], strict=True))
        values = {"one": 1.0, "r": self.sum_r, "x": self.x}[base]
        return np.bincount(self.j, self.w * (values * factor)[self.e], minlength=self.n_j)

    def laplacian(self, k: float) -> Array:
        """L_k = D - sum_e w_e w_e^T / (W_e + k) (J x J)."""
        n_j = self.n_j
        if self.levels is not None:
            flat = np.zeros(n_j * n_j)
            for level, mat in zip(self.levels, self.level_mats, strict=True):
                flat += mat / (level + k)
        else:
            flat = np.bincount(
                self.pair_flat, self.pair_w / (self.big_w[self.pair_e] + k), minlength=n_j * n_j
            )
        lap = -flat.reshape(n_j, n_j)
        lap[np.diag_indices(n_j)] += self.d_j
        return lap

    def system(self, k: float, lam: float) -> tuple[Array, Array, Array]:
        """(S, q, d) of the module docstring for k > 0 and lambda > 0; the fixed effects are
        (mu_1..mu_C, pi) with pi the coefficient of the entry covariate x (if any)."""
        nc, nj, nf = self.n_c, self.n_j, self.n_f
        d = self.big_w + k
        frac = np.where(self.scored, k / d, 0.0)
        s = np.zeros((nf + nj, nf + nj))
        s[nf:, nf:] = self.laplacian(k)
        s[np.arange(nf, nf + nj), np.arange(nf, nf + nj)] += lam
        s[np.arange(nc), np.arange(nc)] = np.bincount(
            self.entry_comp, self.big_w * frac, minlength=nc
        )
        u = self._judge_sum("one", frac)
        s[nf + np.arange(nj), self.comp] = u
        s[self.comp, nf + np.arange(nj)] = u
        q = np.empty(nf + nj)
        q[:nc] = np.bincount(self.entry_comp, self.sum_r * frac, minlength=nc)
        q[nf:] = self.r_j - self._judge_sum("r", np.where(self.scored, 1.0 / d, 0.0))
        if self.x is not None:
            x = self.x
            s[nc, nc] = float((self.big_w * x * x * frac).sum())
            s[nc, :nc] = s[:nc, nc] = np.bincount(
                self.entry_comp, self.big_w * x * frac, minlength=nc
            )
            s[nc, nf:] = s[nf:, nc] = self._judge_sum("x", frac)
            q[nc] = float((x * self.sum_r * frac).sum())
        return s, q, d

    def solve(self, k: float, lam: float) -> tuple[Array, Array, Array, Array, float]:
        """(beta, u, d, Cholesky factor of S, y^T P y) at (k, lambda)."""
        s, q, d = self.system(k, lam)
        chol = np.linalg.cholesky(s)
        beta = cho_solve(chol, q)
        nc, nf = self.n_c, self.n_f
        mu, b = beta[:nc], beta[nf:]
        level = mu[self.entry_comp] + (beta[nc] * self.x if self.x is not None else 0.0)
        fitted = self.big_w * level + np.bincount(self.e, self.w * b[self.j], minlength=self.n_e)
        u = np.where(self.scored, (self.sum_r - fitted) / d, 0.0)
        ypy = self.ywy - float(u @ self.sum_r) - float(level @ self.sum_r) - float(b @ self.r_j)
        return beta, u, d, chol, ypy

    def neg2_reml(self, log_k: float, log_lam: float) -> float:
        """-2 l_R (module docstring) up to a constant; inf where the system is not positive."""
        k, lam = math.exp(log_k), math.exp(log_lam)
        try:
            s, q, d = self.system(k, lam)
            chol = np.linalg.cholesky(s)
        except np.linalg.LinAlgError:
            return math.inf
        # y^T P y = y^T W y - sum_e R_e^2 / d_e - beta^T q (the entries eliminated)
        beta = cho_solve(chol, q)
        ypy = self.ywy - float(self.sum_r2 @ (1.0 / d[self.scored])) - float(beta @ q)
        dof = self.n - self.n_f
        if ypy <= 0 or dof <= 0:
            return math.inf
        logdet = 2.0 * float(np.log(np.diag(chol)).sum())
        return (
            dof * math.log(ypy / dof)
            - self.n_scored_e * log_k
            - self.n_scored_j * log_lam
            + float(np.log(d[self.scored]).sum())
            + logdet
        )


LOG_RATIO_BOUND = 18.0
"""log k and log lambda stay within +-18 of log(mean W_e) (beyond: fixed or absent)."""


def fit_mixed(
    e: Index,
    j: Index,
    y: Array,
    w: Array,
    n_e: int,
    n_j: int,
    comp: Index,
    start: tuple[float, float, float],
    x: Array | None = None,
) -> tuple[MixedFit, _Design]:
    """REML variance components and the BLUP (module docstring). ``start`` = (sigma^2,
    sigma_v^2, tau^2) moment estimates to start from; ``x`` an optional entry covariate (the
    Mundlak term) whose coefficient pi is a fixed effect."""
    design = _Design(e, j, y, w, n_e, n_j, comp, x)
    scale = math.log(max(float(design.big_w[design.scored].mean()), 1e-300))
    sigma2, var_v, tau2 = start
    guess = np.array(
        [math.log(sigma2 / max(var_v, 1e-6 * sigma2)), math.log(sigma2 / max(tau2, 1e-6 * sigma2))]
    )
    lo, hi = scale - LOG_RATIO_BOUND, scale + LOG_RATIO_BOUND
    guess = np.clip(guess, lo, hi)

    def objective(log_k: float, log_lam: float) -> float:
        if not (lo <= log_k <= hi and lo <= log_lam <= hi):
            return math.inf
        return design.neg2_reml(log_k, log_lam)

    found = newton_2d(objective, guess)
    best, _, evals = found if found is not None else nelder_mead(objective, guess)
    k, lam = math.exp(best[0]), math.exp(best[1])
    beta, u, d, chol, ypy = design.solve(k, lam)
    s2 = ypy / (design.n - design.n_f)
    nc, nf, nj = design.n_c, design.n_f, n_j
    mu, b = beta[:nc], beta[nf:]
    mean_b = np.bincount(comp, b, minlength=nc) / design.comp_size
    biases = b - mean_b[comp]
    level = (mu + mean_b)[design.entry_comp]
    if design.x is not None:
        level = level + beta[nc] * design.x
    values = np.where(design.scored, level + u, np.nan)
    # T maps (mu, pi, b) errors to (bias, m, pi) errors: bias = b - mean_c b, m = mu + mean_c b
    t = np.zeros((nj + nf, nf + nj))
    t[np.arange(nj), nf + np.arange(nj)] = 1.0
    t[:nj, nf:] -= (comp[:, None] == comp[None, :]) / design.comp_size[comp][None, :]
    t[nj + np.arange(nf), np.arange(nf)] = 1.0
    t[nj : nj + nc, nf:] = (comp[None, :] == np.arange(nc)[:, None]) / design.comp_size[:, None]
    inv_s = cho_solve(chol, np.eye(nf + nj))
    cov_unit = t @ inv_s @ t.T
    share = np.where(design.scored, k / d, 0.0)
    offset_col = np.empty((n_e, nf - nc + 1), dtype=np.intp)
    offset_weight = np.empty((n_e, nf - nc + 1))
    offset_col[:, 0], offset_weight[:, 0] = nj + design.entry_comp, share
    if design.x is not None:
        offset_col[:, 1], offset_weight[:, 1] = nj + nc, share * design.x
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = MixedFit(
            values=values,
            biases=biases,
            precision=np.where(design.scored, d, 0.0),
            mixture=w / d[e],
            offset_col=offset_col,
            offset_weight=offset_weight,
            cov_unit=0.5 * (cov_unit + cov_unit.T),
            sigma2=float(s2),
            entry_var=float(s2 / k),
            judge_var=float(s2 / lam),
            evaluations=evals,
            pi=float(beta[nc]) if design.x is not None else float("nan"),
        )
    return fit, design


def hausman(design: _Design, k: float, sigma2: float, b_fixed: Array, pinv_fixed: Array) -> Hausman:
    """Hausman's test of fixed against random entries on the judge biases (module docstring).
    ``b_fixed``/``pinv_fixed``: the fixed-entries biases and L^+ (gauge-centred)."""
    comp = design.comp
    lap_k = design.laplacian(k)
    rhs = design.r_j - np.bincount(
        design.j, design.w * (design.sum_r / (design.big_w + k))[design.e], minlength=design.n_j
    )
    try:
        inv_k = np.linalg.inv(lap_k)
    except np.linalg.LinAlgError:
        return Hausman(float("nan"), 0, float("nan"))
    b_random = inv_k @ rhs
    proj = np.eye(design.n_j) - (comp[:, None] == comp[None, :]) / design.comp_size[comp][None, :]
    diff = proj @ (b_fixed - b_random)
    var = sigma2 * (pinv_fixed - proj @ inv_k @ proj.T)
    vals, vecs = np.linalg.eigh(0.5 * (var + var.T))
    keep = vals > 1e-9 * max(float(vals.max(initial=0.0)), 1e-300)
    if not keep.any():
        return Hausman(0.0, 0, 1.0)
    proj_d = vecs[:, keep].T @ diff
    stat = float((proj_d**2 / vals[keep]).sum())
    df = int(keep.sum())
    return Hausman(stat, df, chi2_sf(stat, df))


def choose_model(
    e: Index,
    j: Index,
    y: Array,
    w: Array,
    shape: tuple[int, int],
    comp: Index,
    fixed: tuple[float, Array, Array, Array],
) -> tuple[MixedFit | None, str, Hausman | None]:
    """The ``auto`` choice (module docstring): (the mixed fit, or None for fixed entries; the
    reason in words; Hausman's test). ``fixed`` = (sigma^2, biases, gauge L^+, values) of the
    fixed-effects fit; ``shape`` = (entries, judges)."""
    n_e, n_j = shape
    sigma2, b_fixed, pinv, v_fixed = fixed
    free = int(np.count_nonzero(np.bincount(j, minlength=n_j))) - (int(comp.max()) + 1)
    if not (np.isfinite(sigma2) and sigma2 > 0) or free <= 0:
        return None, "fixed entries: too few scores to estimate variance components", None
    scored = np.isfinite(v_fixed)
    big_w = np.bincount(e, w, minlength=n_e)
    var_v = float(np.var(v_fixed[scored])) - sigma2 * float(np.mean(1.0 / big_w[scored]))
    tau2 = (float(b_fixed @ b_fixed) - sigma2 * float(np.trace(pinv))) / free
    start = (sigma2, max(var_v, 1e-3 * sigma2), max(tau2, 1e-3 * sigma2))
    with np.errstate(invalid="ignore", divide="ignore"):
        panel = np.bincount(e, w * b_fixed[j], minlength=n_e) / big_w
    entry_comp = np.zeros(n_e, dtype=np.intp)
    entry_comp[e] = comp[j]
    within = np.where(scored, panel, 0.0)
    means = np.bincount(entry_comp, within * scored) / np.maximum(
        np.bincount(entry_comp, scored), 1
    )
    if np.abs(within - means[entry_comp])[scored].max(initial=0.0) <= 1e-9 * max(
        1.0, float(np.abs(b_fixed).max(initial=0.0))
    ):
        panel = None  # every panel equally harsh (a complete design): no Mundlak term
    try:
        fit, design = fit_mixed(e, j, y, w, n_e, n_j, comp, start, panel)
    except np.linalg.LinAlgError:
        return None, "fixed entries: the mixed model could not be fitted", None
    test = hausman(design, fit.sigma2 / fit.entry_var, fit.sigma2, b_fixed, pinv)
    agree = fit.judge_var / max(tau2, 1e-12 * sigma2)
    tests = (
        f"Hausman H = {test.statistic:.1f}, df {test.df}, p = {test.p_value:.2g}; judge "
        f"variance {fit.judge_var:.3g} with random entries, {max(tau2, 0.0):.3g} with fixed"
    )
    if not (test.p_value >= HAUSMAN_LEVEL and agree >= TAU_AGREEMENT):
        return (
            None,
            f"fixed entries: the data do not clearly agree with entry effects unrelated to "
            f"who judged them ({tests})",
            test,
        )
    return (
        fit,
        f"random entries and judges: no sign that assignment follows quality ({tests})",
        test,
    )
