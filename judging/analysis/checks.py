"""Warnings of an analysis about the model and the data: outlying scores, top k that depend on
one judge, too little data for the noise, and scores that look like placements."""

from __future__ import annotations

import numpy as np

from judging.calibration.calibrate import Calibration
from judging.ranking.leave_one_out import TopKChange
from judging.ranking.rank import abbreviated, category_codes
from judging.sheets.sheet import ScoreSheet

__all__ = ["OUTLIER_Z", "lojo_warnings", "model_warnings", "outlier_warnings", "placement_warnings"]

OUTLIER_Z = 3.0
"""A score is reported as an outlier when its standardized residual exceeds this in size."""


def outlier_warnings(
    sheet: ScoreSheet, cal: Calibration, shown: int = 5, sign: float = 1.0
) -> list[str]:
    z = np.nan_to_num(cal.std_residual, nan=0.0)
    far = np.flatnonzero(np.abs(z) > OUTLIER_Z)
    if far.size == 0:
        return []
    far = far[np.argsort(-np.abs(z[far]), kind="stable")]
    jid, eid = sheet.judge_ids, sheet.entry_ids
    listed = [
        f"judge {jid[sheet.judge_idx[i]]} on entry {eid[sheet.entry_idx[i]]}"
        f" (total {sign * sheet.total[i]:.4g}, standardized residual {sign * z[i]:+.1f})"
        for i in far[:shown]
    ]
    more = f" and {far.size - shown} more" if far.size > shown else ""
    return [
        f"{far.size} score{'s are' if far.size > 1 else ' is'} far from what the model expects "
        f"(|standardized residual| > {OUTLIER_Z:g}): {'; '.join(listed)}{more}."
    ]


def lojo_warnings(changes: list[TopKChange], top: int, shown: int = 5) -> list[str]:
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


def model_warnings(cal: Calibration, shrinkage: str | float) -> list[str]:
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


def placement_warnings(sheet: ScoreSheet) -> list[str]:
    """A warning when most judges' totals in a category are 1, 2, ..., n once each (n >= 3):
    placements, where 1 is usually best."""
    cats = category_codes(sheet.category)[1]
    key = sheet.judge_idx * (int(cats.max()) + 1) + cats[sheet.entry_idx]
    y = sheet.total
    n = np.bincount(key)
    used = np.flatnonzero(n >= 3)
    if used.size == 0 or not np.array_equal(y, np.round(y)):
        return []
    low = np.full(n.size, np.inf)
    high = np.full(n.size, -np.inf)
    np.minimum.at(low, key, y)
    np.maximum.at(high, key, y)
    pairs = np.unique(np.stack([key, y.astype(np.int64)]), axis=1)
    distinct = np.bincount(pairs[0], minlength=n.size)
    ranked = (low == 1) & (high == n) & (distinct == n)
    if ranked[used].mean() < 0.8:
        return []
    return [
        "The scores look like placements (each judge gave 1, 2, ..., n once each within a "
        "category), and they are ranked highest first. If 1 is best, use --lower-is-better "
        "(or direction=lower in the rubric)."
    ]
