"""The whole analysis of a score sheet: scores, ranks, uncertainty, reliability, warnings.

:func:`analyze` is what ``python -m judging analyze`` runs. Whatever the method, the calibration
model is fitted too: it supplies the judge biases reported in ``judges``, the residual
outliers, and the comparison that warns when the top k depends on the method (the chosen method
against the raw mean, or the raw mean against calibration; and, for the calibrated method with
shrinkage, against the exact fixed-effects solution: shrinkage lets a thin judge's scores count
partly as they are, and a joint ridge can bring back part of the confounding when assignment
follows harshness).

Uncertainty: for ``calibrated``, standard errors, P(rank <= top) and tied groups come from the
model's joint distribution (:mod:`judging.uncertainty`); for the simple methods each entry's
score is treated as an independent N(score, stderr^2) with the pooled standard error of
:func:`judging.normalize.simple_stderr`, and the SE of a difference is sqrt(se_a^2 + se_b^2).
``tied_with`` lists at most ``TIED_LISTED`` members of the entry's tied group, nearest in rank.

Reliability uses the entries x judges matrix of rubric totals. Krippendorff's alpha (interval)
only depends on each entry's set of values, so for an incomplete design it is computed on a
packed matrix (each entry's values in its first columns), which keeps memory at
E x max(judges per entry). ICC and Kendall's W are added when the design is complete (every
judge scored every entry).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from judging import reliability
from judging.calibrate import Calibration, calibrate
from judging.normalize import SIMPLE_METHODS, raw_mean, simple_stderr
from judging.rank import (
    abbreviated,
    category_orders,
    coverage_warnings,
    rank_within_categories,
    top_k_change_warnings,
)
from judging.sheet import ScoreSheet
from judging.uncertainty import (
    TopKChange,
    difference_stderr,
    independent_difference_stderr,
    leave_one_judge_out,
    p_top_k,
    p_top_k_independent,
    tied_groups,
)

__all__ = ["METHODS", "Analysis", "EntryResult", "JudgeResult", "analyze", "reliability_of"]

METHODS = ("calibrated", "zscore", "raw", "trimmed", "median", "rank")
"""Method names accepted by :func:`analyze` (``calibrated`` is the default)."""

LOJO_MAX_JUDGES = 500
"""Leave-one-judge-out costs one J x J solve per judge; above this many judges it is skipped."""

TIED_LISTED = 10
"""``tied_with`` lists at most this many members of an entry's tied group, nearest in rank."""

OUTLIER_Z = 3.0
"""A score is reported as an outlier when its standardized residual exceeds this in size."""


@dataclass(frozen=True, slots=True)
class EntryResult:
    """One entry's result; ``p_top`` is P(rank <= top) within its category (None if unknown)."""

    entry: str
    category: str
    rank: int
    score: float
    stderr: float
    raw_mean: float
    judges: int
    p_top: float | None
    tied_with: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JudgeResult:
    """One judge: bias and its standard error from the calibration model, number of scores,
    and gain (1 unless the bias+scale model was fitted)."""

    judge: str
    bias: float
    stderr: float
    scores: int
    gain: float = 1.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything ``analyze`` reports; entries are ordered by category name, then rank."""

    method: str
    top: int
    entries: list[EntryResult]
    judges: list[JudgeResult]
    reliability: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    calibration: Calibration | None = None


def reliability_of(sheet: ScoreSheet) -> dict[str, float]:
    """Reliability statistics of the sheet's totals (see the module docstring); NaN if undefined."""
    n_e, n_j = sheet.n_entries, sheet.n_judges
    complete = sheet.total.size == n_e * n_j
    if complete:
        matrix = np.full((n_e, n_j), np.nan)
        matrix[sheet.entry_idx, sheet.judge_idx] = sheet.total
    else:
        order = np.lexsort((sheet.judge_idx, sheet.entry_idx))
        e = sheet.entry_idx[order]
        count = np.bincount(e, minlength=n_e)
        slot = np.arange(e.size) - (np.cumsum(count) - count)[e]
        matrix = np.full((n_e, max(int(count.max()), 2)), np.nan)
        matrix[e, slot] = sheet.total[order]
    out = {"krippendorff_alpha": _or_nan(reliability.krippendorff_alpha_interval, matrix)}
    if complete and reliability.is_complete(matrix):
        try:
            result = reliability.icc(matrix)
            out.update({name: getattr(result, name) for name in ICC_FIELDS})
        except ValueError:
            out.update(dict.fromkeys(ICC_FIELDS, math.nan))
        out["kendall_w"] = _or_nan(reliability.kendall_w, matrix)
    return out


