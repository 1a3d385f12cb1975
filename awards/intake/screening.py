"""Organizer screening: the entry list (search, filters, pages, counts), entry detail, the
eligible/ineligible decision with its reason, the notice that tells the business, and private
notes.

**Decisions are emailed in an explicit step, not at once.** Saving a decision changes only the
entry (the entrant's page shows it). The business is emailed when an organizer sends the notice
(:meth:`ScreeningService.notify` for one entry, :meth:`ScreeningService.notify_edition` for every
entry of an edition whose notice is due). A notice is *due* when a submitted entry's decision
differs from ``Entry.screening_notified``, the decision last emailed; sending records it, in the
same conditional update that claims the entry, so two organizers pressing "send" at once send one
mail. Why a step rather than an undo window: screening is done in batches and corrected as
organizers compare entries; flipping ineligible -> eligible before sending leaves nothing to
contradict, flipping back to the decision already sent leaves nothing due, and no timer or
background worker has to run in every app process. A correction sent after a notice says that it
replaces the earlier message.

The list reads only ``intake_entry`` (snapshot columns ``business_name``, ``district``,
``size_class``) plus the category name, ordered newest first by id, :data:`PAGE_SIZE` rows per
page, served by the composite indexes ``(edition, id)``, ``(edition, status, id)`` and
``(edition, category, id)``. Search ``q`` matches, case-insensitively, a part of the business
name, the start of a receipt number, or a business's exact 13-digit NIB. The counts of an
unfiltered list and the due notices come from ``intake_entry_count``, which triggers on
``intake_entry`` keep per (edition, status, screening, screening_notified) (migration
2026-12-01T02:00:00), so they cost a few rows, not a scan of the edition; a filtered list counts
its matches with one grouped query.

Every operation checks that the user manages the entry's edition
(:func:`awards.intake.editions.can_manage`); otherwise :class:`NotFoundError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import Where
from piccolo.query.functions.aggregate import Count

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.intake.common import NotFoundError, format_local
from awards.intake.edition_status import ensure_edition_allows
from awards.intake.editions import can_manage
from awards.intake.entry_sql import (
    ATTACHMENTS_SQL,
    CONTEXT_FORM,
    ENTRY_NOTES_SQL,
    ORGANIZER_ENTRY_PARTS,
    ORGANIZER_ENTRY_SQL,
    split,
)
from awards.intake.fields import FileField, MultipleChoiceField, SingleChoiceField
from awards.intake.formspec import stored_form
from awards.intake.lifecycle import Action
from awards.intake.tables import (
    Business,
    BusinessMember,
    Category,
    Edition,
    Entry,
    EntryNote,
    EntryStatus,
    Screening,
)
from awards.mail import Mailer
from awards.scoring.panel.judges import refuse_staff_entry
from awards.settings import Settings

__all__ = [
    "PAGE_SIZE",
    "AnswerView",
    "EntryDetail",
    "EntryList",
    "EntryPage",
    "ListQuery",
    "ScreeningService",
    "Tally",
]

PAGE_SIZE = 50
MAX_REASON = 2000
MAX_NOTE = 5000
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
    (the conditions of :func:`_due`)."""

    statuses: dict[str, int] = field(default_factory=dict)
    screenings: dict[str, int] = field(default_factory=dict)
    due: int = 0
    edition: dict[str, Any] = field(default_factory=dict, compare=False)

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


@dataclass(frozen=True)
class AnswerView:
    """One question and the entrant's answer as display text (files: attachment rows)."""

    key: str
    label: str
    type: str
    text: str
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EntryDetail:
    """An entry for the organizer; ``edition`` holds the edition's ``id``, ``status`` and
    ``time_zone``, ``category`` the category's ``id``, ``slug``, ``name_id`` and ``name_en``;
    ``screened_by_name`` is the screener's display name or e-mail ("" if none)."""

    entry: dict[str, Any]
    edition: dict[str, Any]
    category: dict[str, Any]
    business: dict[str, Any]
    answers: list[AnswerView]
    notes: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    screened_by_name: str = ""


