"""Small numerical helpers: chi-square tail and F quantile (the mixed model's test, the ICC
intervals), Cholesky solve, Nelder-Mead."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["chi2_sf", "cho_solve", "f_quantile", "nelder_mead", "newton_2d"]

Array = NDArray[np.float64]


def chi2_sf(x: float, df: int) -> float:
    """P(X > x) for X ~ chi^2(df): the regularized upper incomplete gamma Q(df/2, x/2), by its
    series (x < a + 1) or Lentz's continued fraction (Numerical Recipes 6.2)."""
    if df <= 0 or not math.isfinite(x):
        return float("nan") if df <= 0 else 0.0
    a, z = df / 2.0, max(x, 0.0) / 2.0
    if z == 0.0:
        return 1.0
    log_front = a * math.log(z) - z - math.lgamma(a)
    if z < a + 1.0:
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-15:
            n += 1.0
            term *= z / n
            total += term
        return max(0.0, 1.0 - total * math.exp(log_front))
    b = z + 1.0 - a
    c, d = 1e300, 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-15:
            break
    return math.exp(log_front) * h


def _lower_solve(low: Array, rhs: Array, block: int = 48) -> Array:
    """Solve L x = rhs for lower-triangular L by blocked forward substitution (numpy has no
    triangular solver; a general solve would factor L again)."""
    n = low.shape[0]
    x = np.array(rhs, dtype=np.float64, copy=True)
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        if lo:
            x[lo:hi] -= low[lo:hi, :lo] @ x[:lo]
        x[lo:hi] = np.linalg.solve(low[lo:hi, lo:hi], x[lo:hi])
    return x


def _upper_solve(up: Array, rhs: Array, block: int = 48) -> Array:
    """Solve U x = rhs for upper-triangular U by blocked back substitution."""
    n = up.shape[0]
    x = np.array(rhs, dtype=np.float64, copy=True)
    for hi in range(n, 0, -block):
        lo = max(hi - block, 0)
        if hi < n:
            x[lo:hi] -= up[lo:hi, hi:] @ x[hi:]
        x[lo:hi] = np.linalg.solve(up[lo:hi, lo:hi], x[lo:hi])
    return x


def cho_solve(chol: Array, rhs: Array) -> Array:
    """Solve (C C^T) x = rhs given the lower Cholesky factor C (rhs a vector or a matrix)."""
    return _upper_solve(chol.T, _lower_solve(chol, rhs))


def newton_2d(f, start: Array, tol: float = 0.005, max_iter: int = 8):
    """Minimize a smooth f over R^2 by Newton's method on finite differences; None when it
    does not converge (the caller falls back on :func:`nelder_mead`). Returns (x, f, evals).

    Each iteration evaluates f at x +- h_i e_i and x + h_1 e_1 + h_2 e_2 (5 values and f(x)):
    g_i = (f(x + h_i e_i) - f(x - h_i e_i)) / 2h_i, H_ii = (f(x + h_i e_i) - 2 f(x) +
    f(x - h_i e_i)) / h_i^2, H_12 = (f(x + h_1 e_1 + h_2 e_2) - f(x + h_1 e_1) - f(x + h_2 e_2)
    + f(x)) / (h_1 h_2); step s = -H^-1 g (at most 3 long, halved until f decreases). h_i
    starts at 0.05, then 0.1 / sqrt(H_ii) (where f changes by about 0.005) within [1e-3, 0.1].
    It stops when max |s| < tol, i.e. x + s is within about tol of the minimum: for REML in
    log variance ratios, 0.5% in a ratio (Nelder-Mead stopped at 2%). None when f is not
    finite on the stencil or H is not positive definite (a minimum on a bound, a flat
    likelihood).
    """
    x = np.asarray(start, dtype=float)
    fx = f(*x)
    evals = 1
    if not math.isfinite(fx):
        return None
    h1 = h2 = 0.05
    for _ in range(max_iter):
        f1p, f1m = f(x[0] + h1, x[1]), f(x[0] - h1, x[1])
        f2p, f2m = f(x[0], x[1] + h2), f(x[0], x[1] - h2)
        f12 = f(x[0] + h1, x[1] + h2)
        evals += 5
        if not all(math.isfinite(v) for v in (f1p, f1m, f2p, f2m, f12)):
            return None
        g1, g2 = (f1p - f1m) / (2 * h1), (f2p - f2m) / (2 * h2)
        a11 = (f1p - 2 * fx + f1m) / h1**2
        a22 = (f2p - 2 * fx + f2m) / h2**2
        a12 = (f12 - f1p - f2p + fx) / (h1 * h2)
        det = a11 * a22 - a12 * a12
        if not (a11 > 0 and a22 > 0 and det > 0):
            return None
        step = -np.array([a22 * g1 - a12 * g2, a11 * g2 - a12 * g1]) / det
        length = float(np.abs(step).max())
        if length < tol:  # the minimum of the local quadratic is within tol of x
            trial = x + step
            ft = f(*trial)
            evals += 1
            return (trial, ft, evals) if math.isfinite(ft) and ft <= fx else (x, fx, evals)
        if length > 3.0:
            step *= 3.0 / length
        for _ in range(6):
            trial = x + step
            ft = f(*trial)
            evals += 1
            if math.isfinite(ft) and ft < fx:
                break
            step = step / 2
        else:
            return None
        x, fx = trial, ft
        h1 = min(0.1, max(1e-3, 0.1 / math.sqrt(a11)))
        h2 = min(0.1, max(1e-3, 0.1 / math.sqrt(a22)))
    return None


