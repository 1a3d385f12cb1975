"""Reliability of a score sheet, pooled, per category and per criterion.

Each group is a set of (entry, judge, value) scores: the rubric totals of every entry
(``all``), of the entries of one category (``category``), or one criterion's values
(``criterion``, on the rubric's 0-100 scale; needs the sheet's rows). Per group:

- Krippendorff's alpha with the interval metric (always tried; missing scores are fine), and
  with the ordinal and nominal metrics when the values take at most ``MAX_LEVELS`` distinct
  levels (a rating scale, not averaged totals);
- on a complete group (every judge scored every entry) the six ICCs with 95% confidence
  intervals and Kendall's W (:mod:`judging.reliability.coefficients`).

A statistic that cannot be computed is left out of ``statistics`` and its reason put in
``undefined``: fewer than 2 entries scored by 2 or more judges (one entry gives alpha = 0 by
arithmetic, which would read as "no agreement"), no variation, an incomplete design.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from numpy.typing import NDArray

from judging.ranking.rank import category_codes
from judging.reliability import coefficients
from judging.sheets.sheet import ScoreSheet

__all__ = ["MAX_LEVELS", "MEANINGS", "ReliabilityGroup", "sheet_reliability"]

MAX_LEVELS = 100
"""Ordinal and nominal alpha are reported when the values take at most this many levels."""

ICC_NAMES = ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")

MEANINGS: dict[str, str] = {
    "krippendorff_alpha": "agreement of the judges on the same entries, interval scale "
    "(1 perfect, 0 chance, missing scores allowed)",
    "krippendorff_alpha_ordinal": "the same, using only the order of the score levels",
    "krippendorff_alpha_nominal": "the same, counting only exact matches of score levels",
    "icc1": "ICC(1,1): one score's reliability, judges a new random draw per entry",
    "icc2": "ICC(2,1): one score's reliability, absolute agreement, judges a random sample",
    "icc3": "ICC(3,1): one score's reliability, consistency of this fixed panel",
    "icc1k": "ICC(1,k): reliability of the mean of k scores (one-way model)",
    "icc2k": "ICC(2,k): reliability of the mean of k judges (absolute agreement)",
    "icc3k": "ICC(3,k): reliability of the mean of this panel's k judges (consistency)",
    "kendall_w": "Kendall's W: how alike the judges order the entries (1 identical, 0 unrelated)",
}
"""One line per statistic saying what it means (the table prints these)."""


@dataclass(frozen=True, slots=True)
class ReliabilityGroup:
    """The reliability statistics of one group of scores.

    ``scope`` is ``all``, ``category`` or ``criterion`` and ``name`` the category or criterion
    ("" for ``all``); ``entries`` counts the entries scored by 2 or more judges, ``judges``
    the judges in the group. ``statistics`` maps a name of ``MEANINGS`` to its value,
    ``intervals`` an ICC's name to its 95% confidence interval, ``undefined`` a statistic's
    name to the reason it is missing.
    """

    scope: str
    name: str
    entries: int
    judges: int
    statistics: dict[str, float] = field(default_factory=dict)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    undefined: dict[str, str] = field(default_factory=dict)


def _compact(codes: NDArray[np.intp]) -> tuple[NDArray[np.intp], int]:
    """Renumber the codes that occur to 0..m-1 keeping their order; return them and m."""
    if codes.size == 0:
        return codes, 0
    present = np.bincount(codes) > 0
    new = np.cumsum(present) - 1
    return new[codes], int(present.sum())


def _group(
    scope: str,
    name: str,
    unit: NDArray[np.intp],
    judge: NDArray[np.intp],
    value: NDArray[np.float64],
    averaged: bool = False,
) -> ReliabilityGroup:
    """The statistics of one group given in long form (one item per score); ``averaged``
    says the values are totals over several criteria (no rating levels)."""
    unit, n_units = _compact(unit)
    judge, n_judges = _compact(judge)
    count = np.bincount(unit, minlength=n_units)
    pairable = int((count >= 2).sum())
    out = ReliabilityGroup(scope, name, pairable, n_judges)
    alphas = ("krippendorff_alpha", "krippendorff_alpha_ordinal", "krippendorff_alpha_nominal")
    if n_judges < 2 or pairable == 0:
        reason = "no entry was scored by 2 or more judges"
    elif pairable < 2:
        reason = (
            "only 1 entry was scored by 2 or more judges; agreement needs at least 2 "
            "(with one entry alpha is 0 by arithmetic, whatever the judges did)"
        )
    else:
        reason = ""
    order = np.argsort(unit, kind="stable") if np.any(np.diff(unit) < 0) else slice(None)
    slot = np.arange(unit.size) - (np.cumsum(count) - count)[unit[order]]
    matrix = np.full((n_units, max(int(count.max(initial=0)), 2)), np.nan)
    matrix[unit[order], slot] = value[order]
    levels = 0 if averaged else _distinct_count(value)
    results: dict[str, float | ValueError | str] = {}  # by metric: alpha, error or reason
    for metric in ("interval", "ordinal", "nominal"):
        if reason:
            results[metric] = reason
        elif metric != "interval" and averaged:
            results[metric] = (
                f"totals over several criteria are averages, not rating levels; {metric} "
                "alpha is given per criterion"
            )
        elif metric != "interval" and levels > MAX_LEVELS:
            results[metric] = (
                f"the scores take {levels} distinct values; {metric} alpha needs a rating "
                f"scale of at most {MAX_LEVELS} levels (see it per criterion)"
            )
        elif metric == "interval":
            try:
                results[metric] = coefficients.krippendorff_alpha(matrix, metric)
            except ValueError as exc:
                results[metric] = exc
    shared = [m for m in ("ordinal", "nominal") if m not in results]
    if shared:  # one coincidence matrix for both
        try:
            results.update(coefficients.krippendorff_alphas(matrix, shared))
        except ValueError as exc:
            results.update(dict.fromkeys(shared, exc))
    for key, metric in zip(alphas, ("interval", "ordinal", "nominal"), strict=True):
        result = results[metric]
        if isinstance(result, float):
            out.statistics[key] = result
        else:
            out.undefined[key] = str(result)
    complete = n_units >= 2 and n_judges >= 2 and unit.size == n_units * n_judges
    if not complete:
        why = (
            "needs every judge to score every entry (at least 2 of each); "
            f"{unit.size} of {n_units * n_judges} possible scores are given"
        )
        for key in (*ICC_NAMES, "kendall_w"):
            out.undefined[key] = why
        return out
    full = np.full((n_units, n_judges), np.nan)
    full[unit, judge] = value
    point = asdict(coefficients.icc(full))
    bounds = asdict(coefficients.icc_intervals(full))
    for key in ICC_NAMES:
        if np.isfinite(point[key]):
            out.statistics[key] = point[key]
            out.intervals[key] = tuple(bounds[key])
        else:
            out.undefined[key] = "undefined: a mean square is zero (no variation)"
    try:
        out.statistics["kendall_w"] = coefficients.kendall_w(full)
    except ValueError as exc:
        out.undefined["kendall_w"] = str(exc)
    return out


def sheet_reliability(sheet: ScoreSheet) -> list[ReliabilityGroup]:
    """Reliability of the totals (all entries, then each category in name order) and, when
    the sheet keeps its rows and has several criteria, of each criterion's values."""
    e, j, y = sheet.entry_idx, sheet.judge_idx, sheet.total
    rows = sheet.rows
    averaged = rows is not None and len(rows.criteria) > 1
    groups = [_group("all", "", e, j, y, averaged)]
    names = sorted(set(sheet.category) - {""})
    if len(names) > 1 or (names and "" in sheet.category):
        cat_names, cat_code = category_codes(sheet.category)
        per_pair = cat_code[e]
        for code, name in enumerate(cat_names):
            keep = per_pair == code
            groups.append(_group("category", name, e[keep], j[keep], y[keep], averaged))
    if averaged:
        # each criterion's rows in sheet order: one stable (radix) sort by criterion
        crit = rows.criterion_idx
        n_crit = len(rows.criteria)
        small = crit.astype(np.uint8) if n_crit <= 256 else crit  # uint8: a radix sort
        order = np.argsort(small, kind="stable")
        e_rows, j_rows, v_rows = rows.entry_idx[order], rows.judge_idx[order], rows.value[order]
        ends = np.cumsum(np.bincount(crit, minlength=n_crit)).tolist()
        for name, lo, hi in zip(rows.criteria, [0, *ends[:-1]], ends, strict=True):
            if hi > lo:
                groups.append(
                    _group("criterion", name, e_rows[lo:hi], j_rows[lo:hi], v_rows[lo:hi])
                )
    return groups


def _distinct_count(values: NDArray[np.float64]) -> int:
    """How many distinct values (by sorting: ``np.unique`` without indices imports numpy.ma,
    a noticeable part of the command line's start-up)."""
    ordered = np.sort(values, axis=None)
    return int(ordered.size and 1 + np.count_nonzero(ordered[1:] != ordered[:-1]))
