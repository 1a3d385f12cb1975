"""The search behind :func:`judging.assignment.assign.assign`, on indices (entries 0..E-1, judges
0..J-1).

The assignment is a flow: source -> entry (capacity k) -> judge (capacity 1 when the judge may
judge the entry) -> sink (the judge's capacity). Loads are balanced by minimizing the convex cost

    cost = sum_j load_j^2 / w_j        (w_j the judge's weight, see ``judging.assignment.assign``)

over all feasible assignments. Taking one more entry costs a judge (2 load + 1) / w, giving one
up saves (2 load - 1) / w. A flow of fixed value is cost-optimal exactly when its residual graph
has no negative cycle; here every cycle through the sink is a chain of hand-overs from a judge u
to a judge v (u gives entry e1 to j1, j1 gives e2 to j2, ..., v takes the last one), so

    optimal  <=>  no hand-over chain u -> v with v below capacity and
                  (2 load_v + 1) * w_u < (2 load_u - 1) * w_v.

Hand-overs are searched on a J x J "can hand over" matrix: ``moves[u, w]`` counts the entries
held by u that w could take (w eligible, not conflicted, not already on that panel). Any simple
path u -> ... -> v in it is a valid chain (each hop's witness entry keeps u-side judge on its
panel and stays without the v-side judge until its own hop), so the search never needs the
E x J graph. Phases: randomized greedy (least jittered marginal cost) -> augmenting chains
for entries left short -> cost-decreasing chains -> load-preserving swaps that join the judge
overlap graph of each category into one component.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["Problem", "Stuck", "solve"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass
class Problem:
    """Indexed input: ``elig[c, j]`` judge j may judge category c (and has capacity > 0)."""

    k: int
    category: IntArray  # (E,) category index of each entry
    elig: BoolArray  # (C, J)
    capacity: IntArray  # (J,) effective capacity (unlimited -> number of entries)
    weight: IntArray  # (J,) balancing weight, > 0 where capacity > 0
    conflicts: dict[int, IntArray] = field(default_factory=dict)  # entry -> eligible conflicted


class Stuck(Exception):  # noqa: N818 - an internal signal, turned into AssignmentError
    """No augmenting chain can give ``entry`` another judge; ``judges`` are the full ones seen."""

    def __init__(self, entry: int, judges: list[int]) -> None:
        super().__init__(entry)
        self.entry = entry
        self.judges = judges


class _State:
    """Panels (E x k, -1 = empty slot), loads and the hand-over matrix, kept consistent."""

    def __init__(self, problem: Problem, rng: np.random.Generator) -> None:
        self.p = problem
        self.rng = rng
        n_judges = problem.elig.shape[1]
        self.n_judges = n_judges
        self.panel = np.full((problem.category.size, problem.k), -1, dtype=np.int64)
        self.load = np.zeros(n_judges, dtype=np.int64)
        self.moves = np.zeros((n_judges, n_judges), dtype=np.int64)
        self.conflicted_by_judge: dict[int, set[int]] = {}
        for entry, judges in problem.conflicts.items():
            for judge in judges.tolist():
                self.conflicted_by_judge.setdefault(judge, set()).add(entry)

    # -- the hand-over matrix ---------------------------------------------------------------
    def build_moves(self) -> None:
        """moves[u, w] = sum over entries e held by u of [w eligible for e, free, not on panel]."""
        p, panel, J = self.p, self.panel, self.n_judges
        held = panel >= 0
        rows = np.repeat(np.arange(panel.shape[0]), p.k)[held.ravel()]
        judges = panel.ravel()[held.ravel()]
        by_cat = np.zeros((J, p.elig.shape[0]), dtype=np.int64)
        np.add.at(by_cat, (judges, p.category[rows]), 1)
        moves = by_cat @ p.elig.astype(np.int64)
        pairs = np.where(
            held[:, :, None] & held[:, None, :], panel[:, :, None] * J + panel[:, None, :], -1
        ).ravel()
        moves -= np.bincount(pairs[pairs >= 0], minlength=J * J).reshape(J, J)
        for entry, conflicted in self.p.conflicts.items():
            on = panel[entry][panel[entry] >= 0]
            if on.size and conflicted.size:
                np.add.at(moves, (np.repeat(on, conflicted.size), np.tile(conflicted, on.size)), -1)
        self.moves = moves

    def candidates(self, entry: int) -> BoolArray:
        """Judges that could join ``entry``'s panel now (ignoring capacity)."""
        free = self.p.elig[self.p.category[entry]].copy()
        on = self.panel[entry]
        free[on[on >= 0]] = False
        conflicted = self.p.conflicts.get(entry)
        if conflicted is not None:
            free[conflicted] = False
        return free

    def _contribute(self, entry: int, sign: int) -> None:
        on = self.panel[entry]
        on = on[on >= 0]
        if on.size:
            self.moves[on] += sign * self.candidates(entry).astype(np.int64)

    def set_slot(self, entry: int, slot: int, judge: int) -> None:
        """Put ``judge`` in ``slot`` of ``entry`` (replacing whoever was there)."""
        self._contribute(entry, -1)
        old = self.panel[entry, slot]
        if old >= 0:
            self.load[old] -= 1
        self.panel[entry, slot] = judge
        self.load[judge] += 1
        self._contribute(entry, +1)

    def hand_over(self, giver: int, taker: int) -> None:
        """Move one entry held by ``giver`` to ``taker`` (a random valid one)."""
        rows, slots = np.nonzero(self.panel == giver)
        ok = self.p.elig[self.p.category[rows], taker] & ~(self.panel[rows] == taker).any(axis=1)
        blocked = self.conflicted_by_judge.get(taker, set())
        choices = [i for i in np.flatnonzero(ok).tolist() if int(rows[i]) not in blocked]
        pick = choices[int(self.rng.integers(len(choices)))]
        self.set_slot(int(rows[pick]), int(slots[pick]), taker)

    # -- search -------------------------------------------------------------------------------
    def bfs(self, sources: BoolArray) -> tuple[BoolArray, IntArray]:
        """Judges reachable from ``sources`` by hand-overs, and each one's predecessor."""
        adj = self.moves > 0
        parent = np.full(self.n_judges, -1, dtype=np.int64)
        seen = sources.copy()
        frontier = np.flatnonzero(sources)
        while frontier.size:
            sub = adj[frontier]
            new = np.flatnonzero(sub.any(axis=0) & ~seen)
            if not new.size:
                break
            parent[new] = frontier[sub[:, new].argmax(axis=0)]
            seen[new] = True
            frontier = new
        return seen, parent

    def chain(self, parent: IntArray, end: int) -> list[int]:
        path = [end]
        while parent[path[-1]] >= 0:
            path.append(int(parent[path[-1]]))
        return path[::-1]

    def apply_chain(self, path: list[int]) -> None:
        for giver, taker in itertools.pairwise(path):
            self.hand_over(giver, taker)

    def take_cost(self) -> NDArray[np.float64]:
        """(2 load + 1) / w for judges below capacity, +inf otherwise."""
        with np.errstate(divide="ignore"):
            cost = (2 * self.load + 1) / self.p.weight
        return np.where(self.load < self.p.capacity, cost, np.inf)


