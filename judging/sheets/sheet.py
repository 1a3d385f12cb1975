"""Score sheets in long form and rubric totals.

A score sheet is a list of rows ``(entry, judge, criterion?, value, confidence?, category?)``.
The engine works on one number per (entry, judge) pair, the *rubric total*:

    total_ej = sum_c weight_c * 100 * (value_ejc - min_c) / (max_c - min_c) / sum_c weight_c

where the sums run over the criteria that judge j scored for entry e. Without a rubric the values
are used as they are (several criteria of one pair are then averaged with equal weights).

Direction: a criterion whose lower values are better (a placement, a grant panel's 1 = best)
is mapped the other way round, ``100 * (max_c - value) / (max_c - min_c)``, so a rubric total is
always "higher is better". Without a rubric, ``lower_is_better=True`` is kept on the sheet and
:func:`judging.analysis.analyze.analyze` ranks the lowest total first.

The confidence of a pair is the mean confidence of its rows; a confidence is a number > 0 or one
of the words low / medium / high, which mean 1/1.75**2, 1 and 1.75**2 (an empty cell means 1).
In the calibration the confidence is the weight of the pair (an inverse noise variance).

The result, :class:`ScoreSheet`, holds integer-index arrays (``entry_idx``, ``judge_idx``) and the
per-pair ``total`` and ``weight`` arrays, plus the id lists that the indices refer to.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from judging.sheets.bulkcsv import Codes, read_plain
from judging.sheets.cells import CONFIDENCE_WORDS, confidences, distinct, numbers, per_distinct
from judging.sheets.csvio import (
    MAX_ABS,
    InputError,
    parse_float,
    read_columns,
    read_csv,
)

__all__ = [
    "CONFIDENCE_WORDS",
    "Criterion",
    "Rubric",
    "ScoreRows",
    "ScoreSheet",
    "build_sheet",
    "read_rubric",
    "read_scores",
]

DIRECTION_WORDS: dict[str, bool] = {
    "higher": False,
    "high": False,
    "higher is better": False,
    "lower": True,
    "low": True,
    "lower is better": True,
}
"""Words of the rubric's ``direction`` column and whether each means lower is better."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric criterion: its name, its weight (> 0), its scale ``[low, high]`` and whether
    lower values are better (a placement, a rating where 1 is best)."""

    name: str
    weight: float
    low: float
    high: float
    lower_is_better: bool = False


@dataclass(frozen=True, slots=True)
class Rubric:
    """The criteria of a rubric, in file order; criterion names are unique."""

    criteria: tuple[Criterion, ...]

    def index(self) -> dict[str, int]:
        """Map each criterion name to its position."""
        return {c.name: i for i, c in enumerate(self.criteria)}


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """One rubric total per (entry, judge) pair, as parallel arrays.

    ``entry_idx[i]`` and ``judge_idx[i]`` index ``entry_ids`` and ``judge_ids``; ``total[i]`` is
    the pair's rubric total and ``weight[i]`` its confidence weight; ``category[e]`` is the
    category of entry ``e`` ("" when the sheet has none). Ids are ordered as first seen.
    ``lower_is_better`` says the totals rank lowest first (only without a rubric: a rubric
    maps every criterion to "higher is better"). ``rows``, when kept, holds the score rows
    themselves for per-criterion statistics.
    """

    entry_ids: tuple[str, ...]
    judge_ids: tuple[str, ...]
    category: tuple[str, ...]
    entry_idx: NDArray[np.intp]
    judge_idx: NDArray[np.intp]
    total: NDArray[np.float64]
    weight: NDArray[np.float64]
    lower_is_better: bool = False
    rows: ScoreRows | None = None

    @property
    def n_entries(self) -> int:
        """Number of distinct entries."""
        return len(self.entry_ids)

    @property
    def n_judges(self) -> int:
        """Number of distinct judges."""
        return len(self.judge_ids)


@dataclass(frozen=True, slots=True)
class ScoreRows:
    """The score rows behind a sheet, one item per row: entry and judge (indices into the
    sheet's ids), criterion (index into ``criteria``) and the value (on the rubric's 0-100
    "higher is better" scale when there is a rubric, else as given)."""

    entry_idx: NDArray[np.intp]
    judge_idx: NDArray[np.intp]
    criterion_idx: NDArray[np.intp]
    value: NDArray[np.float64]
    criteria: tuple[str, ...]


def read_rubric(
    path: str | os.PathLike[str], *, lower_is_better: bool = False, decimal: str | None = None
) -> Rubric:
    """Read RUBRIC.csv (``criterion, weight, min, max`` [, ``direction``]); :class:`InputError`
    on bad cells. ``direction`` is ``higher`` or ``lower`` (is better); an empty cell or no
    such column means ``lower_is_better``'s default."""
    _, rows = read_csv(path, ["criterion", "weight", "min", "max"], ["direction"])
    name = str(path)
    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    for row in rows:
        criterion = row.get("criterion")
        if not criterion:
            raise InputError(
                "a criterion name is required", file=name, line=row.line, column="criterion"
            )
        if criterion in seen:
            raise InputError(
                f"criterion {criterion!r} is listed twice (first on line {seen[criterion]})",
                file=name,
                line=row.line,
                column="criterion",
            )
        seen[criterion] = row.line
        weight = parse_float(row, "weight", file=name, decimal=decimal)
        if weight <= 0:
            raise InputError(
                f"{row.get('weight')} is not a positive weight",
                file=name,
                line=row.line,
                column="weight",
            )
        low = parse_float(row, "min", file=name, decimal=decimal)
        high = parse_float(row, "max", file=name, decimal=decimal)
        if high <= low:
            raise InputError(
                f"max {high:g} must be greater than min {low:g}",
                file=name,
                line=row.line,
                column="max",
            )
        direction = row.get("direction").lower()
        if direction and direction not in DIRECTION_WORDS:
            raise InputError(
                f"{row.get('direction')!r} is not a direction (higher or lower)",
                file=name,
                line=row.line,
                column="direction",
            )
        lower = DIRECTION_WORDS[direction] if direction else lower_is_better
        criteria.append(Criterion(criterion, weight, low, high, lower))
    if not criteria:
        raise InputError("the rubric lists no criteria", file=name, line=2)
    return Rubric(tuple(criteria))