def _contains(column: Column, text: str) -> Where:
    """Case-insensitive substring match (ILIKE on PostgreSQL; SQLite's LIKE already is)."""
    pattern = f"%{text}%"
    if db.is_postgres():
        return column.ilike(pattern)
    return column.like(pattern)


def _starts(column: Column, text: str) -> Where:
    if db.is_postgres():
        return column.ilike(f"{text}%")
    return column.like(f"{text}%")


def attachment_url(entry_id: int, attachment_id: int, *, thumbnail: bool = False) -> str:
    """URL of an attachment (served by the entrant side, which also admits organizers)."""
    base = f"/entries/{entry_id}/attachments/{attachment_id}"
    return f"{base}/thumbnail" if thumbnail else base


class ScreeningService:
    """Entry list, detail, screening decisions and notes for organizers."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    async def _edition(self, user: CurrentUser, edition_id: int) -> dict[str, Any]:
        row = await Edition.select().output(load_json=True).where(Edition.id == edition_id).first()
        if row is None or not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        return row

    async def _conditions(self, edition_id: int, query: ListQuery) -> list[Where]:
        where = [Entry.edition == edition_id]
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
        text = re.sub(r"[%_\\]", " ", query.q).strip()
        if text:
            condition = _contains(Entry.business_name, text) | _starts(Entry.receipt_number, text)
            digits = re.sub(r"\s", "", text)
            if _NIB.match(digits):
                ids = await Business.select(Business.id).where(Business.nib == digits)
                if ids:
                    condition = condition | Entry.business.is_in([r["id"] for r in ids])
            where.append(condition)
        return where

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
        ``districts``, read once, with the counts), one page of entries as :meth:`list_entries`,
        the categories and districts to filter by, and the number of due screening notices
        (:meth:`due_count`)."""
        if not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        async with db.one_connection():
            rows = await db.fetch(_TALLY_AND_CATEGORIES_SQL, edition_id, edition_id)
            tally = _tally_from([row for row in rows if row["kind"] == "t"])
            if tally is None:
                raise NotFoundError(edition_id)
            page = await self._page(edition_id, query, tally, page_size, for_page=True)
        categories = [
            {"id": row["id"], "name_id": row["name_id"], "name_en": row["name_en"]}
            for row in rows
            if row["kind"] == "c"
        ]
        return EntryList(
            edition=tally.edition,
            page=page,
            categories=categories,
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

    async def _counts(self, where: list[Where]) -> tuple[dict[str, int], dict[str, int]]:
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

    async def _entry(self, user: CurrentUser, entry_id: int) -> dict[str, Any]:
        entry = await Entry.select().output(load_json=True).where(Entry.id == entry_id).first()
        if entry is None or not can_manage(user, entry["edition"]):
            raise NotFoundError(entry_id)
        return entry

    async def detail(self, user: CurrentUser, entry_id: int, language: str = "id") -> EntryDetail:
        """The entry with its business, answers as display text, attachments and notes.

        Three statements in plain SQL on one pooled connection (see
        :mod:`awards.intake.entry_sql`; the organizer's entry page is a hot path): the entry
        joined with its business, category, edition and screener, then its attachments and its
        notes."""
        async with db.one_connection():
            rows = await db.fetch(ORGANIZER_ENTRY_SQL, entry_id)
            if not rows or not can_manage(user, rows[0]["e_edition"]):
                raise NotFoundError(entry_id)
            attachments = await db.fetch(ATTACHMENTS_SQL, entry_id)
            notes = await db.fetch(ENTRY_NOTES_SQL, entry_id)
        row = rows[0]
        entry, business, category = (
            split(row, pairs, json_names) for _part, pairs, json_names in ORGANIZER_ENTRY_PARTS
        )
        edition = {
            "id": entry["edition"],
            "status": row["edition.status"],
            "time_zone": row["edition.time_zone"],
        }
        screener = row["screener.display_name"] or row["screener.email"] or ""
        for item in attachments:
            item["url"] = attachment_url(entry_id, item["id"])
            item["thumbnail_url"] = (
                attachment_url(entry_id, item["id"], thumbnail=True)
                if item["thumbnail_key"]
                else None
            )
        answers = [
            _answer_view(spec, entry["answers"] or {}, attachments, language)
            for spec in stored_form(row[CONTEXT_FORM]).ordered
        ]
        return EntryDetail(
            entry, edition, category, business, answers, notes, attachments, screener
        )

    async def decide(self, user: CurrentUser, entry_id: int, decision: str, reason: str) -> None:
        """Mark a submitted entry eligible or ineligible (a reason is required for ineligible;
        the entrant sees it on the entry's page). Nothing is emailed: see :meth:`notify`.
        Refused with :class:`~awards.intake.lifecycle.EditionLockedError` once judging has
        started or results are published (unless a correction is opened)."""
        reason = reason.strip()
        if decision not in (Screening.eligible.value, Screening.ineligible.value):
            raise ValidationError({"decision": _("Choose eligible or ineligible.")})
        if decision == Screening.ineligible.value and not reason:
            raise ValidationError({"reason": _("Give the reason; the entrant will see it.")})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": _("Use at most 2000 characters.")})
        async with db.write_transaction():
            entry = await self._entry(user, entry_id)
            await ensure_edition_allows(entry["edition"], Action.screening)
            if entry["status"] != EntryStatus.submitted.value:
                raise ValidationError({"decision": _("Only submitted entries can be screened.")})
            if decision == Screening.eligible.value:
                await refuse_staff_entry(entry["edition"], entry["business"], None, "decision")
            await Entry.update(
                {
                    Entry.screening: decision,
                    Entry.screening_reason: reason,
                    Entry.screened_at: datetime.now(UTC),
                    Entry.screened_by: user.id,
                    Entry.updated_at: datetime.now(UTC),
                }
            ).where(Entry.id == entry_id)

    async def notify(self, user: CurrentUser, entry_id: int) -> bool:
        """Email the business the entry's current decision if it is due (see the module
        docstring); return whether a notice was sent."""
        entry = await self._entry(user, entry_id)
        return await self._send_due([entry["id"]]) == 1

    async def notify_edition(self, user: CurrentUser, edition_id: int) -> int:
        """Send every due notice of the edition; return how many entries were notified."""
        await self._edition(user, edition_id)
        rows = await Entry.select(Entry.id).where(*_due(edition_id)).order_by(Entry.id)
        return await self._send_due([row["id"] for row in rows])

    async def due_count(self, user: CurrentUser, edition_id: int) -> int:
        """How many entries of the edition have a decision the business was not yet sent."""
        tally = await _managed_tally(user, edition_id)
        return tally.due

    async def _send_due(self, entry_ids: list[int]) -> int:
        """Claim each entry whose notice is due (one conditional update per entry, so a notice
        is claimed once), then mail the claimed ones after the commit."""
        claimed: list[tuple[dict[str, Any], str]] = []
        async with db.write_transaction():
            for entry_id in entry_ids:
                entry = (
                    await Entry.select()
                    .output(load_json=True)
                    .where(Entry.id == entry_id, *_due(None))
                    .first()
                )
                if entry is None:
                    continue
                updated = (
                    await Entry.update(
                        {
                            Entry.screening_notified: entry["screening"],
                            Entry.screening_notified_at: datetime.now(UTC),
                        }
                    )
                    .where(
                        (Entry.id == entry_id)
                        & (Entry.screening == entry["screening"])
                        & (Entry.screening_notified == entry["screening_notified"])
                    )
                    .returning(Entry.id)
                )
                if updated:
                    claimed.append((entry, entry["screening_notified"]))
        for entry, previous in claimed:
            await self._mail_decision(
                entry, entry["screening"], entry["screening_reason"], correction=bool(previous)
            )
        return len(claimed)

    async def _mail_decision(
        self, entry: Mapping[str, Any], decision: str, reason: str, *, correction: bool = False
    ) -> None:
        members = await (
            BusinessMember.select(BusinessMember.user.email, BusinessMember.user.language)
            .where(BusinessMember.business == entry["business"])
            .order_by(BusinessMember.id)
        )
        recipients = [(m["user.email"], m["user.language"] or "id") for m in members]
        if not recipients:
            business = (
                await Business.select(Business.email)
                .where(Business.id == entry["business"])
                .first()
            )
            if business and business["email"]:
                recipients = [(business["email"], "id")]
        category = (
            await Category.select()
            .output(load_json=True)
            .where(Category.id == entry["category"])
            .first()
        )
        link = f"{self.settings.base_url}/entries/{entry['id']}"
        for address, language in recipients:
            with use_language(language):
                name = (category["name_en"] if language == "en" else "") or category["name_id"]
                facts = {
                    "receipt": entry["receipt_number"] or "-",
                    "category": name,
                    "business": entry["business_name"],
                }
                if decision == Screening.eligible.value:
                    subject = _("Your entry %(receipt)s is eligible") % facts
                    body = (
                        _(
                            "Good news: the organizers checked the entry %(receipt)s of "
                            "%(business)s in the category %(category)s and found it eligible. "
                            "It goes on to judging."
                        )
                        % facts
                    )
                else:
                    subject = _("Your entry %(receipt)s is not eligible") % facts
                    body = (
                        _(
                            "The organizers checked the entry %(receipt)s of %(business)s in the "
                            "category %(category)s and found it not eligible."
                        )
                        % facts
                    )
                    body += "\n\n" + _("Reason: %(reason)s") % {"reason": reason}
                if correction:
                    body += "\n\n" + _("This message replaces our earlier message about it.")
                body += "\n\n" + _("See the entry: %(link)s") % {"link": link}
            await self.mailer.send(address, subject, body)

    async def add_note(self, user: CurrentUser, entry_id: int, body: str) -> None:
        """Add an organizer-only note."""
        body = body.strip()
        if not body:
            raise ValidationError({"body": _("Write the note.")})
        if len(body) > MAX_NOTE:
            raise ValidationError({"body": _("Use at most 5000 characters.")})
        await self._entry(user, entry_id)
        async with db.write_transaction():
            await EntryNote.insert(EntryNote(entry=entry_id, author=user.id, body=body))


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


async def _managed_tally(user: CurrentUser, edition_id: int) -> Tally:
    """:func:`_tally` of an edition ``user`` manages; ``NotFoundError`` otherwise or when the
    edition does not exist."""
    if not can_manage(user, edition_id):
        raise NotFoundError(edition_id)
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


def _due(edition_id: int | None) -> list[Where]:
    """Conditions of "a notice is due": submitted, decided, and not the decision last sent."""
    where = [
        Entry.status == EntryStatus.submitted.value,
        Entry.screening != Screening.pending.value,
        Entry.screening != Entry.screening_notified,
    ]
    if edition_id is not None:
        where.insert(0, Entry.edition == edition_id)
    return where


def _answer_view(
    spec: Any, answers: Mapping[str, Any], attachments: list[dict[str, Any]], language: str
) -> AnswerView:
    label = spec.label.get(language)
    value = answers.get(spec.key)
    if isinstance(spec, FileField):
        files = [a for a in attachments if a["field_key"] == spec.key]
        return AnswerView(spec.key, label, spec.type, "", files)
    if value is None or value == "" or value == []:
        return AnswerView(spec.key, label, spec.type, "")
    if isinstance(spec, SingleChoiceField | MultipleChoiceField):
        names = {o.key: o.label.get(language) for o in spec.options}
        chosen = value if isinstance(value, list) else [value]
        return AnswerView(spec.key, label, spec.type, ", ".join(names.get(k, k) for k in chosen))
    return AnswerView(spec.key, label, spec.type, str(value))


def local_time(moment: datetime | None, time_zone: str) -> str:
    """``format_local`` that tolerates ``None`` (shown as an empty string)."""
    return format_local(moment, time_zone) if moment else ""
