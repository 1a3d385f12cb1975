"""Output formats of an :class:`~judging.analysis.analyze.Analysis`: JSON, CSV and a plain-text
table.

Numbers are rounded here, at display time only: JSON and CSV carry 6 decimals (enough for any
score scale and stable across machines), the table 2 (4 for probabilities). NaN becomes
``null`` in JSON and an empty cell in CSV.

Every figure is reachable: JSON holds the model (``model_summary``: sigma^2, its degrees of
freedom, tau^2, lambda, components, ...), entries, judges (bias, stderr, gain, component),
reliability (pooled and per group, with ICC intervals and the reasons for undefined
statistics) and warnings; with ``detail=True`` also each scored pair's total, fitted value,
residual and standardized residual (``scores``) and each entry's difference to the next in
rank with its standard error (``pairs``). CSV writes one of those tables (``CSV_TABLES``).

The table pads by display width (``unicodedata.east_asian_width``: wide and full-width
characters such as CJK and most emoji take two columns, combining marks none) and shows line
breaks, tabs and other control characters in ids as escapes (``\\n``), so every row lines up.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from dataclasses import fields, is_dataclass

import numpy as np

from judging.analysis.analyze import Analysis
from judging.command.affinity_io import (
    AFFINITY_COLUMNS,
    affinity_csv_rows,
    affinity_document,
    affinity_lines,
)
from judging.reliability.agreement import MEANINGS

__all__ = [
    "CSV_COLUMNS",
    "CSV_TABLES",
    "display_width",
    "model_summary",
    "to_csv",
    "to_json",
    "to_table",
]

DECIMALS = 6


def _num(value: float | None, decimals: int = DECIMALS) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, decimals)
    return 0.0 if rounded == 0 else rounded


def _nums(values, decimals: int = DECIMALS) -> list[float | None]:
    """``_num`` of every item of an array, vectorized (NaN and infinities become None)."""
    array = np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0  # -0.0 -> 0.0
    out = array.tolist()
    if not np.isfinite(array).all():
        out = [v if math.isfinite(v) else None for v in out]
    return out


def model_summary(analysis: Analysis) -> dict[str, object]:
    """The model's scalar figures by name: method, direction, counts, and every number of the
    calibration (``sigma2`` the noise variance, ``dof`` its degrees of freedom, ``tau2`` the
    judge-bias variance, ``lambda`` the shrinkage sigma^2 / tau^2, ``components`` the number
    of connected judge groups, and any further scalar the model reports, such as ``model``,
    ``model_reason``, ``entry_var`` and the Hausman test as ``hausman_statistic``,
    ``hausman_df``, ``hausman_p_value``)."""
    out: dict[str, object] = {
        "method": analysis.method,
        "direction": "lower is better" if analysis.lower_is_better else "higher is better",
    }
    sheet = analysis.sheet
    if sheet is not None:
        out.update(entries=sheet.n_entries, judges=sheet.n_judges, scores=int(sheet.total.size))
    cal = analysis.calibration
    if cal is None:
        return out
    out["components"] = int(cal.component.max(initial=-1)) + 1
    for f in fields(cal):
        value = getattr(cal, f.name)
        if is_dataclass(value):  # e.g. the Hausman test: its scalars, prefixed
            for g in fields(value):
                inner = getattr(value, g.name)
                if isinstance(inner, (int, float, np.integer, np.floating)):
                    out[f"{f.name}_{g.name}"] = (
                        int(inner) if isinstance(inner, (int, np.integer)) else _num(inner)
                    )
        elif isinstance(value, (bool, str, np.bool_)):
            out[f.name] = value if isinstance(value, str) else bool(value)
        elif isinstance(value, (int, np.integer)):
            out[f.name] = int(value)
        elif isinstance(value, (float, np.floating)):
            out["lambda" if f.name == "shrinkage" else f.name] = _num(float(value))
    return out


def _entry_rows(analysis: Analysis) -> list[dict]:
    rows = analysis.entries
    score = _nums([r.score for r in rows])
    stderr = _nums([r.stderr for r in rows])
    raw = _nums([r.raw_mean for r in rows])
    p_top = _nums([math.nan if r.p_top is None else r.p_top for r in rows])
    z_next = _nums([math.nan if r.z_next is None else r.z_next for r in rows])
    return [
        {
            "entry": r.entry,
            "category": r.category,
            "rank": r.rank,
            "score": v,
            "stderr": s,
            "raw_mean": m,
            "judges": r.judges,
            "p_top": p,
            "tied_with": list(r.tied_with),
            "z_next": z,
            "tied_ranks": list(r.tied_ranks),
            "component": r.component,
        }
        for r, v, s, m, p, z in zip(rows, score, stderr, raw, p_top, z_next, strict=True)
    ]


class _Encoded(list):
    """A list of items already encoded as JSON text (written as they are by ``_dump``)."""


_string = json.encoder.encode_basestring  # the C encoder when available; keeps non-ASCII


_encode_list = json.JSONEncoder(ensure_ascii=False).encode


def _json_numbers(values) -> list[str]:
    """Each number of ``_nums(values)`` as JSON text: its ``repr`` (``null`` for None), by one
    call of the C encoder on the whole list."""
    numbers = _nums(values)
    return _encode_list(numbers)[1:-1].split(", ") if numbers else []


def _entry_json(analysis: Analysis) -> _Encoded:
    """The entries as JSON objects (the keys of ``_entry_rows``), encoded in one pass: the
    largest list of a report, so it skips building dictionaries."""
    rows = analysis.entries
    score = _json_numbers([r.score for r in rows])
    stderr = _json_numbers([r.stderr for r in rows])
    raw = _json_numbers([r.raw_mean for r in rows])
    p_top = _json_numbers([math.nan if r.p_top is None else r.p_top for r in rows])
    z_next = _json_numbers([math.nan if r.z_next is None else r.z_next for r in rows])
    return _Encoded(
        f'{{"entry": {_string(r.entry)}, "category": {_string(r.category)}, '
        f'"rank": {r.rank}, "score": {v}, "stderr": {se}, "raw_mean": {m}, '
        f'"judges": {r.judges}, "p_top": {p}, '
        f'"tied_with": [{", ".join(map(_string, r.tied_with))}], "z_next": {z}, '
        f'"tied_ranks": [{r.tied_ranks[0]}, {r.tied_ranks[1]}], "component": {r.component}}}'
        for r, v, se, m, p, z in zip(rows, score, stderr, raw, p_top, z_next, strict=True)
    )


def _judge_rows(analysis: Analysis) -> list[dict]:
    cal = analysis.calibration
    component = [None] * len(analysis.judges) if cal is None else cal.component.tolist()
    return [
        {
            "judge": j.judge,
            "bias": _num(j.bias),
            "stderr": _num(j.stderr),
            "gain": _num(j.gain),
            "scores": j.scores,
            "component": c,
        }
        for j, c in zip(analysis.judges, component, strict=True)
    ]


def _score_rows(analysis: Analysis) -> list[dict]:
    """One row per scored (entry, judge) pair: total, fitted, residual, std_residual."""
    cal, sheet = analysis.calibration, analysis.sheet
    if cal is None or sheet is None:
        return []
    total = sheet.total  # residuals of a lower-is-better analysis are already turned back
    fitted = total - cal.residual
    columns = zip(
        [sheet.entry_ids[i] for i in sheet.entry_idx.tolist()],
        [sheet.judge_ids[i] for i in sheet.judge_idx.tolist()],
        _nums(total),
        _nums(fitted),
        _nums(cal.residual),
        _nums(cal.std_residual),
        strict=True,
    )
    return [
        {"entry": e, "judge": j, "total": t, "fitted": f, "residual": r, "std_residual": z}
        for e, j, t, f, r, z in columns
    ]


def _pair_rows(analysis: Analysis) -> list[dict]:
    return [
        {
            "category": p.category,
            "upper": p.upper,
            "lower": p.lower,
            "difference": _num(p.difference),
            "stderr": _num(p.stderr),
            "z": _num(p.z),
        }
        for p in analysis.pairs
    ]


def _reliability_rows(analysis: Analysis) -> list[dict]:
    return [
        {
            "scope": g.scope,
            "name": g.name,
            "entries": g.entries,
            "judges": g.judges,
            "statistics": {k: _num(v) for k, v in g.statistics.items()},
            "intervals": {k: [_num(lo), _num(hi)] for k, (lo, hi) in g.intervals.items()},
            "undefined": dict(g.undefined),
        }
        for g in analysis.reliability_groups
    ]


def to_json(analysis: Analysis, detail: bool = False) -> str:
    """One JSON object: method, model, entries, judges, reliability (pooled), reliability
    groups, warnings; with ``detail`` also pairs and scores (module docstring)."""
    document = {
        "method": analysis.method,
        "model": model_summary(analysis),
        "entries": _entry_json(analysis),
        "judges": _judge_rows(analysis),
        "reliability": {name: _num(value) for name, value in analysis.reliability.items()},
        "reliability_groups": _reliability_rows(analysis),
    }
    if detail:
        document["pairs"] = _pair_rows(analysis)
        document["scores"] = _score_rows(analysis)
    if analysis.affinity is not None:
        document["affinity"] = affinity_document(analysis.affinity, analysis.affinity_corrected)
    document["warnings"] = list(analysis.warnings)
    return _dump(document)


def _dump(document: dict) -> str:
    """JSON with one list item per line: readable, and fast (each item by the C encoder)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per item
    parts = []
    for key, value in document.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n    ".join(value if isinstance(value, _Encoded) else map(encode, value))
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
    "z_next",
    "tied_ranks",
    "component",
)
"""The columns of the ``entries`` CSV table (``tied_ranks`` as "first;last")."""

