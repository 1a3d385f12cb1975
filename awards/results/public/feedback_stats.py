"""Numbers for an entrant's feedback page: percentiles within the category and medians.

* **Percentile rank** of ``x`` among ``population`` (which contains ``x``):
  ``100 * (below + equal / 2) / n`` — the share of the category scoring lower, ties counted
  half (the "mid-rank" definition), so the median entry sits at 50 and a category of one at 50.
* **Median**: the middle value, or the mean of the two middle values.

Pure functions: lists of floats in, floats out; ``None`` values (criteria not scored) are
ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median as _median

__all__ = ["CriterionStanding", "criterion_standings", "median", "percentile_rank"]


def percentile_rank(value: float, population: Sequence[float | None]) -> float:
    """Mid-rank percentile of ``value`` in ``population`` (0–100); 50 when it is empty."""
    values = [v for v in population if v is not None]
    if not values:
        return 50.0
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100.0 * (below + equal / 2) / len(values)


def median(population: Sequence[float | None]) -> float | None:
    """The median of the non-missing values, ``None`` when there are none."""
    values = [v for v in population if v is not None]
    return float(_median(values)) if values else None


@dataclass(frozen=True)
class CriterionStanding:
    """An entry's mean score on one criterion, its percentile and the category median."""

    key: str
    label: str
    score: float
    percentile: float
    median: float


def criterion_standings(
    criteria: Sequence[tuple[str, str]],
    own: Mapping[str, float],
    category: Mapping[str, Sequence[float]],
) -> list[CriterionStanding]:
    """One standing per ``(key, label)`` criterion the entry was scored on: its ``own`` score
    against ``category[key]`` (every scored entry's value for that criterion, own included)."""
    standings = []
    for key, label in criteria:
        if own.get(key) is None or not category.get(key):
            continue
        values = list(category[key])
        standings.append(
            CriterionStanding(
                key=key,
                label=label,
                score=float(own[key]),
                percentile=percentile_rank(float(own[key]), values),
                median=float(median(values) or 0.0),
            )
        )
    return standings
