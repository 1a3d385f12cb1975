"""Reading CSV and XLSX sheets row by row, shared by the bulk import.

``parse_rows`` streams ``(row_number, {column: text})`` pairs: the header is row 1, blank rows are
skipped (their numbers are not reused), every value is text (``""`` when empty) so the same
validation applies to both formats. XLSX is read with openpyxl in read-only mode (rows are parsed
lazily from the zip, not loaded at once).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from awards.intake._messages import N_
from awards.intake.validators import InvalidValue

__all__ = ["ImportFileError", "normalize_header", "parse_rows"]

_FORMULA_ESCAPED = re.compile(r"^'[=+\-@\t\r]")


class ImportFileError(InvalidValue):
    """The file as a whole cannot be read (format, encoding, header)."""


def normalize_header(name: object) -> str:
    """``" Business Name "`` -> ``"business_name"``."""
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text[1:] if _FORMULA_ESCAPED.match(text) else text


def parse_rows(
    source: bytes | BinaryIO | str | Path, filename: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a ``.csv`` or ``.xlsx`` file; raises ``ImportFileError`` for unreadable files."""
    suffix = Path(filename).suffix.lower()
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield from parse_rows(handle, filename)
        return
    if suffix == ".csv":
        yield from _csv_rows(source)
    elif suffix == ".xlsx":
        yield from _xlsx_rows(source)
    else:
        raise ImportFileError(N_("Upload a .csv or .xlsx file."))


def _header(cells: list[Any]) -> list[str]:
    header = [normalize_header(cell) for cell in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError(N_("The first row must hold the column names."))
    seen: set[str] = set()
    for name in header:
        if not name:
            raise ImportFileError(N_("A column in the first row has no name."))
        if name in seen:
            raise ImportFileError(N_("The column %(column)s appears twice."), column=name)
        seen.add(name)
    return header


def _rows(
    header: list[str], rows: Iterator[tuple[Any, ...] | list[Any]]
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    for number, cells in enumerate(rows, start=2):
        values = [_cell_text(cell) for cell in cells[:width]]
        if not any(values):
            continue
        values.extend([""] * (width - len(values)))
        yield number, dict(zip(header, values, strict=True))


def _is_utf8(data: bytes, step: int = 1 << 16) -> bool:
    """Check the encoding slice by slice, without building the decoded text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(source: bytes | BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    if isinstance(source, bytes):
        encoding = "utf-8-sig" if _is_utf8(source) else "cp1252"  # cp1252: Excel's Windows CSV
        stream: BinaryIO = io.BytesIO(source)
    else:
        stream, encoding = source, "utf-8-sig"
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
        if not first.strip():
            raise ImportFileError(N_("The file is empty."))
        delimiter = max(",;\t", key=first.count)  # Indonesian Excel writes ';'
        reader = csv.reader(text, delimiter=delimiter)
        header = _header(next(csv.reader([first], delimiter=delimiter)))
        yield from _rows(header, reader)
    except UnicodeDecodeError:
        raise ImportFileError(N_("Save the CSV file as UTF-8.")) from None
    except csv.Error:
        raise ImportFileError(N_("The CSV file is malformed.")) from None
    finally:
        text.detach()


def _xlsx_rows(source: bytes | BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of the first sheet. The workbook's XML is read with defusedxml (openpyxl uses it
    when installed), so entity declarations are refused; broken XML anywhere in the file, read
    now or while iterating, is reported as an invalid workbook."""
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    broken = (BadZipFile, KeyError, ValueError, OSError, ParseError, TypeError, IndexError)
    invalid = N_("The file is not a valid .xlsx workbook.")
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except broken:
        raise ImportFileError(invalid) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise ImportFileError(N_("The file is empty."))
        yield from _rows(_header(list(first)), rows)
    except broken:
        raise ImportFileError(invalid) from None
    finally:
        workbook.close()
