"""Simulated judging designs with a known truth, shared by the accuracy and coverage benchmarks.

Per seed: 200 entries with true value ~ N(60, 10); J judges (20 or 60) with bias ~ N(0, 6);
every criterion score is value + bias + noise, noise sd 10, and the rubric total is the mean of
the criteria (1 or 6 criteria); m judges per entry (2, 3 or 5), loads as even as possible.
Assignment:

- random: each entry draws m judges at random among the least loaded;
- confounded: judges sorted from harshest to most lenient, entries from strongest to weakest;
  an entry's m judges come from a window of max(2m, J/4) judges around its position, so harsh
  judges draw the strong entries (as when panels follow expertise) and the judge graph is a
  band, not a bare chain;
- partial: as confounded, but entries are sorted by value + N(0, 10) (an ordering that
  follows quality with correlation 0.71).
"""

from __future__ import annotations

import itertools

import numpy as np

from judging.sheets.sheet import ScoreSheet, build_sheet

N_ENTRIES = 200
BIAS_SD, NOISE_SD, VALUE_SD = 6.0, 10.0, 10.0
ASSIGNMENTS = ("random", "confounded", "partial")
PER_ENTRY = (2, 3, 5)
JUDGES = (20, 60)
CRITERIA = (1, 6)
DESIGNS = list(itertools.product(ASSIGNMENTS, PER_ENTRY, JUDGES, CRITERIA))
"""(assignment, judges per entry, judges, criteria) for every simulated design."""


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-a = (concordant - discordant) / (n (n - 1) / 2)."""
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    n = x.size
    return float((dx * dy).sum() / (n * (n - 1)))


def _pairs(assignment, truth, bias, per_entry, rng) -> list[tuple[int, int]]:
    n_judges = bias.size
    load = np.zeros(n_judges)
    pairs = []
    if assignment == "random":
        for e in range(N_ENTRIES):
            order = np.lexsort((rng.random(n_judges), load))
            for j in order[:per_entry]:
                pairs.append((e, int(j)))
                load[j] += 1
        return pairs
    key = truth + (rng.normal(0.0, VALUE_SD, truth.size) if assignment == "partial" else 0.0)
    harsh_first = np.argsort(bias)
    strong_first = np.argsort(-key)
    window = min(max(2 * per_entry, n_judges // 4), n_judges)
    for position, e in enumerate(strong_first):
        lo = round(position * (n_judges - window) / (N_ENTRIES - 1))
        candidates = harsh_first[lo : lo + window]
        chosen = candidates[np.lexsort((rng.random(window), load[candidates]))[:per_entry]]
        for j in chosen:
            pairs.append((int(e), int(j)))
            load[j] += 1
    return pairs


def simulate(
    design: tuple[str, int, int, int], seed: int
) -> tuple[ScoreSheet, np.ndarray, np.ndarray]:
    """(sheet, true values in sheet order, true biases in sheet order) for one design and seed."""
    assignment, per_entry, n_judges, n_criteria = design
    rng = np.random.default_rng(seed)
    truth = rng.normal(60.0, VALUE_SD, N_ENTRIES)
    bias = rng.normal(0.0, BIAS_SD, n_judges)
    pairs = _pairs(assignment, truth, bias, per_entry, rng)
    e = np.repeat([p[0] for p in pairs], n_criteria)
    j = np.repeat([p[1] for p in pairs], n_criteria)
    values = truth[e] + bias[j] + rng.normal(0.0, NOISE_SD, e.size)
    criteria = [f"c{c}" for c in range(n_criteria)] * len(pairs)
    sheet = build_sheet(
        [f"e{x:03d}" for x in e], [f"j{x:02d}" for x in j], values, criteria=criteria
    )
    order = np.array([int(name[1:]) for name in sheet.entry_ids])
    judges = np.array([int(name[1:]) for name in sheet.judge_ids])
    return sheet, truth[order], bias[judges]


def label(design: tuple[str, int, int, int]) -> str:
    """A short name: e.g. 'confounded m=3 J=60 C=6'."""
    assignment, per_entry, n_judges, n_criteria = design
    return f"{assignment:10s} m={per_entry} J={n_judges:<2d} C={n_criteria}"
