"""Judge assignment: who judges which entry.

Given entries (each in a category), judges (each with a capacity and the categories they may
judge), conflicts (judge, entry) and ``k``, :func:`assign` returns (entry, judge) pairs such that

1. every entry gets exactly ``k`` distinct judges, each *eligible* for it: the judge's category
   set is empty (may judge anything) or contains the entry's category;
2. no conflicted (judge, entry) pair is used;
3. no judge exceeds its capacity (``None`` = unlimited);
4. loads are balanced: among all assignments satisfying 1-3, the loads minimize

       sum_j load_j^2 / w_j,   w_j = capacity_j, or for an unlimited judge the largest capacity
                               given to any judge (1 if none has one),

   so loads are as close to proportional to capacity as eligibility allows (with no capacities,
   as equal as possible). Precisely: no chain of hand-overs (judge u gives an entry to j1, j1 gives
   another to j2, ..., v takes the last, every step respecting 1-3) can move one unit of load from
   u to v while (2 load_v + 1) / w_v < (2 load_u - 1) / w_u. Consequences: two judges u, v of
   equal capacity and the same category set have |load_u - load_v| <= 1 unless v is in conflict
   with every entry that u holds and v does not (so always, without conflicts); judges whose
   eligibility differs carry what their categories require, e.g. a judge of a small category
   gets fewer entries than one of a large category: proportionality holds only between judges
   who can exchange work;
5. the judge overlap graph of each category (judges linked when they share an entry of that
   category) is made connected and well mixed: panels are drawn at random (greedy by least
   marginal cost with random tie-breaking) rather than as fixed disjoint groups, so each judge
   shares entries with many others; if a category still splits, up to 400 random
   load-preserving swaps between panels of different components are tried, keeping those that
   join components. Connectivity is impossible with k = 1 (no judge shares an entry) or when a
   category has too few entries to link its judges; :func:`assignment_report` states the
   components either way;
6. the result depends only on the input and ``seed``.

Infeasible input raises :class:`AssignmentError`, whose message names the entry, judge or
category at fault. Exception hierarchy::

    ValueError
     +-- AssignmentError      (.entry, .judge, .category: the id at fault, or None)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from judging.assignment.engine import Problem, Stuck, solve

__all__ = [
    "AssignmentError",
    "AssignmentReport",
    "CategoryOverlap",
    "EntrySpec",
    "JudgeSpec",
    "assign",
    "assignment_report",
    "overlap_components",
]


@dataclass(frozen=True)
class EntrySpec:
    """An entry to be judged and its category ("" = uncategorized)."""

    id: str
    category: str = ""


@dataclass(frozen=True)
class JudgeSpec:
    """A judge: at most ``capacity`` entries (None = unlimited), in ``categories`` (empty = any)."""

    id: str
    capacity: int | None = None
    categories: frozenset[str] = frozenset()

    def covers(self, category: str) -> bool:
        """True when this judge may judge entries of ``category``."""
        return not self.categories or category in self.categories


class AssignmentError(ValueError):
    """The input admits no valid assignment; the message names the entry, judge or category."""

    def __init__(
        self,
        message: str,
        *,
        entry: str | None = None,
        judge: str | None = None,
        category: str | None = None,
    ) -> None:
        super().__init__(message)
        self.entry = entry
        self.judge = judge
        self.category = category


MAX_CAPACITY = 10**9  # keeps the exact integer cost comparisons (2 load + 1) * w in int64


def _names(ids: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _about(entry: EntrySpec) -> str:
    return f"entry {entry.id!r}" + (f" (category {entry.category!r})" if entry.category else "")


def _check_ids(entries: Sequence[EntrySpec], judges: Sequence[JudgeSpec], k: object) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise AssignmentError(f"judges per entry must be a positive integer, got {k!r}")
    for kind, items in (("entry", entries), ("judge", judges)):
        seen: set[str] = set()
        for position, item in enumerate(items, start=1):
            if not item.id:
                raise AssignmentError(f"{kind} number {position} has an empty id")
            if item.id in seen:
                raise AssignmentError(f"duplicate {kind} id {item.id!r}", **{kind: item.id})
            seen.add(item.id)
    for judge in judges:
        cap = judge.capacity
        if cap is not None and (
            isinstance(cap, bool) or not isinstance(cap, int) or not 0 <= cap <= MAX_CAPACITY
        ):
            raise AssignmentError(
                f"judge {judge.id!r} has capacity {cap!r}; it must be a whole number from 0 to "
                f"{MAX_CAPACITY:,} or None (unlimited)",
                judge=judge.id,
            )
    if not entries:
        raise AssignmentError("there are no entries to assign")
    if not judges:
        raise AssignmentError("there are no judges")


def _index_conflicts(
    conflicts: Iterable[tuple[str, str]], entry_at: dict[str, int], judge_at: dict[str, int]
) -> dict[int, set[int]]:
    by_entry: dict[int, set[int]] = {}
    for pair in conflicts:
        judge, entry = pair
        swapped = judge in entry_at and entry in judge_at
        hint = " (conflicts are (judge, entry) pairs; this one looks reversed)" if swapped else ""
        if judge not in judge_at:
            raise AssignmentError(
                f"conflict ({judge!r}, {entry!r}) names unknown judge {judge!r}{hint}", judge=judge
            )
        if entry not in entry_at:
            raise AssignmentError(
                f"conflict ({judge!r}, {entry!r}) names unknown entry {entry!r}{hint}", entry=entry
            )
        by_entry.setdefault(entry_at[entry], set()).add(judge_at[judge])
    return by_entry


def _problem(
    entries: Sequence[EntrySpec],
    judges: Sequence[JudgeSpec],
    k: int,
    conflicts: Iterable[tuple[str, str]],
) -> Problem:
    """Validate and index the input; raise :class:`AssignmentError` for each plain infeasibility."""
    _check_ids(entries, judges, k)
    entry_at = {e.id: i for i, e in enumerate(entries)}
    judge_at = {j.id: i for i, j in enumerate(judges)}
    conflicted = _index_conflicts(conflicts, entry_at, judge_at)
    categories = sorted({e.category for e in entries})
    cat_at = {c: i for i, c in enumerate(categories)}
    category = np.array([cat_at[e.category] for e in entries], dtype=np.int64)
    sizes = np.bincount(category, minlength=len(categories))
    covers = np.array([[j.covers(c) for j in judges] for c in categories], dtype=bool)
    n = len(entries)
    capacity = np.array([n if j.capacity is None else j.capacity for j in judges], dtype=np.int64)
    finite = [j.capacity for j in judges if j.capacity]
    default_weight = max(finite) if finite else 1
    weight = np.array([j.capacity or default_weight for j in judges], dtype=np.int64)
    elig = covers & (capacity > 0)
    conflicts_idx = {
        e: np.array(sorted(js), dtype=np.int64)[elig[category[e], sorted(js)]]
        for e, js in conflicted.items()
    }

    available = elig.sum(axis=1)[category] - np.array(
        [conflicts_idx[e].size if e in conflicts_idx else 0 for e in range(n)]
    )
    for e in np.flatnonzero(available < k).tolist():
        entry, c = entries[e], category[e]
        free = [judges[j].id for j in np.flatnonzero(elig[c]) if j not in conflicted.get(e, ())]
        if not covers[c].any():
            reason = (
                f"no judge may judge category {entry.category!r}"
                if entry.category
                else "it has no category and every judge is limited to named categories"
            )
            raise AssignmentError(
                f"{_about(entry)} needs {_count(k, 'judge')} but {reason}", entry=entry.id
            )
        notes = []
        if e in conflicts_idx and conflicts_idx[e].size:
            notes.append(f"conflicted: {_names([judges[j].id for j in conflicts_idx[e]])}")
        if (covers[c] & (capacity == 0)).any():
            notes.append("judges with capacity 0 are not counted")
        listed = f": {_names(free)}" if free else ""
        note = f" ({'; '.join(notes)})" if notes else ""
        raise AssignmentError(
            f"{_about(entry)} has only {_count(len(free), 'eligible judge')} without "
            f"conflicts, but {k} {'is' if k == 1 else 'are'} required{listed}{note}",
            entry=entry.id,
        )
    for c, name in enumerate(categories):
        room = int(np.minimum(capacity[elig[c]], sizes[c]).sum())
        if k * sizes[c] > room:
            label = f"category {name!r}" if name else "the uncategorized entries"
            raise AssignmentError(
                f"{label} needs {k * sizes[c]} judge slots ({sizes[c]} entries x {k}) but its "
                f"judges can take at most {room}",
                category=name,
            )
    reach = (elig.astype(np.int64) * sizes[:, None]).sum(axis=0)
    room = int(np.minimum(capacity, reach).sum())
    if k * n > room:
        raise AssignmentError(
            f"{n} entries need {k * n} judge slots ({k} each) but all judges together can take "
            f"at most {room}"
        )
    return Problem(k, category, elig, capacity, weight, conflicts_idx)


def assign(
    entries: Sequence[EntrySpec],
    judges: Sequence[JudgeSpec],
    per_entry: int,
    conflicts: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> list[tuple[str, str]]:
    """Assign ``per_entry`` judges to every entry; (entry_id, judge_id) pairs sorted by both.

    ``conflicts`` are (judge_id, entry_id) pairs that must not be used. See the module docstring
    for the guarantees (eligibility, capacity, balance of sum load^2 / w, connected and mixed
    overlap per category, determinism for ``seed``). Raises :class:`AssignmentError` naming the
    entry, judge or category at fault when no valid assignment exists.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    problem = _problem(entries, judges, per_entry, conflicts)
    try:
        panel = solve(problem, seed)
    except Stuck as stuck:
        entry = entries[stuck.entry]
        full = [judges[j].id for j in stuck.judges]
        raise AssignmentError(
            f"{_about(entry)} cannot get {_count(per_entry, 'judge')}: every judge it may "
            f"have, and every judge they could pass an entry to, is at capacity ({_names(full)})",
            entry=entry.id,
        ) from None
    return sorted(
        (entries[e].id, judges[j].id) for e, row in enumerate(panel.tolist()) for j in row
    )


