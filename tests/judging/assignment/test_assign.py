"""Judge assignment: constraints, balance, overlap, determinism and every infeasible input.

Feasibility is cross-checked with scipy's maximum flow and the load balance with a linear
program (HiGHS) that minimizes sum_j load_j^2 / w_j exactly; neither shares code with
``judging.assignment.assign``.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from judging.assignment.assign import (
    AssignmentError,
    EntrySpec,
    JudgeSpec,
    assign,
    assignment_report,
    overlap_components,
)


@dataclass(frozen=True)
class Instance:
    entries: list[EntrySpec]
    judges: list[JudgeSpec]
    k: int
    conflicts: list[tuple[str, str]]
    seed: int


@st.composite
def instances(draw, *, conflicts=True, capacities=True, min_k=1):
    cats = [f"C{i}" for i in range(draw(st.integers(1, 3)))]
    n_entries = draw(st.integers(1, 24))
    entries = [EntrySpec(f"E{i}", draw(st.sampled_from(cats))) for i in range(n_entries)]
    judges = [
        JudgeSpec(
            f"J{j}",
            draw(st.none() | st.integers(0, 14)) if capacities else None,
            draw(st.frozensets(st.sampled_from(cats))),
        )
        for j in range(draw(st.integers(1, 9)))
    ]
    pairs = st.tuples(st.sampled_from([j.id for j in judges]), st.sampled_from(list(entries)))
    conf = draw(st.lists(pairs, max_size=12)) if conflicts else []
    return Instance(
        entries,
        judges,
        draw(st.integers(min_k, 3)),
        [(j, e.id) for j, e in conf],
        draw(st.integers(0, 2**32)),
    )


def allowed(inst: Instance) -> set[tuple[str, str]]:
    """(entry, judge) pairs that respect category, conflicts and a positive capacity."""
    banned = {(e, j) for j, e in inst.conflicts}
    return {
        (e.id, j.id)
        for e in inst.entries
        for j in inst.judges
        if (not j.categories or e.category in j.categories)
        and (e.id, j.id) not in banned
        and j.capacity != 0
    }


def effective_capacity(inst: Instance) -> dict[str, int]:
    n = len(inst.entries)
    return {j.id: n if j.capacity is None else min(j.capacity, n) for j in inst.judges}


def max_flow_feasible(inst: Instance) -> bool:
    """Independent check: does a flow of k per entry exist (scipy maximum_flow)?"""
    entry_at = {e.id: 1 + i for i, e in enumerate(inst.entries)}
    judge_at = {j.id: 1 + len(inst.entries) + i for i, j in enumerate(inst.judges)}
    sink = 1 + len(inst.entries) + len(inst.judges)
    edges = [(0, entry_at[e.id], inst.k) for e in inst.entries]
    edges += [(entry_at[e], judge_at[j], 1) for e, j in sorted(allowed(inst))]
    edges += [(judge_at[j], sink, c) for j, c in effective_capacity(inst).items() if c > 0]
    rows, cols, caps = zip(*edges, strict=True)
    graph = csr_array(
        (np.array(caps, dtype=np.int32), (np.array(rows), np.array(cols))), shape=(sink + 1,) * 2
    )
    return maximum_flow(graph, 0, sink).flow_value == inst.k * len(inst.entries)


def weights(inst: Instance) -> dict[str, int]:
    """w_j = capacity, or the largest given capacity (1 if none) for unlimited judges."""
    given_caps = [j.capacity for j in inst.judges if j.capacity]
    default = max(given_caps) if given_caps else 1
    return {j.id: j.capacity or default for j in inst.judges}


def best_balance_cost(inst: Instance) -> float:
    """Independent optimum of sum_j load_j^2 / w_j by linear programming.

    Load unit t of judge j costs (2t + 1) / w_j (increasing in t, so an optimal solution uses
    units in order and the unit costs add up to load^2 / w); the constraint matrix is a network
    matrix, so the LP optimum is the integer optimum.
    """
    pairs = sorted(allowed(inst))
    w, cap = weights(inst), effective_capacity(inst)
    units = [(j, t) for j in cap for t in range(cap[j])]
    n_x = len(pairs)
    cost = np.r_[np.zeros(n_x), [(2 * t + 1) / w[j] for j, t in units]]
    rows_e = {e.id: i for i, e in enumerate(inst.entries)}
    rows_j = {j.id: len(inst.entries) + i for i, j in enumerate(inst.judges)}
    a_eq = np.zeros((len(rows_e) + len(rows_j), n_x + len(units)))
    for col, (e, j) in enumerate(pairs):
        a_eq[rows_e[e], col] = 1
        a_eq[rows_j[j], col] = 1
    for col, (j, _t) in enumerate(units):
        a_eq[rows_j[j], n_x + col] = -1
    b_eq = np.r_[np.full(len(rows_e), inst.k), np.zeros(len(rows_j))]
    result = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    assert result.status == 0
    return float(result.fun)


def assert_valid(inst: Instance, pairs: list[tuple[str, str]]) -> None:
    """Exactly k distinct allowed judges per entry, capacities respected, output sorted."""
    assert pairs == sorted(pairs)
    assert len(set(pairs)) == len(pairs)
    assert set(pairs) <= allowed(inst)
    per_entry = Counter(e for e, _ in pairs)
    assert per_entry == {e.id: inst.k for e in inst.entries}
    loads = Counter(j for _, j in pairs)
    assert all(loads[j] <= c for j, c in effective_capacity(inst).items())


def load_cost(inst: Instance, pairs: list[tuple[str, str]]) -> float:
    loads, w = Counter(j for _, j in pairs), weights(inst)
    return sum(loads[j.id] ** 2 / w[j.id] for j in inst.judges)


PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY
@given(instances())
def test_assign_succeeds_exactly_when_a_max_flow_exists(inst):
    """assign succeeds iff scipy's max flow reaches k per entry, and raises otherwise."""
    if max_flow_feasible(inst):
        pairs = assign(inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)
        assert_valid(inst, pairs)
    else:
        with pytest.raises(AssignmentError):
            assign(inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)


