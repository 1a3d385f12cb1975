"""Inter-rater reliability of a score matrix: Krippendorff's alpha, ICC and Kendall's W.

Every function takes ``matrix``: an ``NDArray[np.float64]`` of shape ``(n_entries, n_judges)``,
rows are the rated units (entries, targets), columns the raters (judges), ``NaN`` means "not
scored". Krippendorff's alpha handles missing cells; the intraclass correlations and Kendall's W
need a complete design (every judge scored every entry) and raise :class:`ValueError` otherwise.

Individual functions raise :class:`ValueError` with a plain message when a statistic cannot be
computed; :func:`reliability_summary` never raises for a well-formed matrix and reports such a
statistic as ``float('nan')`` instead.

References: Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability"; Shrout, P. E.
and Fleiss, J. L. (1979) "Intraclass correlations: uses in assessing rater reliability",
Psychological Bulletin 86(2), 420-428; McGraw, K. O. and Wong, S. P. (1996) "Forming inferences
about some intraclass correlation coefficients", Psychological Methods 1(1), 30-46; Kendall,
M. G. (1948) "Rank correlation methods".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from judging.calibration.numerics import f_quantile

__all__ = [
    "ALPHA_METRICS",
    "IccInterval",
    "IccResult",
    "f_quantile",
    "icc",
    "icc_intervals",
    "is_complete",
    "kendall_w",
    "krippendorff_alpha",
    "krippendorff_alpha_interval",
    "krippendorff_alphas",
    "reliability_summary",
]

ALPHA_METRICS = ("nominal", "ordinal", "interval", "ratio")
"""The difference functions of :func:`krippendorff_alpha`."""

MAX_CATEGORIES = 1000
"""Nominal and ordinal alpha are computed over at most this many distinct values."""

_RELATIVE_ZERO = 1e-24  # squared relative rounding error of float64 (~1e-16)^2, with margin


@dataclass(frozen=True, slots=True)
class IccResult:
    """The six Shrout & Fleiss (1979) intraclass correlations of one complete matrix.

    ``icc1``, ``icc2``, ``icc3`` are ICC(1,1), ICC(2,1), ICC(3,1): the reliability of a single
    judge's score; ``icc1k``, ``icc2k``, ``icc3k`` are ICC(1,k), ICC(2,k), ICC(3,k): the
    reliability of the mean of the k judges. A field is NaN when its denominator is zero.
    """

    icc1: float
    icc2: float
    icc3: float
    icc1k: float
    icc2k: float
    icc3k: float


def _as_matrix(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``matrix`` as a 2-D float array with at least 2 judge columns, or raise."""
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(
            f"expected a 2-D matrix (entries x judges), got an array with {values.ndim} dimensions"
        )
    if values.shape[1] < 2:
        raise ValueError(f"reliability needs at least 2 judges (columns), got {values.shape[1]}")
    if np.isinf(values).any():
        raise ValueError("the matrix contains an infinite value; use NaN for a missing score")
    return values


def _require_complete(values: NDArray[np.float64], statistic: str) -> None:
    """Raise unless ``values`` has no missing cell and at least 2 entries."""
    missing = int(np.isnan(values).sum())
    if missing:
        raise ValueError(
            f"{statistic} needs every judge to score every entry; "
            f"the matrix has {missing} missing cell(s)"
        )
    if values.shape[0] < 2:
        raise ValueError(f"{statistic} needs at least 2 entries (rows), got {values.shape[0]}")


def is_complete(matrix: NDArray[np.float64]) -> bool:
    """True when ``matrix`` is 2-D, has no NaN cell, and has at least 2 rows and 2 columns.

    This is the condition under which :func:`icc` and :func:`kendall_w` are defined.
    """
    values = np.asarray(matrix, dtype=np.float64)
    return (
        values.ndim == 2
        and values.shape[0] >= 2
        and values.shape[1] >= 2
        and not np.isnan(values).any()
    )


