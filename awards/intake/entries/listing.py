"""The organizer's entry list of an edition: search, filters, pages and counts.

The list reads only ``intake_entry`` (snapshot columns ``business_name``, ``district``,
``size_class``) plus the category name, ordered newest first by id, :data:`PAGE_SIZE` rows per
page, served by the composite indexes ``(edition, id)``, ``(edition, status, id)`` and
``(edition, category, id)``. Search ``q`` matches, case-insensitively, a part of the business
name, the start of a receipt number, or a business's exact 13-digit NIB. The counts of an
unfiltered list and the due notices come from ``intake_entry_count``, which triggers on
``intake_entry`` keep per (edition, status, screening, screening_notified) (migration
2026-12-01T02:00:00), so they cost a few rows, not a scan of the edition; a filtered list counts
its matches with one grouped query.

Only a user who manages the edition (:func:`awards.intake.editions.service.can_manage`) sees its
list; otherwise, and for an edition that does not exist, :class:`NotFoundError`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from awards import db
from awards.accounts.identity import CurrentUser
from awards.intake.common import NotFoundError
from awards.intake.editions.service import can_manage
from awards.intake.tables import Business, Entry, EntryStatus, Screening

__all__ = [
    "PAGE_SIZE",
    "EntryList",
    "EntryListService",
    "EntryPage",
    "ListQuery",
    "Tally",
]

PAGE_SIZE = 50
_NIB = re.compile(r"^\d{13}$")


@dataclass(frozen=True)
class ListQuery:
    """Search and filters of the entry list; empty strings / None mean "any"."""

    q: str = ""
    status: str = ""
    screening: str = ""
    category: int | None = None
    district: str = ""
    size_class: str = ""
    page: int = 1

    def params(self, **changes: Any) -> dict[str, str]:
        """Non-empty query parameters (for links), with ``changes`` applied."""
        values = {
            "q": self.q,
            "status": self.status,
            "screening": self.screening,
            "category": "" if self.category is None else str(self.category),
            "district": self.district,
            "size_class": self.size_class,
            "page": "" if self.page == 1 else str(self.page),
        }
        values.update({k: "" if v is None else str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


@dataclass
class EntryPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int]
    screening_counts: dict[str, int]

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers to link: first, last, and two either side of the current (None = gap)."""
        wanted = sorted({1, self.pages, *range(self.page - 2, self.page + 3)})
        out: list[int | None] = []
        for number in (n for n in wanted if 1 <= n <= self.pages):
            if out and out[-1] is not None and number - out[-1] > 1:
                out.append(None)
            out.append(number)
        return out


@dataclass
class Tally:
    """An edition's entries counted per status, the submitted ones per screening outcome, and
    ``due``: submitted entries whose decision (not pending) differs from the one last emailed
    (the conditions of :func:`awards.intake.entries.screening._due`); ``edition`` is the counted
    edition, ``categories`` its categories in order when read with them
    (:func:`_managed_tally`)."""

    statuses: dict[str, int] = field(default_factory=dict)
    screenings: dict[str, int] = field(default_factory=dict)
    due: int = 0
    edition: dict[str, Any] = field(default_factory=dict, compare=False)
    categories: list[dict[str, Any]] = field(default_factory=list, compare=False)

    def add(self, status: str, screening: str, notified: str, n: int) -> None:
        """Count ``n`` entries of one (status, screening, screening_notified) key."""
        self.statuses[status] = self.statuses.get(status, 0) + n
        if status == EntryStatus.submitted.value:
            self.screenings[screening] = self.screenings.get(screening, 0) + n
            if screening not in (Screening.pending.value, notified):
                self.due += n


@dataclass
class EntryList:
    """What the organizer's entry list page shows."""

    edition: dict[str, Any]
    page: EntryPage
    categories: list[dict[str, Any]]
    districts: list[str]
    due_notices: int