def nelder_mead(
    f, start: Array, step: float = 1.0, tol: float = 1e-3, size: float = 0.02, max_eval: int = 200
):
    """Minimize f over R^2 (Nelder & Mead 1965, standard coefficients) until the simplex's
    values differ by < tol and its points by < size; returns (x, f, evals). For REML in log
    variance ratios: 1e-3 in -2 log L and 2% in a ratio, far below what moves a rank."""
    pts = [start, start + np.array([step, 0.0]), start + np.array([0.0, step])]
    vals = [f(*p) for p in pts]
    evals = 3
    while evals < max_eval:
        order = np.argsort(vals)
        pts = [pts[i] for i in order]
        vals = [vals[i] for i in order]
        if abs(vals[2] - vals[0]) < tol and float(np.abs(pts[2] - pts[0]).max()) < size:
            break
        centroid = (pts[0] + pts[1]) / 2.0
        refl = centroid + (centroid - pts[2])
        fr = f(*refl)
        evals += 1
        if fr < vals[0]:
            exp = centroid + 2.0 * (centroid - pts[2])
            fe = f(*exp)
            evals += 1
            pts[2], vals[2] = (exp, fe) if fe < fr else (refl, fr)
        elif fr < vals[1]:
            pts[2], vals[2] = refl, fr
        else:
            inside = fr >= vals[2]
            con = centroid + (0.5 if not inside else -0.5) * (centroid - pts[2])
            fc = f(*con)
            evals += 1
            if fc < min(fr, vals[2]):
                pts[2], vals[2] = con, fc
            else:
                for i in (1, 2):
                    pts[i] = pts[0] + 0.5 * (pts[i] - pts[0])
                    vals[i] = f(*pts[i])
                evals += 2
    best = int(np.argmin(vals))
    return pts[best], vals[best], evals


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _f_cdf_below(q: float, a: float, b: float, y: float) -> bool:
    """Whether P(X <= x) < q for X ~ F(2a, 2b) at the log-odds ``y = log(2a x / 2b)``: the
    regularized incomplete beta I_t(a, b) with t = 1 / (1 + e^-y), s = 1 - t = t e^-y taken
    in logs, and its upper tail I_s(b, a) compared with 1 - q where t is near 1 (so a
    quantile beyond 1e16 keeps its precision instead of t rounding to 1)."""
    log_t = -math.log1p(math.exp(-y)) if y >= 0 else y - math.log1p(math.exp(y))
    log_s = log_t - y
    front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * log_t + b * log_s
    t = math.exp(log_t)
    if t < (a + 1.0) / (a + b + 2.0):
        return math.exp(front) * _beta_fraction(a, b, t) / a < q
    return math.exp(front) * _beta_fraction(b, a, math.exp(log_s)) / b > 1.0 - q


def f_quantile(q: float, d1: float, d2: float) -> float:
    """The q-quantile of the F(d1, d2) distribution (0 < q < 1, degrees of freedom > 0, not
    necessarily whole): the x with I_{d1 x / (d1 x + d2)}(d1 / 2, d2 / 2) = q, found by
    bisection on the log-odds y = log(d1 x / d2) to double precision (x = d2 e^y / d1). A
    quantile below or above the doubles (tiny degrees of freedom) is 0.0 or ``inf``."""
    if not 0.0 < q < 1.0 or not d1 > 0 or not d2 > 0:
        return float("nan")
    a, b = d1 / 2.0, d2 / 2.0
    low, high = -1500.0, 1500.0
    for _ in range(200):
        mid = 0.5 * (low + high)
        if _f_cdf_below(q, a, b, mid):
            low = mid
        else:
            high = mid
        if high - low <= 1e-15 * max(1.0, abs(mid)):
            break
    try:
        return math.exp(0.5 * (low + high) + math.log(d2) - math.log(d1))
    except OverflowError:
        return math.inf