def krippendorff_alpha_interval(matrix: NDArray[np.float64]) -> float:
    """Krippendorff's alpha with the interval metric, tolerant of missing cells.

    Formula (Krippendorff 2011): alpha = 1 - D_o / D_e with the interval difference
    delta(c, k)^2 = (c - k)^2. Only *pairable* units count: a unit (row) with m_u >= 2 values;
    rows with fewer values are dropped. With n = sum of m_u over pairable units and, per unit,
    S1_u = sum of its values, S2_u = sum of their squares,

        sum over ordered pairs i != j in u of (x_i - x_j)^2 = 2 (m_u S2_u - S1_u^2)
        D_o = (1 / n) * sum_u 2 (m_u S2_u - S1_u^2) / (m_u - 1)
        D_e = 2 (n S2 - S1^2) / (n (n - 1))        (S1, S2 summed over all pairable values)

    so alpha = 1 - (n - 1) * sum_u [(m_u S2_u - S1_u^2) / (m_u - 1)] / (n S2 - S1^2).
    Values are centred on their overall mean first (alpha is shift invariant) so the sums of
    squares do not lose precision. Cost is O(cells): no per-unit Python loop.

    Failure modes (ValueError): the matrix is not 2-D, has fewer than 2 judge columns or an
    infinite value; no unit has 2 or more values; all pairable values are equal (D_e = 0, the
    statistic is 0/0).
    """
    values = _as_matrix(matrix)
    present = ~np.isnan(values)
    counts = present.sum(axis=1)
    pairable = counts >= 2
    if not pairable.any():
        raise ValueError("Krippendorff's alpha needs at least one entry scored by 2 or more judges")
    m_u = counts[pairable].astype(np.float64)
    kept = values[pairable]
    kept_present = present[pairable]
    n = float(m_u.sum())
    centre = float(kept[kept_present].mean())
    deviations = np.where(kept_present, kept - centre, 0.0)
    s1_u = deviations.sum(axis=1)
    s2_u = np.einsum("ij,ij->i", deviations, deviations)
    expected = n * float(s2_u.sum()) - float(s1_u.sum()) ** 2
    # Centring leaves each deviation with a rounding error of ~1e-16 |centre|; a spread below
    # that is no spread at all.
    if expected <= _RELATIVE_ZERO * n * n * (centre * centre + 1e-300):
        raise ValueError(
            "Krippendorff's alpha is undefined: all pairable scores are equal (no variation)"
        )
    within = np.maximum(m_u * s2_u - s1_u**2, 0.0) / (m_u - 1.0)
    return float(1.0 - (n - 1.0) * float(within.sum()) / expected)


def icc(matrix: NDArray[np.float64]) -> IccResult:
    """Shrout & Fleiss (1979) intraclass correlations from a two-way ANOVA of a complete matrix.

    With n entries (targets) and k judges, grand mean g, row means r_i and column means c_j:

        BMS = k sum_i (r_i - g)^2 / (n - 1)                 between-targets mean square
        JMS = n sum_j (c_j - g)^2 / (k - 1)                 between-judges mean square
        WMS = sum_ij (x_ij - r_i)^2 / (n (k - 1))           within-target mean square
        EMS = (SS_total - SS_targets - SS_judges) / ((n - 1)(k - 1))   residual mean square

        ICC(1,1) = (BMS - WMS) / (BMS + (k - 1) WMS)
        ICC(2,1) = (BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)
        ICC(3,1) = (BMS - EMS) / (BMS + (k - 1) EMS)
        ICC(1,k) = (BMS - WMS) / BMS
        ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
        ICC(3,k) = (BMS - EMS) / BMS

    ICC(1,·) treats judges as a random draw per target (one-way model); ICC(2,·) judges as a
    random sample (two-way random, absolute agreement); ICC(3,·) the fixed panel (two-way mixed,
    consistency). The values can be negative when judges disagree more than chance would say.

    Failure modes: ValueError when the matrix has missing cells, fewer than 2 entries or fewer
    than 2 judges. A coefficient whose denominator is zero up to rounding (e.g. all scores
    equal) is NaN.
    """
    values = _as_matrix(matrix)
    _require_complete(values, "ICC")
    n, k = values.shape
    centred = values - values.mean()
    row_means = centred.mean(axis=1)
    col_means = centred.mean(axis=0)
    ss_total = float(np.einsum("ij,ij->", centred, centred))
    # Sums of squares within rounding error of zero (relative to the total, or to the size of
    # the scores themselves) are set to exactly zero so that 0/0 becomes NaN, not noise.
    floor = 1e-12 * ss_total + _RELATIVE_ZERO * n * k * float(values.mean()) ** 2

    def clean(ss: float) -> float:
        return ss if ss > floor else 0.0

    ss_rows = clean(k * float(row_means @ row_means))
    ss_cols = clean(n * float(col_means @ col_means))
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    wms = clean(ss_total - ss_rows) / (n * (k - 1))
    ems = clean(ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    scale = bms + jms + wms + ems
    return IccResult(
        icc1=_ratio(bms - wms, bms + (k - 1) * wms, scale),
        icc2=_ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n, scale),
        icc3=_ratio(bms - ems, bms + (k - 1) * ems, scale),
        icc1k=_ratio(bms - wms, bms, scale),
        icc2k=_ratio(bms - ems, bms + (jms - ems) / n, scale),
        icc3k=_ratio(bms - ems, bms, scale),
    )


