"""Time Krippendorff's alpha (interval) on a city-scale sparse design and print the figures.

30,000 entries x 300 judges, each entry scored by 3 distinct random judges (NaN elsewhere):
the shape of the Malang award. Also times the complete-design statistics (ICC, Kendall's W) on
a 2,000 x 9 panel. Usage: ``uv run python benchmarks/reliability_speed.py``.
"""

from __future__ import annotations

import time

import numpy as np

from judging.reliability.coefficients import icc, kendall_w, krippendorff_alpha_interval

ENTRIES, JUDGES, PER_ENTRY, REPEATS = 30_000, 300, 3, 5


def sparse_matrix(rng: np.random.Generator) -> np.ndarray:
    """Entries x judges with PER_ENTRY scores per row: true value + judge bias + noise."""
    matrix = np.full((ENTRIES, JUDGES), np.nan)
    judges = np.argsort(rng.random((ENTRIES, JUDGES)), axis=1)[:, :PER_ENTRY]
    truth = rng.normal(70.0, 10.0, ENTRIES)
    bias = rng.normal(0.0, 5.0, JUDGES)
    rows = np.repeat(np.arange(ENTRIES), PER_ENTRY)
    cols = judges.ravel()
    matrix[rows, cols] = truth[rows] + bias[cols] + rng.normal(0.0, 5.0, rows.size)
    return matrix


def best_of(function, matrix: np.ndarray) -> tuple[float, float]:
    """Smallest wall time over REPEATS calls, and the value returned."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        value = function(matrix)
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    """Print the timing of each statistic."""
    rng = np.random.default_rng(2026)
    matrix = sparse_matrix(rng)
    seconds, alpha = best_of(krippendorff_alpha_interval, matrix)
    print(
        f"krippendorff_alpha_interval {ENTRIES:,} x {JUDGES} ({PER_ENTRY} scores/row): "
        f"{seconds * 1000:.1f} ms (best of {REPEATS}), alpha = {alpha:.4f}"
    )
    panel = rng.normal(70.0, 10.0, (2_000, 1)) + rng.normal(0.0, 5.0, (2_000, 9))
    seconds, result = best_of(icc, panel)
    print(f"icc 2,000 x 9: {seconds * 1000:.1f} ms, ICC(2,1) = {result.icc2:.4f}")
    seconds, w = best_of(kendall_w, panel)
    print(f"kendall_w 2,000 x 9: {seconds * 1000:.1f} ms, W = {w:.4f}")


if __name__ == "__main__":
    main()
