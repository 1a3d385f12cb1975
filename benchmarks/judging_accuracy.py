"""Accuracy of the scoring methods against a known truth, over every simulated design.

Designs (benchmarks/judging_designs.py): random, confounded and partially confounded
assignment; 2, 3 and 5 judges per entry; 20 and 60 judges; 1 and 6 criteria; 200 entries.
For each design and method it prints the mean Kendall tau (tau-a) between the method's scores
and the true values over the seeds, the worst seed, and the gap of the mean to the best of
{raw, zscore, fixed} (the yardstick of the default: it should never be more than 0.005 below).

Methods: raw mean, per-judge z-score, ``fixed`` (calibrated, --shrinkage none: fixed effects),
``default`` (calibrated, --shrinkage auto: REML mixed model, fixed or random entries chosen by
Hausman's test), ``judgewise`` (the previous default: judgewise empirical-Bayes shrinkage) and
``scale`` (the default with --bias-scale). The last lines summarize the default's worst gap and
the share of seeds in which it chose fixed entries, and the time of one auto calibration.

    uv run python benchmarks/judging_accuracy.py [--seeds 15]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from judging_designs import DESIGNS, kendall_tau, label, simulate

from judging.calibration.calibrate import calibrate
from judging.calibration.normalize import SIMPLE_METHODS
from judging.command.blas import single_threaded_blas

METHODS = ("raw", "zscore", "fixed", "default", "judgewise", "scale")
YARDSTICK = ("raw", "zscore", "fixed")


def _scores(sheet, method: str) -> tuple[np.ndarray, str]:
    e, j, y = sheet.entry_idx, sheet.judge_idx, sheet.total
    if method in ("raw", "zscore"):
        return SIMPLE_METHODS[method](e, j, y), ""
    if method == "fixed":
        return calibrate(sheet, "none").values, ""
    if method == "judgewise":
        return calibrate(sheet, "judgewise").values, ""
    cal = calibrate(sheet, "auto", bias_scale=method == "scale")
    return cal.values, cal.model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=15)
    parser.add_argument("--only", default="", help="run only designs whose label contains this")
    args = parser.parse_args()
    head = "  ".join(f"{m:>15s}" for m in METHODS)
    print(f"Kendall tau to the truth: mean / worst seed over {args.seeds} seeds; gap = default")
    print(f"minus the best of {', '.join(YARDSTICK)}; fixed% = seeds where default chose fixed")
    print(f"{'design':27s} {head}  {'gap':>7s} {'fixed%':>6s}")
    gaps, elapsed, fits = [], 0.0, 0
    for design in DESIGNS:
        if args.only not in label(design):
            continue
        taus = {m: [] for m in METHODS}
        chose_fixed = 0
        for seed in range(args.seeds):
            sheet, truth, _ = simulate(design, seed)
            for method in METHODS:
                started = time.perf_counter()
                score, model = _scores(sheet, method)
                if method == "default":
                    elapsed += time.perf_counter() - started
                    fits += 1
                    chose_fixed += model == "fixed entries"
                taus[method].append(kendall_tau(score, truth))
        means = {m: float(np.mean(t)) for m, t in taus.items()}
        gap = means["default"] - max(means[m] for m in YARDSTICK)
        gaps.append((gap, label(design)))
        cells = "  ".join(f"{means[m]:.3f}/{min(taus[m]):.3f}" for m in METHODS)
        print(f"{label(design):27s} {cells}  {gap:+.4f} {100 * chose_fixed / args.seeds:5.0f}%")
    worst = min(gaps)
    print(f"\nworst gap of the default to the best simple method: {worst[0]:+.4f} ({worst[1]})")
    print(f"designs with gap below -0.005: {sum(g < -0.005 for g, _ in gaps)} of {len(gaps)}")
    print(f"mean time of one default calibration: {1000 * elapsed / max(fits, 1):.1f} ms")


if __name__ == "__main__":
    with single_threaded_blas():
        main()