def _ratio(numerator: float, denominator: float, scale: float) -> float:
    """numerator / denominator; NaN when the denominator is zero up to rounding relative to
    ``scale`` (the size of the mean squares it is made of)."""
    if abs(denominator) <= 1e-12 * scale:
        return float("nan")
    return float(numerator / denominator)


def _average_ranks(column: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1..n of ``column`` with ties given the mean of the ranks they span."""
    ordered = np.sort(column)
    below = np.searchsorted(ordered, column, side="left")
    up_to = np.searchsorted(ordered, column, side="right")
    return (below + 1 + up_to) / 2.0


def kendall_w(matrix: NDArray[np.float64]) -> float:
    """Kendall's coefficient of concordance W among the judges, corrected for ties.

    Each judge's scores are ranked over the n entries (1 = lowest; tied scores share the average
    of their ranks). With m judges, R_i the rank sum of entry i and R̄ = m (n + 1) / 2:

        S   = sum_i (R_i - R̄)^2
        T_j = sum over groups of tied scores of judge j of (t^3 - t)
        W   = 12 S / (m^2 (n^3 - n) - m sum_j T_j)

    W is 1 when every judge orders the entries identically, and near 0 when the orders are
    unrelated. Without ties this is Kendall's original W.

    Failure modes (ValueError): missing cells, fewer than 2 entries or fewer than 2 judges;
    every judge gives every entry the same score (the denominator is zero).
    """
    values = _as_matrix(matrix)
    _require_complete(values, "Kendall's W")
    n, m = values.shape
    rank_sums = np.zeros(n, dtype=np.float64)
    ties = 0.0
    for column in values.T:
        rank_sums += _average_ranks(column)
        _, group_sizes = np.unique(column, return_counts=True)
        sizes = group_sizes.astype(np.float64)
        ties += float((sizes**3 - sizes).sum())
    deviations = rank_sums - m * (n + 1) / 2.0
    s = float(deviations @ deviations)
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0.0:
        raise ValueError("Kendall's W is undefined: every judge gave all entries the same score")
    return float(12.0 * s / denominator)


def reliability_summary(matrix: NDArray[np.float64]) -> dict[str, float]:
    """All reliability statistics that the design of ``matrix`` supports, by name.

    Always ``krippendorff_alpha``; when :func:`is_complete` holds also ``icc1``, ``icc2``,
    ``icc3``, ``icc1k``, ``icc2k``, ``icc3k`` (see :func:`icc`) and ``kendall_w``. A statistic
    that is undefined for this data (no pairable unit, zero variance, all ties) is reported as
    ``float('nan')`` instead of raising. Failure modes (ValueError): the matrix is not 2-D or
    has an infinite value; fewer than 2 judge columns is reported as NaN alpha, like any
    undefined statistic.
    """
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(
            f"expected a 2-D matrix (entries x judges), got an array with {values.ndim} dimensions"
        )
    if np.isinf(values).any():
        raise ValueError("the matrix contains an infinite value; use NaN for a missing score")
    summary = {"krippendorff_alpha": _or_nan(krippendorff_alpha_interval, values)}
    if is_complete(values):
        summary.update(asdict(icc(values)))
        summary["kendall_w"] = _or_nan(kendall_w, values)
    return summary


def _or_nan(
    statistic: Callable[[NDArray[np.float64]], float], values: NDArray[np.float64]
) -> float:
    """``statistic(values)``, or NaN when it raises ValueError because it is undefined."""
    try:
        return statistic(values)
    except ValueError:
        return float("nan")


def krippendorff_alpha(matrix: NDArray[np.float64], metric: str = "interval") -> float:
    """Krippendorff's alpha with the given metric (``ALPHA_METRICS``), tolerant of missing cells.

    Coincidence form (Krippendorff 2011): over the pairable units (m_u >= 2 values), with
    n_uc the number of values c in unit u,

        o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1),   n_c = sum_k o_ck,  n = sum_c n_c
        alpha = 1 - (n - 1) sum_ck o_ck delta2_ck / sum_ck n_c n_k delta2_ck

    with delta2_ck = [c != k] (nominal), (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 (ordinal, over
    the sorted distinct values), (c - k)^2 (interval) or ((c - k) / (c + k))^2 (ratio).
    ``interval`` is :func:`krippendorff_alpha_interval` (no coincidence matrix needed).

    Failure modes (ValueError): those of :func:`krippendorff_alpha_interval`; an unknown
    metric; more than ``MAX_CATEGORIES`` distinct values for a coincidence-matrix metric.
    """
    if metric not in ALPHA_METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(ALPHA_METRICS)}")
    if metric == "interval":
        return krippendorff_alpha_interval(matrix)
    result = krippendorff_alphas(matrix, (metric,))[metric]
    if isinstance(result, ValueError):
        raise result
    return result


def krippendorff_alphas(
    matrix: NDArray[np.float64], metrics: Sequence[str]
) -> dict[str, float | ValueError]:
    """:func:`krippendorff_alpha` of ``matrix`` for each coincidence-matrix metric of
    ``metrics`` (not ``interval``), sharing the pairable values and the coincidence matrix
    among them: each metric's alpha, or the ValueError that :func:`krippendorff_alpha` raises
    for it. A bad matrix (not 2-D, an infinite value, ...) raises at once."""
    values = _as_matrix(matrix)
    present = ~np.isnan(values)
    counts = present.sum(axis=1)
    pairable = counts >= 2
    if not pairable.any():
        error = "Krippendorff's alpha needs at least one entry scored by 2 or more judges"
        return dict.fromkeys(metrics, ValueError(error))
    unit = np.nonzero(present & pairable[:, None])[0]
    value = values[present & pairable[:, None]]
    compact = np.cumsum(np.concatenate(([0], unit[1:] != unit[:-1])))  # unit is sorted
    return _alphas_coincidence(compact, value, metrics)


def _alpha_coincidence(unit: NDArray[np.intp], value: NDArray[np.float64], metric: str) -> float:
    """Alpha from long-form pairable data (every unit holds >= 2 values) by the coincidence
    matrix (see :func:`krippendorff_alpha`)."""
    result = _alphas_coincidence(unit, value, (metric,))[metric]
    if isinstance(result, ValueError):
        raise result
    return result


def _alphas_coincidence(
    unit: NDArray[np.intp], value: NDArray[np.float64], metrics: Sequence[str]
) -> dict[str, float | ValueError]:
    """:func:`_alpha_coincidence` for several metrics over one coincidence matrix: each
    metric's alpha or the ValueError it raises."""
    levels, code = np.unique(value, return_inverse=True)
    v = levels.size
    if v > MAX_CATEGORIES:
        return {
            metric: ValueError(
                f"{metric} alpha is computed over at most {MAX_CATEGORIES} distinct values; "
                f"these scores take {v}"
            )
            for metric in metrics
        }
    if v < 2:
        error = ValueError(
            "Krippendorff's alpha is undefined: all pairable scores are equal (no variation)"
        )
        return dict.fromkeys(metrics, error)
    n_units = int(unit.max()) + 1
    per_unit = np.bincount(unit * v + code, minlength=n_units * v).reshape(n_units, v)
    m_u = per_unit.sum(axis=1).astype(np.float64)
    scaled = per_unit / (m_u - 1.0)[:, None]
    coincidence = scaled.T @ per_unit - np.diag(scaled.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = float(n_c.sum())
    out: dict[str, float | ValueError] = {}
    for metric in metrics:
        if metric == "nominal":
            delta2 = 1.0 - np.eye(v)
        elif metric == "ordinal":
            low = np.minimum.outer(np.arange(v), np.arange(v))
            high = np.maximum.outer(np.arange(v), np.arange(v))
            through = np.concatenate(([0.0], np.cumsum(n_c)))
            delta2 = (through[high + 1] - through[low] - (n_c[low] + n_c[high]) / 2.0) ** 2
        elif metric == "interval":
            delta2 = (levels[:, None] - levels[None, :]) ** 2
        else:  # ratio
            total = levels[:, None] + levels[None, :]
            with np.errstate(invalid="ignore", divide="ignore"):
                delta2 = np.where(total != 0, (levels[:, None] - levels[None, :]) / total, 0.0) ** 2
        expected = float(n_c @ delta2 @ n_c)
        if expected <= 0.0:
            out[metric] = ValueError(
                "Krippendorff's alpha is undefined: all pairable scores are equal (no variation)"
            )
        else:
            out[metric] = float(1.0 - (n - 1.0) * float((coincidence * delta2).sum()) / expected)
    return out


@dataclass(frozen=True, slots=True)
class IccInterval:
    """A 1 - ``alpha`` confidence interval of each :class:`IccResult` field, as (lower, upper).

    Shrout & Fleiss (1979) and McGraw & Wong (1996), as computed by R's ``psych::ICC``:
    F-based for ICC(1,·) and ICC(3,·), Satterthwaite's approximate degrees of freedom for
    ICC(2,1) and its Spearman-Brown step-up for ICC(2,k).
    """

    icc1: tuple[float, float]
    icc2: tuple[float, float]
    icc3: tuple[float, float]
    icc1k: tuple[float, float]
    icc2k: tuple[float, float]
    icc3k: tuple[float, float]


def _mean_squares(values: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """(BMS, JMS, WMS, EMS) of a complete matrix (see :func:`icc`)."""
    n, k = values.shape
    centred = values - values.mean()
    row_means = centred.mean(axis=1)
    col_means = centred.mean(axis=0)
    ss_total = float(np.einsum("ij,ij->", centred, centred))
    ss_rows = k * float(row_means @ row_means)
    ss_cols = n * float(col_means @ col_means)
    return (
        ss_rows / (n - 1),
        ss_cols / (k - 1),
        max(ss_total - ss_rows, 0.0) / (n * (k - 1)),
        max(ss_total - ss_rows - ss_cols, 0.0) / ((n - 1) * (k - 1)),
    )


def icc_intervals(matrix: NDArray[np.float64], alpha: float = 0.05) -> IccInterval:
    """Confidence intervals (level 1 - ``alpha``, two-sided) of the six ICCs of :func:`icc`.

    With F_q(a, b) the q-quantile of the F distribution, q = 1 - alpha / 2:

        ICC(1,·): F = BMS / WMS, FL = F / F_q(n-1, n(k-1)), FU = F F_q(n(k-1), n-1)
        ICC(3,·): F = BMS / EMS, FL = F / F_q(n-1, (n-1)(k-1)), FU = F F_q((n-1)(k-1), n-1)
            single: ((FL - 1) / (FL + k - 1), (FU - 1) / (FU + k - 1));  mean: (1 - 1/FL, 1 - 1/FU)
        ICC(2,1): r = ICC(2,1), Fj = JMS / EMS,
            v = (k-1)(n-1) (k r Fj + n (1 + (k-1) r) - k r)^2
                / ((n-1) k^2 r^2 Fj^2 + (n (1 + (k-1) r) - k r)^2),
            F* = F_q(n-1, v), F** = F_q(v, n-1), c = k JMS + (k n - k - n) EMS,
            lower = n (BMS - F* EMS) / (F* c + n BMS), upper = n (F** BMS - EMS) / (c + n F** BMS)
        ICC(2,k): the single bounds stepped up, b k / (1 + (k - 1) b).

    Failure modes as :func:`icc`; a bound whose F ratio is undefined (zero mean square) is NaN.
    """
    values = _as_matrix(matrix)
    _require_complete(values, "ICC")
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must lie between 0 and 1")
    n, k = values.shape
    bms, jms, wms, ems = _mean_squares(values)
    q = 1.0 - alpha / 2.0
    nan = float("nan")

    def ratio(a: float, b: float) -> float:
        return a / b if b > 0 else nan

    def single(f_low: float, f_high: float) -> tuple[float, float]:
        return ((f_low - 1) / (f_low + k - 1), (f_high - 1) / (f_high + k - 1))

    def mean(f_low: float, f_high: float) -> tuple[float, float]:
        return (1 - ratio(1.0, f_low), 1 - ratio(1.0, f_high))

    f1 = ratio(bms, wms)
    d1, d2 = n - 1, n * (k - 1)
    f1_low, f1_high = f1 / f_quantile(q, d1, d2), f1 * f_quantile(q, d2, d1)
    f3 = ratio(bms, ems)
    d3 = (n - 1) * (k - 1)
    f3_low, f3_high = f3 / f_quantile(q, d1, d3), f3 * f_quantile(q, d3, d1)
    r = icc(values).icc2
    fj = ratio(jms, ems)
    lower2 = upper2 = nan
    if math.isfinite(r) and math.isfinite(fj):
        a = n * (1 + (k - 1) * r) - k * r
        v = (k - 1) * (n - 1) * (k * r * fj + a) ** 2 / ((n - 1) * k * k * r * r * fj * fj + a * a)
        f_star, f_2star = f_quantile(q, n - 1, v), f_quantile(q, v, n - 1)
        c = k * jms + (k * n - k - n) * ems
        lower2 = n * (bms - f_star * ems) / (f_star * c + n * bms)
        upper2 = n * (f_2star * bms - ems) / (c + n * f_2star * bms)

    def step_up(b: float) -> float:
        return b * k / (1 + (k - 1) * b)

    return IccInterval(
        icc1=single(f1_low, f1_high),
        icc2=(lower2, upper2),
        icc3=single(f3_low, f3_high),
        icc1k=mean(f1_low, f1_high),
        icc2k=(step_up(lower2), step_up(upper2)),
        icc3k=mean(f3_low, f3_high),
    )
