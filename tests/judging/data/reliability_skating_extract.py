"""Rebuild ``reliability_skating_men_free_components.csv`` from the shared skating data.

Source: BuzzFeed News, "2018-02-olympic-figure-skating-analysis" (GitHub repository
BuzzFeedNews/2018-02-olympic-figure-skating-analysis), licensed CC BY 4.0. The fixture keeps the
program component scores of the Olympic Winter Games 2018 men's free skating: one row per
(performance, component), one column per judge J1..J9.

Usage (from the repository root)::

    uv run python tests/judging/data/reliability_skating_extract.py \\
        ../shared/data/olympics-2018-figure-skating
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PROGRAM = "Men Single Skating - Free Skating"
JUDGES = [f"J{i}" for i in range(1, 10)]
OUTPUT = Path(__file__).with_name("reliability_skating_men_free_components.csv")


def main(source: Path) -> None:
    """Join performances, judged aspects and judge scores; write the wide fixture CSV."""
    with (source / "performances.csv").open(newline="", encoding="utf-8") as handle:
        performances = {
            row["performance_id"]: int(row["starting_number"])
            for row in csv.DictReader(handle)
            if row["program"] == PROGRAM
        }
    with (source / "judged-aspects.csv").open(newline="", encoding="utf-8") as handle:
        aspects = {
            row["aspect_id"]: (row["performance_id"], row["aspect_desc"])
            for row in csv.DictReader(handle)
            if row["section"] == "components" and row["performance_id"] in performances
        }
    scores: dict[tuple[str, str], dict[str, str]] = {}
    with (source / "judge-scores.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["aspect_id"] in aspects:
                scores.setdefault(aspects[row["aspect_id"]], {})[row["judge"]] = row["score"]
    keys = sorted(scores, key=lambda key: (performances[key[0]], key[1]))
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["performance_id", "starting_number", "component", *JUDGES])
        for performance_id, component in keys:
            row = scores[(performance_id, component)]
            writer.writerow(
                [performance_id, performances[performance_id], component]
                + [row[judge] for judge in JUDGES]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