@PROPERTY
@given(instances())
def test_assign_loads_minimize_weighted_sum_of_squares(inst):
    """The loads reach the LP optimum of sum load^2 / w among all valid assignments."""
    assume(max_flow_feasible(inst))
    pairs = assign(inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)
    assert load_cost(inst, pairs) == pytest.approx(best_balance_cost(inst), rel=1e-9, abs=1e-9)


@PROPERTY
@given(instances(conflicts=False))
def test_assign_equal_judges_differ_by_at_most_one_without_conflicts(inst):
    """Judges with equal capacity and the same category set carry loads within one of each other."""
    assume(max_flow_feasible(inst))
    pairs = assign(inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)
    loads = Counter(j for _, j in pairs)
    groups = defaultdict(list)
    for judge in inst.judges:
        groups[(judge.capacity, judge.categories)].append(loads[judge.id])
    assert all(max(g) - min(g) <= 1 for g in groups.values())


@PROPERTY
@given(instances(conflicts=False, capacities=False, min_k=2))
def test_assign_connects_each_category_when_possible(inst):
    """With k >= 2 and at least as many entries as eligible judges, every category is connected."""
    for category in {e.category for e in inst.entries}:
        eligible = [j for j in inst.judges if not j.categories or category in j.categories]
        size = sum(e.category == category for e in inst.entries)
        assume(len(eligible) >= inst.k and size >= len(eligible))
    pairs = assign(inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)
    report = assignment_report(inst.entries, inst.judges, pairs)
    assert [c.category for c in report.categories if not c.connected] == []


@PROPERTY
@given(instances())
def test_assign_same_seed_gives_same_assignment(inst):
    """Two runs with the same input and seed return identical pairs."""
    assume(max_flow_feasible(inst))
    args = (inst.entries, inst.judges, inst.k, inst.conflicts, inst.seed)
    assert assign(*args) == assign(*args)


def balanced_instance(n_entries=600, n_judges=60, categories=("A",)):
    entries = [EntrySpec(f"E{i:04d}", categories[i % len(categories)]) for i in range(n_entries)]
    judges = [JudgeSpec(f"J{j:02d}") for j in range(n_judges)]
    return entries, judges


def test_assign_different_seeds_give_different_assignments():
    """Seeds 0..4 give five different assignments of the same instance."""
    entries, judges = balanced_instance(120, 12)
    results = {tuple(assign(entries, judges, 3, seed=s)) for s in range(5)}
    assert len(results) == 5


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 2**32))
def test_assign_any_two_seeds_give_different_assignments(seed_a, seed_b):
    """On 120 entries and 12 interchangeable judges, two distinct seeds never coincide."""
    assume(seed_a != seed_b)
    entries, judges = balanced_instance(120, 12)
    assert assign(entries, judges, 3, seed=seed_a) != assign(entries, judges, 3, seed=seed_b)


