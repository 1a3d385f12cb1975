"""Bulk import of paper entries and exports of an edition's entries (CSV and XLSX).

Import = validate every row first (:func:`awards.intake.bulk.importing.validate_import`, pure, run
in a worker thread), then, only when no row has an error, insert everything in one
:func:`awards.db.write_transaction` in chunks of at most :data:`CHUNK` rows: new businesses
(by NIB; an existing business keeps its profile), missing declarations for the edition, and
the entries (status ``submitted``, source ``import``, a receipt number each). Each entry stores
its dedup key in ``import_key`` (unique), so importing the same file again creates nothing:
the outcome reports "N new, M already imported".

Exports list every entry of the edition with the business columns and one column per form
question, headers and values in the chosen language (see :mod:`awards.intake.bulk.exporting`);
the import accepts those headers in either language, so an export can be imported again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import anyio.to_thread

from awards import db
from awards.i18n import translations
from awards.intake.bulk.exporting import ExportEntry, ExportLanguage, iter_csv, write_xlsx
from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.records import (
    BUSINESS_COLUMN_LABELS,
    EXPORT_COLUMN_LABELS,
    BusinessRecord,
    ImportCategory,
    ImportContext,
    ImportReport,
    ImportRow,
)
from awards.intake.bulk.tabular import normalize_header, parse_rows
from awards.intake.bulk.template import template_csv, template_xlsx
from awards.intake.bulk.write import insert_many, json_value
from awards.intake.businesses.identity import DEFAULT_DISTRICTS, DEFAULT_SECTORS, Sector
from awards.intake.businesses.sizeclass import SizeClass, SizeThresholds
from awards.intake.common import zone
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.editions.lifecycle import Action
from awards.intake.editions.service import edition_categories
from awards.intake.editions.status import ensure_edition_allows
from awards.intake.entries.receipts import format_receipt, next_receipt_number
from awards.intake.form.formspec import FormSpec
from awards.intake.tables import (
    Business,
    Declaration,
    Entry,
    EntrySource,
    EntryStatus,
    Screening,
)

__all__ = [
    "CHUNK",
    "ImportOutcome",
    "build_context",
    "chunks",
    "export_entries",
    "import_categories",
    "import_rows",
    "import_template",
    "validate_file",
]

CHUNK = 500
ANALYZE_AFTER = 1000
ENTRY_COLUMNS = (
    "edition", "category", "business", "status", "screening", "screening_reason", "answers",
    "receipt_number", "import_key", "source", "business_name", "district", "size_class",
    "sector", "created_by", "created_at", "updated_at", "submitted_at",
)  # fmt: skip
BUSINESS_COLUMNS = (
    "name", "owner_name", "nib", "phone", "email", "address", "district", "sector",
    "year_founded", "employees", "created_at", "updated_at",
)  # fmt: skip
DECLARATION_COLUMNS = (
    "business", "edition", "capital", "turnover", "size_class", "created_at", "updated_at",
)  # fmt: skip
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOutcome:
    """``created`` entries inserted, ``skipped`` rows already imported earlier."""

    created: int
    skipped: int


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size`` (one INSERT statement each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def import_categories(edition_id: int) -> list[ImportCategory]:
    """The edition's categories as the import sees them (slug, form, eligibility)."""
    return [
        ImportCategory(
            row["slug"],
            FormSpec.from_dict(row["form"] or {}),
            EligibilityRules.from_dict(row["eligibility"] or {}),
            code=row["code"] or "",
            name_id=row["name_id"] or "",
            name_en=row["name_en"] or "",
        )
        for row in await edition_categories(edition_id)
    ]


def _sectors(keys: Sequence[str]) -> tuple[Sector, ...]:
    known = {sector.key: sector for sector in DEFAULT_SECTORS}
    chosen = tuple(known.get(key, Sector(key, key, key)) for key in keys)
    return chosen or DEFAULT_SECTORS


