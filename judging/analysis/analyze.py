"""The whole analysis of a score sheet: scores, ranks, uncertainty, reliability, warnings.

:func:`analyze` is what ``python -m judging analyze`` runs. Whatever the method, the calibration
model is fitted too: it supplies the judge biases reported in ``judges``, the residual
outliers, and the comparison that warns when the top k depends on the method (the chosen method
against the raw mean, or the raw mean against calibration; and, for the calibrated method with
shrinkage, against the exact fixed-effects solution: shrinkage lets a thin judge's scores count
partly as they are, and a joint ridge can bring back part of the confounding when assignment
follows harshness).

Uncertainty: for ``calibrated``, standard errors, P(rank <= top) and tied groups come from the
model's joint distribution (:mod:`judging.ranking.uncertainty`); for the simple methods each entry's
score is treated as an independent N(score, stderr^2) with the pooled standard error of
:func:`judging.calibration.normalize.simple_stderr`, and the SE of a difference is
sqrt(se_a^2 + se_b^2). ``tied_with`` lists at most ``TIED_LISTED`` members of the entry's tied
group, nearest in rank.

Reliability uses the entries x judges matrix of rubric totals. Krippendorff's alpha (interval)
only depends on each entry's set of values, so for an incomplete design it is computed on a
packed matrix (each entry's values in its first columns), which keeps memory at
E x max(judges per entry). ICC and Kendall's W are added when the design is complete (every
judge scored every entry). Per category and per criterion (and with ICC confidence intervals,
ordinal and nominal alpha, and the reason for any statistic that is undefined) it is in
``reliability_groups`` (:mod:`judging.reliability.agreement`).

Direction: with ``lower_is_better`` (or a sheet read that way) the analysis runs on the negated
totals and every score, mean, bias and residual is negated back, so figures stay in the sheet's
units and rank 1 is the lowest score. When every judge's scores in a category are 1, 2, ..., n
once each (placements) and the ranking is "higher is better", a warning says so.

Leave-one-judge-out (:mod:`judging.ranking.leave_one_out`, calibrated method only) warns when one
judge decides a top k; for the random-entries model it uses the documented ridge
approximation (the BLUP plus the change of the fixed-entries ridge fit without the judge).

``pairs`` holds, per category, each entry and the next one in rank: the difference of their
scores, its standard error (the model's joint covariance for ``calibrated``) and z.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from judging.analysis.checks import (
    lojo_warnings,
    model_warnings,
    outlier_warnings,
    placement_warnings,
)
from judging.analysis.types import Analysis, EntryResult, JudgeResult, PairResult, build_all
from judging.calibration.calibrate import calibrate
from judging.calibration.normalize import SIMPLE_METHODS, raw_mean, simple_stderr
from judging.ranking.rank import (
    CategoryRanking,
    component_warnings,
    coverage_warnings,
    ranking_groups,
    top_k_change_warnings,
)
from judging.ranking.uncertainty import (
    difference_stderr,
    independent_difference_stderr,
    leave_one_judge_out,
    p_top_k,
    p_top_k_independent,
    placewise_groups,
    tied_groups,
)
from judging.reliability.agreement import ReliabilityGroup, sheet_reliability
from judging.sheets.sheet import ScoreSheet

__all__ = [
    "METHODS",
    "Analysis",
    "EntryResult",
    "JudgeResult",
    "PairResult",
    "analyze",
    "reliability_of",
]

METHODS = ("calibrated", "zscore", "raw", "trimmed", "median", "rank")
"""Method names accepted by :func:`analyze` (``calibrated`` is the default)."""

LOJO_MAX_JUDGES = 500
"""Leave-one-judge-out costs one J x J solve per judge; above this many judges it is skipped."""

TIED_LISTED = 10
"""``tied_with`` lists at most this many members of an entry's tied group, nearest in rank."""


def reliability_of(
    sheet: ScoreSheet, groups: list[ReliabilityGroup] | None = None
) -> dict[str, float]:
    """Pooled reliability of the sheet's totals (module docstring): Krippendorff's alpha, and
    on a complete design the six ICCs and Kendall's W; NaN where undefined (fewer than 2
    entries with 2 or more scores, no variation). ``groups`` reuses
    :func:`judging.reliability.agreement.sheet_reliability`'s result."""
    pooled = (groups or sheet_reliability(sheet))[0]
    stats = pooled.statistics
    out = {"krippendorff_alpha": stats.get("krippendorff_alpha", math.nan)}
    n_e, n_j = sheet.n_entries, sheet.n_judges
    if sheet.total.size == n_e * n_j and n_e >= 2 and n_j >= 2:
        out.update({name: stats.get(name, math.nan) for name in ICC_FIELDS})
        out["kendall_w"] = stats.get("kendall_w", math.nan)
    return out


ICC_FIELDS = ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")


