"""Leave-one-judge-out: would the top k of a category change without judge j?

For each judge j the calibration is refitted without j's scores, keeping the fitted lambda,
shrink factors s_k and gains (:mod:`judging.calibrate`), and updating the J x J system only
for the entries j scored:

- fixed effects (``none``) and ``auto``: (L' + eps I) b' = r' with eps = 1e-9 * max(mean
  diag L, 1), which tends to the gauge of the reduced graph (biases sum to zero per component);
  for ``auto`` then b'' = s * b' re-centred over the full fit's components without j;
- a numeric lambda: (L' + lambda I) b' = r'.

Values follow as v'_e = ybar'_e - sum_k (w_ek / W'_e) b'_k. Top k is by value, ties by entry id.

The random-entries model (``auto`` when it chooses random entries, :mod:`judging.mixed`) is
not refitted exactly. Its judge shrinkage is kept as the joint ridge lambda = sigma^2 / tau^2
of the fixed-entries system above, and the entries' own shrinkage (k = sigma^2 / sigma_v^2,
the component means and the Mundlak term) is held at the full fit: with v_hat and v_hat^(-j)
the ridge solution with and without judge j, the values without j are taken as

    v'_e = v_e + (v_hat^(-j)_e - v_hat_e),

the BLUP plus the change that removing j makes in the approximating model. Before is the BLUP
ranking itself, so a judge whose removal changes nothing in the approximation changes no top
k. The approximation ignores that an entry's shrinkage toward its component mean changes when
it loses one of its judges (W_e falls, so k / (W_e + k) rises): such an entry is pulled a
little more toward the mean than v'_e says.
Entries scored only by j drop out of both sides of the comparison (the question is whether the
others' order changes; thin entries have their own warning).

Each reduced system is solved by conjugate gradients preconditioned with the full system's
inverse (computed once, and downdated by one rank for the judge left out): removing a judge
changes the other judges' rows only through the entries it shared with them, so a few
iterations reach the solution to rounding (every residual below 1e-13 of the right-hand
side) at the cost of a few J x J products instead of one J^3 elimination per judge.

Only a few values need computing per judge. An entry e that j did not score keeps ybar_e and
its judge mixture a_e (a convex combination over judges k != j), so with c the midpoint of
the range of d_k = b'_k - b_k over k != j, |(v'_e + c) - v_e| = |a_e^T (d - c)| <= delta, half
that range (adding c to every new value changes no ranking). With t the k-th best full-fit
value among those entries in e's category, the k-th best shifted new value is at least
t - delta, so e can enter the new top k only if v_e >= t - 2 delta. The refit computes the
values of those candidates and of j's own entries, and ranks them; the result equals ranking
every entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from judging.calibrate import Calibration
from judging.graph import EntryGroups
from judging.sheet import ScoreSheet

__all__ = ["TopKChange", "leave_one_judge_out"]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


def _solve_without(
    system: Array,
    change: tuple[Index, Index, Array],
    rhs: Array,
    judge: int,
    inverse: Array,
    start: Array,
) -> Array:
    """Solve the system without ``judge`` by preconditioned conjugate gradients (docstring):
    the matrix is ``system`` (L + ridge I) plus the sparse ``change`` (rows, columns, values)
    with the judge's row and column removed; the preconditioner is the inverse of ``system``
    without the judge (a rank-one downdate of ``inverse``). Stops when every residual is below
    1e-13 of the largest right-hand side, as exact as an elimination in double precision."""
    rows, cols, vals = change
    n = rhs.size
    col = inverse[:, judge]
    pivot = col[judge]

    def times(x: Array) -> Array:
        out = system @ x + np.bincount(rows, vals * x[cols], minlength=n)
        out[judge] = 0.0
        return out

    def precondition(r: Array) -> Array:
        return inverse @ r - col * ((col @ r) / pivot)

    x = start
    r = rhs - times(x)
    tolerance = 1e-13 * max(float(np.abs(rhs).max()), 1e-300)
    z = precondition(r)
    p = z
    rz = float(r @ z)
    for _ in range(4 * n + 10):
        if float(np.abs(r).max()) <= tolerance or rz == 0.0:
            break
        ap = times(p)
        alpha = rz / float(p @ ap)
        x = x + alpha * p
        r = r - alpha * ap
        z = precondition(r)
        rz_new = float(r @ z)
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x


@dataclass(frozen=True, slots=True)
class TopKChange:
    """Without ``judge``, the top k of ``category`` would be ``after`` instead of ``before``."""

    judge: str
    category: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def _observations(groups: EntryGroups, entries: Index) -> tuple[Index, Index]:
    """(p, obs): every observation obs of entry entries[p], grouped by p."""
    counts = groups.count[entries]
    p = np.repeat(np.arange(entries.size), counts)
    within = np.arange(p.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return p, groups.order[groups.start[entries][p] + within]


class _Ranked:
    """Each category's scored entries sorted by (-full-fit value, entry id)."""

    def __init__(self, values: Array, cats: Sequence[str], id_rank: Index) -> None:
        labels = np.asarray(cats, dtype=object)
        self.names = sorted(set(cats))
        self.order: dict[str, Index] = {}
        self.neg: dict[str, Array] = {}
        for name in self.names:
            members = np.flatnonzero((labels == name) & np.isfinite(values))
            members = members[np.lexsort((id_rank[members], -values[members]))]
            self.order[name], self.neg[name] = members, -values[members]

    def first(self, name: str, k: int, skip: NDArray[np.bool_] | None = None, skipped: int = 0):
        """The first k entries of ``name`` in full-fit order, leaving out those marked in
        ``skip`` (``skipped`` of them at most)."""
        head = self.order[name][: k + skipped]
        if skip is not None:
            head = head[~skip[head]]
        return head[:k].tolist()


