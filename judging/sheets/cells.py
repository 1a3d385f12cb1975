"""Columns of cells as numbers: scores and confidences, parsed in bulk with exact errors.

A column is a list of strings, or :class:`judging.sheets.bulkcsv.Codes` (distinct strings and a code
per row), whose distinct strings alone are parsed. Numbers follow
:func:`judging.sheets.csvio.parse_number`; a confidence is a number > 0 or one of the words in
``CONFIDENCE_WORDS``. Any bad cell is an :class:`InputError` naming its file, line and column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from judging.sheets.bulkcsv import Codes
from judging.sheets.csvio import MAX_ABS, CsvRow, InputError, parse_float, parse_number

__all__ = ["CONFIDENCE_WORDS", "confidences", "distinct", "numbers", "per_distinct"]

CONFIDENCE_WORDS: dict[str, float] = {"low": 1 / 1.75**2, "medium": 1.0, "high": 1.75**2}
"""Confidence words and the weights they stand for (a factor 1.75 in standard deviation)."""


def numbers(
    texts: Sequence[str], lines: Sequence[int], file: str, column: str, decimal: str | None = None
) -> NDArray:
    """Parse a column of numbers in bulk; on any failure find and report the first bad cell."""
    if decimal != ",":
        try:
            out = np.fromiter(map(float, texts), np.float64, len(texts))
            if np.abs(out).max(initial=0.0) < MAX_ABS:
                return out
        except ValueError:
            pass
    values = np.empty(len(texts))
    for i, text in enumerate(texts):
        values[i] = parse_float(
            CsvRow(lines[i], {column: text}), column, file=file, decimal=decimal
        )
    return values


def confidences(
    texts: Sequence[str], lines: Sequence[int], file: str, decimal: str | None = None
) -> NDArray[np.float64]:
    """Confidence weights: a number > 0, a word low/medium/high, or empty (= 1)."""
    try:
        out = np.array(texts, dtype=np.float64)
        if (out > 0).all() and np.isfinite(out).all():
            return out
    except ValueError:
        pass
    words = {**CONFIDENCE_WORDS, "": 1.0}
    out = np.empty(len(texts))
    for i, text in enumerate(texts):
        word = text.lower()
        if word in words:
            out[i] = words[word]
            continue
        try:
            value = parse_number(text, decimal)
        except ValueError:
            value = float("nan")
        if not (value > 0 and value < float("inf")):
            raise InputError(
                f"{text!r} is not a confidence (a number > 0, or low, medium, high)",
                file=file,
                line=lines[i],
                column="confidence",
            )
        out[i] = value
    return out


def distinct(column: Sequence[str]) -> Sequence[str]:
    """The column's distinct values (all its cells for a plain list)."""
    return column.names if isinstance(column, Codes) else column


def per_distinct(parse, column: Sequence[str], lines: Sequence[int], *args) -> NDArray:
    """``parse(texts, lines, *args)`` of a column; for :class:`Codes` only its distinct strings
    are parsed (each with the line of its first row, which is also the first bad row when one
    fails, as codes number values in order of first appearance)."""
    if not isinstance(column, Codes):
        return parse(column, lines, *args)
    first = np.searchsorted(np.maximum.accumulate(column.codes), np.arange(len(column.names)))
    return parse(column.names, [lines[r] for r in first.tolist()], *args)[column.codes]