def _nearest_all(group: NDArray[np.intp], ids: tuple[str, ...], shown: int = TIED_LISTED):
    """(member, the other members nearest in rank to it, at most ``shown``, in rank order) for
    every member of a tied group: the window of shown + 1 positions around it, held inside the
    group, without the member itself."""
    size = group.size
    width = min(shown + 1, size)
    pos = np.arange(size)
    lo = np.clip(pos - shown // 2, 0, size - width)
    window = lo[:, None] + np.arange(width)
    others = window[window != pos[:, None]].reshape(size, width - 1)
    names = np.array([ids[x] for x in group.tolist()], dtype=object)
    return zip(group.tolist(), map(tuple, names[others].tolist()), strict=True)


def _or_nan(statistic, matrix: NDArray[np.float64]) -> float:
    try:
        return float(statistic(matrix))
    except ValueError:
        return math.nan


_SIGNED = ("values", "biases", "residual", "std_residual", "fixed_values", "fixed_biases")
"""Calibration fields in score units (or signed with them) that change sign with direction."""


def _negated(analysis: Analysis) -> Analysis:
    """``analysis`` of negated totals turned back into the sheet's units (lower is better)."""
    cal = analysis.calibration
    if cal is not None:
        cal = replace(
            cal, **{n: -getattr(cal, n) for n in _SIGNED if getattr(cal, n, None) is not None}
        )
    entries = [replace(r, score=-r.score, raw_mean=-r.raw_mean) for r in analysis.entries]
    judges = [replace(j, bias=-j.bias) for j in analysis.judges]
    return replace(analysis, entries=entries, judges=judges, calibration=cal, lower_is_better=True)


def analyze(
    sheet: ScoreSheet,
    *,
    method: str = "calibrated",
    shrinkage: str | float = "auto",
    bias_scale: bool = False,
    top: int = 3,
    draws: int = 1000,
    seed: int | None = 0,
    lower_is_better: bool | None = None,
) -> Analysis:
    """Score, rank and qualify every entry of ``sheet`` with ``method`` (one of ``METHODS``).

    ``lower_is_better`` (default: the sheet's own ``lower_is_better``) ranks the lowest
    totals first (module docstring)."""
    options = {"method": method, "shrinkage": shrinkage, "bias_scale": bias_scale}
    options.update(top=top, draws=draws, seed=seed)
    flip = sheet.lower_is_better if lower_is_better is None else lower_is_better
    if not flip:
        analysis = _analyze(replace(sheet, lower_is_better=False), **options)
        analysis.warnings.extend(placement_warnings(sheet))
        return analysis
    negated = replace(sheet, total=-sheet.total, lower_is_better=False)
    return replace(_negated(_analyze(negated, sign=-1.0, **options)), sheet=sheet)


def _analyze(
    sheet: ScoreSheet,
    *,
    method: str,
    shrinkage: str | float,
    bias_scale: bool,
    top: int,
    draws: int,
    seed: int | None,
    sign: float = 1.0,
) -> Analysis:
    """:func:`analyze` for "higher is better"; ``sign`` -1 shows totals negated in warnings."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if top < 1:
        raise ValueError("top must be at least 1")
    e, j, y = sheet.entry_idx, sheet.judge_idx, sheet.total
    n_e = sheet.n_entries
    cal = calibrate(sheet, shrinkage, bias_scale)
    entry_comp = np.zeros(n_e, dtype=np.intp)
    entry_comp[e] = cal.component[j]
    n_comp = int(cal.component.max()) + 1 if cal.component.size else 1
    split = method == "calibrated" and n_comp > 1
    cats = ranking_groups(sheet.category, entry_comp) if split else list(sheet.category)
    raw = raw_mean(e, j, y, n_e)
    count = np.bincount(e, minlength=n_e)
    if method == "calibrated":
        score, se = cal.values, cal.value_stderr
    else:
        score = SIMPLE_METHODS[method](e, j, y, n_e)
        se = simple_stderr(method, e, j, y, n_e)
    ranking = CategoryRanking(cats, sheet.entry_ids)
    ranks = ranking.ranks(score, stderr=se, n_judges=count, raw_mean=raw)
    orders = ranking.orders(ranks)
    if method == "calibrated":
        diff_se = difference_stderr(cal)
    else:
        diff_se = independent_difference_stderr(se)
    if draws <= 0:
        p_top = np.full(n_e, np.nan)
    elif method == "calibrated":
        p_top = p_top_k(cal, cats, top, draws, seed, diff_stderr=diff_se)
    else:
        p_top = p_top_k_independent(score, se, cats, top, draws, seed)
    tied: dict[int, tuple[str, ...]] = {}
    z_next = np.full(n_e, np.nan)
    place_lo = np.zeros(n_e, dtype=np.intp)  # 0: not ranked (the entry's own rank is used)
    place_hi = np.zeros(n_e, dtype=np.intp)
    adjacent_se: dict[str, NDArray[np.float64]] = {}
    for name, order in orders.items():
        for group in tied_groups(order, score, diff_se, stderr=se):
            tied.update(_nearest_all(group, sheet.entry_ids))
        se_next = diff_se(order[:-1], order[1:]) if order.size > 1 else np.zeros(0)
        adjacent_se[name] = se_next
        gap = score[order[:-1]] - score[order[1:]]
        with np.errstate(invalid="ignore", divide="ignore"):
            z_next[order[:-1]] = np.where(se_next > 0, gap / se_next, np.nan)
        lo, hi = placewise_groups(order, score, diff_se, adjacent_se=se_next)
        place_lo[order], place_hi[order] = lo + 1, hi + 1
    warnings = coverage_warnings(sheet.entry_ids, sheet.judge_ids, e, j, cal.component)
    warnings += component_warnings(method, n_comp)
    warnings += model_warnings(cal, shrinkage)
    other = "raw" if method != "raw" else "calibrated"
    other_score = raw if other == "raw" else cal.values
    other_se = simple_stderr("raw", e, j, y, n_e) if other == "raw" else cal.value_stderr
    other_ranks = ranking.ranks(other_score, stderr=other_se, n_judges=count, raw_mean=raw)
    names = {"raw": "raw mean", "calibrated": "calibrated score"}
    warnings += top_k_change_warnings(
        top,
        orders,
        ranking.orders(other_ranks),
        sheet.entry_ids,
        names.get(method, f"{method} score"),
        names[other],
    )
    if method == "calibrated" and shrinkage != "none" and cal.shrinkage != 0.0:
        if cal.fixed_values is not None:  # the random-entries model keeps its fixed fit
            exact_values, exact_se = cal.fixed_values, cal.fixed_value_stderr
        else:
            exact = calibrate(sheet, "none", bias_scale)
            exact_values, exact_se = exact.values, exact.value_stderr
        exact_ranks = ranking.ranks(exact_values, stderr=exact_se, n_judges=count, raw_mean=raw)
        warnings += top_k_change_warnings(
            top,
            orders,
            ranking.orders(exact_ranks),
            sheet.entry_ids,
            "calibrated score",
            "calibrated score without shrinkage (--shrinkage none)",
        )
    warnings += outlier_warnings(sheet, cal, sign=sign)
    if method == "calibrated":
        if sheet.n_judges <= LOJO_MAX_JUDGES:
            warnings += lojo_warnings(leave_one_judge_out(sheet, cal, top, cats), top)
        else:
            warnings.append(
                f"The leave-one-judge-out check was skipped: it runs for at most "
                f"{LOJO_MAX_JUDGES} judges and this sheet has {sheet.n_judges}."
            )
    at = np.concatenate([*orders.values(), np.zeros(0, dtype=np.intp)])  # index numpy with it
    listed = at.tolist()

    def or_none(values: NDArray[np.float64]) -> list[float | None]:
        return [None if x != x else x for x in values[at].tolist()]

    rank_listed = ranks[at].tolist()
    ranked = place_lo[at] > 0
    lo_listed = np.where(ranked, place_lo[at], ranks[at]).tolist()
    hi_listed = np.where(ranked, place_hi[at], ranks[at]).tolist()
    ids, categories = sheet.entry_ids, sheet.category
    entries = build_all(
        EntryResult,
        [ids[x] for x in listed],
        [categories[x] for x in listed],
        rank_listed,
        score[at].tolist(),
        se[at].tolist(),
        raw[at].tolist(),
        count[at].tolist(),
        or_none(p_top),
        [tied.get(x, ()) for x in listed],
        or_none(z_next),
        list(zip(lo_listed, hi_listed, strict=True)),
        entry_comp[at].tolist(),
    )
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
    groups = sheet_reliability(sheet)
    return Analysis(
        method,
        top,
        entries,
        judges,
        reliability_of(sheet, groups),
        warnings,
        cal,
        reliability_groups=groups,
        pairs=_adjacent_pairs(sheet, orders, score, diff_se, adjacent_se),
        sheet=sheet,
    )


def _adjacent_pairs(
    sheet: ScoreSheet, orders: dict, score, diff_se, adjacent_se: dict
) -> list[PairResult]:
    """Each entry and the next in rank, per category (see :class:`PairResult`);
    ``adjacent_se`` holds each category's SEs along its full order."""
    out = []
    for name, order in orders.items():
        finite = np.isfinite(score[order])
        known = bool(finite.all())
        order = order[finite]
        if order.size < 2:
            continue
        upper, lower = order[:-1], order[1:]
        gap = score[upper] - score[lower]
        se = adjacent_se[name] if known else diff_se(upper, lower)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, gap / se, np.nan)
        ids = sheet.entry_ids
        out += build_all(
            PairResult,
            [name] * upper.size,
            [ids[u] for u in upper.tolist()],
            [ids[v] for v in lower.tolist()],
            gap.tolist(),
            se.tolist(),
            z.tolist(),
        )
    return out
