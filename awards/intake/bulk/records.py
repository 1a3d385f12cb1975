"""What a bulk import of paper entries reads and produces: the file's columns and the headers
an export may write instead, the categories and context validation needs, the cleaned rows, the
errors, the report, and each row's dedup key. Validation itself is
:func:`awards.intake.bulk.importing.validate_import`.

**Dedup key.** ``dedup_key = sha256(json([nib, category_slug, cleaned_answers]))`` with sorted
keys: the same business, category and answers give the same key whatever the spelling of the
file (phone formats, option labels vs keys, date formats, CSV vs XLSX), so re-importing a file
creates nothing new. Editing an answer produces a new key, which the per-business entry limit
then catches. Business columns other than the NIB are not part of the key.

**Required business columns** are those an entrant must give on the web: the business profile
(name, owner, NIB, phone, district, sector) and the declaration of capital *and* turnover, which
an entrant must make before submitting and which decides the size class.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from awards.intake._messages import N_
from awards.intake.bulk.tabular import normalize_header
from awards.intake.businesses.identity import DEFAULT_DISTRICTS, DEFAULT_SECTORS, Sector
from awards.intake.businesses.sizeclass import SizeClass, SizeThresholds
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.form.fields import FileField
from awards.intake.form.formspec import FormSpec
from awards.intake.validators import FieldError

__all__ = [
    "BUSINESS_COLUMNS",
    "BUSINESS_COLUMN_LABELS",
    "CATEGORY_COLUMN",
    "EXPORT_COLUMN_LABELS",
    "EXPORT_ONLY_COLUMNS",
    "REQUIRED_BUSINESS_COLUMNS",
    "BusinessRecord",
    "ImportCategory",
    "ImportContext",
    "ImportReport",
    "ImportRow",
    "RowError",
    "dedup_key",
    "header_aliases",
    "import_columns",
]

BUSINESS_COLUMNS = (
    "business_name", "owner_name", "nib", "phone", "district", "sector", "address",
    "year_founded", "employees", "capital", "turnover",
)  # fmt: skip
REQUIRED_BUSINESS_COLUMNS = (
    "business_name", "owner_name", "nib", "phone", "district", "sector", "capital", "turnover",
)  # fmt: skip
CATEGORY_COLUMN = "category"
#: What each business column holds, as people name it (translated when shown).
BUSINESS_COLUMN_LABELS = {
    "business_name": N_("Business name"),
    "owner_name": N_("Owner name"),
    "nib": N_("NIB (Nomor Induk Berusaha)"),
    "phone": N_("Phone"),
    "district": N_("District"),
    "sector": N_("Sector"),
    "address": N_("Address"),
    "year_founded": N_("Year founded"),
    "employees": N_("Employees"),
    "capital": N_("Business capital (Rp)"),
    "turnover": N_("Annual turnover (Rp)"),
    CATEGORY_COLUMN: N_("Category"),
}
#: Columns an export adds; an exported file can be imported again, these are ignored.
EXPORT_ONLY_COLUMNS = (
    "receipt_number", "status", "business_email", "size_class", "source", "screening",
    "screening_reason", "submitted_at", "created_at", "updated_at",
)  # fmt: skip

#: Headers of the export-only columns, as people name them (translated when shown).
EXPORT_COLUMN_LABELS = {
    "receipt_number": N_("Receipt number"),
    "status": N_("Status"),
    "business_email": N_("Business email"),
    "size_class": N_("Size class"),
    "source": N_("Source"),
    "screening": N_("Screening"),
    "screening_reason": N_("Screening reason"),
    "submitted_at": N_("Submitted at"),
    "created_at": N_("Created at"),
    "updated_at": N_("Updated at"),
}


@dataclass(frozen=True)
class ImportCategory:
    """A category as the import sees it; the ``category`` cell may hold the slug, the code or
    either name (see :func:`awards.intake.bulk.importing.category_lookup`)."""

    slug: str
    form: FormSpec
    rules: EligibilityRules = field(default_factory=EligibilityRules)
    code: str = ""
    name_id: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class ImportContext:
    """What validation needs from the database, gathered by the service beforehand.

    ``existing_keys``: dedup keys of entries already imported into the edition.
    ``existing_entry_counts``: ``(nib, category_slug) -> entries that count toward the limit``.
    ``aliases``: further headers (normalized) -> column name, e.g. the Indonesian headers of an
    export ("nama_usaha" -> ``business_name``); see :func:`header_aliases`.
    """

    categories: Mapping[str, ImportCategory]
    districts: Sequence[str] = DEFAULT_DISTRICTS
    sectors: Sequence[Sector] = DEFAULT_SECTORS
    thresholds: SizeThresholds = field(default_factory=SizeThresholds)
    current_year: int = field(default_factory=lambda: date.today().year)
    existing_keys: frozenset[str] = frozenset()
    existing_entry_counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BusinessRecord:
    business_name: str
    owner_name: str
    nib: str
    phone: str
    district: str
    sector: str
    address: str = ""
    year_founded: int | None = None
    employees: int | None = None
    capital: int | None = None
    turnover: int | None = None
    size_class: SizeClass | None = None


@dataclass(frozen=True)
class ImportRow:
    row: int
    category: str
    business: BusinessRecord
    answers: dict[str, Any]
    dedup_key: str


@dataclass(frozen=True)
class RowError:
    """``row`` is the spreadsheet row (header = 1); ``column`` is a column name or ``""``."""

    row: int
    column: str
    error: FieldError

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return self.error.render(gettext)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, dedup key)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def import_columns(categories: Iterable[ImportCategory]) -> list[str]:
    """Template columns: business, category, then each non-file form key once, in form order."""
    columns = [*BUSINESS_COLUMNS, CATEGORY_COLUMN]
    for category in categories:
        for spec in category.form.ordered:
            if not isinstance(spec, FileField) and spec.key not in columns:
                columns.append(spec.key)
    return columns


def header_aliases(
    categories: Iterable[ImportCategory], translated: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Headers an export may write -> column name, all normalized (:func:`normalize_header`), so
    an export in either language imports again: the English labels of the fixed columns
    ("Business name"), ``translated`` (normalized header -> column, e.g. the Indonesian labels),
    each question's label in both languages and ``"label (key)"``. A label shared by questions
    with different keys is left out (ambiguous); a column's own name always wins."""
    categories = list(categories)
    aliases: dict[str, str] = {}
    for column, label in (*BUSINESS_COLUMN_LABELS.items(), *EXPORT_COLUMN_LABELS.items()):
        aliases[normalize_header(label)] = column
    aliases.update(translated or {})
    labels: dict[str, set[str]] = {}
    for category in categories:
        for spec in category.form.fields:
            for text in {spec.label.id, spec.label.en} - {""}:
                labels.setdefault(normalize_header(text), set()).add(spec.key)
                aliases.setdefault(normalize_header(f"{text} ({spec.key})"), spec.key)
    for header, keys in labels.items():
        if len(keys) == 1:
            aliases.setdefault(header, next(iter(keys)))
    known = set(import_columns(categories)) | set(EXPORT_ONLY_COLUMNS)
    return {header: column for header, column in aliases.items() if header not in known}


def dedup_key(nib: str, category: str, answers: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON ``[nib, category, answers]`` (sorted keys)."""
    payload = json.dumps([nib, category, answers], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
