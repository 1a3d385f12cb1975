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

Delimiter: comma, semicolon or tab, sniffed from the header row (:func:`sniff_delimiter`): the
one of the three that occurs most often there outside quotes (a comma when none does). Excel
writes semicolons where the decimal separator is a comma (an Indonesian locale, for example).

Numbers (:func:`parse_number`): a decimal point or a decimal comma. ``decimal=None`` (the
default) accepts "7.5" and "7,5" and also a thousands separator that cannot be read otherwise
("1,250.5", "1.250,5", "1,250,000"), but refuses "1,250" and "1.250,", whose comma could be
either: the message names the line and column and asks for ``--decimal``. ``decimal="."``
reads commas as thousands separators, ``decimal=","`` reads a comma as the decimal mark and
points as thousands separators.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DELIMITERS",
    "MAX_ABS",
    "Columns",
    "CsvRow",
    "InputError",
    "check_output_path",
    "parse_float",
    "parse_number",
    "read_columns",
    "read_csv",
    "sniff_delimiter",
    "write_atomic",
]

DELIMITERS = (",", ";", "\t")
"""The cell delimiters a file may use; :func:`sniff_delimiter` picks one per file."""

MAX_ABS = 1e15
"""Numbers at or above this in size are refused: they are no score, and their squares would
lose all precision (and overflow from about 1e154)."""


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
    except IsADirectoryError:
        raise InputError("is a folder, not a CSV file", file=name) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", file=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=name) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: whichever of comma, semicolon and tab occurs most often in
    its first line outside double quotes (comma on a tie or when none occurs)."""
    first = text.split("\n", 1)[0]
    if '"' in first:
        first = "".join(first.split('"')[::2])  # drop quoted parts
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


def _open(
    path: str | os.PathLike[str], required: Sequence[str], text: str | None = None
) -> tuple[str, list[str], Iterator[list[str]], Callable[[], int]]:
    """Read ``path`` (or use ``text``) and check its header; return name, columns, record
    reader, line getter."""
    if text is None:
        name, text = _read_text(path)
    else:
        name = str(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
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
    plain = _split_plain(text, sniff_delimiter(text))
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


def _blank_start(delimiter: str) -> NDArray[np.bool_]:
    """Bytes a blank row (only delimiters and whitespace) can start with."""
    starts = b"\t\x0b\x0c\x1c\x1d\x1e\x1f " + delimiter.encode()
    return np.array([b in starts or b >= 0x80 for b in range(256)])


def _split_plain(
    text: str, delimiter: str = ","
) -> tuple[list[str], list[list[str]], list[int], bool] | None:
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
    commas = np.flatnonzero(raw == ord(delimiter))
    per_row = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    first = raw[np.minimum(starts, raw.size - 1)]
    maybe_blank = np.flatnonzero((ends == starts) | _blank_start(delimiter)[first])
    header_end = int(ends[0])
    header = text[:header_end].split(delimiter)
    width = len(header)
    body_text = text[header_end + 1 :] if breaks.size else ""
    maybe_blank = maybe_blank[maybe_blank > 0]
    rows = text.split("\n") if maybe_blank.size else None
    blank = [int(r) for r in maybe_blank if not rows[r].replace(delimiter, "").strip()]
    lines = np.arange(1, per_row.size + 1)
    keep = np.ones(per_row.size, dtype=bool)
    keep[0] = False
    keep[blank] = False
    if np.any(per_row[keep] != width - 1):
        return None
    if blank:
        body_text = "\n".join(rows[r] for r in np.flatnonzero(keep).tolist())
    n_rows = int(keep.sum())
    flat = body_text.replace("\n", delimiter).split(delimiter) if n_rows else []
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


_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+([eE][+-]?\d+)?")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_THOUSANDS_POINT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?")
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3},\d{3}")


def parse_number(text: str, decimal: str | None = None) -> float:
    """The number written in ``text`` (already stripped), or ValueError with the reason.

    ``decimal`` is the decimal mark: ``"."``, ``","`` or None to infer it where that is safe
    (module docstring). Infinite, NaN and too large (``MAX_ABS``) values are refused.
    """
    value: float | None = None
    if decimal != "," and _PLAIN.fullmatch(text):
        value = float(text)
    elif decimal == "." and _THOUSANDS_COMMA.fullmatch(text):
        value = float(text.replace(",", ""))
    elif decimal == "," and (_DECIMAL_COMMA.fullmatch(text) or re.fullmatch(r"[+-]?\d+", text)):
        value = float(text.replace(",", "."))
    elif decimal == "," and _THOUSANDS_POINT.fullmatch(text):
        value = float(text.replace(".", "").replace(",", "."))
    elif decimal is None:
        if _AMBIGUOUS.fullmatch(text):
            whole = text.replace(",", "")
            raise ValueError(
                f"{text!r} is ambiguous: {whole} with a thousands separator or "
                f"{text.replace(',', '.')} with a decimal comma; say which with "
                "--decimal . or --decimal ,"
            )
        if _DECIMAL_COMMA.fullmatch(text):
            value = float(text.replace(",", "."))
        elif _THOUSANDS_COMMA.fullmatch(text):  # not ambiguous: 2+ commas, or a point
            value = float(text.replace(",", ""))
        elif _THOUSANDS_POINT.fullmatch(text) and "," in text:
            value = float(text.replace(".", "").replace(",", "."))
    if value is None:
        try:
            if decimal == ",":
                raise ValueError
            value = float(text)  # "nan", "inf" and other spellings float() knows
        except ValueError:
            mark = {"": "", ".": " with a decimal point", ",": " with a decimal comma"}
            raise ValueError(f"{text!r} is not a number{mark[decimal or '']}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    if abs(value) >= MAX_ABS:
        raise ValueError(f"{text!r} is too large (numbers must be below {MAX_ABS:.0e} in size)")
    return value


def parse_float(
    row: CsvRow,
    column: str,
    *,
    file: str,
    low: float | None = None,
    high: float | None = None,
    decimal: str | None = None,
) -> float:
    """Parse a finite number from ``row[column]`` (see :func:`parse_number`), optionally
    bounded; else :class:`InputError` naming the file, line and column."""
    text = row.get(column)
    if text == "":
        raise InputError("a number is required", file=file, line=row.line, column=column)
    try:
        value = parse_number(text, decimal)
    except ValueError as exc:
        raise InputError(str(exc), file=file, line=row.line, column=column) from None
    if low is not None and value < low:
        raise InputError(
            f"{text} is below the minimum {low:g}", file=file, line=row.line, column=column
        )
    if high is not None and value > high:
        raise InputError(
            f"{text} is above the maximum {high:g}", file=file, line=row.line, column=column
        )
    return value


def check_output_path(path: str | os.PathLike[str]) -> None:
    """Raise :class:`InputError` unless ``path`` can be written: its folder exists and it is
    not itself a folder. Checked before the work, so a bad path fails at once."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError("is a folder; give a file name for --output", file=str(path))
    if not folder.is_dir():
        raise InputError(f"the folder {str(folder)!r} does not exist", file=str(path))
    if not os.access(folder, os.W_OK):
        raise InputError(f"the folder {str(folder)!r} is not writable", file=str(path))


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename;
    :class:`InputError` when the folder refuses the temporary file."""
    import tempfile  # only when writing: keeps the command line's start-up short

    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror or exc})", file=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
