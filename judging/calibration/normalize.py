"""Simple normalization methods: one score per entry from the judges' rubric totals.

Every function takes the parallel arrays of a score sheet — ``entry_idx``, ``judge_idx``,
``total`` (one rubric total per (entry, judge) pair) — and returns an ``NDArray[np.float64]`` of
length ``n_entries`` with NaN for an entry that nobody scored. Confidence weights are ignored
here; only the calibrated model (:mod:`judging.calibration.calibrate`) uses them.

Notation: y_ej is judge j's total for entry e, J(e) the judges of entry e, m_e = |J(e)|.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SIMPLE_METHODS",
    "median_score",
    "rank_mean",
    "raw_mean",
    "simple_stderr",
    "trimmed_mean",
    "zscore_mean",
]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


def _n(entry_idx: Index, n_entries: int | None) -> int:
    return int(entry_idx.max()) + 1 if n_entries is None else n_entries


def _group_mean(idx: Index, x: Array, n: int) -> Array:
    count = np.bincount(idx, minlength=n).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(idx, x, minlength=n) / count


def raw_mean(
    entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Raw mean: score_e = (1/m_e) * sum_{j in J(e)} y_ej.

    Model: y_ej = value_e + noise, all judges on the same scale.
    Failure modes: a lenient or harsh judge moves every entry it scores; with an incomplete
    design the entries that drew a harsh judge lose, however good they are.
    """
    return _group_mean(entry_idx, np.asarray(total, np.float64), _n(entry_idx, n_entries))


def _zscores(judge_idx: Index, total: Array) -> Array:
    """Per-judge z = (y - mean_j) / sd_j mapped back: M + S * z (grand mean M, grand sd S)."""
    n_j = int(judge_idx.max()) + 1
    count = np.bincount(judge_idx, minlength=n_j).astype(np.float64)
    mean = _group_mean(judge_idx, total, n_j)
    dev = total - mean[judge_idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.bincount(judge_idx, dev * dev, minlength=n_j) / (count - 1))
    # "No spread" is judged relative to the judge's level: rounding leaves sd ~ 1e-17 * |mean|
    # for identical totals, which must not blow up into huge z-scores.
    tiny = 1e-12 * np.maximum(np.abs(mean), 1.0)
    sd = np.where(sd > tiny, sd, np.nan)
    sd_obs = sd[judge_idx]
    ok = np.isfinite(sd_obs)
    z = np.zeros_like(total)
    z[ok] = dev[ok] / sd_obs[ok]
    spread = float(total.std(ddof=1)) if total.size > 1 else 0.0
    return float(total.mean()) + spread * z


