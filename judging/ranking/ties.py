"""Statistically tied entries of a ranked list: groups tied with their leader, adjacent z, and
place-wise groups.

Every test is elementwise: entries i and j are tied when |v_i - v_j| < z SE(v_i - v_j), with
the SE from a ``diff_stderr(left, right)`` function (the calibration model's joint covariance,
:func:`judging.ranking.uncertainty.difference_stderr`, or independent scores). The functions batch
the tests for speed; batching never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["adjacent_z", "placewise_groups", "tied_groups"]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


def tied_groups(
    ordered: Index,
    values: Array,
    diff_stderr: Callable[[Index, Index], Array],
    z: float = 1.96,
    batch: int = 32,
    stderr: Array | None = None,
) -> list[Index]:
    """Split a ranked list into statistically tied groups.

    ``ordered`` lists entries from rank 1 down. Rule: the first entry leads a group; each next
    entry joins the group while |value_leader - value_next| < z * SE(difference) (z = 1.96, a
    two-sided 95% test against the leader); the first entry that differs significantly from the
    leader starts the next group. So every member of a group is indistinguishable from the
    group's best entry. Entries with a NaN value or SE are never tied. Returns the groups
    (entries in rank order) with at least two members. The tests along a group are computed in
    batches that start at ``batch`` entries and double; with ``stderr`` (each entry's own
    standard error) the first batch of a group reaches the first entry certainly not tied with
    its leader (:func:`_certain_stops`), so most groups take one SE call. Batching never changes
    a result.
    """
    stops = None if stderr is None else _certain_stops(ordered, values, stderr, z)
    groups, lead, n = [], 0, ordered.size
    while lead < n - 1:
        end = lead + 1
        size = batch if stops is None else min(max(int(stops[lead]) - lead, 1), 1 << 14)
        while end < n:
            cand = ordered[end : end + size]
            size = min(2 * max(size, batch), 1 << 14)  # a long group takes few SE calls
            leader = np.full(cand.size, ordered[lead])
            gap = np.abs(values[leader] - values[cand])
            tied = gap < z * diff_stderr(leader, cand)
            stop = np.flatnonzero(~tied)
            if stop.size:
                end += int(stop[0])
                break
            end += cand.size
        if end - lead >= 2:
            groups.append(ordered[lead:end])
        lead = end
    return groups


def _certain_stops(ordered: Index, values: Array, stderr: Array, z: float) -> Index:
    """For each position i of a ranked list (values descending), the first position c with
    v_c + z se_c <= v_i - z se_i, or the list's length: there v_i - v_c >= z (se_i + se_c) >=
    z SE(v_i - v_c) (|Cov| <= se_i se_c), so c is certainly not tied with i, and neither is an
    entry with a NaN value or SE (counted as such a c). A running minimum of v + z se makes
    it one search for all positions; only a batch size (any answer gives the same groups)."""
    v, s = values[ordered], stderr[ordered]
    with np.errstate(invalid="ignore"):
        upper = np.where(np.isfinite(v) & np.isfinite(s), v + z * s, -np.inf)
        lower = np.where(np.isfinite(v) & np.isfinite(s), v - z * s, np.inf)
    return np.searchsorted(-np.minimum.accumulate(upper), -lower, side="left")


def adjacent_z(
    ordered: Index, values: Array, diff_stderr: Callable[[Index, Index], Array]
) -> Array:
    """z of each adjacent difference in a ranked list: (v_i - v_{i+1}) / SE(v_i - v_{i+1}) for
    positions i = 0 .. n-2 (NaN where the SE is 0 or unknown). |z| < 1.96: the pair is
    statistically indistinguishable at 95% (two-sided)."""
    if ordered.size < 2:
        return np.zeros(0)
    left, right = ordered[:-1], ordered[1:]
    se = diff_stderr(left, right)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(se > 0, (values[left] - values[right]) / se, np.nan)


class _TieBlocks:
    """tied(i, j) = |v_i - v_j| < z SE(v_i - v_j) for positions i < j of a ranked list, computed
    in rectangular blocks (positions i .. i + rows - 1 by j .. j + cols - 1) with one SE call
    each, so a sweep whose (i, j) steps move down and right costs a few calls instead of one per
    step. Each pair's test is elementwise, so it equals a one-pair call exactly."""

    def __init__(
        self,
        ordered: Index,
        values: Array,
        diff_stderr: Callable[[Index, Index], Array],
        z: float,
        rows: int,
        cols: int,
    ) -> None:
        self.ordered, self.values, self.diff_stderr, self.z = ordered, values, diff_stderr, z
        self.rows, self.cols = rows, cols
        self.row0, self.col0 = 0, 0
        self.block: list[list[bool]] = []

    def __call__(self, i: int, j: int) -> bool:
        r, c = i - self.row0, j - self.col0
        if not (0 <= r < len(self.block) and 0 <= c < len(self.block[r])):
            self._fill(i, j)
            r, c = 0, 0
        return self.block[r][c]

    def _fill(self, i: int, j: int) -> None:
        n = self.ordered.size
        row = np.arange(i, min(i + self.rows, n))
        col = np.arange(j, min(j + self.cols, n))
        left, right = np.broadcast_arrays(row[:, None], col[None, :])
        valid = right > left
        a, b = self.ordered[left[valid]], self.ordered[right[valid]]
        gap = np.abs(self.values[a] - self.values[b])
        out = np.zeros(left.shape, dtype=bool)
        out[valid] = gap < self.z * self.diff_stderr(a, b)
        self.row0, self.col0 = i, j
        self.block = out.tolist()