CSV_TABLES = ("entries", "judges", "scores", "pairs", "reliability", "model", "affinity")
"""The tables :func:`to_csv` can write."""


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ";".join(map(str, value))
    return value


def to_csv(analysis: Analysis, table: str = "entries") -> str:
    """One of ``CSV_TABLES`` as CSV: ``entries`` (columns ``CSV_COLUMNS``, ``tied_with``
    joined by ``;``), ``judges``, ``scores``, ``pairs`` (the JSON lists' keys as columns),
    ``reliability`` (one row per statistic: scope, name, statistic, value, lower, upper,
    entries, judges, note), ``model`` (name, value) or ``affinity`` (``AFFINITY_COLUMNS``:
    the pooled row, then each judge tested; only the header without group files)."""
    if table not in CSV_TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(CSV_TABLES)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if table == "affinity":
        writer.writerow(AFFINITY_COLUMNS)
        if analysis.affinity is not None:
            writer.writerows(
                [_cell(c) for c in row] for row in affinity_csv_rows(analysis.affinity)
            )
        return out.getvalue()
    if table == "model":
        writer.writerow(("name", "value"))
        writer.writerows((k, _cell(v)) for k, v in model_summary(analysis).items())
        return out.getvalue()
    if table == "reliability":
        writer.writerow(
            ("scope", "name", "statistic", "value", "lower", "upper", "entries", "judges", "note")
        )
        for g in analysis.reliability_groups:
            for stat in MEANINGS:
                if stat in g.statistics:
                    lo, hi = g.intervals.get(stat, (None, None))
                    cells = [_num(g.statistics[stat]), _num(lo), _num(hi)]
                    note = ""
                elif stat in g.undefined:
                    cells, note = [None, None, None], g.undefined[stat]
                else:
                    continue
                writer.writerow(
                    [g.scope, g.name, stat, *map(_cell, cells), g.entries, g.judges, note]
                )
        return out.getvalue()
    rows = {
        "entries": _entry_rows,
        "judges": _judge_rows,
        "scores": _score_rows,
        "pairs": _pair_rows,
    }[table](analysis)
    header = CSV_COLUMNS if table == "entries" else tuple(rows[0]) if rows else ()
    writer.writerow(header)
    writer.writerows([_cell(row[c]) for c in header] for row in rows)
    return out.getvalue()


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(text: str) -> str:
    """``text`` with line breaks, tabs and other control characters escaped."""
    if text.isprintable():
        return text
    return "".join(
        _ESCAPES.get(ch, f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if not ch.isprintable() and ch != " "
        else ch
        for ch in text
    )


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for wide and full-width characters (East Asian
    width W or F: CJK, most emoji), 0 for combining marks and zero-width joiners, else 1."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0e\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _fmt(value: float | None, decimals: int = 2) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.{decimals}f}"


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rows = [[_shown(c) for c in r] for r in rows]
    widths = [
        max(display_width(h), *(display_width(r[i]) for r in rows)) if rows else len(h)
        for i, h in enumerate(header)
    ]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _reliability_lines(analysis: Analysis) -> list[str]:
    """The pooled statistics, each with one line saying what it means, then per group."""
    lines = ["Reliability (pooled over all entries)"]
    pooled = analysis.reliability_groups[0] if analysis.reliability_groups else None
    stats = pooled.statistics if pooled else analysis.reliability
    undefined = pooled.undefined if pooled else {}
    width = max(map(len, MEANINGS))
    for name, meaning in MEANINGS.items():
        if name in stats and math.isfinite(stats[name]):
            value = _fmt(stats[name], 3)
            if pooled and name in pooled.intervals:
                lo, hi = pooled.intervals[name]
                value += f" [95% CI {_fmt(lo, 3)}, {_fmt(hi, 3)}]"
        elif name in undefined and name.startswith("krippendorff_alpha"):
            value = f"undefined: {undefined[name]}"
        elif name in analysis.reliability:
            value = "undefined"
        else:
            continue
        lines.append(f"  {name.ljust(width)}  {value}  — {meaning}")
    groups = analysis.reliability_groups[1:]
    if groups:
        lines += ["", "Reliability per category and criterion", ""]
        header = ["scope", "name", "entries", "judges", "alpha", "ordinal", "nominal", "icc2k"]
        keys = (
            "krippendorff_alpha",
            "krippendorff_alpha_ordinal",
            "krippendorff_alpha_nominal",
            "icc2k",
        )
        body = [
            [g.scope, g.name, str(g.entries), str(g.judges)]
            + [_fmt(g.statistics.get(k), 3) for k in keys]
            for g in groups
        ]
        lines += _table(header, body, {2, 3, 4, 5, 6, 7})
        lines.append("  (- = undefined; --format json or --csv reliability gives the reasons)")
    return lines


def to_table(analysis: Analysis) -> str:
    """A ranked table per category, a judge table, reliability and warnings, as plain text."""
    lines: list[str] = []
    k = analysis.top
    categories: dict[str, list] = {}
    for r in analysis.entries:
        categories.setdefault(r.category, []).append(r)
    header = ["rank", "entry", "score", "stderr", "raw mean", "judges", f"P(top {k})", "tied with"]
    direction = ", lowest score first" if analysis.lower_is_better else ""
    for name, rows in categories.items():
        title = f"Category {_shown(name)}" if name else "All entries"
        lines += [f"{title} — method {analysis.method}{direction}", ""]
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
    lines += _reliability_lines(analysis)
    if analysis.affinity is not None:
        lines += ["", *affinity_lines(analysis.affinity, analysis.affinity_corrected)]
    if analysis.warnings:
        lines += ["", "Warnings"]
        lines += [f"  - {_shown(w)}" for w in analysis.warnings]
    return "\n".join(lines) + "\n"
