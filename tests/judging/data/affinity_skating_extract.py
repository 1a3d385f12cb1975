"""Rebuild ``affinity_skating_totals.csv`` from the shared skating data.

Source: BuzzFeed News, "2018-02-olympic-figure-skating-analysis" (GitHub repository
BuzzFeedNews/2018-02-olympic-figure-skating-analysis), licensed CC BY 4.0; copied in
``../shared/data/olympics-2018-figure-skating``. The fixture holds, for every program of the
Olympic Winter Games 2018 and every performance and judge, the judge's total for the
performance: sum over elements of (base value + the judge's GOE in points, judge-goe.csv) plus
sum over program components of (factor x the judge's mark), with the skater's nation and the
judge's country (judges.csv). Deductions are the same for every judge and left out.

Usage (from the repository root)::

    uv run python tests/judging/data/affinity_skating_extract.py \\
        ../shared/data/olympics-2018-figure-skating
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

OUTPUT = Path(__file__).with_name("affinity_skating_totals.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(source: Path) -> None:
    """Join performances, aspects, scores and judges; write one row per (performance, judge)."""
    performances = {r["performance_id"]: r for r in _rows(source / "performances.csv")}
    aspects = {r["aspect_id"]: r for r in _rows(source / "judged-aspects.csv")}
    goe = {
        (r["aspect_id"], r["judge"]): float(r["judge_goe"]) for r in _rows(source / "judge-goe.csv")
    }
    judges = {(r["program"], r["clean_role"]): r for r in _rows(source / "judges.csv")}
    total: dict[tuple[str, str], float] = defaultdict(float)
    for r in _rows(source / "judge-scores.csv"):
        aspect = aspects[r["aspect_id"]]
        key = (aspect["performance_id"], r["judge"])
        if aspect["section"] == "elements":
            total[key] += float(aspect["base_value"]) + goe[(r["aspect_id"], r["judge"])]
        else:
            total[key] += float(aspect["factor"]) * float(r["score"])
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["program", "performance_id", "nation", "judge", "judge_name", "judge_country", "total"]
        )
        for (perf_id, role), value in sorted(
            total.items(),
            key=lambda kv: (
                performances[kv[0][0]]["program"],
                int(performances[kv[0][0]]["starting_number"]),
                kv[0][1],
            ),
        ):
            perf = performances[perf_id]
            judge = judges[(perf["program"], role)]
            writer.writerow(
                [
                    perf["program"],
                    perf_id,
                    perf["nation"],
                    role,
                    judge["clean_judge_name"],
                    judge["judge_country"],
                    f"{value:.2f}",
                ]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
