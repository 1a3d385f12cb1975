"""Favouritism: does a judge score entries of its own group (nation, district, association) higher?

Given a group label per judge and per entry, a score is *own-group* when both labels are equal
and not empty. The model adds an affinity term to the additive calibration model (fixed
effects, :mod:`judging.calibration.calibrate`):

    y_ej = value_e + bias_j + sum_k a_k z_k,ej + noise,   noise ~ N(0, sigma^2 / w_ej),

with one indicator z_k per tested effect: for the per-judge audit z_j = [judge j and entry e
share a group] (a_j is judge j's own-group affinity, in points of the total), for the pooled
audit a single z = [own-group score] (one affinity for every judge). By Frisch-Waugh-Lovell
the affinities are the weighted least-squares regression of the fixed-effects residuals of y
on the fixed-effects residuals of the indicators (each indicator "calibrated" like a score,
so that an affinity is measured against the same entry's other judges and the same judge's
other entries):

    a = (Z~^T W Z~)^-1 Z~^T W y~,   Cov(a) = s^2 (Z~^T W Z~)^-1,
    s^2 = |y~ - Z~ a|_W^2 / (n - E - (J - C) - K).

Each judge's z = a_j / se_j is tested two-sided (normal); the p-values are adjusted by Holm's
step-down method over the judges tested, and a judge is flagged when its adjusted p-value is
below ``level`` (family-wise error rate). A judge is tested when it has at least one own-group
and one other score and the indicator is not absorbed by the fixed effects.

Correction: :func:`remove_affinity` subtracts the fitted affinity a_k z_k from each score;
calibrating the result gives the entry values of the model with affinity as a fixed effect.

Literature. The method is the fixed-effects comparison of a judge's mark with the other
judges' marks of the same performance used by Zitzewitz (2006, "Nationalism in Winter Sports
Judging and Its Lessons for Organizational Decision Making", Journal of Economics &
Management Strategy 15(1)), who found that Olympic figure-skating and ski-jumping judges score
their compatriots higher, and by Emerson, Seltzer & Lin (2009, "Assessing Judging Bias: An
Example from the 2000 Olympic Games", The American Statistician 63(2)), who found the same in
Olympic diving. On the 2018 Olympic figure-skating sheets (BuzzFeed News,
2018-02-olympic-figure-skating-analysis, CC BY 4.0; tests/judging/analysis/test_affinity.py) the
pooled own-country affinity is about 3.6 points of a judge's total, some 7 standard errors from
zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from judging.calibration.graph import EntryGroups, judge_components, laplacian
from judging.sheets.sheet import ScoreSheet

__all__ = [
    "AffinityAudit",
    "JudgeAffinity",
    "affinity_audit",
    "group_affinity",
    "holm",
    "remove_affinity",
]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class JudgeAffinity:
    """One judge's own-group affinity: estimate (points of the total), standard error, z,
    raw and Holm-adjusted two-sided p-values, whether flagged, and its own/other score counts."""

    judge: str
    group: str
    estimate: float
    stderr: float
    z: float
    p_value: float
    p_adjusted: float
    flagged: bool
    own_scores: int
    other_scores: int


@dataclass(frozen=True, slots=True)
class AffinityAudit:
    """The favouritism audit of a sheet (module docstring).

    ``pooled``/``pooled_stderr``/``pooled_p``: one affinity shared by every judge.
    ``residual_own``/``residual_other``: mean fixed-effects residual of own-group and other
    scores; ``share_own_positive``: the share of own-group residuals above 0. ``judges``:
    the judges tested, most significant first. ``own`` marks the own-group scores (sheet
    order); ``level`` is the family-wise error rate of the flags.
    """

    pooled: float
    pooled_stderr: float
    pooled_p: float
    own_scores: int
    residual_own: float
    residual_other: float
    share_own_positive: float
    judges: list[JudgeAffinity]
    own: NDArray[np.bool_]
    level: float

    @property
    def flagged(self) -> list[JudgeAffinity]:
        """The judges whose affinity is significant after Holm's adjustment."""
        return [judge for judge in self.judges if judge.flagged]


def holm(p_values: Array) -> Array:
    """Holm's (1979) step-down adjusted p-values: sorted ascending p_(i) becomes
    max_{k <= i} min(1, (m - k + 1) p_(k)); NaN stays NaN and is not counted in m."""
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.size, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    order = ok[np.argsort(p[ok], kind="stable")]
    m = order.size
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out[order] = np.maximum.accumulate(scaled)
    return out


