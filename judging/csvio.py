"""CSV input and output for the judging command line.

Every problem with an input file is reported as an :class:`InputError` that names the file,
the line (1-based, the header is line 1) and, where it applies, the column, so that the CLI can
print one clear message and exit with status 2. Output files are written atomically: a failed
run leaves no partial file behind.

:func:`read_columns` has a fast path for plain files, which are most large score sheets: no
quote character, no NUL, and after dropping blank rows every row has exactly as many cells as
the header (files are read with universal newlines, so CRLF and CR line ends arrive as LF).
Such a file is split with ``str.split`` in bulk, which gives the same cells and line numbers
as the ``csv`` module. Anything else (quoted cells, short or long rows) goes through the
``csv`` module, which also produces the error messages.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "Columns",
    "CsvRow",
    "InputError",
    "parse_float",
    "read_columns",
    "read_csv",
    "write_atomic",
]


class InputError(ValueError):
    """Bad input: carries the file, line and column so the message can point at the cell."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = message
        where = []
        if file is not None:
            where.append(str(file))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row of a CSV file: its 1-based line number and its cells by column name."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str, default: str = "") -> str:
        """Return the stripped cell, or ``default`` when the column is absent or the cell empty."""
        value = self.cells.get(column)
        return value if value else default


def _read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The file's name and its text (UTF-8, a byte-order mark dropped)."""
    name = str(path)
    try:
        return name, Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=name) from None


def _open(
    path: str | os.PathLike[str], required: Sequence[str], text: str | None = None
) -> tuple[str, list[str], Iterator[list[str]], Callable[[], int]]:
    """Read ``path`` (or use ``text``) and check its header; return name, columns, record
    reader, line getter."""
    if text is None:
        name, text = _read_text(path)
    else:
        name = str(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (a header row is required)", file=name) from None
    return name, _columns(name, header, required), reader, lambda: reader.line_num


def _columns(name: str, header: list[str], required: Sequence[str]) -> list[str]:
    """The header's column names (stripped, lower-cased), checked: not empty, every required
    column present, none twice."""
    columns = [c.strip().lower() for c in header]
    if not any(columns):
        raise InputError("the header row is empty", file=name, line=1)
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"missing required column(s) {', '.join(repr(m) for m in missing)}; "
            f"found {', '.join(repr(c) for c in columns if c)}",
            file=name,
            line=1,
        )
    seen = set()
    for column in columns:
        if column and column in seen:
            raise InputError(f"column {column!r} appears twice in the header", file=name, line=1)
        seen.add(column)
    return columns


def read_csv(
    path: str | os.PathLike[str], required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[list[str], Iterator[CsvRow]]:
    """Open ``path`` and check its header.

    Returns the header's column names (lower-cased, stripped) and an iterator of :class:`CsvRow`
    whose cells are stripped. Raises :class:`InputError` for a missing file, an empty file, or a
    missing required column. Unknown extra columns are allowed and ignored by callers.
    """
    name, columns, reader, line_num = _open(path, required)
    known = set(required) | set(optional)

    def rows() -> Iterator[CsvRow]:
        for record in reader:
            line = line_num()
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(columns):
                raise InputError(
                    f"{len(record)} cells but the header has {len(columns)} columns",
                    file=name,
                    line=line,
                )
            cells = {
                columns[i]: record[i].strip()
                for i in range(len(record))
                if columns[i] and (columns[i] in known or not known)
            }
            yield CsvRow(line, cells)

    return columns, rows()


@dataclass(frozen=True, slots=True)
class Columns:
    """A whole CSV file read column-wise: ``cells[column][i]`` is the stripped cell of data row i.

    ``lines[i]`` is that row's 1-based line number in the file (the header is line 1). Columns
    named in neither ``required`` nor ``optional`` are not kept; absent optional columns are not
    in ``cells``.
    """

    file: str
    cells: dict[str, list[str]]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)


def read_columns(
    path: str | os.PathLike[str], required: Sequence[str], optional: Sequence[str] = ()
) -> Columns:
    """Read ``path`` column-wise (for large score sheets); same checks as ``read_csv``.

    Rows whose cells are all empty are skipped; a row with more cells than the header raises
    :class:`InputError`; a row with fewer cells gets empty strings for the missing ones.
    Plain files take the bulk fast path (module docstring); the result is the same.
    """
    name, text = _read_text(path)
    wanted = set(required) | set(optional)
    plain = _split_plain(text)
    if plain is not None:
        header, cells, lines, spaced = plain
        columns = _columns(name, header, required)
        kept = {
            c: [cell.strip() for cell in cells[i]] if spaced else cells[i]
            for i, c in enumerate(columns)
            if c in wanted
        }
        return Columns(file=name, cells=kept, lines=lines)
    return _read_columns_csv(name, text, required, wanted)