def zscore_mean(
    entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Per-judge z-scores mapped back to the scale, then averaged per entry.

    z_ej = (y_ej - mean_j) / sd_j (sample sd of judge j's totals); score_e = M + S * mean_j z_ej
    where M and S are the mean and sample sd of all totals. A judge with fewer than 2 scores or
    no spread gets z = 0.
    Model: every judge saw a random sample of entries, so differences in judges' means and
    spreads are leniency and scale, not the quality of what they saw.
    Failure modes: when judges see different entries by design (expertise panels, a harsh judge
    drawing the strong entries) the z-scores remove real quality differences and can rank worse
    than the raw mean; a judge with few scores has a noisy mean and sd.
    """
    total = np.asarray(total, np.float64)
    return _group_mean(entry_idx, _zscores(judge_idx, total), _n(entry_idx, n_entries))


def _sorted_within(entry_idx: Index, x: Array, n: int) -> tuple[Array, Index, Index]:
    """x sorted by (entry, value); start offset and count of each entry's run."""
    order = np.lexsort((x, entry_idx))
    count = np.bincount(entry_idx, minlength=n)
    start = np.cumsum(count) - count
    return x[order], start, count


def trimmed_mean(
    entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Trimmed mean: drop the highest and the lowest total when m_e >= 4, then average.

    score_e = (sum_j y_ej - max_j y_ej - min_j y_ej) / (m_e - 2) if m_e >= 4, else the raw mean.
    Model: as the raw mean, with occasional wild scores. Failure modes: as the raw mean for
    judge leniency; no effect on entries with fewer than 4 judges.
    """
    n = _n(entry_idx, n_entries)
    total = np.asarray(total, np.float64)
    xs, start, count = _sorted_within(entry_idx, total, n)
    sums = np.bincount(entry_idx, total, minlength=n)
    trim = count >= 4
    lo = np.where(trim, xs[np.minimum(start, xs.size - 1)], 0.0)
    hi = np.where(trim, xs[np.clip(start + count - 1, 0, xs.size - 1)], 0.0)
    used = np.where(trim, count - 2, count).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sums - lo - hi) / used


def median_score(
    entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Median of the entry's totals (mean of the two middle ones when m_e is even).

    Model: as the raw mean, robust to one wild judge when m_e >= 3. Failure modes: as the raw
    mean for judge leniency; with 2 judges it equals the mean; coarse when totals are integers.
    """
    n = _n(entry_idx, n_entries)
    xs, start, count = _sorted_within(entry_idx, np.asarray(total, np.float64), n)
    out = np.full(n, np.nan)
    has = count > 0
    lo = start[has] + (count[has] - 1) // 2
    hi = start[has] + count[has] // 2
    out[has] = 0.5 * (xs[lo] + xs[hi])
    return out


def _percentiles(judge_idx: Index, total: Array) -> Array:
    """Per-judge mid-rank percentile: 100 * (r - 0.5) / n_j, ties get their average rank r."""
    order = np.lexsort((total, judge_idx))
    j_sorted, y_sorted = judge_idx[order], total[order]
    n_j = int(judge_idx.max()) + 1
    count = np.bincount(judge_idx, minlength=n_j)
    start = np.cumsum(count) - count
    pos = np.arange(total.size) - start[j_sorted] + 1.0  # 1-based rank within judge
    new_run = np.ones(total.size, bool)
    new_run[1:] = (j_sorted[1:] != j_sorted[:-1]) | (y_sorted[1:] != y_sorted[:-1])
    run = np.cumsum(new_run) - 1
    run_rank = np.bincount(run, pos) / np.bincount(run)
    out = np.empty_like(total)
    out[order] = 100.0 * (run_rank[run] - 0.5) / count[j_sorted]
    return out


def rank_mean(
    entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Mean of per-judge percentile ranks: score_e = mean_j 100 * (r_ej - 0.5) / n_j.

    r_ej is the (mid-)rank of y_ej among judge j's n_j totals (1 = lowest); the score is on a
    0-100 scale. Model: judges order entries well but use the scale differently (any monotone
    distortion). Failure modes: throws away how far apart entries are; like z-scores it assumes
    each judge saw a comparable sample, so a judge who drew only strong entries still spreads
    them over 0-100.
    """
    total = np.asarray(total, np.float64)
    return _group_mean(entry_idx, _percentiles(judge_idx, total), _n(entry_idx, n_entries))


SIMPLE_METHODS: dict[str, Callable[..., Array]] = {
    "raw": raw_mean,
    "zscore": zscore_mean,
    "trimmed": trimmed_mean,
    "median": median_score,
    "rank": rank_mean,
}
"""The simple methods by their command-line name."""


def simple_stderr(
    method: str, entry_idx: Index, judge_idx: Index, total: Array, n_entries: int | None = None
) -> Array:
    """Standard error of a simple method's score, from a pooled within-entry spread.

    x_ej is the value the method averages (the total; the z-score mapped back for ``zscore``; the
    percentile for ``rank``). s^2 = sum_e sum_j (x_ej - mean_e x)^2 / sum_e (m_e - 1) over
    entries with m_e >= 2, and SE_e = f * s / sqrt(u_e) with u_e the number of values used
    (m_e - 2 for a trimmed entry) and f = sqrt(pi/2) for the median, else 1. NaN when no entry
    has two judges. The pooled s assumes the same noise for every entry and judge.
    """
    if method not in SIMPLE_METHODS:
        raise ValueError(f"unknown method {method!r}")
    n = _n(entry_idx, n_entries)
    total = np.asarray(total, np.float64)
    x = {"zscore": _zscores, "rank": _percentiles}.get(method, lambda _j, t: t)(judge_idx, total)
    count = np.bincount(entry_idx, minlength=n).astype(np.float64)
    mean = _group_mean(entry_idx, x, n)
    ss = float(((x - mean[entry_idx]) ** 2).sum())
    dof = float((count[count >= 2] - 1).sum())
    s = math.sqrt(ss / dof) if dof > 0 else float("nan")
    used = np.where((count >= 4) & (method == "trimmed"), count - 2, count)
    factor = math.sqrt(math.pi / 2) if method == "median" else 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return factor * s / np.sqrt(used)
