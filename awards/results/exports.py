"""Results exports: CSV, XLSX and JSON, for organizers and (once published) for everyone.

Two sources, one row shape (:data:`COLUMNS`):

* :func:`organizer_rows` — organizers of the edition (and admins): each category's **latest
  frozen snapshot**, published or not, with its publication state; served ``private,
  no-store``. Others get :class:`NotFoundError`.
* :func:`public_rows` — anyone: only what :mod:`awards.results.visibility` shows (each
  category's public version; awarded entries only unless the category shows its full ranking).
  Under embargo nothing is exported.

Formats: CSV (UTF-8 with a byte-order mark so spreadsheet programs read the accents; cells that
start with ``= + - @`` are prefixed with ``'`` so they are never run as formulas), XLSX
(openpyxl: bold frozen header row, an auto-filter over the table, widths fitted) and JSON
(``{"edition", "generated_at", "rows"}``).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from awards.accounts.identity import CurrentUser
from awards.intake.common import NotFoundError
from awards.intake.editions.service import can_manage
from awards.intake.tables import Category, Edition, Entry
from awards.results import visibility
from awards.results.rules import edition_tiers
from awards.results.tables import CategoryRule, Placement, Publication, ResultSnapshot

__all__ = [
    "COLUMNS",
    "FORMATS",
    "organizer_rows",
    "public_rows",
    "to_csv",
    "to_json",
    "to_xlsx",
]

COLUMNS = (
    "category",
    "place",
    "tier",
    "special_award",
    "business",
    "district",
    "sector",
    "size_class",
    "entry",
    "score",
    "se",
    "raw_mean",
    "p_top3",
    "tied_with_places",
    "decided_by",
    "citation",
    "version",
    "published_at",
    "content_hash",
)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


async def _edition(edition_id: int) -> dict[str, Any]:
    row = await Edition.select().where(Edition.id == edition_id).first()
    if row is None:
        raise NotFoundError(f"edition {edition_id}")
    return row


async def _rows(
    edition_id: int, snapshots: dict[int, dict[str, Any]], only: dict[int, bool]
) -> list[dict[str, Any]]:
    """Rows for ``snapshots`` (category id -> snapshot info with ``snapshot_id``, ``version``,
    ``content_hash``, ``publish_at``); ``only[category]`` True keeps awarded entries only."""
    if not snapshots:
        return []
    categories = {
        c["id"]: c
        for c in await Category.select(Category.id, Category.name_id, Category.position).where(
            Category.edition == edition_id
        )
    }
    labels = {t["code"]: t["label_id"] for t in await edition_tiers(edition_id)}
    by_snapshot = {info["snapshot_id"]: cid for cid, info in snapshots.items()}
    placements = (
        await Placement.select()
        .where(Placement.snapshot.is_in(list(by_snapshot)))
        .order_by(Placement.place)
        .order_by(Placement.engine_rank)
    )
    entries = {
        e["id"]: e
        for e in await Entry.select(
            Entry.id,
            Entry.business_name,
            Entry.district,
            Entry.sector,
            Entry.size_class,
            Entry.receipt_number,
        ).where(Entry.id.is_in([p["entry"] for p in placements] or [0]))
    }
    out: list[dict[str, Any]] = []
    for p in placements:
        cid = by_snapshot[p["snapshot"]]
        if only.get(cid) and not (p["tier"] or p["special"]):
            continue
        info, entry = snapshots[cid], entries.get(p["entry"], {})
        published = info.get("publish_at")
        out.append(
            {
                "category": categories[cid]["name_id"],
                "place": p["place"],
                "tier": labels.get(p["tier"], p["tier"]),
                "special_award": labels.get(p["special"], p["special"]),
                "business": entry.get("business_name", ""),
                "district": entry.get("district", ""),
                "sector": entry.get("sector", ""),
                "size_class": entry.get("size_class", ""),
                "entry": entry.get("receipt_number") or p["entry"],
                "score": p["score"],
                "se": p["se"],
                "raw_mean": p["raw_mean"],
                "p_top3": p["p_top3"],
                "tied_with_places": (
                    f"{p['tied_group']}-{p['tied_to']}" if p["tied_to"] != p["tied_group"] else ""
                ),
                "decided_by": p["decided_by"],
                "citation": p["citation"],
                "version": info["version"],
                "published_at": published.astimezone(UTC).isoformat() if published else "",
                "content_hash": info["content_hash"],
                "_position": (categories[cid]["position"], cid),
            }
        )
    out.sort(key=lambda r: r.pop("_position"))
    return out


async def organizer_rows(actor: CurrentUser, edition_id: int) -> tuple[dict, list[dict]]:
    """(edition, rows) of each category's latest frozen snapshot, published or not."""
    if not can_manage(actor, edition_id):
        raise NotFoundError(f"edition {edition_id}")
    edition = await _edition(edition_id)
    snaps = await ResultSnapshot.select(
        ResultSnapshot.id,
        ResultSnapshot.category,
        ResultSnapshot.version,
        ResultSnapshot.content_hash,
    ).where(ResultSnapshot.edition == edition_id)
    latest: dict[int, dict[str, Any]] = {}
    for s in snaps:
        if s["category"] not in latest or s["version"] > latest[s["category"]]["version"]:
            latest[s["category"]] = {
                "snapshot_id": s["id"],
                "version": s["version"],
                "content_hash": s["content_hash"],
            }
    pubs = await Publication.select(Publication.snapshot, Publication.publish_at).where(
        (Publication.edition == edition_id) & Publication.withdrawn_at.is_null()
    )
    when = {p["snapshot"]: p["publish_at"] for p in pubs}
    for info in latest.values():
        info["publish_at"] = when.get(info["snapshot_id"])
    return edition, await _rows(edition_id, latest, {})


async def public_rows(
    edition_slug: str, now: datetime | None = None
) -> tuple[dict, list[dict]] | None:
    """(edition, rows) of the edition's public results, or None when nothing is public."""
    edition = await Edition.select().where(Edition.slug == edition_slug).first()
    if edition is None:
        return None
    public = await visibility.published_categories(edition["id"], now)
    if not public:
        return None
    rules = {
        r["category"]: r["show_full_ranking"]
        for r in await CategoryRule.select(
            CategoryRule.category, CategoryRule.show_full_ranking
        ).where(CategoryRule.category.is_in([p["category_id"] for p in public]))
    }
    chosen = {p["category_id"]: p for p in public}
    only = {cid: not rules.get(cid, False) for cid in chosen}
    return edition, await _rows(edition["id"], chosen, only)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV with a header of :data:`COLUMNS` (UTF-8 with BOM; formulas neutralized)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]], title: str = "Hasil") -> bytes:
    """XLSX: one sheet, bold frozen header, an auto-filter over the whole table."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Hasil"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row[c]) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(COLUMNS, start=1):
        longest = max([len(column), *(len(str(r[column] or "")) for r in rows[:500])])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(50, longest + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(edition: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    """``{"edition": slug, "generated_at": ISO UTC, "columns": [...], "rows": [...]}``."""
    payload = {
        "edition": edition["slug"],
        "generated_at": datetime.now(UTC).isoformat(),
        "columns": list(COLUMNS),
        "rows": rows,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()