def _greedy(state: _State) -> list[int]:
    """Entries in random order take the k eligible judges of least jittered marginal cost."""
    p, rng, k = state.p, state.rng, state.p.k
    # Key: (2 load + 1 + 2 u) / w with u uniform in [0, 1). Between judges of equal weight the
    # jitter (< one step 2 / w) only breaks ties, at random; between judges of different weight
    # it blurs near-ties so that panels mix. The balancing phase then restores the exact optimum.
    scale = p.weight.max() / p.weight
    load, panel, capacity = state.load, state.panel, p.capacity
    cost = np.where(capacity > 0, scale, np.inf)
    eligible = [np.flatnonzero(row) for row in p.elig]  # candidates of each category
    spread = [2 * scale[c] for c in eligible]
    position = np.full(p.elig.shape, -1, dtype=np.int64)  # judge -> index in its category list
    for c, judges in enumerate(eligible):
        position[c, judges] = np.arange(judges.size)
    short, category = [], p.category.tolist()
    for entry in rng.permutation(len(category)).tolist():
        c = category[entry]
        cand = eligible[c]
        key = cost[cand] + spread[c] * rng.random(cand.size)
        conflicted = p.conflicts.get(entry)
        if conflicted is not None:
            key[position[c, conflicted]] = np.inf
        best = np.argpartition(key, k - 1)[:k]
        chosen = cand[best[np.isfinite(key[best])]]
        panel[entry, : chosen.size] = chosen
        load[chosen] += 1
        cost[chosen] = np.where(
            load[chosen] < capacity[chosen], (2 * load[chosen] + 1) * scale[chosen], np.inf
        )
        if chosen.size < k:
            short.append(entry)
    return short