def _factorize(values: Sequence[str]) -> tuple[NDArray[np.intp], list[str]]:
    """Integer codes in order of first appearance, and the distinct values."""
    if isinstance(values, Codes):
        return values.codes, list(values.names)
    index = {value: i for i, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(index.__getitem__, values), np.intp, len(values))
    return codes, list(index)


def build_sheet(
    entries: Sequence[str],
    judges: Sequence[str],
    values: Sequence[float] | NDArray[np.float64],
    *,
    criteria: Sequence[str] | None = None,
    confidences: Sequence[float] | NDArray[np.float64] | None = None,
    categories: Sequence[str] | None = None,
    rubric: Rubric | None = None,
    lines: Sequence[int] | None = None,
    file: str = "<scores>",
    lower_is_better: bool = False,
    keep_rows: bool = False,
) -> ScoreSheet:
    """Build a :class:`ScoreSheet` from long-form rows (parallel sequences, one item per row).

    Raises :class:`InputError` (naming ``file``, the row's line and the column) for a duplicate
    (entry, judge, criterion), a criterion missing from the rubric, a value outside its
    criterion's [min, max], a non-positive confidence or an entry given two categories (an
    empty category cell means "not given here").
    ``lines`` are the rows' line numbers for messages (default: row i is on line i + 2).
    ``lower_is_better`` (without a rubric) ranks the lowest totals first; with a rubric each
    criterion's own direction applies. ``keep_rows`` keeps the rows on the sheet (``rows``) for
    per-criterion reliability. Sequences of different lengths are a ValueError.
    """
    n = len(entries)
    sizes = {len(x) for x in (judges, values, criteria, confidences, categories) if x is not None}
    if sizes - {n}:
        raise ValueError(f"row sequences differ in length: {sorted(sizes | {n})}")
    if lines is None:
        lines = range(2, n + 2)
    if n == 0:
        raise InputError("the score sheet has no data rows", file=file, line=2)
    value = np.asarray(values, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(value))
    if bad.size:
        raise InputError(
            f"{value[bad[0]]} is not a finite number", file=file, line=lines[bad[0]], column="score"
        )
    bad = np.flatnonzero(np.abs(value) >= MAX_ABS)
    if bad.size:
        raise InputError(
            f"{value[bad[0]]:g} is too large (numbers must be below {MAX_ABS:.0e} in size)",
            file=file,
            line=lines[bad[0]],
            column="score",
        )
    conf = np.ones(n) if confidences is None else np.asarray(confidences, dtype=np.float64)
    bad = np.flatnonzero(~(conf > 0) | ~np.isfinite(conf))
    if bad.size:
        raise InputError(
            f"{conf[bad[0]]} is not a positive confidence",
            file=file,
            line=lines[bad[0]],
            column="confidence",
        )
    e_code, entry_ids = _factorize(entries)
    j_code, judge_ids = _factorize(judges)
    for column, codes, ids in (("entry", e_code, entry_ids), ("judge", j_code, judge_ids)):
        if "" in ids:
            empty = int(np.flatnonzero(codes == ids.index(""))[0])
            raise InputError(
                f"an {column} id is required" if column == "entry" else "a judge id is required",
                file=file,
                line=lines[empty],
                column=column,
            )
    crit_weight = np.ones(n)
    if criteria is None:
        c_code = np.zeros(n, dtype=np.intp)
    elif rubric is None:
        c_code, _ = _factorize(criteria)
    else:
        known = rubric.index()
        local, names = _factorize(criteria)
        unknown = [i for i, name in enumerate(names) if name not in known]
        if unknown:
            i = int(np.flatnonzero(local == unknown[0])[0])
            raise InputError(
                f"criterion {criteria[i]!r} is not in the rubric "
                f"(known: {', '.join(repr(k) for k in known)})",
                file=file,
                line=lines[i],
                column="criterion",
            )
        c_code = np.array([known[name] for name in names], dtype=np.intp)[local]
        low = np.array([c.low for c in rubric.criteria])[c_code]
        high = np.array([c.high for c in rubric.criteria])[c_code]
        bad = np.flatnonzero((value < low) | (value > high))
        if bad.size:
            i = bad[0]
            raise InputError(
                f"{value[i]:g} is outside the range {low[i]:g}..{high[i]:g} of criterion "
                f"{criteria[i]!r}",
                file=file,
                line=lines[i],
                column="score",
            )
        value = 100.0 * (value - low) / (high - low)
        lower = np.array([c.lower_is_better for c in rubric.criteria])
        if lower.any():
            value = np.where(lower[c_code], 100.0 - value, value)
        crit_weight = np.array([c.weight for c in rubric.criteria])[c_code]
    if rubric is not None and criteria is None:
        raise InputError(
            "a rubric was given but the scores have no 'criterion' column", file=file, line=1
        )
    n_crit = int(c_code.max()) + 1
    pair_key = e_code.astype(np.int64) * len(judge_ids) + j_code
    row_key = pair_key * n_crit + c_code
    order = np.argsort(row_key, kind="stable")
    dup = np.flatnonzero(row_key[order[1:]] == row_key[order[:-1]])
    if dup.size:
        second = order[dup + 1]
        i = int(second[np.argmin(second)])
        first = int(order[dup[np.argmin(second)]])
        what = "" if criteria is None else f", criterion {criteria[i]!r}"
        raise InputError(
            f"duplicate score for entry {entries[i]!r}, judge {judges[i]!r}{what} "
            f"(first given on line {lines[first]})",
            file=file,
            line=lines[i],
            column="judge" if criteria is None else "criterion",
        )
    sorted_pair = pair_key[order]  # row_key's order sorts the pair keys too: no second sort
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(sorted_pair[1:], sorted_pair[:-1], out=starts[1:])
    keys = sorted_pair[starts]
    pair = np.empty(n, dtype=np.intp)
    pair[order] = np.cumsum(starts) - 1
    wsum = np.bincount(pair, crit_weight)
    total = np.bincount(pair, crit_weight * value) / wsum
    weight = np.bincount(pair, conf) / np.bincount(pair)
    rows = None
    if keep_rows:
        if rubric is not None:
            crit_names = tuple(c.name for c in rubric.criteria)
        elif criteria is not None:
            crit_names = tuple(dict.fromkeys(distinct(criteria)))
        else:
            crit_names = ("",)
        rows = ScoreRows(e_code, j_code, c_code, value, crit_names)
    entry_category = [""] * len(entry_ids)
    if categories is not None:
        cat_code, cat_names = _factorize(categories)
        given = np.array([name != "" for name in cat_names])[cat_code]  # empty = not given
        first_row = np.full(len(entry_ids), n)
        np.minimum.at(first_row, e_code[given], np.flatnonzero(given))
        has = first_row < n
        expected = np.where(has, cat_code[np.minimum(first_row, n - 1)], -1)[e_code]
        clash = np.flatnonzero(given & (cat_code != expected))
        if clash.size:
            i, first = int(clash[0]), int(first_row[e_code[clash[0]]])
            raise InputError(
                f"entry {entries[i]!r} has category {categories[i]!r} here but "
                f"{categories[first]!r} on line {lines[first]}",
                file=file,
                line=lines[i],
                column="category",
            )
        entry_category = [cat_names[cat_code[r]] if r < n else "" for r in first_row.tolist()]
    return ScoreSheet(
        entry_ids=tuple(entry_ids),
        judge_ids=tuple(judge_ids),
        category=tuple(entry_category),
        entry_idx=(keys // len(judge_ids)).astype(np.intp),
        judge_idx=(keys % len(judge_ids)).astype(np.intp),
        total=total,
        weight=weight,
        lower_is_better=lower_is_better and rubric is None,
        rows=rows,
    )


def read_scores(
    path: str | os.PathLike[str],
    rubric: Rubric | None = None,
    *,
    decimal: str | None = None,
    lower_is_better: bool = False,
    keep_rows: bool = False,
) -> ScoreSheet:
    """Read SCORES.csv (``entry, judge, score`` [, ``criterion, category, confidence``]).

    The delimiter is sniffed (comma, semicolon or tab) and ``decimal`` is the decimal mark
    (:func:`judging.sheets.csvio.parse_number`); ``lower_is_better`` and ``keep_rows`` as in
    :func:`build_sheet`. Every problem is an :class:`InputError` naming the file, line and
    column.
    """
    required, optional = ["entry", "judge", "score"], ["criterion", "category", "confidence"]
    plain = read_plain(path, required, optional)
    if plain is not None:
        cells: dict = {c: plain.codes(c) for c in (*required, *optional) if c in plain}
        lines: Sequence[int] = plain.lines
        name = plain.file
    else:
        table = read_columns(path, required, optional)
        cells, lines, name = table.cells, table.lines, table.file
    if not lines:
        raise InputError("the file has a header but no data rows", file=name, line=2)
    if rubric is not None and "criterion" not in cells:
        raise InputError(
            "a rubric was given but the file has no 'criterion' column", file=name, line=1
        )
    values = per_distinct(numbers, cells["score"], lines, name, "score", decimal)
    conf = (
        per_distinct(confidences, cells["confidence"], lines, name, decimal)
        if "confidence" in cells
        else None
    )
    if "criterion" in cells and rubric is None and not any(distinct(cells["criterion"])):
        criteria = None
    else:
        criteria = cells.get("criterion")
    if criteria is not None:
        empty = criteria.index("") if "" in criteria else None
        if empty is not None:
            raise InputError(
                "a criterion name is required", file=name, line=lines[empty], column="criterion"
            )
    return build_sheet(
        cells["entry"],
        cells["judge"],
        values,
        criteria=criteria,
        confidences=conf,
        categories=cells.get("category"),
        rubric=rubric,
        lines=lines,
        file=name,
        lower_is_better=lower_is_better,
        keep_rows=keep_rows,
    )
