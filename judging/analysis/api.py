"""The Python entry point for the web app: score rows in, the whole :class:`Analysis` out.

The app (scoring and results) calls :func:`analyze_rows` with the rows it has stored and
shows what comes back, so no statistic is computed twice or differently: the command line
and the app run the same :func:`judging.analysis.analyze.analyze` on the same sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from judging.analysis.analyze import Analysis, analyze
from judging.sheets.csvio import InputError
from judging.sheets.sheet import CONFIDENCE_WORDS, Rubric, build_sheet

__all__ = ["ROW_FIELDS", "analyze_rows"]

ROW_FIELDS = ("entry", "judge", "criterion", "score", "confidence", "category")
"""The keys of one row: ``entry``, ``judge`` and ``score`` are required; ``criterion`` (needed
with a rubric), ``confidence`` (a weight > 0 or a word of ``CONFIDENCE_WORDS``; None or absent
means 1) and ``category`` (None or absent means none) are optional."""


def _confidence(value: Any, row: int) -> float:
    """A row's confidence weight: None or "" is 1, a word low/medium/high, else a number."""
    if value is None or value == "":
        return 1.0
    if isinstance(value, str) and value.strip().lower() in CONFIDENCE_WORDS:
        return CONFIDENCE_WORDS[value.strip().lower()]
    try:
        return float(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not a confidence (a number > 0, or low, medium, high)",
            file="<rows>",
            line=row,
            column="confidence",
        ) from None


def analyze_rows(
    rows: Iterable[Mapping[str, Any]],
    rubric: Rubric | None = None,
    method: str = "calibrated",
    *,
    shrinkage: str | float = "auto",
    bias_scale: bool = False,
    top: int = 3,
    draws: int = 1000,
    seed: int | None = 0,
    lower_is_better: bool = False,
) -> Analysis:
    """Analyze score rows (mappings with the keys of ``ROW_FIELDS``) against ``rubric``.

    Builds the sheet (:func:`judging.sheets.sheet.build_sheet`, rows kept for per-criterion
    reliability; rubric totals are ``sum_c w_c * 100 * (score - min_c) / (max_c - min_c) /
    sum_c w_c``, a lower-is-better criterion mapped the other way) and returns
    :func:`judging.analysis.analyze.analyze`'s result with the given method and options; the result
    carries the sheet, the calibration, reliability per group, adjacent pairs and warnings.
    Render it with :mod:`judging.command.report` or read its fields.

    Raises :class:`judging.sheets.csvio.InputError` for bad rows (row i is reported as "line i + 1",
    counting from 1) and ValueError for an unknown method or option.
    """
    entries: list[str] = []
    judges: list[str] = []
    scores: list[float] = []
    criteria: list[str] = []
    confidences: list[float] = []
    categories: list[str] = []
    for row in rows:
        entries.append(str(row["entry"]))
        judges.append(str(row["judge"]))
        scores.append(float(row["score"]))
        criterion = row.get("criterion")
        criteria.append("" if criterion is None else str(criterion))
        confidences.append(_confidence(row.get("confidence"), len(entries)))
        category = row.get("category")
        categories.append("" if category is None else str(category))
    has_criteria = any(criteria)
    sheet = build_sheet(
        entries,
        judges,
        scores,
        criteria=criteria if has_criteria or rubric is not None else None,
        confidences=confidences,
        categories=categories if any(categories) else None,
        rubric=rubric,
        lines=range(1, len(entries) + 1),
        file="<rows>",
        lower_is_better=lower_is_better,
        keep_rows=True,
    )
    return analyze(
        sheet,
        method=method,
        shrinkage=shrinkage,
        bias_scale=bias_scale,
        top=top,
        draws=draws,
        seed=seed,
    )