class _FixedEffects:
    """Residuals of any column under the additive fixed-effects model of one sheet."""

    def __init__(self, sheet: ScoreSheet) -> None:
        e, j = sheet.entry_idx, sheet.judge_idx
        self.e, self.j, self.w = e, j, sheet.weight
        self.n_e, self.n_j = sheet.n_entries, sheet.n_judges
        groups = EntryGroups(e, self.n_e)
        every = np.arange(self.n_e)
        _, s, t = groups.pairs(every, every)
        lap, self.big_w = laplacian(e, j, self.w, (s, t), self.n_e, self.n_j)
        comp = judge_components(e, j, self.n_j)
        size = np.bincount(comp)
        proj = (comp[:, None] == comp[None, :]) / size[comp][:, None]
        self.inverse = np.linalg.inv(lap + proj)
        self.n_comp = size.size

    def residual(self, y: Array) -> Array:
        """y - value_e - bias_j of the fixed-effects fit to y."""
        e, j, w = self.e, self.j, self.w
        with np.errstate(invalid="ignore", divide="ignore"):
            ybar = np.bincount(e, w * y, minlength=self.n_e) / self.big_w
        rhs = np.bincount(j, w * (y - ybar[e]), minlength=self.n_j)
        b = self.inverse @ rhs
        with np.errstate(invalid="ignore", divide="ignore"):
            v = ybar - np.bincount(e, w * b[j], minlength=self.n_e) / self.big_w
        return y - v[e] - b[j]


def _own(sheet: ScoreSheet, judge_groups: Mapping[str, str], entry_groups: Mapping[str, str]):
    jg = np.array([judge_groups.get(name, "") or "" for name in sheet.judge_ids], dtype=object)
    eg = np.array([entry_groups.get(name, "") or "" for name in sheet.entry_ids], dtype=object)
    a, b = jg[sheet.judge_idx], eg[sheet.entry_idx]
    return (a == b) & (a != ""), jg


def _regress(fe: _FixedEffects, y_res: Array, columns: Array, dof_base: int):
    """(estimates, covariance) of the FWL regression of y~ on the residualized columns."""
    z = np.column_stack([fe.residual(columns[:, k]) for k in range(columns.shape[1])])
    w = fe.w
    gram = z.T @ (w[:, None] * z)
    estimate = np.linalg.solve(gram, z.T @ (w * y_res))
    rest = y_res - z @ estimate
    dof = dof_base - columns.shape[1]
    s2 = float((w * rest * rest).sum() / dof) if dof > 0 else float("nan")
    return estimate, s2 * np.linalg.inv(gram)


def _p_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0)) if math.isfinite(z) else float("nan")


def affinity_audit(
    sheet: ScoreSheet,
    judge_groups: Mapping[str, str],
    entry_groups: Mapping[str, str],
    *,
    level: float = 0.05,
) -> AffinityAudit:
    """Estimate own-group affinities per judge and pooled (module docstring).

    ``judge_groups``/``entry_groups`` map judge and entry ids to a group label (a missing or
    empty label belongs to no group). Raises ValueError when no score is own-group.
    """
    own, jg = _own(sheet, judge_groups, entry_groups)
    if not own.any():
        raise ValueError("no judge scored an entry of its own group: nothing to audit")
    fe = _FixedEffects(sheet)
    y_res = fe.residual(sheet.total)
    scored_e = int(np.count_nonzero(fe.big_w > 0))
    dof_base = sheet.total.size - scored_e - (sheet.n_judges - fe.n_comp)
    pooled, pooled_cov = _regress(fe, y_res, own[:, None].astype(np.float64), dof_base)
    pooled_se = math.sqrt(max(float(pooled_cov[0, 0]), 0.0))
    j = sheet.judge_idx
    n_own = np.bincount(j[own], minlength=sheet.n_judges)
    n_all = np.bincount(j, minlength=sheet.n_judges)
    candidates = np.flatnonzero((n_own > 0) & (n_own < n_all))
    columns = (own[:, None] & (j[:, None] == candidates[None, :])).astype(np.float64)
    keep = [k for k in range(candidates.size) if np.abs(fe.residual(columns[:, k])).max() > 1e-9]
    candidates, columns = candidates[keep], columns[:, keep]
    judges: list[JudgeAffinity] = []
    if candidates.size:
        estimate, cov = _regress(fe, y_res, columns, dof_base)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        with np.errstate(invalid="ignore", divide="ignore"):
            z = estimate / se
        p = np.array([_p_two_sided(float(x)) for x in z])
        adjusted = holm(p)
        for k, judge in enumerate(candidates.tolist()):
            judges.append(
                JudgeAffinity(
                    judge=sheet.judge_ids[judge],
                    group=str(jg[judge]),
                    estimate=float(estimate[k]),
                    stderr=float(se[k]),
                    z=float(z[k]),
                    p_value=float(p[k]),
                    p_adjusted=float(adjusted[k]),
                    flagged=bool(adjusted[k] < level),
                    own_scores=int(n_own[judge]),
                    other_scores=int(n_all[judge] - n_own[judge]),
                )
            )
        judges.sort(key=lambda a: (a.p_value, a.judge))
    pooled_z = float(pooled[0]) / pooled_se if pooled_se > 0 else float("nan")
    return AffinityAudit(
        pooled=float(pooled[0]),
        pooled_stderr=pooled_se,
        pooled_p=_p_two_sided(pooled_z),
        own_scores=int(own.sum()),
        residual_own=float(y_res[own].mean()),
        residual_other=float(y_res[~own].mean()) if (~own).any() else float("nan"),
        share_own_positive=float((y_res[own] > 0).mean()),
        judges=judges,
        own=own,
        level=level,
    )


