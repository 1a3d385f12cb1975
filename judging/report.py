"""Output formats of an :class:`~judging.analyze.Analysis`: JSON, CSV and a plain-text table.

Numbers are rounded here, at display time only: JSON and CSV carry 6 decimals (enough for any
score scale and stable across machines), the table 2 (4 for probabilities). NaN becomes
``null`` in JSON and an empty cell in CSV.
"""

from __future__ import annotations

import csv
import io
import json
import math

from judging.analyze import Analysis

__all__ = ["to_csv", "to_json", "to_table"]

DECIMALS = 6


def _num(value: float | None, decimals: int = DECIMALS) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, decimals)
    return 0.0 if rounded == 0 else rounded


def to_json(analysis: Analysis) -> str:
    """One JSON object: method, entries, judges, reliability, warnings (keys as in the issue)."""
    document = {
        "method": analysis.method,
        "entries": [
            {
                "entry": r.entry,
                "category": r.category,
                "rank": r.rank,
                "score": _num(r.score),
                "stderr": _num(r.stderr),
                "raw_mean": _num(r.raw_mean),
                "judges": r.judges,
                "p_top": _num(r.p_top),
                "tied_with": list(r.tied_with),
            }
            for r in analysis.entries
        ],
        "judges": [
            {"judge": j.judge, "bias": _num(j.bias), "stderr": _num(j.stderr), "scores": j.scores}
            for j in analysis.judges
        ],
        "reliability": {name: _num(value) for name, value in analysis.reliability.items()},
        "warnings": list(analysis.warnings),
    }
    return _dump(document)


def _dump(document: dict) -> str:
    """JSON with one list item per line: readable, and fast (each item by the C encoder)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per item
    parts = []
    for key, value in document.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(encode, value))
            parts.append(f"  {name}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {name}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


CSV_COLUMNS = (
    "entry",
    "category",
    "rank",
    "score",
    "stderr",
    "raw_mean",
    "judges",
    "p_top",
    "tied_with",
)


def to_csv(analysis: Analysis) -> str:
    """One row per entry (columns ``CSV_COLUMNS``; ``tied_with`` joined by ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in analysis.entries:
        cells = [r.score, r.stderr, r.raw_mean]
        writer.writerow(
            [r.entry, r.category, r.rank]
            + ["" if _num(c) is None else repr(_num(c)) for c in cells]
            + [r.judges, "" if _num(r.p_top) is None else repr(_num(r.p_top))]
            + [";".join(r.tied_with)]
        )
    return out.getvalue()


def _fmt(value: float | None, decimals: int = 2) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.{decimals}f}"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def to_table(analysis: Analysis) -> str:
    """A ranked table per category, a judge table, reliability and warnings, as plain text."""
    lines: list[str] = []
    k = analysis.top
    categories: dict[str, list] = {}
    for r in analysis.entries:
        categories.setdefault(r.category, []).append(r)
    header = ["rank", "entry", "score", "stderr", "raw mean", "judges", f"P(top {k})", "tied with"]
    for name, rows in categories.items():
        title = f"Category {name}" if name else "All entries"
        lines += [f"{title} — method {analysis.method}", ""]
        body = [
            [
                str(r.rank),
                r.entry,
                _fmt(r.score),
                _fmt(r.stderr),
                _fmt(r.raw_mean),
                str(r.judges),
                _fmt(r.p_top, 3),
                ", ".join(r.tied_with),
            ]
            for r in rows
        ]
        lines += [*_table(header, body, {0, 2, 3, 4, 5, 6}), ""]
    lines += ["Judges (bias from the calibration model)", ""]
    body = [
        [j.judge, _fmt(j.bias), _fmt(j.stderr), _fmt(j.gain), str(j.scores)]
        for j in analysis.judges
    ]
    lines += [*_table(["judge", "bias", "stderr", "gain", "scores"], body, {1, 2, 3, 4}), ""]
    lines.append("Reliability")
    for name, value in analysis.reliability.items():
        lines.append(f"  {name}: {_fmt(value, 3)}")
    if analysis.warnings:
        lines += ["", "Warnings"]
        lines += [f"  - {w}" for w in analysis.warnings]
    return "\n".join(lines) + "\n"
