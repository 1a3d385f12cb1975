"""How certain is each rank: P(rank <= k), statistically tied groups, leave-one-judge-out.

The calibrated values have a structured joint distribution (:mod:`judging.calibration.calibrate`):

    value_e = value_hat_e - a_e^T (b - b_hat) + sqrt(sigma^2 / W_e) z_e,   b ~ N(b_hat, Cov(b)),

with z_e independent standard normals and a_e the judge mixture of entry e. A draw therefore
needs one J-vector from the shared bias covariance (via its Cholesky factor) and E independent
normals; no E x E matrix is ever formed. Draws come in chunks from a seeded
``numpy.random.Generator``, so equal seeds give equal results. Cov(b) is the one of the chosen
estimator (for ``auto`` the shrunk estimator's, see :mod:`judging.calibration.calibrate`).
Leave-one-judge-out lives in :mod:`judging.ranking.leave_one_out`, tied groups in
:mod:`judging.ranking.ties`; both are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from judging.calibration.calibrate import Calibration
from judging.calibration.graph import EntryGroups
from judging.ranking.leave_one_out import TopKChange, leave_one_judge_out
from judging.ranking.ties import adjacent_z, placewise_groups, tied_groups

__all__ = [
    "TopKChange",
    "adjacent_z",
    "difference_stderr",
    "draw_values",
    "independent_difference_stderr",
    "leave_one_judge_out",
    "negligible_z",
    "p_top_k",
    "p_top_k_independent",
    "placewise_groups",
    "tied_groups",
]

Array = NDArray[np.float64]
Index = NDArray[np.intp]
_CELLS_PER_CHUNK = 4_000_000


def _bias_factor(cov: Array) -> Array:
    """A matrix F with F F^T = Cov(b): Cholesky with a tiny jitter (gauge directions have zero
    variance), or the eigen-decomposition if that fails."""
    scale = float(np.trace(cov)) / max(cov.shape[0], 1)
    if scale <= 0 or not np.isfinite(scale):
        return np.zeros_like(cov)
    try:
        return np.linalg.cholesky(cov + 1e-12 * scale * np.eye(cov.shape[0]))
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(cov)
        return vecs * np.sqrt(np.clip(vals, 0.0, None))


def draw_values(
    cal: Calibration, draws: int, seed: int | None = 0, entries: Index | None = None
) -> Iterator[Array]:
    """Yield chunks (rows = draws, columns = entries) of joint draws of the calibrated values.

    With ``entries`` only those entries' columns are drawn (in that order), still jointly with
    the shared judge biases. Unscored entries are NaN. A chunk holds about 4 million numbers.
    The independent part of entry e has variance sigma^2 / W_e plus ``cal.extra_var[e]``
    (the variance floor of the random-entries model), so every drawn value has the variance
    ``value_stderr``^2 and every drawn difference the variance of :func:`difference_stderr`.

    The shared part is - a_e^T delta (+ o_e delta_m) with delta = F z, z standard normal:
    one matrix product z (A F)^T per chunk, with A the (entries x parameters) mixture matrix.
    """
    rng = np.random.default_rng(seed)
    n_entries = cal.values.size
    wanted = np.arange(n_entries) if entries is None else np.asarray(entries, dtype=np.intp)
    column = np.full(n_entries, -1)
    column[wanted] = np.arange(wanted.size)
    factor = _bias_factor(cal.bias_cov if cal.joint_cov is None else cal.joint_cov)
    n_par = factor.shape[0]
    obs = np.flatnonzero(column[cal.entry_idx] >= 0)
    obs = obs[np.argsort(column[cal.entry_idx[obs]], kind="stable")]
    counts = np.bincount(column[cal.entry_idx[obs]], minlength=wanted.size)
    scored = np.flatnonzero(counts > 0)
    variance = cal.sigma2 / cal.precision[wanted[scored]]
    if cal.extra_var is not None:
        variance = variance + cal.extra_var[wanted[scored]]
    noise_sd = np.sqrt(variance)
    centre = cal.values[wanted[scored]]
    shift = _shift_maker(cal, factor, wanted[scored], obs, counts[scored])
    chunk = max(1, _CELLS_PER_CHUNK // max(obs.size, wanted.size, n_par, 1))
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        z = rng.standard_normal((size, n_par))
        if scored.size == wanted.size:  # every column scored: no NaN columns to keep
            out = rng.standard_normal((size, scored.size))
            out *= noise_sd
            out += centre
            out -= shift(z)
        else:
            out = np.full((size, wanted.size), np.nan)
            if scored.size:
                noise = rng.standard_normal((size, scored.size)) * noise_sd
                out[:, scored] = centre - shift(z) + noise
        done += size
        yield out


def _shift_maker(
    cal: Calibration, factor: Array, entries: Index, obs: Index, counts: Index
) -> Callable[[Array], Array]:
    """shift(z) = a_e^T delta - o_e delta_m for delta = F z (rows of z = draws), for the scored
    ``entries`` whose observations ``obs`` come grouped in that order, ``counts`` each. As one
    matrix product z (A F)^T when A F is small, else gathered per observation."""
    n_par = factor.shape[0]
    if entries.size * n_par <= _CELLS_PER_CHUNK:
        rows = np.repeat(np.arange(entries.size), counts)
        mix = np.zeros((entries.size, n_par))
        np.add.at(mix, (rows, cal.judge_idx[obs]), cal.mixture[obs])
        if cal.offset_weight is not None:
            every = np.arange(entries.size)
            for a in range(cal.offset_col.shape[1]):
                np.add.at(mix, (every, cal.offset_col[entries, a]), -cal.offset_weight[entries, a])
        load_t = np.ascontiguousarray((mix @ factor).T)
        return lambda z: z @ load_t
    starts = np.cumsum(counts) - counts
    judge_sorted, mix_sorted = cal.judge_idx[obs], cal.mixture[obs]

    def gathered(z: Array) -> Array:
        delta = z @ factor.T
        shift = np.add.reduceat(delta[:, judge_sorted] * mix_sorted, starts, axis=1)
        if cal.offset_weight is not None:
            for a in range(cal.offset_col.shape[1]):
                shift -= delta[:, cal.offset_col[entries, a]] * cal.offset_weight[entries, a]
        return shift

    return gathered


NEGLIGIBLE_Z = 6.0
"""The largest cut of the P(top k) pre-filter: an entry that trails each of its category's k
best by more than this many standard errors of the difference is never drawn (its probability
is at most k * Phi(-6) = k * 1e-9)."""

NEGLIGIBLE_HITS = 0.1
"""The pre-filter's cut for a given k and number of draws: the smallest z (at most
``NEGLIGIBLE_Z``) with k * Phi(-z) * draws <= this, so an entry left out would be expected in
the top k of fewer than 0.1 of all the draws together (its share would round to 0 at the
draws' resolution 1/draws): z = 4.0 for k = 3 and 1,000 draws, 4.5 for 10,000."""


def negligible_z(k: int, draws: int) -> float:
    """The pre-filter's cut z (``NEGLIGIBLE_HITS``): Phi(-z) = 0.1 / (k draws), by bisection on
    Phi(-z) = erfc(z / sqrt 2) / 2, capped at ``NEGLIGIBLE_Z``."""
    target = NEGLIGIBLE_HITS / max(k * draws, 1)
    lo, hi = 0.0, NEGLIGIBLE_Z
    if 0.5 * math.erfc(hi / math.sqrt(2.0)) > target:
        return NEGLIGIBLE_Z
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if 0.5 * math.erfc(mid / math.sqrt(2.0)) > target:
            lo = mid
        else:
            hi = mid
    return hi


PREFILTER_MAX_K = 50
"""The pre-filter compares every entry with each of the k best; above this k it is skipped."""


def _candidates(
    values: Array,
    categories: Sequence[str],
    k: int,
    diff_stderr: Callable[[Index, Index], Array],
    z: float = NEGLIGIBLE_Z,
) -> Index:
    """Entries that can reach their category's top k with non-negligible probability.

    Entry e is skipped when v_f - v_e > z SE(v_f - v_e) for every f among the k best of its
    category: to rank in the top k it must beat one of them, so P(rank_e <= k) <= k Phi(-z).
    A NaN standard error keeps the entry. Memory stays bounded (pairs in chunks); for k above
    ``PREFILTER_MAX_K`` every entry is kept (all are drawn)."""
    cats = np.asarray(categories, dtype=object)
    keep = []
    for name in sorted(set(categories)):
        members = np.flatnonzero((cats == name) & np.isfinite(values))
        if k < members.size and k <= PREFILTER_MAX_K:
            top = members[np.argpartition(-values[members], k - 1)[:k]]
            far = np.zeros(members.size, dtype=bool)
            step = max(1, _CELLS_PER_CHUNK // (4 * k))
            for lo in range(0, members.size, step):
                part = members[lo : lo + step]
                left, right = np.repeat(part, k), np.tile(top, part.size)
                gap = values[right] - values[left]
                beyond = gap > z * diff_stderr(left, right)
                far[lo : lo + step] = beyond.reshape(part.size, k).all(axis=1)
            members = members[~far]
        keep.append(members)
    return np.sort(np.concatenate(keep)) if keep else np.zeros(0, dtype=np.intp)


def p_top_k(
    cal: Calibration,
    categories: Sequence[str],
    k: int,
    draws: int = 1000,
    seed: int | None = 0,
    diff_stderr: Callable[[Index, Index], Array] | None = None,
) -> Array:
    """P(rank <= k within its category) per entry: the share of joint draws in which the entry
    is among the k highest values of its category (every entry of a category of size <= k gets
    1). Entries that cannot reach the top k (see ``_candidates``, cut at
    ``negligible_z(k, draws)``) get 0 without being drawn.
    NaN for unscored entries and when sigma^2 is unknown. ``diff_stderr``: the calibration's
    :func:`difference_stderr`, when already built."""
    if not np.isfinite(cal.sigma2):
        return np.full(cal.values.size, np.nan)
    diff_stderr = diff_stderr or difference_stderr(cal)
    cand = _candidates(cal.values, categories, k, diff_stderr, negligible_z(k, draws))
    chunks = draw_values(cal, draws, seed, cand)
    return _count_top_k(chunks, categories, k, draws, cal.values, cand)


def _count_top_k(
    chunks: Iterator[Array],
    categories: Sequence[str],
    k: int,
    draws: int,
    values: Array,
    columns: Index,
) -> Array:
    """Share of draws in which each entry (chunk column i = entry columns[i]) is in the top k."""
    cats = np.asarray(categories, dtype=object)[columns]
    groups = [np.flatnonzero(cats == c) for c in sorted(set(cats.tolist()))]
    hits = np.zeros(columns.size)
    for block in chunks:
        for members in groups:
            if members.size <= k:
                hits[members] += block.shape[0]
                continue
            vals = block[:, members]
            threshold = np.partition(vals, members.size - k, axis=1)[:, members.size - k]
            hits[members] += (vals >= threshold[:, None]).sum(axis=0)
    out = np.zeros(values.size)
    out[columns] = hits / draws
    out[~np.isfinite(values)] = np.nan
    return out


def p_top_k_independent(
    values: Array, stderr: Array, categories: Sequence[str], k: int, draws: int, seed: int | None
) -> Array:
    """P(rank <= k) when entries' scores are independent normals N(value_e, stderr_e^2)
    (used for the simple methods; a missing stderr counts as 0)."""
    rng = np.random.default_rng(seed)
    se = np.nan_to_num(stderr, nan=0.0)
    cand = _candidates(
        values, categories, k, independent_difference_stderr(se), negligible_z(k, draws)
    )
    centre, spread = values[cand], se[cand]
    chunk = max(1, _CELLS_PER_CHUNK // max(cand.size, 1))

    def chunks() -> Iterator[Array]:
        done = 0
        while done < draws:
            size = min(chunk, draws - done)
            done += size
            yield centre + rng.standard_normal((size, cand.size)) * spread

    return _count_top_k(chunks(), categories, k, draws, values, cand)


def difference_stderr(cal: Calibration) -> Callable[[Index, Index], Array]:
    """A function giving SE(value_l - value_r) for arrays of distinct entry pairs (l, r):
    Var = Var(v_l) + Var(v_r) - 2 Cov(err_l, err_r), the noise terms independent. The error of
    v_e is noise_e - a_e^T delta_b (+ o_e delta_m for the random-entries model, with o_e the
    offset weight k / d_e and delta_m the error of the component mean), so
    Cov(err_l, err_r) = a_l^T Cov(b) a_r - o_r a_l^T Cov(b, m_r) - o_l a_r^T Cov(b, m_l)
    + o_l o_r Cov(m_l, m_r)."""
    groups = EntryGroups(cal.entry_idx, cal.values.size)
    n_j = cal.bias_cov.shape[0]
    if cal.offset_weight is not None:
        joint, oc, ow = cal.joint_cov, cal.offset_col, cal.offset_weight
        # cross[e, c] = a_e^T Cov(b, z_c) for every entry e and extra parameter c
        cross = np.zeros((cal.values.size, joint.shape[0] - n_j))
        np.add.at(cross, cal.entry_idx, cal.mixture[:, None] * joint[cal.judge_idx, n_j:])
        # flat, slot-major copies: each term below is one contiguous gather
        n_par, n_extra = joint.shape[0], cross.shape[1]
        joint_flat, cross_flat = np.ascontiguousarray(joint).ravel(), cross.ravel()
        oc_t, ow_t = np.ascontiguousarray(oc.T), np.ascontiguousarray(ow.T)

    # observations in entry order (as EntryGroups.pairs gives them), gathered once
    judge_sorted = cal.judge_idx[groups.order]
    mix_sorted = cal.mixture[groups.order]
    cov_flat = np.ascontiguousarray(cal.bias_cov).ravel()
    value_var = cal.value_stderr**2

    # padded per-entry judges and mixtures (m = most judges of an entry; padding has mixture 0),
    # used when no entry has more than twice the mean number of judges
    width = int(groups.count.max(initial=0))
    padded = width <= 2 * max(float(groups.count.mean()) if groups.count.size else 0.0, 1.0)
    if padded:
        slot = np.arange(width)
        pos = np.minimum(groups.start[:, None] + slot, max(judge_sorted.size - 1, 0))
        real = slot < groups.count[:, None]
        pad_judge = np.where(real, judge_sorted[pos], 0) if judge_sorted.size else pos * 0
        pad_mix = np.where(real, mix_sorted[pos], 0.0) if mix_sorted.size else pos * 0.0
        # slot-major copies: one contiguous gather per slot and pair list
        rows_t = np.ascontiguousarray((pad_judge * n_j).T)
        judges_t = np.ascontiguousarray(pad_judge.T)
        mixes_t = np.ascontiguousarray(pad_mix.T)

    def _padded_quad(left: Index, right: Index) -> Array:
        # sum_a sum_b m_la m_rb Cov(b)[j_la, j_rb], one slot pair (a, b) at a time
        right_judges = [judges_t[b][right] for b in range(width)]
        right_mixes = [mixes_t[b][right] for b in range(width)]
        both = np.zeros(left.size)
        for a in range(width):
            row = rows_t[a][left]
            inner = np.zeros(left.size)
            for b in range(width):
                inner += right_mixes[b] * cov_flat[row + right_judges[b]]
            both += mixes_t[a][left] * inner
        return both

    def stderr(left: Index, right: Index) -> Array:
        left, right = np.asarray(left), np.asarray(right)
        both = _padded_quad(left, right) if padded else _ragged_quad(left, right)
        if cal.offset_weight is not None:
            slots = range(oc_t.shape[0])
            cols_r = [oc_t[c][right] for c in slots]
            weights_r = [ow_t[c][right] for c in slots]
            rows_r = right * n_extra - n_j
            for a in slots:
                cl, wl = oc_t[a][left], ow_t[a][left]
                both -= wl * cross_flat[rows_r + cl]
                row = cl * n_par
                for c in slots:
                    both += wl * weights_r[c] * joint_flat[row + cols_r[c]]
            rows_l = left * n_extra - n_j
            for c in slots:
                both -= weights_r[c] * cross_flat[rows_l + cols_r[c]]
        var = value_var[left] + value_var[right] - 2.0 * both
        return np.sqrt(np.clip(var, 0.0, None))

    def _ragged_quad(left: Index, right: Index) -> Array:
        # the pairs of EntryGroups.pairs, as positions in entry order
        cr = groups.count[right]
        sizes = groups.count[left] * cr
        p = np.repeat(np.arange(left.size), sizes)
        within = np.arange(p.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        width = np.repeat(cr, sizes)
        s = np.repeat(groups.start[left], sizes) + within // width
        t = np.repeat(groups.start[right], sizes) + within % width
        cov = cov_flat[judge_sorted[s] * n_j + judge_sorted[t]]
        return np.bincount(p, mix_sorted[s] * mix_sorted[t] * cov, minlength=len(left))

    return stderr


def independent_difference_stderr(stderr: Array) -> Callable[[Index, Index], Array]:
    """SE(value_l - value_r) = sqrt(se_l^2 + se_r^2) for independent scores."""
    return lambda left, right: np.sqrt(stderr[left] ** 2 + stderr[right] ** 2)