def _fill_short(state: _State, short: list[int]) -> None:
    """Give each short entry its missing judges through augmenting hand-over chains."""
    for entry in short:
        while (slots := np.flatnonzero(state.panel[entry] < 0)).size:
            sources = state.candidates(entry)
            seen, parent = state.bfs(sources)
            reachable_free = seen & (state.load < state.p.capacity)
            if not reachable_free.any():
                raise Stuck(entry, np.flatnonzero(seen).tolist())
            cost = np.where(reachable_free, state.take_cost(), np.inf)
            path = state.chain(parent, int(np.argmin(cost)))
            state.set_slot(entry, int(slots[0]), path[0])
            state.apply_chain(path)


def _balance(state: _State) -> None:
    """Apply cost-decreasing hand-over chains until none exists (then sum load^2/w is minimal)."""
    w = state.p.weight
    while True:
        improved = False
        with np.errstate(divide="ignore", invalid="ignore"):
            give = np.where(state.load > 0, (2 * state.load - 1) / w, -np.inf)
        for u in np.argsort(-give, kind="stable").tolist():
            while state.load[u] > 0:
                load = state.load
                better = (load < state.p.capacity) & ((2 * load + 1) * w[u] < (2 * load[u] - 1) * w)
                better[u] = False
                if not better.any():
                    break
                sources = np.zeros(state.n_judges, dtype=bool)
                sources[u] = True
                seen, parent = state.bfs(sources)
                target = better & seen
                if not target.any():
                    break
                cost = np.where(target, state.take_cost(), np.inf)
                state.apply_chain(state.chain(parent, int(np.argmin(cost))))
                improved = True
        if not improved:
            return


def _components(pair_count: IntArray, nodes: BoolArray) -> IntArray:
    """Component label per judge of the graph ``pair_count > 0`` on ``nodes`` (-1 elsewhere)."""
    adj = pair_count > 0
    label = np.full(nodes.size, -1, dtype=np.int64)
    current = 0
    for start in np.flatnonzero(nodes).tolist():
        if label[start] >= 0:
            continue
        frontier = np.array([start])
        label[start] = current
        while frontier.size:
            new = np.flatnonzero(adj[frontier].any(axis=0) & (label < 0) & nodes)
            label[new] = current
            frontier = new
        current += 1
    return label


def _pair_counts(panels: IntArray, J: int) -> IntArray:
    pairs = (panels[:, :, None] * J + panels[:, None, :]).ravel()
    return np.bincount(pairs, minlength=J * J).reshape(J, J)


def _connect(state: _State, max_tries: int = 400) -> None:
    """Join each category's judge overlap graph with load-preserving swaps between panels.

    A swap exchanges judge a1 on entry e1 (component A) with judge b1 on entry e2 (component B)
    of the same category; every load stays the same. It is kept only if the number of
    components drops, and tried at most ``max_tries`` times per category.
    """
    p, rng, J, panel = state.p, state.rng, state.n_judges, state.panel
    if p.k < 2:
        return
    for c in range(p.elig.shape[0]):
        rows = np.flatnonzero(p.category == c)
        if rows.size < 2:
            continue
        counts = _pair_counts(panel[rows], J)
        nodes = np.diag(counts) > 0
        label = _components(counts, nodes)
        tries = 0
        while label.max() > 0 and tries < max_tries:
            tries += 1
            sizes = np.bincount(label[label >= 0])
            small = int(rng.choice(np.flatnonzero(sizes == sizes.min())))
            other = int(rng.choice(np.flatnonzero(np.arange(sizes.size) != small)))
            row_label = label[panel[rows, 0]]
            e1 = int(rng.choice(rows[row_label == other]))
            e2 = int(rng.choice(rows[row_label == small]))
            s1, s2 = int(rng.integers(p.k)), int(rng.integers(p.k))
            a1, b1 = int(panel[e1, s1]), int(panel[e2, s2])
            if e1 in state.conflicted_by_judge.get(b1, ()) or e2 in state.conflicted_by_judge.get(
                a1, ()
            ):
                continue
            before = _pair_counts(panel[[e1, e2]], J)
            panel[e1, s1], panel[e2, s2] = b1, a1
            trial = counts - before + _pair_counts(panel[[e1, e2]], J)
            new_label = _components(trial, nodes)
            if new_label.max() < label.max():
                counts, label = trial, new_label
            else:
                panel[e1, s1], panel[e2, s2] = a1, b1


def solve(problem: Problem, seed: int) -> IntArray:
    """Panels (E x k judge indices) meeting every constraint; :class:`Stuck` if infeasible."""
    state = _State(problem, np.random.default_rng(seed))
    short = _greedy(state)
    state.build_moves()
    _fill_short(state, short)
    _balance(state)
    _connect(state)
    return state.panel