# -- reporting ------------------------------------------------------------------------------


def overlap_components(pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Judges linked when they share an entry: connected components, largest first.

    Ties in size are ordered by the smallest judge id. Judges in no pair do not appear.
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_judge: dict[str, str] = {}
    for entry, judge in pairs:
        parent.setdefault(judge, judge)
        other = first_judge.setdefault(entry, judge)
        a, b = root(judge), root(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = {}
    for judge in parent:
        groups.setdefault(root(judge), set()).add(judge)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g)))


@dataclass(frozen=True)
class CategoryOverlap:
    """How one category's judges overlap: components, distinct panels, co-judges per judge."""

    category: str
    entries: int
    judges: int
    components: tuple[tuple[str, ...], ...]
    distinct_panels: int
    mean_co_judges: float

    @property
    def connected(self) -> bool:
        """True when the category's judges form at most one overlap component."""
        return len(self.components) <= 1


@dataclass(frozen=True)
class AssignmentReport:
    """Loads of every judge (input order) and the overlap of each category."""

    loads: dict[str, int]
    categories: tuple[CategoryOverlap, ...]

    def summary_lines(self) -> list[str]:
        """A few human-readable lines: load range and per-category connectivity."""
        values = sorted(self.loads.values())
        lines = [
            f"{sum(values)} assignments to {len(values)} judges; load min {values[0]}, "
            f"median {values[len(values) // 2]}, max {values[-1]}"
        ]
        for cat in self.categories:
            name = f"category {cat.category!r}" if cat.category else "uncategorized"
            if cat.connected:
                link = "connected"
            else:
                parts = " | ".join(_names(list(c), 4) for c in cat.components)
                link = f"NOT connected, {len(cat.components)} components: {parts}"
            lines.append(
                f"{name}: {cat.entries} entries, {cat.judges} judges, {link}; "
                f"{cat.distinct_panels} distinct panels, "
                f"{cat.mean_co_judges:.1f} co-judges per judge"
            )
        return lines