def test_assign_panels_are_well_mixed_not_fixed():
    """600 entries, 60 judges, k = 3: nearly every panel is distinct and judges meet many others."""
    entries, judges = balanced_instance()
    pairs = assign(entries, judges, 3, seed=7)
    (overlap,) = assignment_report(entries, judges, pairs).categories
    assert overlap.connected
    assert overlap.distinct_panels >= 0.9 * len(entries)
    assert overlap.mean_co_judges >= 25  # fixed disjoint panels would give 2


def test_assign_equal_loads_without_capacities():
    """600 entries x 3 over 60 interchangeable judges gives every judge exactly 30."""
    entries, judges = balanced_instance()
    loads = Counter(j for _, j in assign(entries, judges, 3, seed=1))
    assert set(loads.values()) == {30}


def test_assign_loads_proportional_to_capacity():
    """Capacities 10 and 30 sharing 20 entries (k = 1) carry 5 and 15."""
    entries = [EntrySpec(f"E{i}") for i in range(20)]
    judges = [JudgeSpec("small", 10), JudgeSpec("large", 30)]
    loads = Counter(j for _, j in assign(entries, judges, 1))
    assert loads == {"small": 5, "large": 15}


def test_assign_unlimited_judge_weighs_like_largest_capacity():
    """An unlimited judge balances like the largest given capacity: 12 entries split 6/6."""
    entries = [EntrySpec(f"E{i}") for i in range(12)]
    judges = [JudgeSpec("capped", 8), JudgeSpec("free")]
    loads = Counter(j for _, j in assign(entries, judges, 1))
    assert loads == {"capped": 6, "free": 6}


def test_assign_fills_tight_capacity_through_chains():
    """Total capacity exactly k x entries, with specialists and generalists, is still met."""
    cats = ["A", "B", "C"]
    entries = [EntrySpec(f"E{i:03d}", cats[i % 3]) for i in range(150)]
    judges = [JudgeSpec(f"S{j}", 25, frozenset({cats[j % 3]})) for j in range(12)]
    judges += [
        JudgeSpec(f"G{j}", 25, frozenset({cats[j % 3], cats[(j + 1) % 3]})) for j in range(6)
    ]
    pairs = assign(entries, judges, 3, seed=3)
    assert Counter(j for _, j in pairs) == {j.id: 25 for j in judges}
    inst = Instance(entries, judges, 3, [], 3)
    assert_valid(inst, pairs)


def test_assign_respects_categories_and_conflicts():
    """A hand-made instance: only category judges are used and the conflicted pair never is."""
    entries = [EntrySpec("E1", "Kuliner"), EntrySpec("E2", "Fashion")]
    judges = [
        JudgeSpec("K1", None, frozenset({"Kuliner"})),
        JudgeSpec("K2", None, frozenset({"Kuliner"})),
        JudgeSpec("F1", None, frozenset({"Fashion"})),
        JudgeSpec("F2", None, frozenset({"Fashion"})),
        JudgeSpec("A", None),
    ]
    pairs = assign(entries, judges, 2, conflicts=[("A", "E1"), ("F1", "E2")])
    assert pairs == [("E1", "K1"), ("E1", "K2"), ("E2", "A"), ("E2", "F2")]


# -- infeasible input: each names what is at fault ---------------------------------------------


def test_assign_rejects_too_few_eligible_judges_naming_entry():
    """Conflicts leave E17 with two judges for k = 3: the message names the entry and the two."""
    entries = [EntrySpec("E1", "Kuliner"), EntrySpec("E17", "Kuliner")]
    judges = [JudgeSpec(j, None, frozenset({"Kuliner"})) for j in ("J1", "J4", "J9")]
    judges.append(JudgeSpec("J7", None, frozenset({"Fashion"})))
    with pytest.raises(AssignmentError) as info:
        assign(entries, judges, 3, conflicts=[("J1", "E17")])
    assert str(info.value) == (
        "entry 'E17' (category 'Kuliner') has only 2 eligible judges without conflicts, "
        "but 3 are required: J4, J9 (conflicted: J1)"
    )
    assert info.value.entry == "E17"