class EntryListService:
    """The edition's entry list for organizers: the list page's and the API's."""

    async def list_entries(
        self, user: CurrentUser, edition_id: int, query: ListQuery, *, page_size: int = PAGE_SIZE
    ) -> EntryPage:
        """One page of the edition's entries matching ``query``, newest first, with the total,
        the counts per status and the counts per screening outcome of the submitted matches.
        Rows carry the category's names as ``category.name_id`` / ``category.name_en``."""
        tally = await _managed_tally(user, edition_id)
        return await self._page(edition_id, query, tally, page_size)

    async def entry_list(
        self, user: CurrentUser, edition_id: int, query: ListQuery, *, page_size: int = PAGE_SIZE
    ) -> EntryList:
        """The organizer's list page: the edition (``id``, ``name_id``, ``name_en``,
        ``districts``, read once, with the counts and the categories), one page of entries as
        :meth:`list_entries`, the categories and districts to filter by, and the number of due
        screening notices."""
        async with db.one_connection():
            tally = await _managed_tally(user, edition_id, with_categories=True)
            page = await self._page(edition_id, query, tally, page_size, for_page=True)
        return EntryList(
            edition=tally.edition,
            page=page,
            categories=tally.categories,
            districts=list(tally.edition["districts"] or []),
            due_notices=tally.due,
        )

    async def _page(
        self,
        edition_id: int,
        query: ListQuery,
        tally: Tally,
        page_size: int,
        *,
        for_page: bool = False,
    ) -> EntryPage:
        """The page of ``query``; counts from ``tally`` when nothing is filtered, else from one
        grouped query over the matches. For the API the rows carry ``submitted_at`` and the
        category's names (a join); ``for_page`` (which shows no time and names the categories
        from the edition's list) they carry the ``category`` id instead."""
        where = await self._conditions(edition_id, query)
        if len(where) == 1:  # the edition only: the maintained counts are the matches' counts
            status_counts, screening_counts = tally.statuses, tally.screenings
        else:
            status_counts, screening_counts = await self._counts(where)
        total = sum(status_counts.values())
        pages = max(1, math.ceil(total / page_size))
        page = min(max(query.page, 1), pages)
        offset = (page - 1) * page_size
        if len(where) == 1:  # unfiltered (the usual request): the same select in plain SQL
            sql = _PAGE_ROWS_SQL if for_page else _API_ROWS_SQL
            rows = await db.fetch(sql, edition_id, page_size, offset)
        else:
            columns: list[Any] = [
                Entry.id,
                Entry.receipt_number,
                Entry.business_name,
                Entry.status,
                Entry.screening,
                Entry.district,
                Entry.size_class,
                Entry.source,
            ]
            if for_page:
                columns.append(Entry.category)
            else:
                columns += [Entry.submitted_at, Entry.category.name_id, Entry.category.name_en]
            rows = await (
                Entry.select(*columns)
                .where(*where)
                .order_by(Entry.id, ascending=False)
                .limit(page_size)
                .offset(offset)
            )
        return EntryPage(rows, total, page, pages, status_counts, screening_counts)

    async def _conditions(self, edition_id: int, query: ListQuery) -> list[Combinable]:
        where: list[Combinable] = [Entry.edition == edition_id]
        if query.status:
            where.append(Entry.status == query.status)
        if query.screening:
            # Screening applies to submitted entries only: a draft or withdrawn entry is
            # "pending" in the table but is not awaiting anyone's decision.
            where.append(Entry.screening == query.screening)
            where.append(Entry.status == EntryStatus.submitted.value)
        if query.category is not None:
            where.append(Entry.category == query.category)
        if query.district:
            where.append(Entry.district == query.district)
        if query.size_class:
            where.append(Entry.size_class == query.size_class)
        text = query.q.strip()
        if text:
            condition = db.contains(Entry.business_name, text) | db.starts_with(
                Entry.receipt_number, text
            )
            digits = re.sub(r"\s", "", text)
            if _NIB.match(digits):
                ids = await Business.select(Business.id).where(Business.nib == digits)
                if ids:
                    condition = condition | Entry.business.is_in([r["id"] for r in ids])
            where.append(condition)
        return where

    async def _counts(self, where: list[Combinable]) -> tuple[dict[str, int], dict[str, int]]:
        """Matches per status and, among the *submitted* matches only, per screening outcome
        (so "pending" means "submitted, awaiting screening"), from one grouped query; the sum
        of the status counts is the total, so no separate COUNT is needed."""
        rows = await (
            Entry.select(Entry.status, Entry.screening, Count(alias="n"))
            .where(*where)
            .group_by(Entry.status, Entry.screening)
        )
        statuses: dict[str, int] = {}
        screenings: dict[str, int] = {}
        for row in rows:
            statuses[row["status"]] = statuses.get(row["status"], 0) + row["n"]
            if row["status"] == EntryStatus.submitted.value:
                screenings[row["screening"]] = screenings.get(row["screening"], 0) + row["n"]
        return statuses, screenings


