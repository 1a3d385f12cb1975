"""Honesty of the uncertainty: coverage of the 95% intervals on every simulated design.

Designs: benchmarks/judging_designs.py. For each design and seed, each entry's interval
value_e +- 1.96 stderr_e is checked against its true value on the model's gauge (the true value
plus the mean true bias of the judges, since biases are reported summing to zero). Printed per
design: the share of intervals that hold the truth for the default (--shrinkage auto) and for
fixed effects (--shrinkage none), and the share of seeds in which the true best entry lies in
the default's leading tied group (the entries indistinguishable from rank 1). Target: every
coverage in [93%, 97%].

    uv run python benchmarks/judging_coverage.py [--seeds 15]
"""

from __future__ import annotations

import argparse

import numpy as np
from judging_designs import DESIGNS, label, simulate

from judging.calibration.calibrate import calibrate
from judging.command.blas import single_threaded_blas
from judging.ranking.uncertainty import difference_stderr, tied_groups

Z95 = 1.959963984540054


def _covered(cal, truth, bias) -> np.ndarray:
    target = truth + bias.mean()
    return np.abs(cal.values - target) <= Z95 * cal.value_stderr


def _leader_holds_best(cal, truth) -> bool:
    order = np.argsort(-cal.values, kind="stable")
    groups = tied_groups(order, cal.values, difference_stderr(cal))
    leading = groups[0] if groups and groups[0][0] == order[0] else order[:1]
    return int(np.argmax(truth)) in set(leading.tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=15)
    parser.add_argument("--only", default="", help="run only designs whose label contains this")
    args = parser.parse_args()
    print(f"95% interval coverage over {args.seeds} seeds x 200 entries")
    print(f"{'design':27s} {'default':>8s} {'fixed':>8s} {'leader group holds #1':>22s}")
    worst = []
    for design in DESIGNS:
        if args.only not in label(design):
            continue
        hits = {"auto": [], "none": []}
        leader = 0
        for seed in range(args.seeds):
            sheet, truth, bias = simulate(design, seed)
            for shrinkage in hits:
                cal = calibrate(sheet, shrinkage)
                hits[shrinkage].append(_covered(cal, truth, bias))
                if shrinkage == "auto":
                    leader += _leader_holds_best(cal, truth)
        cover = {k: 100 * float(np.concatenate(v).mean()) for k, v in hits.items()}
        worst.append((cover["auto"], label(design)))
        print(
            f"{label(design):27s} {cover['auto']:7.1f}% {cover['none']:7.1f}% "
            f"{100 * leader / args.seeds:21.0f}%"
        )
    low, high = min(worst), max(worst)
    print(f"\ndefault coverage from {low[0]:.1f}% ({low[1]}) to {high[0]:.1f}% ({high[1]})")
    outside = sum(not 93.0 <= c <= 97.0 for c, _ in worst)
    print(f"designs outside [93%, 97%]: {outside} of {len(worst)}")


if __name__ == "__main__":
    with single_threaded_blas():
        main()