def leave_one_judge_out(
    sheet: ScoreSheet, cal: Calibration, k: int, categories: Sequence[str] | None = None
) -> list[TopKChange]:
    """Refit without each judge in turn and report every category whose top k changes
    (method in the module docstring)."""
    e, j, n_e, n_j = sheet.entry_idx, sheet.judge_idx, sheet.n_entries, sheet.n_judges
    g = cal.gains[j]
    centre = float(np.average(sheet.total, weights=sheet.weight))
    y = centre + (sheet.total - centre) / g
    w = sheet.weight * g * g
    groups = EntryGroups(e, n_e)
    every = np.arange(n_e)
    _, s_all, t_all = groups.pairs(every, every)
    big_w = np.bincount(e, w, minlength=n_e)
    lap = -np.bincount(
        j[s_all] * n_j + j[t_all], w[s_all] * w[t_all] / big_w[e[s_all]], minlength=n_j * n_j
    ).reshape(n_j, n_j)
    lap[np.diag_indices(n_j)] += np.bincount(j, w, minlength=n_j)
    ybar = np.bincount(e, w * y, minlength=n_e) / big_w
    rhs = np.bincount(j, w * (y - ybar[e]), minlength=n_j)
    shrink = cal.shrink_factors
    if shrink is None and cal.shrinkage > 0:
        ridge = cal.shrinkage
    else:
        ridge = 1e-9 * max(float(np.diag(lap).mean()), 1.0)
    if np.isinf(ridge):
        return []
    base_biases, offset = cal.biases, np.zeros(n_e)
    if cal.offset_weight is not None:  # random entries: the ridge approximation (docstring)
        base_biases = np.linalg.solve(lap + ridge * np.eye(n_j), rhs)
        with np.errstate(invalid="ignore", divide="ignore"):
            approx = ybar - np.bincount(e, w * base_biases[j], minlength=n_e) / big_w
        offset = np.nan_to_num(cal.values - approx)
    comp = cal.component
    comp_size = np.bincount(comp)
    cats = list(categories if categories is not None else sheet.category)
    id_rank = np.empty(n_e, dtype=np.intp)
    id_rank[sorted(range(n_e), key=sheet.entry_ids.__getitem__)] = np.arange(n_e)
    ranked = _Ranked(cal.values, cats, id_rank)
    cat_code = {name: i for i, name in enumerate(ranked.names)}
    entry_cat = np.array([cat_code[c] for c in cats], dtype=np.intp)
    before = {name: ranked.first(name, k) for name in ranked.names}
    own_mark = np.zeros(n_e, dtype=bool)
    lost_mark = np.zeros(n_e, dtype=bool)
    by_judge = np.argsort(j, kind="stable")
    j_count = np.bincount(j, minlength=n_j)
    j_start = np.cumsum(j_count) - j_count
    scale = max(float(np.abs(cal.values[np.isfinite(cal.values)]).max(initial=1.0)), 1.0)
    system = lap + ridge * np.eye(n_j)
    inverse = np.linalg.inv(system)
    changes = []
    for judge in range(n_j):
        own = by_judge[j_start[judge] : j_start[judge] + j_count[judge]]
        own = own[np.argsort(e[own], kind="stable")]
        ents = e[own]  # sorted; a judge scores an entry once
        _, s, t = groups.pairs(ents, ents)
        p_aff, affected = _observations(groups, ents)  # every observation of its entries
        keep = (j[s] != judge) & (j[t] != judge)
        new_w = big_w[ents] - w[own]
        new_w_all = big_w.copy()
        new_w_all[ents] = new_w
        with np.errstate(invalid="ignore", divide="ignore"):
            sk, tk = s[keep], t[keep]
            # the Laplacian's change: the judge's entries' terms with W_e, then without it
            change = (
                np.concatenate((j[s], j[sk])),
                np.concatenate((j[t], j[tk])),
                np.concatenate((w[s] * w[t] / big_w[e[s]], -w[sk] * w[tk] / new_w_all[e[sk]])),
            )
            new_ybar = ybar.copy()
            sums = np.bincount(p_aff, w[affected] * y[affected], minlength=ents.size)
            new_ybar[ents] = (sums - w[own] * y[own]) / new_w
        new_rhs = rhs.copy()
        np.add.at(new_rhs, j[affected], -w[affected] * (y[affected] - ybar[e[affected]]))
        rest = affected[j[affected] != judge]
        np.add.at(new_rhs, j[rest], w[rest] * (y[rest] - new_ybar[e[rest]]))
        new_rhs[judge] = 0.0
        start = base_biases.copy()
        start[judge] = 0.0
        b = _solve_without(system, change, new_rhs, judge, inverse, start)
        b[judge] = 0.0  # so that the judge's own observations add nothing below
        if shrink is not None:
            b = shrink * b
            others = np.ones(n_j)
            others[judge] = 0.0
            size = comp_size - np.bincount(comp, 1.0 - others, minlength=comp_size.size)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.bincount(comp, b, minlength=comp_size.size) / size
            b = (b - np.nan_to_num(mean)[comp]) * others
        moved = np.delete(b - base_biases, judge)
        delta = 0.5 * float(moved.max(initial=0.0) - moved.min(initial=0.0)) + 1e-9 * scale
        lost = ents[new_w <= 0]
        own_mark[ents] = True
        lost_mark[lost] = True
        wanted: list[Index] = [ents[new_w > 0]]
        reference = {}
        for name in ranked.names:
            reference[name] = (
                before[name] if not lost.size else ranked.first(name, k, lost_mark, lost.size)
            )
            pool = ranked.first(name, k, own_mark, ents.size)
            if len(pool) < k:
                wanted.append(ranked.order[name])
                continue
            threshold = float(cal.values[pool[-1]]) - 2.0 * delta
            cut = int(np.searchsorted(ranked.neg[name], -threshold, side="right"))
            wanted.append(ranked.order[name][:cut])
        own_mark[ents] = False
        lost_mark[lost] = False
        mark = np.zeros(n_e, dtype=bool)
        for part in wanted:
            mark[part] = True
        cand = np.flatnonzero(mark)
        p, obs = _observations(groups, cand)
        with np.errstate(invalid="ignore", divide="ignore"):
            shift = np.bincount(p, w[obs] * b[j[obs]], minlength=cand.size) / new_w_all[cand]
        v = new_ybar[cand] - shift + offset[cand]
        order = np.lexsort((id_rank[cand], -v, entry_cat[cand]))
        order = order[np.isfinite(v[order])]
        for name in ranked.names:
            picked = order[entry_cat[cand[order]] == cat_code[name]][:k]
            after = cand[picked].tolist()
            if after != reference[name]:
                changes.append(
                    TopKChange(
                        sheet.judge_ids[judge],
                        name,
                        tuple(sheet.entry_ids[x] for x in reference[name]),
                        tuple(sheet.entry_ids[x] for x in after),
                    )
                )
    return changes