def assignment_report(
    entries: Sequence[EntrySpec], judges: Sequence[JudgeSpec], pairs: Iterable[tuple[str, str]]
) -> AssignmentReport:
    """Summarize an assignment: loads, and per category its overlap components and mixing.

    ``mean_co_judges`` is the average, over the category's judges, of the number of distinct
    other judges they share at least one entry with; fixed disjoint panels of size k give k - 1.
    """
    category = {e.id: e.category for e in entries}
    loads = {j.id: 0 for j in judges}
    panels: dict[str, list[str]] = {e.id: [] for e in entries}
    for entry, judge in pairs:
        loads[judge] += 1
        panels[entry].append(judge)
    overlaps = []
    for name in sorted(set(category.values())):
        members = [e.id for e in entries if e.category == name]
        cat_pairs = [(e, j) for e in members for j in panels[e]]
        co: dict[str, set[str]] = {}
        for e in members:
            for j in panels[e]:
                co.setdefault(j, set()).update(panels[e])
        comps = overlap_components(cat_pairs)
        overlaps.append(
            CategoryOverlap(
                category=name,
                entries=len(members),
                judges=len(co),
                components=tuple(tuple(sorted(c)) for c in comps),
                distinct_panels=len({frozenset(panels[e]) for e in members}),
                mean_co_judges=(sum(len(s) - 1 for s in co.values()) / len(co)) if co else 0.0,
            )
        )
    return AssignmentReport(loads, tuple(overlaps))