# Hot path (every entry list): plain SQL, Piccolo builds each of these selects in ~0.5-1 ms. The
# rows of an unfiltered list, newest first, as the Piccolo select of ``_page`` (the API's with
# the category's names, the page's with the category id), and the edition's categories.
_LIST_COLUMNS = (
    "e.id, e.receipt_number, e.business_name, e.status, e.screening, e.district, e.size_class, "
    "e.source"
)
_PAGE_ROWS_SQL = f"""
SELECT {_LIST_COLUMNS}, e.category FROM intake_entry e
WHERE e.edition = {{}} ORDER BY e.id DESC LIMIT {{}} OFFSET {{}}
"""
_API_ROWS_SQL = f"""
SELECT {_LIST_COLUMNS}, e.submitted_at,
       c.name_id AS "category.name_id", c.name_en AS "category.name_en"
FROM intake_entry e LEFT JOIN intake_category c ON c.id = e.category
WHERE e.edition = {{}} ORDER BY e.id DESC LIMIT {{}} OFFSET {{}}
"""

# Hot path (every entry list): plain SQL, Piccolo builds this join in ~0.5 ms. No row: no such
# edition; one row with a NULL status: an edition without entries.
_TALLY_COLUMNS = (
    "e.id, e.name_id, e.name_en, e.districts, c.status, c.screening, c.screening_notified, c.n"
)
_TALLY_FROM = """
FROM intake_edition e LEFT JOIN intake_entry_count c ON c.edition = e.id AND c.n > 0
WHERE e.id = {}
"""
_TALLY_SQL = f"SELECT {_TALLY_COLUMNS}{_TALLY_FROM}"
# The list page's head in one round trip: the rows of ``_TALLY_SQL`` (``kind`` 't') and the
# edition's categories in order (``kind`` 'c': ``id``, ``name_id``, ``name_en``). One statement
# instead of two takes a pool checkout, a driver call and a backend wake-up off every page.
_TALLY_AND_CATEGORIES_SQL = f"""
SELECT 't' AS kind, {_TALLY_COLUMNS}, 0 AS position{_TALLY_FROM}UNION ALL
SELECT 'c', id, name_id, name_en, NULL, NULL, NULL, NULL, NULL, position
FROM intake_category WHERE edition = {{}}
ORDER BY kind, position
"""


async def _managed_tally(
    user: CurrentUser, edition_id: int, *, with_categories: bool = False
) -> Tally:
    """:func:`_tally` of an edition ``user`` manages, with ``with_categories`` also its
    categories (``Tally.categories``, read in the same statement: ``_TALLY_AND_CATEGORIES_SQL``);
    :class:`NotFoundError` when the user does not manage the edition (before any statement) or
    the edition does not exist."""
    if not can_manage(user, edition_id):
        raise NotFoundError(edition_id)
    if with_categories:
        rows = await db.fetch(_TALLY_AND_CATEGORIES_SQL, edition_id, edition_id)
        tally = _tally_from([row for row in rows if row["kind"] == "t"])
        if tally is not None:
            tally.categories = [
                {"id": row["id"], "name_id": row["name_id"], "name_en": row["name_en"]}
                for row in rows
                if row["kind"] == "c"
            ]
    else:
        tally = await _tally(edition_id)
    if tally is None:
        raise NotFoundError(edition_id)
    return tally


async def _tally(edition_id: int) -> Tally | None:
    """The edition's maintained entry counts (``intake_entry_count``, kept by triggers: see
    migration 2026-12-01T02:00:00), or None if the edition does not exist; ``Tally.edition``
    holds the edition's ``id``, ``name_id``, ``name_en`` and ``districts``."""
    return _tally_from(await db.fetch(_TALLY_SQL, edition_id))


def _tally_from(rows: list[dict[str, Any]]) -> Tally | None:
    """The :class:`Tally` of ``_TALLY_SQL``'s rows; None when there are none (no edition)."""
    if not rows:
        return None
    first = rows[0]
    districts = first["districts"]
    tally = Tally(
        edition={
            "id": first["id"],
            "name_id": first["name_id"],
            "name_en": first["name_en"],
            "districts": json.loads(districts) if isinstance(districts, str) else districts,
        }
    )
    for row in rows:
        if row["status"] is not None:
            tally.add(row["status"], row["screening"], row["screening_notified"], row["n"])
    return tally
