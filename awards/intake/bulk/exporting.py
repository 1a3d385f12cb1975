"""Entry exports (CSV and XLSX) with the form answers as columns (the import templates are in
:mod:`awards.intake.bulk.template`).

**Language.** An export speaks the organizer's language (:class:`ExportLanguage`): headers are
column labels ("Nama usaha", "Business name"), and values are names, not codes: status
("Ditarik"), size class ("mikro"), screening ("Memenuhi syarat"; empty for an entry that is
not submitted, as only submitted entries are screened), source, sector and category names, and
choice answers as option labels. Times are ISO 8601 with the offset of the edition's time zone
(``2026-05-02T10:30:00+07:00``), written as text in both formats. An export can still be
imported again: the importer accepts these headers and names
(:func:`awards.intake.bulk.records.header_aliases`; sector, category and option names are
accepted values), and ignores the export-only columns
(:data:`awards.intake.bulk.records.EXPORT_ONLY_COLUMNS`).

**XLSX.** Sheet 1 holds the entries with a frozen, bold header row, an auto-filter over the
data and column widths fitted to the header and the first :data:`WIDTH_SAMPLE` rows (8 to 60
characters); sheet 2, the data dictionary ("Kamus data" / "Data dictionary"), describes every
column: header, column name for import, meaning, values or format.

Exports are streaming-friendly: ``iter_csv`` yields ``str`` chunks (for a streamed HTTP response),
``write_xlsx`` uses openpyxl's write-only mode (rows are written to a temporary file, not kept in
memory).

Spreadsheet formula injection: in XLSX every text is written as a text cell (never a formula);
in CSV a text starting with ``= + - @``, tab or CR gets a leading ``'`` unless it is a plain number
or phone number (``+6281...``); the import removes that ``'`` again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from awards.intake._messages import N_
from awards.intake.bulk.records import (
    BUSINESS_COLUMN_LABELS,
    BUSINESS_COLUMNS,
    CATEGORY_COLUMN,
    EXPORT_COLUMN_LABELS,
    BusinessRecord,
)
from awards.intake.bulk.tabular import normalize_header
from awards.intake.businesses.identity import DEFAULT_SECTORS, Sector
from awards.intake.businesses.sizeclass import SIZE_CLASS_LABELS, SizeClass
from awards.intake.form.fields import (
    FieldSpec,
    FileField,
    MultipleChoiceField,
    SingleChoiceField,
)
from awards.intake.form.formspec import FormSpec

__all__ = [
    "WIDTH_SAMPLE",
    "ExportColumn",
    "ExportEntry",
    "ExportLanguage",
    "export_columns",
    "export_headers",
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
#: Rows looked at to fit the XLSX column widths.
WIDTH_SAMPLE = 200

Gettext = Callable[[str], str]

STATUS_LABELS = {"draft": N_("Draft"), "submitted": N_("Submitted"), "withdrawn": N_("Withdrawn")}
SCREENING_LABELS = {
    "pending": N_("Awaiting screening"),
    "eligible": N_("Eligible"),
    "ineligible": N_("Not eligible"),
}
SOURCE_LABELS = {"web": N_("Online form"), "import": N_("Paper entry, imported")}
_DESCRIPTIONS = {
    "receipt_number": N_("The entry's receipt number (empty for a draft)."),
    "status": N_("Draft, submitted or withdrawn."),
    CATEGORY_COLUMN: N_("The category entered."),
    "business_name": N_("Name of the business."),
    "owner_name": N_("Name of the owner."),
    "nib": N_("Nomor Induk Berusaha, 13 digits (text)."),
    "phone": N_("Phone number in international form, +62..."),
    "district": N_("District (kecamatan) of the business."),
    "sector": N_("Sector of the business."),
    "address": N_("Address of the business."),
    "year_founded": N_("Year the business was founded."),
    "employees": N_("Number of employees."),
    "capital": N_("Declared business capital in rupiah, without land and buildings."),
    "turnover": N_("Declared annual turnover in rupiah."),
    "business_email": N_("Email address of the business."),
    "size_class": N_("Size class derived from capital and turnover."),
    "source": N_("How the entry arrived: the online form or a paper form imported."),
    "screening": N_("The organizers' screening decision (submitted entries only)."),
    "screening_reason": N_("Reason given to the entrant when not eligible."),
    "submitted_at": N_("When the entry was first submitted."),
    "created_at": N_("When the entry was started."),
    "updated_at": N_("When the entry last changed."),
}
_TIME_FORMAT = N_("Date and time, ISO 8601 with the offset of the edition's time zone, e.g. "
                  "2026-05-02T10:30:00+07:00.")  # fmt: skip
_FORMATS = {
    "capital": N_("Whole number."),
    "turnover": N_("Whole number."),
    "year_founded": N_("Whole number."),
    "employees": N_("Whole number."),
    "submitted_at": _TIME_FORMAT,
    "created_at": _TIME_FORMAT,
    "updated_at": _TIME_FORMAT,
}
_TYPE_NAMES = {
    "short_text": N_("Short text"),
    "long_text": N_("Long text"),
    "number": N_("Number"),
    "single_choice": N_("Single choice"),
    "multiple_choice": N_("Multiple choice"),
    "date": N_("Date"),
    "url": N_("Web address"),
    "file": N_("File upload"),
}
DICTIONARY_HEADER = (N_("Column"), N_("Column name for import"), N_("Meaning"),
                     N_("Values or format"))  # fmt: skip


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class ExportLanguage:
    """How an export names things: ``language`` (``id``/``en``), ``gettext`` into it, the
    category names by slug and the edition's sectors. The default is English with codes for
    categories (nothing to look names up in)."""

    language: str = "en"
    gettext: Gettext = _identity
    categories: Mapping[str, str] = field(default_factory=dict)
    sectors: Sequence[Sector] = DEFAULT_SECTORS

    @property
    def english(self) -> bool:
        return self.language.startswith("en")

    def sector(self, key: str) -> str:
        for sector in self.sectors:
            if sector.key == key:
                return (sector.label_en if self.english else sector.label_id) or key
        return key


@dataclass(frozen=True)
class ExportColumn:
    """One column: its import name ``key``, the ``header`` shown, and the data dictionary's
    ``meaning`` and ``values`` texts (in the export's language)."""

    key: str
    header: str
    meaning: str
    values: str
    spec: FieldSpec | None = None


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


def _choices(spec: FieldSpec, words: ExportLanguage) -> str:
    if isinstance(spec, SingleChoiceField | MultipleChoiceField):
        return "; ".join(f"{o.label.get(words.language)} ({o.key})" for o in spec.options)
    return ""


def _fixed_values(key: str, words: ExportLanguage) -> str:
    t = words.gettext
    if key == "status":
        return "; ".join(t(label) for label in STATUS_LABELS.values())
    if key == "screening":
        return "; ".join(t(label) for label in SCREENING_LABELS.values())
    if key == "source":
        return "; ".join(t(label) for label in SOURCE_LABELS.values())
    if key == "size_class":
        return "; ".join(t(label) for label in SIZE_CLASS_LABELS.values())
    if key == "sector":
        return "; ".join(words.sector(s.key) for s in words.sectors)
    if key == CATEGORY_COLUMN and words.categories:
        return "; ".join(words.categories.values())
    return t(_FORMATS[key]) if key in _FORMATS else ""


def export_headers(
    forms: Iterable[FormSpec], words: ExportLanguage | None = None
) -> list[ExportColumn]:
    """The columns of :func:`export_columns` with headers and data-dictionary texts in the
    export's language. A question's header is its label; when two columns would read the
    same (after :func:`normalize_header`), the later one becomes ``"label (key)"``."""
    words = words or ExportLanguage()
    forms = list(forms)
    specs: dict[str, FieldSpec] = {}
    for form in forms:
        for spec in form.ordered:
            specs.setdefault(spec.key, spec)
    labels = {**BUSINESS_COLUMN_LABELS, **EXPORT_COLUMN_LABELS}
    seen: set[str] = set()
    out = []
    for key in export_columns(forms):
        spec = specs.get(key)
        if spec is None:
            header = words.gettext(labels[key])
            meaning = words.gettext(_DESCRIPTIONS[key])
            values = _fixed_values(key, words)
        else:
            header = spec.label.get(words.language) or key
            kind = words.gettext(_TYPE_NAMES.get(spec.type, spec.type))
            help_text = spec.help.get(words.language)
            meaning = f"{kind}. {help_text}" if help_text else kind
            values = _choices(spec, words)
            if isinstance(spec, FileField):
                values = words.gettext(N_("File names; the files are not exported."))
        if normalize_header(header) in seen:
            header = f"{header} ({key})"
        seen.add(normalize_header(header))
        out.append(ExportColumn(key, header, meaning, values, spec))
    return out


def _answer(value: Any, spec: FieldSpec | None, language: str) -> Any:
    if isinstance(spec, SingleChoiceField | MultipleChoiceField) and value:
        names = {o.key: o.label.get(language) or o.key for o in spec.options}
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(names.get(str(item), str(item)) for item in chosen)
    if isinstance(value, list):
        return "; ".join(_item_text(item) for item in value)
    return value


def _item_text(item: Any) -> str:
    if isinstance(item, Mapping):  # a stored file: show its name
        return str(item.get("original_name") or item.get("key", ""))
    return str(item)


def _iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """An aware time as ISO 8601 in ``tz`` with its offset, to the second (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(tz).isoformat(timespec="seconds")


def _label(labels: Mapping[str, str], value: str, words: ExportLanguage) -> str:
    return words.gettext(labels[value]) if value in labels else value


def _values(
    entry: ExportEntry, columns: Sequence[ExportColumn], tz: tzinfo, words: ExportLanguage
) -> list[Any]:
    business = entry.business
    size = business.size_class
    screened = entry.status == "submitted"
    fixed = {
        "receipt_number": entry.receipt_number,
        "status": _label(STATUS_LABELS, entry.status, words),
        CATEGORY_COLUMN: words.categories.get(entry.category) or entry.category,
        "business_email": entry.business_email,
        "size_class": words.gettext(SIZE_CLASS_LABELS[SizeClass(size)]) if size else None,
        "source": _label(SOURCE_LABELS, entry.source, words),
        "screening": _label(SCREENING_LABELS, entry.screening, words) if screened else "",
        "screening_reason": entry.screening_reason,
        "sector": words.sector(business.sector) if business.sector else business.sector,
    }
    for column in _TIME_COLUMNS:
        fixed[column] = _iso(getattr(entry, column), tz)
    row = []
    for column in columns:
        key = column.key
        if key in fixed:
            row.append(fixed[key])
        elif key in BUSINESS_COLUMNS:
            row.append(getattr(business, key))
        else:
            row.append(_answer(entry.answers.get(key), column.spec, words.language))
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
    words: ExportLanguage | None = None,
) -> Iterator[str]:
    """CSV text in chunks of 500 rows; headers and values in ``words``' language, times in
    ``tz``; a BOM so Excel reads UTF-8."""
    words = words or ExportLanguage()
    columns = export_headers(forms, words)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow([_csv_text(column.header) for column in columns])
    for count, entry in enumerate(entries, start=1):
        writer.writerow([_csv_text(value) for value in _values(entry, columns, tz, words)])
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


def _width(values: Iterable[Any]) -> float:
    """Characters of the longest line among ``values``, kept between 8 and 60, plus padding."""
    longest = max(
        (len(line) for value in values if value is not None for line in str(value).split("\n")),
        default=0,
    )
    return min(max(longest, 8), 60) + 2


def write_xlsx(
    entries: Iterable[ExportEntry],
    forms: Iterable[FormSpec],
    target: BinaryIO | str | Path,
    *,
    tz: tzinfo = JAKARTA,
    words: ExportLanguage | None = None,
) -> None:
    """Write an XLSX workbook in write-only mode: the entries (frozen header, auto-filter,
    fitted widths; NIB and phone stay text) and the data dictionary (see the module
    docstring)."""
    words = words or ExportLanguage()
    columns = export_headers(forms, words)
    entries = iter(entries)
    sample = [
        _values(entry, columns, tz, words)
        for _n, entry in zip(range(WIDTH_SAMPLE), entries, strict=False)
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(words.gettext(N_("Entries")))
    for index, column in enumerate(columns, start=1):
        cells = [column.header, *(row[index - 1] for row in sample)]
        sheet.column_dimensions[get_column_letter(index)].width = _width(cells)
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, column.header, bold=True) for column in columns])
    count = 0
    for values in sample:
        sheet.append([_cell(sheet, value) for value in values])
        count += 1
    for entry in entries:
        sheet.append([_cell(sheet, value) for value in _values(entry, columns, tz, words)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    _dictionary(workbook, columns, words)
    workbook.save(target)


def _dictionary(workbook: Any, columns: Sequence[ExportColumn], words: ExportLanguage) -> None:
    sheet = workbook.create_sheet(words.gettext(N_("Data dictionary")))
    rows = [(c.header, c.key, c.meaning, c.values) for c in columns]
    header = [words.gettext(text) for text in DICTIONARY_HEADER]
    for index in range(len(header)):
        width = _width([header[index], *(row[index] for row in rows)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, text, bold=True) for text in header])
    for row in rows:
        sheet.append([_cell(sheet, text) for text in row])