def test_assign_rejects_category_nobody_covers():
    """An entry whose category no judge may judge is named with the category."""
    entries = [EntrySpec("E1", "Kuliner"), EntrySpec("E2", "Kriya")]
    judges = [JudgeSpec("J1", None, frozenset({"Kuliner"}))]
    with pytest.raises(AssignmentError, match=r"^entry 'E2' \(category 'Kriya'\) needs 1 judge "):
        assign(entries, judges, 1)


def test_assign_rejects_uncategorized_entry_when_all_judges_are_limited():
    """An entry without category cannot go to judges limited to named categories."""
    entries = [EntrySpec("E1", "Kuliner"), EntrySpec("E2")]
    judges = [JudgeSpec("J1", None, frozenset({"Kuliner"}))]
    with pytest.raises(AssignmentError) as info:
        assign(entries, judges, 1)
    assert str(info.value) == (
        "entry 'E2' needs 1 judge but it has no category and every judge is limited to named "
        "categories"
    )


def test_assign_rejects_category_short_of_capacity():
    """A category needing more slots than its judges can take is named with both numbers."""
    entries = [EntrySpec(f"E{i}", "Fashion") for i in range(100)]
    judges = [JudgeSpec(f"J{j}", 60, frozenset({"Fashion"})) for j in range(4)]
    with pytest.raises(AssignmentError) as info:
        assign(entries, judges, 3)
    assert str(info.value) == (
        "category 'Fashion' needs 300 judge slots (100 entries x 3) but its judges can take "
        "at most 240"
    )
    assert info.value.category == "Fashion"


def test_assign_rejects_total_capacity_short():
    """Each category fits alone, but the one shared judge cannot serve both."""
    entries = [
        EntrySpec("A1", "A"),
        EntrySpec("A2", "A"),
        EntrySpec("B1", "B"),
        EntrySpec("B2", "B"),
    ]
    with pytest.raises(AssignmentError, match=r"^4 entries need 4 judge slots .* at most 2$"):
        assign(entries, [JudgeSpec("J1", 2)], 1)


def test_assign_rejects_capacity_blocked_by_conflicts_naming_entry():
    """Both entries can only use J1 (capacity 1): the entry left without a judge is named."""
    entries = [EntrySpec("E1"), EntrySpec("E2")]
    judges = [JudgeSpec("J1", 1), JudgeSpec("J2", 1), JudgeSpec("J3", 1)]
    conflicts = [("J2", "E1"), ("J3", "E1"), ("J2", "E2"), ("J3", "E2")]
    with pytest.raises(AssignmentError) as info:
        assign(entries, judges, 1, conflicts)
    assert re.fullmatch(
        r"entry 'E[12]' cannot get 1 judge: every judge it may have, and every judge they could "
        r"pass an entry to, is at capacity \(J1\)",
        str(info.value),
    )


@pytest.mark.parametrize("k", [0, -1, 1.5, True])
def test_assign_rejects_non_positive_per_entry(k):
    """k must be a positive integer."""
    with pytest.raises(AssignmentError, match=r"judges per entry must be a positive integer"):
        assign([EntrySpec("E1")], [JudgeSpec("J1")], k)


def test_assign_rejects_duplicate_entry_id():
    """A repeated entry id is named."""
    with pytest.raises(AssignmentError, match=r"^duplicate entry id 'E1'$") as info:
        assign([EntrySpec("E1"), EntrySpec("E1")], [JudgeSpec("J1")], 1)
    assert info.value.entry == "E1"


def test_assign_rejects_duplicate_judge_id():
    """A repeated judge id is named."""
    with pytest.raises(AssignmentError, match=r"^duplicate judge id 'J1'$") as info:
        assign([EntrySpec("E1")], [JudgeSpec("J1"), JudgeSpec("J1")], 1)
    assert info.value.judge == "J1"


@pytest.mark.parametrize("capacity", [-1, 10**9 + 1, 2.0, True])
def test_assign_rejects_capacity_out_of_range(capacity):
    """Negative, huge or non-integer capacities are refused naming the judge."""
    with pytest.raises(AssignmentError) as info:
        assign([EntrySpec("E1")], [JudgeSpec("J1"), JudgeSpec("J2", capacity)], 1)
    assert str(info.value) == (
        f"judge 'J2' has capacity {capacity!r}; it must be a whole number from 0 to "
        "1,000,000,000 or None (unlimited)"
    )
    assert info.value.judge == "J2"