ICC_FIELDS = ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")


def _nearest(ids: list[str], pos: int, shown: int = TIED_LISTED) -> tuple[str, ...]:
    """The other members of a tied group nearest in rank to position ``pos`` (at most ``shown``),
    listed in rank order."""
    lo = max(0, min(pos - shown // 2, len(ids) - shown - 1))
    return tuple((ids[lo:pos] + ids[pos + 1 : lo + shown + 1])[:shown])


def _or_nan(statistic, matrix: NDArray[np.float64]) -> float:
    try:
        return float(statistic(matrix))
    except ValueError:
        return math.nan


def _outlier_warnings(sheet: ScoreSheet, cal: Calibration, shown: int = 5) -> list[str]:
    z = np.nan_to_num(cal.std_residual, nan=0.0)
    far = np.flatnonzero(np.abs(z) > OUTLIER_Z)
    if far.size == 0:
        return []
    far = far[np.argsort(-np.abs(z[far]), kind="stable")]
    jid, eid = sheet.judge_ids, sheet.entry_ids
    listed = [
        f"judge {jid[sheet.judge_idx[i]]} on entry {eid[sheet.entry_idx[i]]}"
        f" (total {sheet.total[i]:.4g}, standardized residual {z[i]:+.1f})"
        for i in far[:shown]
    ]
    more = f" and {far.size - shown} more" if far.size > shown else ""
    return [
        f"{far.size} score{'s are' if far.size > 1 else ' is'} far from what the model expects "
        f"(|standardized residual| > {OUTLIER_Z:g}): {'; '.join(listed)}{more}."
    ]


def _lojo_warnings(changes: list[TopKChange], top: int, shown: int = 5) -> list[str]:
    out = []
    for change in changes[:shown]:
        where = f"category {change.category!r}" if change.category else "the ranking"
        out.append(
            f"Without judge {change.judge} the top {top} of {where} would change from "
            f"{abbreviated(change.before, 10)} to {abbreviated(change.after, 10)}."
        )
    if len(changes) > shown:
        judges = sorted({c.judge for c in changes[shown:]})
        out.append(
            f"Leaving out one judge changes a top {top} in {len(changes) - shown} more cases "
            f"(judges {', '.join(judges[:10])}{' and more' if len(judges) > 10 else ''})."
        )
    return out


def _model_warnings(cal: Calibration, shrinkage: str | float) -> list[str]:
    out = []
    if not np.isfinite(cal.sigma2):
        out.append(
            "There are too few scores to estimate the judges' noise (no degrees of freedom "
            "left), so standard errors, P(top k) and ties are not available."
        )
    if shrinkage == "judgewise" and cal.tau2 == 0.0:
        out.append(
            "No judge bias could be told apart from noise, so every judge's bias is set to 0 "
            "and the calibrated scores equal the confidence-weighted means."
        )
    return out


def analyze(
    sheet: ScoreSheet,
    *,
    method: str = "calibrated",
    shrinkage: str | float = "auto",
    bias_scale: bool = False,
    top: int = 3,
    draws: int = 1000,
    seed: int | None = 0,
) -> Analysis:
    """Score, rank and qualify every entry of ``sheet`` with ``method`` (one of ``METHODS``)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if top < 1:
        raise ValueError("top must be at least 1")
    e, j, y = sheet.entry_idx, sheet.judge_idx, sheet.total
    n_e = sheet.n_entries
    cats = list(sheet.category)
    cal = calibrate(sheet, shrinkage, bias_scale)
    raw = raw_mean(e, j, y, n_e)
    count = np.bincount(e, minlength=n_e)
    if method == "calibrated":
        score, se = cal.values, cal.value_stderr
    else:
        score = SIMPLE_METHODS[method](e, j, y, n_e)
        se = simple_stderr(method, e, j, y, n_e)
    ranks = rank_within_categories(
        score, cats, sheet.entry_ids, stderr=se, n_judges=count, raw_mean=raw
    )
    orders = category_orders(ranks, cats)
    if draws <= 0:
        p_top = np.full(n_e, np.nan)
    elif method == "calibrated":
        p_top = p_top_k(cal, cats, top, draws, seed)
    else:
        p_top = p_top_k_independent(score, se, cats, top, draws, seed)
    tied: dict[int, tuple[str, ...]] = {}
    if method == "calibrated":
        diff_se = difference_stderr(cal)
    else:
        diff_se = independent_difference_stderr(se)
    for order in orders.values():
        for group in tied_groups(order, score, diff_se):
            ids = [sheet.entry_ids[x] for x in group]
            for pos, member in enumerate(group):
                tied[int(member)] = _nearest(ids, pos)
    warnings = coverage_warnings(sheet.entry_ids, sheet.judge_ids, e, j, cal.component)
    warnings += _model_warnings(cal, shrinkage)
    other = "raw" if method != "raw" else "calibrated"
    other_score = raw if other == "raw" else cal.values
    other_se = simple_stderr("raw", e, j, y, n_e) if other == "raw" else cal.value_stderr
    other_ranks = rank_within_categories(
        other_score, cats, sheet.entry_ids, stderr=other_se, n_judges=count, raw_mean=raw
    )
    names = {"raw": "raw mean", "calibrated": "calibrated score"}
    warnings += top_k_change_warnings(
        top,
        orders,
        category_orders(other_ranks, cats),
        sheet.entry_ids,
        names.get(method, f"{method} score"),
        names[other],
    )
    if method == "calibrated" and shrinkage != "none" and cal.shrinkage != 0.0:
        exact = calibrate(sheet, "none", bias_scale)
        exact_ranks = rank_within_categories(
            exact.values,
            cats,
            sheet.entry_ids,
            stderr=exact.value_stderr,
            n_judges=count,
            raw_mean=raw,
        )
        warnings += top_k_change_warnings(
            top,
            orders,
            category_orders(exact_ranks, cats),
            sheet.entry_ids,
            "calibrated score",
            "calibrated score without shrinkage (--shrinkage none)",
        )
    warnings += _outlier_warnings(sheet, cal)
    if method == "calibrated":
        if sheet.n_judges <= LOJO_MAX_JUDGES:
            warnings += _lojo_warnings(leave_one_judge_out(sheet, cal, top), top)
        else:
            warnings.append(
                f"The leave-one-judge-out check was skipped: it runs for at most "
                f"{LOJO_MAX_JUDGES} judges and this sheet has {sheet.n_judges}."
            )
    listed = np.concatenate([*orders.values(), np.zeros(0, dtype=np.intp)]).tolist()
    p_listed = [None if p != p else p for p in p_top[listed].tolist()]
    entries = [
        EntryResult(
            entry=sheet.entry_ids[x],
            category=cats[x],
            rank=r,
            score=v,
            stderr=sd,
            raw_mean=m,
            judges=n,
            p_top=p,
            tied_with=tied.get(x, ()),
        )
        for x, r, v, sd, m, n, p in zip(
            listed,
            ranks[listed].tolist(),
            score[listed].tolist(),
            se[listed].tolist(),
            raw[listed].tolist(),
            count[listed].tolist(),
            p_listed,
            strict=True,
        )
    ]
    per_judge = np.bincount(j, minlength=sheet.n_judges)
    judges = [
        JudgeResult(
            judge=name,
            bias=float(cal.biases[k]),
            stderr=float(cal.bias_stderr[k]),
            scores=int(per_judge[k]),
            gain=float(cal.gains[k]),
        )
        for k, name in enumerate(sheet.judge_ids)
    ]
    return Analysis(method, top, entries, judges, reliability_of(sheet), warnings, cal)
