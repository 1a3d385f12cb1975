"""Leave-one-judge-out: would the top k of a category change without judge j?

For each judge j the calibration is refitted without j's scores, keeping the fitted lambda,
shrink factors s_k and gains (:mod:`judging.calibration.calibrate`), and updating the J x J system
only for the entries j scored:

- fixed effects (``none``) and ``auto``: (L' + eps I) b' = r' with eps = 1e-9 * max(mean
  diag L, 1), which tends to the gauge of the reduced graph (biases sum to zero per component);
  for ``auto`` then b'' = s * b' re-centred over the full fit's components without j;
- a numeric lambda: (L' + lambda I) b' = r'.

Values follow as v'_e = ybar'_e - sum_k (w_ek / W'_e) b'_k. Top k is by value, ties by entry id.

The random-entries model (``auto`` when it chooses random entries, :mod:`judging.calibration.mixed`)
is not refitted exactly. Its judge shrinkage is kept as the joint ridge lambda = sigma^2 / tau^2
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
changes the other judges' rows only through the entries it shared with them (by c w w^T per
entry, c = 1 / W_e - 1 / (W_e - w_j)), so a few iterations reach the solution to rounding
(every residual below 1e-13 of the right-hand side) instead of one J^3 elimination per
judge. The J systems are iterated together, one column per judge left out, so a step costs
two J x J by J products for all of them, not a few dozen small array operations per judge.

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

from judging.calibration.calibrate import Calibration
from judging.calibration.graph import EntryGroups
from judging.ranking.rank import category_codes
from judging.sheets.sheet import ScoreSheet

__all__ = ["TopKChange", "leave_one_judge_out"]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


def _solve_all(
    system: Array,
    inverse: Array,
    change: tuple[Index, Index, Array, Array],
    rhs: Array,
    start: Array,
) -> Array:
    """Solve every judge's reduced system at once by preconditioned conjugate gradients
    (docstring): column J of the result solves the system without judge J, whose right-hand
    side is column J of ``rhs``, from column J of ``start`` (row J of column J is 0 in both).

    The matrix of column J is ``system`` (L + ridge I) plus the change of J's entries: for an
    entry e that J scored, the other judges' block of L changes by c w w^T with
    c = 1 / W_e - 1 / (W_e - w_J) (w the other judges' weights of e), so for x with x_J = 0
    the product gains, in row a of each such entry, w_a c (w^T x). ``change`` = (cell, owner,
    weight, factor): for every ordered pair (q, t) of different observations of one entry,
    cell = judge(t) * J + judge(q), owner = q, weight = w_t; ``factor`` is c per observation q
    (0 when q's judge is the entry's only one). J's own row is removed (held at 0).

    The preconditioner of column J is the inverse of ``system`` without judge J (a rank-one
    downdate of ``inverse``). Each column stops, as when solved alone, when every residual is
    below 1e-13 of its largest right-hand side, as exact as an elimination in double
    precision; a stopped column is no longer updated."""
    cell, owner, weight, factor = change
    n = rhs.shape[0]
    diag = np.arange(n)
    pivot = inverse[diag, diag].copy()

    def times(x: Array) -> Array:
        dots = np.bincount(owner, weight * x.ravel()[cell], minlength=factor.size)
        out = system @ x
        out += np.bincount(cell, weight * (factor * dots)[owner], minlength=n * n).reshape(n, n)
        out[diag, diag] = 0.0
        return out

    def precondition(r: Array) -> Array:
        z = inverse @ r
        z -= inverse * ((inverse * r).sum(axis=0) / pivot)
        z[diag, diag] = 0.0
        return z

    x = start.copy()
    r = rhs - times(x)
    tolerance = 1e-13 * np.maximum(np.abs(rhs).max(axis=0, initial=0.0), 1e-300)
    z = precondition(r)
    p = z
    rz = (r * z).sum(axis=0)
    active = np.ones(n, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(4 * n + 10):
            active &= (np.abs(r).max(axis=0) > tolerance) & (rz != 0.0)
            if not active.any():
                break
            ap = times(p)
            alpha = np.where(active, rz / (p * ap).sum(axis=0), 0.0)
            x += alpha * p
            r -= alpha * ap
            z = precondition(r)
            rz_new = (r * z).sum(axis=0)
            p = z + np.where(active, rz_new / rz, 0.0) * p
            rz = np.where(active, rz_new, rz)
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
        self.names, self.codes = category_codes(cats)
        finite = np.isfinite(values)
        order = np.lexsort((id_rank, -values, self.codes))
        order = order[finite[order]]
        ends = np.searchsorted(self.codes[order], np.arange(len(self.names)), side="right")
        self.order: dict[str, Index] = {}
        self.neg: dict[str, Array] = {}
        for name, lo, hi in zip(self.names, [0, *ends[:-1].tolist()], ends.tolist(), strict=True):
            members = order[lo:hi]
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
    entry_cat = ranked.codes
    before = {name: ranked.first(name, k) for name in ranked.names}
    own_mark = np.zeros(n_e, dtype=bool)
    lost_mark = np.zeros(n_e, dtype=bool)
    if n_j <= 1 << 16 and bool(np.all(e[1:] >= e[:-1])):  # as a sheet lists them
        by_judge = np.argsort(j.astype(np.uint16), kind="stable")  # a radix sort
    else:
        by_judge = np.lexsort((e, j))  # each judge's observations in entry order
    j_count = np.bincount(j, minlength=n_j)
    j_start = np.cumsum(j_count) - j_count
    scale = max(float(np.abs(cal.values[np.isfinite(cal.values)]).max(initial=1.0)), 1.0)
    system = lap + ridge * np.eye(n_j)
    inverse = np.linalg.inv(system)
    # per observation q: its entry's weight and mean without q's judge
    new_w_obs = big_w[e] - w
    with np.errstate(invalid="ignore", divide="ignore"):
        new_ybar_obs = (np.bincount(e, w * y, minlength=n_e)[e] - w * y) / new_w_obs
        factor = np.where(new_w_obs > 0, 1.0 / big_w[e] - 1.0 / new_w_obs, 0.0)
    other = s_all != t_all  # (q, t): two observations of one entry
    owner, mate = s_all[other], t_all[other]
    cell = j[mate] * n_j + j[owner]  # row: the mate's judge; column: the left-out judge
    diag = np.arange(n_j)
    # column J: the right-hand side without J (its entries' means without J's scores)
    rhs_all = np.repeat(rhs[:, None], n_j, axis=1)
    with np.errstate(invalid="ignore"):
        moved_mean = w[mate] * (ybar[e[mate]] - new_ybar_obs[owner])
    rhs_all += np.bincount(cell, moved_mean, minlength=n_j * n_j).reshape(n_j, n_j)
    rhs_all[diag, diag] = 0.0
    start = np.repeat(base_biases[:, None], n_j, axis=1)
    start[diag, diag] = 0.0
    solved = _solve_all(system, inverse, (cell, owner, w[mate], factor), rhs_all, start)
    solved[diag, diag] = 0.0  # so that a judge's own observations add nothing below
    if shrink is not None:
        solved *= shrink[:, None]
        n_comp = comp_size.size
        member = np.zeros((n_comp, n_j))
        member[comp, diag] = 1.0
        size = comp_size[:, None] - member  # each component's judges without column J's
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (member @ solved) / size
        solved -= np.nan_to_num(mean)[comp]
        solved[diag, diag] = 0.0
    spread = solved - base_biases[:, None]
    spread[diag, diag] = 0.0  # the judge itself does not count in the range
    delta_all = 0.5 * (spread.max(axis=0) - spread.min(axis=0)) + 1e-9 * scale
    biases_by_judge = np.ascontiguousarray(solved.T)
    changes = []
    where = np.full(n_e, -1, dtype=np.intp)  # an entry's position among the judge's own
    mark = np.zeros(n_e, dtype=bool)
    codes = np.arange(len(ranked.names))
    deltas = delta_all.tolist()
    for judge in range(n_j):
        own = by_judge[j_start[judge] : j_start[judge] + j_count[judge]]
        ents = e[own]  # sorted; a judge scores an entry once
        new_w = new_w_obs[own]
        kept = new_w > 0
        lost = ents[~kept]
        own_mark[ents] = True
        lost_mark[lost] = True
        wanted: list[Index] = [ents[kept]]
        reference = {}
        for name in ranked.names:
            reference[name] = (
                before[name] if not lost.size else ranked.first(name, k, lost_mark, lost.size)
            )
            pool = ranked.first(name, k, own_mark, ents.size)
            if len(pool) < k:
                wanted.append(ranked.order[name])
                continue
            threshold = float(cal.values[pool[-1]]) - 2.0 * deltas[judge]
            cut = int(np.searchsorted(ranked.neg[name], -threshold, side="right"))
            wanted.append(ranked.order[name][:cut])
        own_mark[ents] = False
        lost_mark[lost] = False
        for part in wanted:
            mark[part] = True
        cand = np.flatnonzero(mark)
        mark[cand] = False
        # the candidates' weights and means without the judge (changed for its own entries)
        where[ents] = np.arange(ents.size)
        at = where[cand]
        where[ents] = -1
        mine = at >= 0
        new_w_cand = big_w[cand]
        new_w_cand[mine] = new_w[at[mine]]
        new_ybar_cand = ybar[cand]
        new_ybar_cand[mine] = new_ybar_obs[own[at[mine]]]
        p, obs = _observations(groups, cand)
        b = biases_by_judge[judge]
        with np.errstate(invalid="ignore", divide="ignore"):
            shift = np.bincount(p, w[obs] * b[j[obs]], minlength=cand.size) / new_w_cand
        v = new_ybar_cand - shift + offset[cand]
        order = np.lexsort((id_rank[cand], -v, entry_cat[cand]))
        order = order[np.isfinite(v[order])]
        ranked_cand = cand[order]  # by category, then new value
        first = np.searchsorted(entry_cat[ranked_cand], codes).tolist()
        last = [*first[1:], ranked_cand.size]
        for name, lo, hi in zip(ranked.names, first, last, strict=True):
            after = ranked_cand[lo : min(lo + k, hi)].tolist()
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
