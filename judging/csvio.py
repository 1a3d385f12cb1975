"""CSV input and output for the judging command line.

Every problem with an input file is reported as an :class:`InputError` that names the file,
the line (1-based, the header is line 1) and, where it applies, the column, so that the CLI can
print one clear message and exit with status 2. Output files are written atomically: a failed
run leaves no partial file behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

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


def _open(
    path: str | os.PathLike[str], required: Sequence[str]
) -> tuple[str, list[str], Iterator[list[str]], Callable[[], int]]:
    """Read ``path`` and check its header; return name, columns, record reader, line getter."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=name) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (a header row is required)", file=name) from None
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
    return name, columns, reader, lambda: reader.line_num


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
    """Read ``path`` column-wise (fast path for large score sheets); same checks as ``read_csv``.

    Rows whose cells are all empty are skipped; a row with more cells than the header raises
    :class:`InputError`; a row with fewer cells gets empty strings for the missing ones.
    """
    name, columns, reader, line_num = _open(path, required)
    records = list(reader)
    if line_num() == len(records) + 1:  # one physical line per record: line = index + 2
        lines = list(range(2, len(records) + 2))
    else:  # quoted cells span lines: read again, noting each record's last line
        _, _, reader, line_num = _open(path, required)
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
    wanted = set(required) | set(optional)
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
