"""Accuracy of every scoring method against a known truth, and honesty of P(top 3).

Simulation (per seed): 240 entries with true value ~ N(60, 10); 24 judges with bias ~ N(0, 8)
and noise sd 5 (on the 0-100 total scale); 3 judges per entry, loads as even as possible.
Three designs:

- random: each entry draws 3 judges at random (among the least loaded);
- confounded: judges sorted from harshest to most lenient, entries from strongest to weakest;
  an entry's 3 judges come from a window around its position, so harsh judges draw the strong
  entries (as when panels follow expertise) and the judge graph stays connected;
- thin: the random design plus 6 late judges (bias ~ N(0, 8) too) who each add 1 or 2 scores
  to random entries: what shrinkage is for.

Calibrated variants: ``none`` (fixed effects), ``auto`` (judgewise empirical-Bayes shrinkage),
``ridge`` (the joint ridge with auto's lambda = sigma^2 / tau^2, which was ``auto`` before the
judgewise rule) and bias+scale with ``auto``.

For each method it prints the mean Kendall tau (tau-a, no ties in the truth) between its scores
and the true values over the seeds, with the standard error of that mean, and the paired
difference of the calibrated variants to ``none``. Then it bins the calibrated (auto)
P(rank <= 3) of every entry and prints the mean predicted probability against the observed
frequency of being in the true top 3.

    uv run python benchmarks/judging_accuracy.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

from judging.blas import single_threaded_blas
from judging.calibrate import calibrate
from judging.normalize import SIMPLE_METHODS
from judging.sheet import build_sheet
from judging.uncertainty import p_top_k

N_ENTRIES, N_JUDGES, PER_ENTRY = 240, 24, 3
BIAS_SD, NOISE_SD, VALUE_SD = 8.0, 5.0, 10.0


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-a = (concordant - discordant) / (n (n - 1) / 2)."""
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    n = x.size
    return float((dx * dy).sum() / (n * (n - 1)))


def assignment(design: str, truth: np.ndarray, bias: np.ndarray, rng) -> list[tuple[int, int]]:
    """(entry, judge) pairs for one design (see the module docstring)."""
    load = np.zeros(N_JUDGES)
    pairs = []
    if design == "random":
        for e in range(N_ENTRIES):
            order = np.lexsort((rng.random(N_JUDGES), load))
            for j in order[:PER_ENTRY]:
                pairs.append((e, int(j)))
                load[j] += 1
        return pairs
    harsh_first = np.argsort(bias)
    strong_first = np.argsort(-truth)
    window = 6
    for position, e in enumerate(strong_first):
        centre = position * (N_JUDGES - window) / (N_ENTRIES - 1)
        lo = round(centre)
        candidates = harsh_first[lo : lo + window]
        chosen = candidates[np.lexsort((rng.random(window), load[candidates]))[:PER_ENTRY]]
        for j in chosen:
            pairs.append((int(e), int(j)))
            load[j] += 1
    return pairs


THIN_JUDGES = 6


def simulate(design: str, seed: int):
    rng = np.random.default_rng(seed)
    truth = rng.normal(60.0, VALUE_SD, N_ENTRIES)
    bias = rng.normal(0.0, BIAS_SD, N_JUDGES)
    pairs = assignment("random" if design == "thin" else design, truth, bias, rng)
    entries = [f"e{e:03d}" for e, _ in pairs]
    judges = [f"j{j:02d}" for _, j in pairs]
    values = [truth[e] + bias[j] + rng.normal(0.0, NOISE_SD) for e, j in pairs]
    if design == "thin":
        late = np.random.default_rng(seed + 1000)
        for t in range(THIN_JUDGES):
            b = late.normal(0.0, BIAS_SD)
            for e in late.choice(N_ENTRIES, late.integers(1, 3), replace=False):
                entries.append(f"e{e:03d}")
                judges.append(f"t{t}")
                values.append(truth[e] + b + late.normal(0.0, NOISE_SD))
    sheet = build_sheet(entries, judges, values)
    order = np.array([int(name[1:]) for name in sheet.entry_ids])
    return sheet, truth[order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    methods = [
        "raw",
        "zscore",
        "trimmed",
        "median",
        "rank",
        "calibrated none",
        "calibrated auto",
        "calibrated ridge",
        "bias+scale auto",
    ]
    print(
        f"{N_ENTRIES} entries, {N_JUDGES} judges, {PER_ENTRY} per entry; bias sd {BIAS_SD}, "
        f"noise sd {NOISE_SD}, value sd {VALUE_SD}; {args.seeds} seeds"
    )
    calibration: dict[str, list[tuple[float, bool]]] = {}
    for design in ("random", "confounded", "thin"):
        taus: dict[str, list[float]] = {m: [] for m in methods}
        for seed in range(args.seeds):
            sheet, truth = simulate(design, seed)
            e, j, y = sheet.entry_idx, sheet.judge_idx, sheet.total
            for name in methods[:5]:
                taus[name].append(kendall_tau(SIMPLE_METHODS[name](e, j, y), truth))
            scaled = calibrate(sheet, "auto", bias_scale=True)
            taus["bias+scale auto"].append(kendall_tau(scaled.values, truth))
            for shrink in ("none", "auto"):
                cal = calibrate(sheet, shrink)
                taus[f"calibrated {shrink}"].append(kendall_tau(cal.values, truth))
            ridge = calibrate(sheet, cal.shrinkage) if np.isfinite(cal.shrinkage) else cal
            taus["calibrated ridge"].append(kendall_tau(ridge.values, truth))
            p = p_top_k(cal, sheet.category, 3, draws=2000, seed=seed)
            top = set(np.argsort(-truth)[:3].tolist())
            calibration.setdefault(design, []).extend(
                (float(p[i]), i in top) for i in range(truth.size)
            )
        print(f"\n{design} assignment: Kendall tau to the truth (mean ± se over seeds)")
        for name in methods:
            t = np.array(taus[name])
            line = f"  {name:16s} {t.mean():.4f} ± {t.std(ddof=1) / np.sqrt(t.size):.4f}"
            if name.startswith(("calibrated", "bias")) and name != "calibrated none":
                d = t - np.array(taus["calibrated none"])
                line += f"   vs none {d.mean():+.4f} ± {d.std(ddof=1) / np.sqrt(d.size):.4f}"
            print(line)
    for design, pairs in [
        ("all designs pooled", list(itertools.chain.from_iterable(calibration.values())))
    ] + [(f"{d} design", c) for d, c in calibration.items()]:
        _honesty(design, pairs)


def _honesty(title: str, pairs: list[tuple[float, bool]]) -> None:
    print(f"\nP(top 3) honesty, calibrated auto, {title}")
    print("  predicted bin     entries  mean predicted  observed frequency")
    pred = np.array([c[0] for c in pairs])
    hit = np.array([c[1] for c in pairs])
    edges = [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0001]
    for lo, hi in itertools.pairwise(edges):
        inside = (pred >= lo) & (pred < hi)
        if inside.any():
            print(
                f"  [{lo:.2f}, {min(hi, 1):.2f})  {inside.sum():8d}  {pred[inside].mean():14.3f}"
                f"  {hit[inside].mean():18.3f}"
            )
    print(f"  total expected top-3 hits {pred.sum():.1f}, observed {hit.sum()}")


if __name__ == "__main__":
    with single_threaded_blas():
        main()