async def build_context(edition: dict[str, Any]) -> ImportContext:
    """Everything validation needs: categories, districts, sectors, thresholds, the keys of
    entries already imported into the edition and the entry counts per (NIB, category)."""
    categories = await import_categories(edition["id"])
    keys = await Entry.select(Entry.import_key).where(
        (Entry.edition == edition["id"]) & Entry.import_key.is_not_null()
    )
    counts = await Entry.raw(
        "SELECT b.nib AS nib, c.slug AS slug, COUNT(*) AS n FROM intake_entry e "
        "JOIN intake_business b ON b.id = e.business JOIN intake_category c ON c.id = e.category "
        "WHERE e.edition = {} AND e.status <> 'withdrawn' GROUP BY b.nib, c.slug",
        edition["id"],
    )
    return ImportContext(
        categories={category.slug: category for category in categories},
        districts=tuple(edition["districts"] or DEFAULT_DISTRICTS),
        sectors=_sectors(edition["sectors"] or ()),
        thresholds=SizeThresholds.from_dict(edition["size_thresholds"] or {}),
        current_year=datetime.now(zone(edition["time_zone"])).year,
        existing_keys=frozenset(row["import_key"] for row in keys),
        existing_entry_counts={(row["nib"], row["slug"]): row["n"] for row in counts},
        aliases=_translated_headers(),
    )


def _translated_headers() -> dict[str, str]:
    """The Indonesian headers of an export (normalized) -> column name; the English ones are
    the source strings, known to the importer itself."""
    indonesian = translations("id")
    return {
        normalize_header(indonesian.gettext(label)): column
        for column, label in (*BUSINESS_COLUMN_LABELS.items(), *EXPORT_COLUMN_LABELS.items())
    }


