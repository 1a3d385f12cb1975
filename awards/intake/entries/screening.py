"""Organizer screening: entry detail, the eligible/ineligible decision with its reason, the
notice that tells the business, and private notes. (The entry list is
:mod:`awards.intake.entries.listing`.)

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

Every operation checks that the user manages the entry's edition
(:func:`awards.intake.editions.service.can_manage`); otherwise :class:`NotFoundError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from piccolo.columns.combination import Where

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.intake.common import NotFoundError, format_local
from awards.intake.editions.lifecycle import Action
from awards.intake.editions.service import can_manage
from awards.intake.editions.status import ensure_edition_allows
from awards.intake.entries.sql import (
    ATTACHMENTS_SQL,
    CONTEXT_FORM,
    ENTRY_NOTES_SQL,
    ORGANIZER_ENTRY_PARTS,
    ORGANIZER_ENTRY_SQL,
    split,
)
from awards.intake.form.fields import FileField, MultipleChoiceField, SingleChoiceField
from awards.intake.form.formspec import stored_form
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

__all__ = ["AnswerView", "EntryDetail", "ScreeningService"]

MAX_REASON = 2000
MAX_NOTE = 5000


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


def attachment_url(entry_id: int, attachment_id: int, *, thumbnail: bool = False) -> str:
    """URL of an attachment (served by the entrant side, which also admits organizers)."""
    base = f"/entries/{entry_id}/attachments/{attachment_id}"
    return f"{base}/thumbnail" if thumbnail else base


class ScreeningService:
    """Entry detail, screening decisions, their notices and notes for organizers."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    async def _edition(self, user: CurrentUser, edition_id: int) -> dict[str, Any]:
        row = await Edition.select().output(load_json=True).where(Edition.id == edition_id).first()
        if row is None or not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        return row

    async def _entry(self, user: CurrentUser, entry_id: int) -> dict[str, Any]:
        entry = await Entry.select().output(load_json=True).where(Entry.id == entry_id).first()
        if entry is None or not can_manage(user, entry["edition"]):
            raise NotFoundError(entry_id)
        return entry

    async def detail(self, user: CurrentUser, entry_id: int, language: str = "id") -> EntryDetail:
        """The entry with its business, answers as display text, attachments and notes.

        Three statements in plain SQL on one pooled connection (see
        :mod:`awards.intake.entries.sql`; the organizer's entry page is a hot path): the entry
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
        Refused with :class:`~awards.intake.editions.lifecycle.EditionLockedError` once judging has
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