class _TieBand:
    """tied(i, j) precomputed in one SE call for each row i at the columns g_{i-1} - ``before``
    .. g_i + ``after``, around a guess g (non-decreasing) of where the walks end: row i's walk
    starts where row i-1's ended; None outside the band (or for j <= i), where the caller
    computes the pair another way."""

    def __init__(
        self,
        ordered: Index,
        values: Array,
        diff_stderr: Callable[[Index, Index], Array],
        z: float,
        guess: Index,
        before: int = 1,
        after: int = 2,
    ) -> None:
        n = ordered.size
        base = np.concatenate((guess[:1], guess[:-1])) - before
        width = guess - base + after + 1
        offset = np.cumsum(width) - width
        rows = np.repeat(np.arange(n), width)
        cols = np.repeat(base, width) + (np.arange(rows.size) - np.repeat(offset, width))
        valid = (cols > rows) & (cols < n)
        a, b = ordered[rows[valid]], ordered[cols[valid]]
        code = np.full(rows.size, -1, dtype=np.int8)
        code[valid] = np.abs(values[a] - values[b]) < z * diff_stderr(a, b)
        self.base, self.width, self.offset = base.tolist(), width.tolist(), offset.tolist()
        self.code = code.tolist()

    def __call__(self, i: int, j: int) -> bool | None:
        c = j - self.base[i]
        if 0 <= c < self.width[i]:
            known = self.code[self.offset[i] + c]
            if known >= 0:
                return known == 1
        return None


def _walk_guess(
    ordered: Index, values: Array, diff_stderr: Callable[[Index, Index], Array], adjacent_se, z
) -> Index:
    """Where each row's place-wise walk probably ends: the last position j whose gap
    v_i - v_j stays below z s_i, with s_i first the adjacent pair's SE and then the SE at that
    first guess (values are in descending order, so the gap grows with j); made monotone
    as the walk's reach is. Only a guess: the walk checks every pair it uses."""
    n = ordered.size
    v = values[ordered]
    neg = np.nan_to_num(-v, nan=np.inf)
    here = np.arange(n)
    s = np.nan_to_num(np.append(adjacent_se, 0.0), nan=0.0)
    guess = here
    for _ in range(2):
        guess = np.searchsorted(neg, neg + z * s, side="left") - 1
        guess = np.clip(guess, here, n - 1)
        far = np.flatnonzero(guess > here)
        s = np.zeros(n)
        if far.size:
            s[far] = np.nan_to_num(diff_stderr(ordered[far], ordered[guess[far]]), nan=0.0)
    return np.maximum.accumulate(guess)


def placewise_groups(
    ordered: Index,
    values: Array,
    diff_stderr: Callable[[Index, Index], Array],
    z: float = 1.96,
    batch: int = 64,
    adjacent_se: Array | None = None,
) -> tuple[Index, Index]:
    """For every position i of a ranked list, the positions [lo_i, hi_i] of its place-wise tied
    group: the entries around it whose difference from it is below z SE(difference).

    hi_i is found by walking down from i until the first entry that differs significantly;
    walks share work (two pointers: hi_i >= hi_{i-1}, as an entry ranked below i that is
    indistinguishable from a better one is taken as indistinguishable from i too), so the cost
    is one test per tied pair step, not per pair. The tests are computed ahead in one SE call
    for a band of positions around where each walk probably ends (:func:`_walk_guess`); a test
    outside the band is computed in blocks of batch/4 positions by batch/2 positions along the
    walk (one SE call per block). Every test is the same elementwise formula, so the groups do
    not depend on how they are batched. lo_i is the first position whose hi reaches i
    (membership is symmetric). Uncapped: a group may span the whole list. NaN values or SEs
    tie nothing. ``adjacent_se``: SE(v_i - v_{i+1}) along the list, when already known."""
    n = ordered.size
    hi = np.arange(n)
    if n < 2:
        return np.arange(n), hi
    left, right = ordered[:-1], ordered[1:]
    if adjacent_se is None:
        adjacent_se = diff_stderr(left, right)
    with np.errstate(invalid="ignore", divide="ignore"):
        adjacent = np.where(adjacent_se > 0, (values[left] - values[right]) / adjacent_se, np.nan)
    near = np.abs(adjacent) < z
    band = _TieBand(
        ordered, values, diff_stderr, z, _walk_guess(ordered, values, diff_stderr, adjacent_se, z)
    )
    blocks = _TieBlocks(ordered, values, diff_stderr, z, max(1, batch // 4), max(1, batch // 2))

    base, width, offset, code = band.base, band.width, band.offset, band.code
    near_list = near.tolist()
    reach = 0
    ends = hi.tolist()
    for i in range(n - 1):
        if reach < i:
            reach = i
        if reach == i:
            if not near_list[i]:
                continue
            reach = i + 1
        lo_i, width_i, off_i = base[i], width[i], offset[i]
        while reach + 1 < n:
            c = reach + 1 - lo_i  # the band's answer when it holds the pair, else the blocks'
            known = code[off_i + c] if 0 <= c < width_i else -1
            if known < 0:
                known = blocks(i, reach + 1)
            if not known:
                break
            reach += 1
        ends[i] = reach
    hi = np.maximum.accumulate(np.array(ends, dtype=np.intp))
    lo = np.searchsorted(hi, np.arange(n), side="left")
    return np.minimum(lo, np.arange(n)), hi