def test_assign_rejects_empty_id_and_empty_lists():
    """Empty ids, no entries and no judges are refused."""
    with pytest.raises(AssignmentError, match=r"^entry number 2 has an empty id$"):
        assign([EntrySpec("E1"), EntrySpec("")], [JudgeSpec("J1")], 1)
    with pytest.raises(AssignmentError, match=r"^there are no entries to assign$"):
        assign([], [JudgeSpec("J1")], 1)
    with pytest.raises(AssignmentError, match=r"^there are no judges$"):
        assign([EntrySpec("E1")], [], 1)


def test_assign_rejects_unknown_ids_in_conflicts():
    """Unknown judges and entries in conflicts are named; reversed pairs get a hint."""
    entries, judges = [EntrySpec("E1")], [JudgeSpec("J1")]
    with pytest.raises(AssignmentError, match=r"names unknown judge 'J9'$") as info:
        assign(entries, judges, 1, [("J9", "E1")])
    assert info.value.judge == "J9"
    with pytest.raises(AssignmentError, match=r"names unknown entry 'E9'$") as info:
        assign(entries, judges, 1, [("J1", "E9")])
    assert info.value.entry == "E9"
    with pytest.raises(AssignmentError, match=r"this one looks reversed"):
        assign(entries, judges, 1, [("E1", "J1")])


def test_assign_rejects_negative_seed():
    """The seed must be a non-negative integer."""
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer"):
        assign([EntrySpec("E1")], [JudgeSpec("J1")], 1, seed=-1)


# -- reporting ---------------------------------------------------------------------------------


def test_overlap_components_hand_worked():
    """J1-J2 share E1, J2-J3 share E2, J4-J5 share E3: components {J1,J2,J3} and {J4,J5}."""
    pairs = [("E1", "J1"), ("E1", "J2"), ("E2", "J2"), ("E2", "J3"), ("E3", "J5"), ("E3", "J4")]
    assert overlap_components(pairs) == [{"J1", "J2", "J3"}, {"J4", "J5"}]


def test_assignment_report_hand_worked():
    """Loads include idle judges; fixed disjoint panels show as components with 1 co-judge."""
    entries = [EntrySpec("E1", "A"), EntrySpec("E2", "A"), EntrySpec("E3", "B")]
    judges = [JudgeSpec(j) for j in ("J1", "J2", "J3", "J4", "J5")]
    pairs = [("E1", "J1"), ("E1", "J2"), ("E2", "J3"), ("E2", "J4"), ("E3", "J1"), ("E3", "J3")]
    report = assignment_report(entries, judges, pairs)
    assert report.loads == {"J1": 2, "J2": 1, "J3": 2, "J4": 1, "J5": 0}
    a, b = report.categories
    assert (a.category, a.entries, a.judges, a.distinct_panels) == ("A", 2, 4, 2)
    assert a.components == (("J1", "J2"), ("J3", "J4"))
    assert not a.connected
    assert a.mean_co_judges == 1.0
    assert b.connected
    assert report.summary_lines()[0] == "6 assignments to 5 judges; load min 0, median 1, max 2"


def test_assign_report_of_large_instance_is_connected_per_category():
    """2,000 entries in 5 categories, specialists and generalists: every category is connected."""
    cats = ["A", "B", "C", "D", "E"]
    entries = [EntrySpec(f"E{i}", cats[i % 5]) for i in range(2000)]
    judges = [JudgeSpec(f"S{j}", None, frozenset({cats[j % 5]})) for j in range(40)]
    judges += [
        JudgeSpec(f"G{j}", 200, frozenset(itertools.islice(cats, j % 5, j % 5 + 2)))
        for j in range(10)
    ]
    pairs = assign(entries, judges, 3, seed=11)
    report = assignment_report(entries, judges, pairs)
    assert all(c.connected for c in report.categories)
    assert_valid(Instance(entries, judges, 3, [], 11), pairs)


def test_assign_module_public_surface_is_pinned():
    """The names exported by judging.assignment.assign are exactly the documented API."""
    module = importlib.import_module("judging.assignment.assign")
    assert sorted(module.__all__) == [
        "AssignmentError",
        "AssignmentReport",
        "CategoryOverlap",
        "EntrySpec",
        "JudgeSpec",
        "assign",
        "assignment_report",
        "overlap_components",
    ]