async def validate_file(
    edition: dict[str, Any],
    source: bytes | BinaryIO | str | Path,
    filename: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row of the file (nothing is written); runs the parsing in a thread."""
    context = await build_context(edition)
    return await anyio.to_thread.run_sync(
        lambda: validate_import(parse_rows(source, filename), context, progress=progress)
    )


async def import_rows(
    edition: dict[str, Any],
    report: ImportReport,
    *,
    user_id: int | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Insert a valid report's rows all-or-nothing; rows whose key appeared meanwhile are
    skipped. Raises ``ValueError`` if the report has errors, and
    :class:`~awards.intake.editions.lifecycle.EditionLockedError` unless registration is open."""
    if not report.ok:
        raise ValueError("the import report has errors; nothing was imported")
    codes = {
        row["slug"]: (row["id"], row["code"]) for row in await edition_categories(edition["id"])
    }
    async with db.write_transaction():
        await ensure_edition_allows(edition["id"], Action.import_entries)
        existing = await Entry.select(Entry.import_key).where(
            (Entry.edition == edition["id"]) & Entry.import_key.is_not_null()
        )
        taken = {row["import_key"] for row in existing}
        rows = [row for row in report.rows if row.dedup_key not in taken]
        skipped = len(report.rows) - len(rows) + len(report.skipped)
        businesses = await _ensure_businesses(rows)
        sizes = await _ensure_declarations(edition["id"], rows, businesses)
        first = await next_receipt_number(edition, "X")
        number = int(re.sub(r"^.*-", "", first))
        now = datetime.now(UTC)
        done = 0
        for chunk in chunks(rows):
            values = []
            for row in chunk:
                business_id, business_name = businesses[row.business.nib]
                category_id, code = codes[row.category]
                values.append(
                    (
                        edition["id"], category_id, business_id, EntryStatus.submitted.value,
                        Screening.pending.value, "", json_value(row.answers),
                        format_receipt(edition, code, number), row.dedup_key,
                        EntrySource.import_.value, business_name, row.business.district,
                        sizes.get(business_id, ""), row.business.sector, user_id, now, now, now,
                    )
                )  # fmt: skip
                number += 1
            await insert_many(Entry, ENTRY_COLUMNS, values)
            done += len(chunk)
            if progress:
                progress(done)
    if len(rows) >= ANALYZE_AFTER:
        # Fresh planner statistics: without them the first list queries after a big import
        # pick poor plans (measured on PostgreSQL: 2-5x slower until autovacuum analyzes).
        await Entry.raw("ANALYZE intake_entry")
    return ImportOutcome(created=len(rows), skipped=skipped)


async def _ensure_businesses(rows: Sequence[ImportRow]) -> dict[str, tuple[int, str]]:
    """NIB -> (business id, name); creates the businesses that do not exist yet."""
    records: dict[str, BusinessRecord] = {}
    for row in rows:
        records.setdefault(row.business.nib, row.business)
    found: dict[str, tuple[int, str]] = {}
    nibs = list(records)
    for chunk in chunks(nibs):
        for item in await Business.select(Business.id, Business.nib, Business.name).where(
            Business.nib.is_in(list(chunk))
        ):
            found[item["nib"]] = (item["id"], item["name"])
    missing = [records[nib] for nib in nibs if nib not in found]
    if not missing:
        return found
    # New rows are read back by id range, not by ``nib IN (...)``: right after a big insert
    # PostgreSQL has no statistics for the table yet and would scan it once per chunk
    # (measured: 27 s for 30,000 businesses, against 0.1 s by id).
    last = await Business.raw("SELECT COALESCE(MAX(id), 0) AS last FROM intake_business")
    now = datetime.now(UTC)
    for chunk in chunks(missing):
        await insert_many(
            Business,
            BUSINESS_COLUMNS,
            [
                (r.business_name, r.owner_name, r.nib, r.phone, "", r.address, r.district,
                 r.sector, r.year_founded, r.employees, now, now)
                for r in chunk
            ],
        )  # fmt: skip
    wanted = {record.nib for record in missing}
    for item in await Business.select(Business.id, Business.nib, Business.name).where(
        Business.id > last[0]["last"]
    ):
        if item["nib"] in wanted:
            found[item["nib"]] = (item["id"], item["name"])
    return found


async def _ensure_declarations(
    edition_id: int, rows: Sequence[ImportRow], businesses: dict[str, tuple[int, str]]
) -> dict[int, str]:
    """Business id -> size class for the edition; declares the file's figures where the
    business has no declaration for the edition yet (an existing one is kept)."""
    records = {businesses[row.business.nib][0]: row.business for row in rows}
    sizes: dict[int, str] = {}
    ids = list(records)
    for chunk in chunks(ids):
        for item in await Declaration.select(Declaration.business, Declaration.size_class).where(
            (Declaration.edition == edition_id) & Declaration.business.is_in(list(chunk))
        ):
            sizes[item["business"]] = item["size_class"]
    now = datetime.now(UTC)
    new = [
        (business_id, edition_id, record.capital, record.turnover,
         record.size_class.value if record.size_class else "", now, now)
        for business_id, record in records.items()
        if business_id not in sizes and (record.capital is not None or record.turnover is not None)
    ]  # fmt: skip
    for chunk in chunks(new):
        await insert_many(Declaration, DECLARATION_COLUMNS, chunk)
    for declaration in new:
        sizes[declaration[0]] = declaration[4]
    return sizes


async def import_template(
    edition: dict[str, Any],
    fmt: str,
    language: str = "id",
    *,
    category: str | None = None,
    gettext: Callable[[str], str] = lambda text: text,
) -> bytes:
    """The empty import template of the edition (``csv`` or ``xlsx``; the XLSX has a guide
    sheet in ``language``); a CSV for one ``category`` slug has only that category's
    questions. Raises ``LookupError`` for a slug the edition lacks."""
    categories = await import_categories(edition["id"])
    if category is not None and category not in {c.slug for c in categories}:
        raise LookupError(category)
    if fmt == "xlsx":
        return template_xlsx(
            categories,
            districts=tuple(edition["districts"] or DEFAULT_DISTRICTS),
            sectors=_sectors(edition["sectors"] or ()),
            thresholds=SizeThresholds.from_dict(edition["size_thresholds"] or {}),
            language=language,
            gettext=gettext,
        )
    return template_csv(categories, category=category)


async def _export_entries(
    edition: dict[str, Any], language: str
) -> tuple[list[ExportEntry], list[FormSpec], ExportLanguage]:
    categories = await edition_categories(edition["id"])
    slugs = {row["id"]: row["slug"] for row in categories}
    english = language.startswith("en")
    words = ExportLanguage(
        language="en" if english else "id",
        gettext=translations("en" if english else "id").gettext,
        categories={
            row["slug"]: ((row["name_en"] if english else "") or row["name_id"] or row["slug"])
            for row in categories
        },
        sectors=_sectors(edition["sectors"] or ()),
    )
    forms = [FormSpec.from_dict(row["form"] or {}) for row in categories]
    declarations = {
        row["business"]: row
        for row in await Declaration.select(
            Declaration.business, Declaration.capital, Declaration.turnover, Declaration.size_class
        ).where(Declaration.edition == edition["id"])
    }
    rows = await (
        Entry.select(
            Entry.receipt_number,
            Entry.status,
            Entry.category,
            Entry.business,
            Entry.answers,
            Entry.submitted_at,
            Entry.created_at,
            Entry.updated_at,
            Entry.size_class,
            Entry.source,
            Entry.screening,
            Entry.screening_reason,
            Entry.business.email,
            Entry.business.name,
            Entry.business.owner_name,
            Entry.business.nib,
            Entry.business.phone,
            Entry.business.district,
            Entry.business.sector,
            Entry.business.address,
            Entry.business.year_founded,
            Entry.business.employees,
        )
        .where(Entry.edition == edition["id"])
        .order_by(Entry.id)
        .output(load_json=True)
    )
    entries = []
    for row in rows:
        declaration = declarations.get(row["business"], {})
        size = declaration.get("size_class") or row["size_class"]
        business = BusinessRecord(
            business_name=row["business.name"],
            owner_name=row["business.owner_name"],
            nib=row["business.nib"],
            phone=row["business.phone"],
            district=row["business.district"],
            sector=row["business.sector"],
            address=row["business.address"],
            year_founded=row["business.year_founded"],
            employees=row["business.employees"],
            capital=declaration.get("capital"),
            turnover=declaration.get("turnover"),
            size_class=SizeClass(size) if size else None,
        )
        entries.append(
            ExportEntry(
                receipt_number=row["receipt_number"] or "",
                status=row["status"],
                category=slugs.get(row["category"], ""),
                business=business,
                answers=row["answers"] or {},
                submitted_at=row["submitted_at"],
                screening=row["screening"] or "",
                screening_reason=row["screening_reason"] or "",
                business_email=row["business.email"] or "",
                source=row["source"] or "",
                created_at=row["created_at"],
                updated_at=row["updated_at"],
            )
        )
    return entries, forms, words


async def export_entries(
    edition: dict[str, Any], fmt: str, target: BinaryIO | Path, language: str = "id"
) -> int:
    """Write every entry of the edition to ``target`` as ``csv`` or ``xlsx``; return the count.

    Headers and values are in ``language`` (``id`` or ``en``); times are ISO 8601 in the
    edition's time zone, with its offset.
    """
    entries, forms, words = await _export_entries(edition, language)
    tz = zone(edition["time_zone"])

    def write() -> None:
        if fmt == "xlsx":
            write_xlsx(entries, forms, target, tz=tz, words=words)
            return
        chunks = iter_csv(entries, forms, tz=tz, words=words)
        if isinstance(target, Path):
            with target.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(chunks)
        else:
            for chunk in chunks:
                target.write(chunk.encode("utf-8"))

    await anyio.to_thread.run_sync(write)
    return len(entries)
