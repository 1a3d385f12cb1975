"""Judge assignment at city scale: time, load balance and per-category overlap connectivity.

Run: ``uv run python benchmarks/judging_assign.py [--quick]`` (--quick skips the scale runs).
Times are wall clock, best of 3 for the 30,000-entry scenarios.

Scenarios (seeded, synthetic):
- uniform: 30,000 entries in 5 categories, 300 judges each scoped to one category, no limits;
- mixed: the same entries; 250 single-category judges and 50 covering two categories, random
  capacities 200-420, 5,000 random conflicts;
- tight: 30,000 entries, 200 specialists and 100 two-category judges, every capacity 300, so the
  total capacity equals the 90,000 slots exactly;
- scale: uniform with 2x and 4x the entries and judges, to show how time grows;
- cli: the tight scenario through ``judging assign`` (CSV in, CSV out) end to end.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from judging.assignment.assign import EntrySpec, JudgeSpec, assign, assignment_report
from judging.assignment.cli import add_parser

CATS = ("Kuliner", "Fashion", "Kriya", "Jasa", "Agribisnis")
K = 3


def uniform(n_entries: int, n_judges: int, rng: np.random.Generator):
    entries = [
        EntrySpec(f"E{i:06d}", CATS[c]) for i, c in enumerate(rng.integers(5, size=n_entries))
    ]
    judges = [JudgeSpec(f"J{j:04d}", None, frozenset({CATS[j % 5]})) for j in range(n_judges)]
    return entries, judges, []


def mixed(rng: np.random.Generator):
    entries, _, _ = uniform(30_000, 0, rng)
    judges = []
    for j in range(300):
        scope = {CATS[j % 5]} if j < 250 else {CATS[j % 5], CATS[(j + 1) % 5]}
        judges.append(JudgeSpec(f"J{j:04d}", int(rng.integers(200, 421)), frozenset(scope)))
    conflicts = {
        (f"J{rng.integers(300):04d}", f"E{rng.integers(30_000):06d}") for _ in range(5_000)
    }
    return entries, judges, sorted(conflicts)


def tight(rng: np.random.Generator):
    entries = [EntrySpec(f"E{i:06d}", CATS[i % 5]) for i in range(30_000)]
    judges = [JudgeSpec(f"S{j:03d}", 300, frozenset({CATS[j % 5]})) for j in range(200)]
    judges += [
        JudgeSpec(f"G{j:03d}", 300, frozenset({CATS[j % 5], CATS[(j + 1) % 5]})) for j in range(100)
    ]
    return entries, judges, []


def describe(name: str, entries, judges, conflicts, seconds: float, pairs) -> None:
    report = assignment_report(entries, judges, pairs)
    loads = np.array(list(report.loads.values()))
    fill = [
        report.loads[j.id] / j.capacity for j in judges if j.capacity
    ]  # load / capacity, capped judges only
    groups: dict[tuple, list[int]] = {}
    for j in judges:
        groups.setdefault((j.capacity, j.categories), []).append(report.loads[j.id])
    spread = max(max(g) - min(g) for g in groups.values())
    per_entry = Counter(e for e, _ in pairs)
    print(
        f"{name:8s} {len(entries):7d} entries {len(judges):5d} judges k={K} "
        f"{len(conflicts):5d} conflicts: {seconds:6.2f} s"
    )
    print(
        f"         load min {loads.min()} max {loads.max()}; max spread among judges of equal "
        f"capacity and scope {spread}; judges per entry {set(per_entry.values())}"
        + (f"; load/capacity {min(fill):.3f}-{max(fill):.3f}" if fill else "")
    )
    for cat in report.categories:
        state = "connected" if cat.connected else f"{len(cat.components)} components"
        print(
            f"         {cat.category:10s} {cat.entries:6d} entries {cat.judges:4d} judges "
            f"{state}; distinct panels {cat.distinct_panels / cat.entries:.1%}; "
            f"co-judges per judge {cat.mean_co_judges:.1f}"
        )


def timed(name, entries, judges, conflicts, seed=1, repeat=3):
    """Best of ``repeat`` wall-clock runs (the machine is shared), then the quality figures."""
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pairs = assign(entries, judges, K, conflicts, seed=seed)
        seconds = min(seconds, time.perf_counter() - start)
    describe(name, entries, judges, conflicts, seconds, pairs)
    return seconds


def write_csv(path: Path, header, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def cli(rng: np.random.Generator) -> None:
    entries, judges, _ = tight(rng)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        write_csv(d / "entries.csv", ["entry", "category"], [(e.id, e.category) for e in entries])
        write_csv(
            d / "judges.csv",
            ["judge", "capacity", "categories"],
            [(j.id, j.capacity, ";".join(sorted(j.categories))) for j in judges],
        )
        parser = argparse.ArgumentParser()
        add_parser(parser.add_subparsers())
        files = ["--entries", str(d / "entries.csv"), "--judges", str(d / "judges.csv")]
        args = parser.parse_args(
            ["assign", *files, "--per-entry", str(K), "--output", str(d / "out.csv")]
        )
        start = time.perf_counter()
        stderr, sys.stderr = sys.stderr, open(d / "summary.txt", "w")  # noqa: SIM115
        try:
            status = args.func(args)
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        seconds = time.perf_counter() - start
        lines = (d / "out.csv").read_text().count("\n")
    print(f"cli      tight scenario, CSV in and out: {seconds:.2f} s, exit {status}, {lines} lines")


def main() -> None:
    quick = "--quick" in sys.argv
    rng = np.random.default_rng(2026)
    timed("uniform", *uniform(30_000, 300, rng))
    timed("mixed", *mixed(rng))
    timed("tight", *tight(rng))
    for factor in () if quick else (2, 4):
        timed(f"scale x{factor}", *uniform(30_000 * factor, 300 * factor, rng), repeat=1)
    cli(rng)


if __name__ == "__main__":
    main()
