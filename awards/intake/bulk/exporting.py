"""Entry exports (CSV and XLSX) with the form answers as columns (the import templates are in
:mod:`awards.intake.bulk.template`).

Exports are streaming-friendly: ``iter_csv`` yields ``str`` chunks (for a streamed HTTP response),
``write_xlsx`` uses openpyxl's write-only mode (rows are written to a temporary file, not kept in
memory). Exported files use the import column names, so an export can be re-imported (the extra
columns, :data:`awards.intake.bulk.importing.EXPORT_ONLY_COLUMNS`: receipt number, status, business
email, size class, source, screening and its reason, submitted/created/updated times in the
edition's time zone, are ignored on import).

Spreadsheet formula injection: in XLSX every text is written as a text cell (never a formula);
in CSV a text starting with ``= + - @``, tab or CR gets a leading ``'`` unless it is a plain number
or phone number (``+6281...``); the import removes that ``'`` again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from awards.intake.bulk.importing import (
    BUSINESS_COLUMNS,
    CATEGORY_COLUMN,
    BusinessRecord,
)
from awards.intake.formspec import FormSpec

__all__ = [
    "ExportEntry",
    "export_columns",
    "iter_csv",
    "write_xlsx",
]

JAKARTA = ZoneInfo("Asia/Jakarta")
_LEADING_COLUMNS = ("receipt_number", "status", CATEGORY_COLUMN)
_TRAILING_COLUMNS = (
    "business_email", "size_class", "source", "screening", "screening_reason",
    "submitted_at", "created_at", "updated_at",
)  # fmt: skip
_TIME_COLUMNS = ("submitted_at", "created_at", "updated_at")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d .]*$")
_CSV_BATCH = 500


@dataclass(frozen=True)
class ExportEntry:
    """One entry as the service loads it; times are aware UTC datetimes or None; ``source``
    is ``web`` or ``import``; ``screening`` is ``pending``/``eligible``/``ineligible``."""

    receipt_number: str
    status: str
    category: str
    business: BusinessRecord
    answers: Mapping[str, Any]
    submitted_at: datetime | None = None
    screening: str = ""
    screening_reason: str = ""
    business_email: str = ""
    source: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


def export_columns(forms: Iterable[FormSpec]) -> list[str]:
    """Fixed columns, business columns, then every form key once (file fields included)."""
    columns = [*_LEADING_COLUMNS, *BUSINESS_COLUMNS, *_TRAILING_COLUMNS]
    for form in forms:
        for spec in form.ordered:
            if spec.key not in columns:
                columns.append(spec.key)
    return columns


def _answer(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(_item_text(item) for item in value)
    return value


def _item_text(item: Any) -> str:
    if isinstance(item, Mapping):  # a stored file: show its name
        return str(item.get("original_name") or item.get("key", ""))
    return str(item)


def _local_minute(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """An aware time as a naive local time in ``tz``, to the minute (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def _values(entry: ExportEntry, columns: Sequence[str], tz: tzinfo) -> list[Any]:
    business = entry.business
    fixed = {
        "receipt_number": entry.receipt_number,
        "status": entry.status,
        CATEGORY_COLUMN: entry.category,
        "business_email": entry.business_email,
        "size_class": business.size_class.value if business.size_class else None,
        "source": entry.source,
        "screening": entry.screening,
        "screening_reason": entry.screening_reason,
    }
    for column in _TIME_COLUMNS:
        fixed[column] = _local_minute(getattr(entry, column), tz)
    row = []
    for column in columns:
        if column in fixed:
            row.append(fixed[column])
        elif column in BUSINESS_COLUMNS:
            row.append(getattr(business, column))
        else:
            row.append(_answer(entry.answers.get(column)))
    return row


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def iter_csv(
    entries: Iterable[ExportEntry],
    forms: Iterable[FormSpec],
    *,
    tz: tzinfo = JAKARTA,
    bom: bool = True,
) -> Iterator[str]:
    """CSV text in chunks of 500 rows; times in ``tz``; a BOM so Excel reads UTF-8."""
    columns = export_columns(forms)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow(columns)
    for count, entry in enumerate(entries, start=1):
        writer.writerow([_csv_text(value) for value in _values(entry, columns, tz)])
        if count % _CSV_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, never a formula
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(
    entries: Iterable[ExportEntry],
    forms: Iterable[FormSpec],
    target: BinaryIO | str | Path,
    *,
    tz: tzinfo = JAKARTA,
) -> None:
    """Write an XLSX workbook (sheet "Entries") in write-only mode; NIB and phone stay text."""
    columns = export_columns(forms)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Entries")
    sheet.append([_cell(sheet, column, bold=True) for column in columns])
    for entry in entries:
        sheet.append([_cell(sheet, value) for value in _values(entry, columns, tz)])
    workbook.save(target)
