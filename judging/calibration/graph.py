"""The judge-entry graph: connected components and the weighted judge Laplacian.

The bipartite graph has an edge between entry e and judge j when j scored e. Two judges are
comparable (their bias difference is estimable) exactly when they lie in the same connected
component. Eliminating the entries from the additive model leaves the weighted graph Laplacian

    L = D - sum_e w_e w_e^T / W_e,   D = diag(sum_e w_ej),   W_e = sum_j w_ej

where w_e is the vector of entry e's confidence weights over the judges. It is assembled from
the judge pairs within each entry, so the cost is sum_e m_e^2 (m_e judges of entry e), never E x J.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["EntryGroups", "component_names", "judge_components", "laplacian"]

Index = NDArray[np.intp]


def judge_components(entry_idx: Index, judge_idx: Index, n_judges: int) -> Index:
    """Component label (0, 1, ... in order of each component's first judge) of every judge.

    Label propagation with pointer jumping: every entry takes the smallest label among its
    judges, every judge the smallest label among its entries, until nothing changes. Labels only
    move along edges, so at the fixed point two judges share a label iff they are connected.
    A judge with no scores is a component of its own.
    """
    label = np.arange(n_judges)
    if entry_idx.size == 0:
        return label
    n_entries = int(entry_idx.max()) + 1
    while True:
        entry_label = np.full(n_entries, n_judges)
        np.minimum.at(entry_label, entry_idx, label[judge_idx])
        new = label.copy()
        np.minimum.at(new, judge_idx, entry_label[entry_idx])
        while True:  # pointer jumping: follow labels to their root
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            break
        label = new
    _, first, compact = np.unique(label, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[compact]


def component_names(
    component: Index, judge_ids: tuple[str, ...] | list[str], shown: int = 3
) -> list[str]:
    """A short name per component: its first few judges, e.g. "judges A, B, C and 4 more"."""
    names = []
    for c in range(int(component.max()) + 1 if component.size else 0):
        members = [judge_ids[j] for j in np.flatnonzero(component == c)]
        head = ", ".join(members[:shown])
        more = f" and {len(members) - shown} more" if len(members) > shown else ""
        names.append(f"judge{'s' if len(members) > 1 else ''} {head}{more}")
    return names


class EntryGroups:
    """Observations grouped by entry, with a generator of index pairs between groups.

    ``order`` sorts the observations by entry; ``start[e]``/``count[e]`` locate entry e's run in
    that order.
    """

    def __init__(self, entry_idx: Index, n_entries: int) -> None:
        self.order = np.argsort(entry_idx, kind="stable")
        self.count = np.bincount(entry_idx, minlength=n_entries)
        self.start = np.cumsum(self.count) - self.count

    def pairs(self, left: Index, right: Index) -> tuple[Index, Index, Index]:
        """All (s, t) with s an observation of entry left[p], t of entry right[p].

        Returns (p, s, t) as flat arrays of original observation indices, grouped by p.
        """
        cl, cr = self.count[left], self.count[right]
        sizes = cl * cr
        p = np.repeat(np.arange(left.size), sizes)
        within = np.arange(p.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        width = cr[p]
        s = self.order[self.start[left][p] + within // width]
        t = self.order[self.start[right][p] + within % width]
        return p, s, t


def laplacian(
    entry_idx: Index,
    judge_idx: Index,
    weight: NDArray[np.float64],
    pairs: tuple[Index, Index],
    n_entries: int,
    n_judges: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The J x J matrix L (see module docstring) and the entry precisions W_e = sum_j w_ej.

    ``pairs`` = (s, t): every ordered pair of observations that share an entry (including s = t),
    as from ``EntryGroups.pairs(all entries, all entries)``.
    """
    s, t = pairs
    big_w = np.bincount(entry_idx, weight, minlength=n_entries)
    contrib = weight[s] * weight[t] / big_w[entry_idx[s]]
    flat = judge_idx[s] * n_judges + judge_idx[t]
    lap = -np.bincount(flat, contrib, minlength=n_judges * n_judges).reshape(n_judges, n_judges)
    lap[np.diag_indices(n_judges)] += np.bincount(judge_idx, weight, minlength=n_judges)
    return lap, big_w