def remove_affinity(sheet: ScoreSheet, audit: AffinityAudit, *, pooled: bool = False) -> ScoreSheet:
    """The sheet with each own-group score lowered by its judge's estimated affinity (or by
    the pooled affinity with ``pooled=True``; judges not tested keep their scores)."""
    total = sheet.total.copy()
    if pooled:
        total[audit.own] -= audit.pooled
    else:
        index = {name: k for k, name in enumerate(sheet.judge_ids)}
        per_judge = np.zeros(sheet.n_judges)
        for judge in audit.judges:
            per_judge[index[judge.judge]] = judge.estimate
        total[audit.own] -= per_judge[sheet.judge_idx[audit.own]]
    return replace(sheet, total=total)


def group_affinity(
    sheet: ScoreSheet,
    entry_groups: Mapping[str, str],
    *,
    level: float = 0.05,
    min_scores: int = 1,
) -> dict[str, list[JudgeAffinity]]:
    """Judge x group affinities: for each entry group g (entries labelled g in
    ``entry_groups``) and each judge j, a_jg = j's extra points on g's entries compared with the
    other judges of the same entries.

    Each a_jg is the one-column FWL regression of the fixed-effects residuals on the residualized
    indicator z = [judge j and entry in g] (the per-judge model of the module docstring with
    only judge j labelled g; an indicator for every judge at once would be absorbed by the
    entry values). The fixed-effects fit is made once for all groups and judges. A judge is
    tested for g when it scored at least ``min_scores`` entries in g and as many out of g, and
    the indicator is not absorbed;
    p-values are two-sided and Holm-adjusted over the judges of each group; ``group`` holds g.
    Returns g -> judges tested, most significant first (groups with no judge tested are left
    out)."""
    fe = _FixedEffects(sheet)
    y_res = fe.residual(sheet.total)
    scored_e = int(np.count_nonzero(fe.big_w > 0))
    dof_base = sheet.total.size - scored_e - (sheet.n_judges - fe.n_comp)
    labels = np.array([entry_groups.get(name, "") or "" for name in sheet.entry_ids], dtype=object)
    per_score = labels[sheet.entry_idx]
    j, w = sheet.judge_idx, fe.w
    n_all = np.bincount(j, minlength=sheet.n_judges)
    out: dict[str, list[JudgeAffinity]] = {}
    for group in sorted({str(g) for g in labels if g}):
        in_g = per_score == group
        n_in = np.bincount(j[in_g], minlength=sheet.n_judges)
        rows = []
        testable = (n_in >= max(1, min_scores)) & (n_all - n_in >= max(1, min_scores))
        for judge in np.flatnonzero(testable).tolist():
            z_res = fe.residual((in_g & (j == judge)).astype(np.float64))
            if np.abs(z_res).max() <= 1e-9:
                continue
            # _regress with one column, written out (a = z~'Wy~ / z~'Wz~, Var a = s^2 / z~'Wz~)
            gram = float((w * z_res * z_res).sum())
            estimate = float((w * z_res * y_res).sum()) / gram
            rest = y_res - z_res * estimate
            dof = dof_base - 1
            s2 = float((w * rest * rest).sum() / dof) if dof > 0 else float("nan")
            se = math.sqrt(max(s2 / gram, 0.0))
            z = estimate / se if se > 0 else float("nan")
            rows.append((judge, estimate, se, z, _p_two_sided(z)))
        if not rows:
            continue
        adjusted = holm(np.array([r[4] for r in rows]))
        judges = [
            JudgeAffinity(
                judge=sheet.judge_ids[judge],
                group=group,
                estimate=estimate,
                stderr=se,
                z=z,
                p_value=p,
                p_adjusted=float(adjusted[k]),
                flagged=bool(adjusted[k] < level),
                own_scores=int(n_in[judge]),
                other_scores=int(n_all[judge] - n_in[judge]),
            )
            for k, (judge, estimate, se, z, p) in enumerate(rows)
        ]
        judges.sort(key=lambda a: (a.p_value, a.judge))
        out[group] = judges
    return out