_BLANK_START = np.array([b in b",\t\x0b\x0c\x1c\x1d\x1e\x1f " or b >= 0x80 for b in range(256)])
"""Bytes a blank row (only commas and whitespace) can start with."""


def _split_plain(text: str) -> tuple[list[str], list[list[str]], list[int], bool] | None:
    """Header cells, cells per column, line numbers and whether cells may need stripping, for a
    plain file (see the module docstring); None when the file is not plain.

    Row structure is checked on the UTF-8 bytes with numpy (a comma or line feed byte is never
    part of a multi-byte character): per row its length and number of commas. A row is blank
    when it holds only commas and whitespace; only rows that start with such a byte are looked
    at in Python.
    """
    if '"' in text or "\0" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return None
    raw = np.frombuffer(text.encode("utf-8"), np.uint8)
    breaks = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.append(breaks, raw.size)
    commas = np.flatnonzero(raw == 44)
    per_row = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    first = raw[np.minimum(starts, raw.size - 1)]
    maybe_blank = np.flatnonzero((ends == starts) | _BLANK_START[first])
    header_end = int(ends[0])
    header = text[:header_end].split(",")
    width = len(header)
    body_text = text[header_end + 1 :] if breaks.size else ""
    maybe_blank = maybe_blank[maybe_blank > 0]
    rows = text.split("\n") if maybe_blank.size else None
    blank = [int(r) for r in maybe_blank if not rows[r].replace(",", "").strip()]
    lines = np.arange(1, per_row.size + 1)
    keep = np.ones(per_row.size, dtype=bool)
    keep[0] = False
    keep[blank] = False
    if np.any(per_row[keep] != width - 1):
        return None
    if blank:
        body_text = "\n".join(rows[r] for r in np.flatnonzero(keep).tolist())
    n_rows = int(keep.sum())
    flat = body_text.replace("\n", ",").split(",") if n_rows else []
    cells = [flat[i::width] for i in range(width)]
    spaced = not text.isascii() or any(c in text for c in " \t\x0b\x0c\x1c\x1d\x1e\x1f")
    return header, cells, lines[keep].tolist(), spaced


def _read_columns_csv(name: str, text: str, required: Sequence[str], wanted: set[str]) -> Columns:
    """``read_columns`` through the ``csv`` module."""
    _, columns, reader, line_num = _open(name, required, text)
    records = list(reader)
    if line_num() == len(records) + 1:  # one physical line per record: line = index + 2
        lines = list(range(2, len(records) + 2))
    else:  # quoted cells span lines: read again, noting each record's last line
        _, _, reader, line_num = _open(name, required, text)
        records, lines = [], []
        for record in reader:
            records.append(record)
            lines.append(line_num())
    keep = [i for i, record in enumerate(records) if "".join(record).strip()]
    if len(keep) != len(records):
        records = [records[i] for i in keep]
        lines = [lines[i] for i in keep]
    width = len(columns)
    ragged = [i for i, record in enumerate(records) if len(record) != width]
    for i in ragged:
        record = records[i]
        if len(record) > width:
            raise InputError(
                f"{len(record)} cells but the header has {width} columns", file=name, line=lines[i]
            )
        records[i] = record + [""] * (width - len(record))
    cells = {
        column: [record[i].strip() for record in records]
        for i, column in enumerate(columns)
        if column in wanted
    }
    return Columns(file=name, cells=cells, lines=lines)


def parse_float(
    row: CsvRow, column: str, *, file: str, low: float | None = None, high: float | None = None
) -> float:
    """Parse a finite number from ``row[column]``, optionally bounded; else :class:`InputError`."""
    text = row.get(column)
    if text == "":
        raise InputError("a number is required", file=file, line=row.line, column=column)
    try:
        value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
    except ValueError:
        raise InputError(
            f"{text!r} is not a number", file=file, line=row.line, column=column
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(
            f"{text!r} is not a finite number", file=file, line=row.line, column=column
        )
    if low is not None and value < low:
        raise InputError(
            f"{text} is below the minimum {low:g}", file=file, line=row.line, column=column
        )
    if high is not None and value > high:
        raise InputError(
            f"{text} is above the maximum {high:g}", file=file, line=row.line, column=column
        )
    return value


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
