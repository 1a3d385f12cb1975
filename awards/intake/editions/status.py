"""Edition status changes: preconditions, confirmation, the status log, and the locks.

The rules live in :mod:`awards.intake.editions.lifecycle` (pure); this module applies them to the
database:

* :meth:`EditionLifecycle.plan` — what moving an edition to a status would need (blockers with
  links) and do (consequences), for the confirmation page;
* :meth:`EditionLifecycle.change` — the move itself, in one transaction with the edition row
  locked: the transition must exist, every registered precondition must hold, a reversal needs
  a reason; one :class:`~awards.intake.tables.EditionStatusChange` row records who, when, from,
  to and why;
* :func:`ensure_edition_allows` — "may this action happen in this edition now?" for services
  (imports, screening, scoring, results), raising
  :class:`~awards.intake.editions.lifecycle.EditionLockedError` with the translated reason.

Intake's own preconditions are registered below: back to draft only without entries; open only
with a category; judging only when no submitted entry awaits screening, at least one entry is
eligible and every category with eligible entries has a rubric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, current_language, ngettext
from awards.intake.common import NotFoundError, lock_for_update
from awards.intake.editions.lifecycle import (
    Action,
    Blocker,
    EditionStatus,
    Transition,
    ensure_allowed,
    next_transitions,
    preconditions,
    refusal,
    register_precondition,
    status_label,
    transition,
)
from awards.intake.editions.service import can_manage
from awards.intake.tables import (
    Category,
    Edition,
    EditionStatusChange,
    Entry,
    EntryStatus,
    Screening,
)

__all__ = [
    "MAX_REASON",
    "EditionLifecycle",
    "TransitionPlan",
    "edition_refusal",
    "ensure_edition_allows",
    "local_name",
    "status_history",
]

MAX_REASON = 2000
LISTED = 10  # blockers link at most this many entries, then the filtered list


async def _status_of(edition_id: int) -> str:
    row = await Edition.select(Edition.status).where(Edition.id == edition_id).first()
    if row is None:
        raise NotFoundError(edition_id)
    return row["status"]


async def edition_refusal(edition_id: int, action: Action | str) -> str | None:
    """Why ``action`` may not happen in the edition now (translated), or ``None``."""
    return refusal(action, await _status_of(edition_id))


async def ensure_edition_allows(edition_id: int, action: Action | str) -> None:
    """Raise :class:`EditionLockedError` unless ``action`` may happen in the edition now.

    Inside a write transaction on PostgreSQL the edition row is locked first, so a status
    change cannot slip in between this check and the caller's writes."""
    await lock_for_update("intake_edition", edition_id)
    ensure_allowed(action, await _status_of(edition_id))


@dataclass
class TransitionPlan:
    """What moving ``edition`` along ``transition`` needs and does."""

    edition: dict[str, Any]
    transition: Transition
    blockers: list[Blocker]

    @property
    def ready(self) -> bool:
        return not self.blockers


class EditionLifecycle:
    """Status changes of editions and their log, for organizers who manage the edition."""

    async def _edition(self, user: CurrentUser, edition_id: int) -> dict[str, Any]:
        row = await Edition.select().output(load_json=True).where(Edition.id == edition_id).first()
        if row is None or not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        return row

    def _transition(self, edition: Mapping[str, Any], target: str) -> Transition:
        found = transition(edition["status"], target)
        if found is None:
            raise ValidationError(
                {
                    "status": _("An edition in status %(current)s cannot become %(new)s.")
                    % {"current": status_label(edition["status"]), "new": status_label(target)}
                }
            )
        return found

    async def transitions(self, user: CurrentUser, edition_id: int) -> list[Transition]:
        """The moves out of the edition's current status."""
        return next_transitions((await self._edition(user, edition_id))["status"])

    async def plan(self, user: CurrentUser, edition_id: int, target: str) -> TransitionPlan:
        """The transition to ``target`` with its unmet preconditions (nothing is written)."""
        edition = await self._edition(user, edition_id)
        found = self._transition(edition, target)
        return TransitionPlan(edition, found, await _blockers(edition, found))

    async def change(
        self, user: CurrentUser, edition_id: int, target: str, reason: str = ""
    ) -> Transition:
        """Move the edition to ``target`` and log it. Raises ``ValidationError`` for a move
        that does not exist, a missing reason (``reason``) or unmet preconditions
        (``status``, the blockers' messages)."""
        reason = reason.strip()
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": _("Use at most 2000 characters.")})
        async with db.write_transaction():
            await lock_for_update("intake_edition", edition_id)
            edition = await self._edition(user, edition_id)
            found = self._transition(edition, target)
            if found.reason_required and not reason:
                raise ValidationError({"reason": _("Give the reason; it is kept in the log.")})
            blockers = await _blockers(edition, found)
            if blockers:
                raise ValidationError({"status": " ".join(b.message for b in blockers)})
            now = datetime.now(UTC)
            await Edition.update({Edition.status: target, Edition.updated_at: now}).where(
                Edition.id == edition_id
            )
            await EditionStatusChange.insert(
                EditionStatusChange(
                    edition=edition_id,
                    from_status=edition["status"],
                    to_status=target,
                    reason=reason,
                    changed_by=user.id,
                    created_at=now,
                )
            )
        return found

    async def history(self, user: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
        """The edition's status changes, newest first, with the name of who made each."""
        await self._edition(user, edition_id)
        return await status_history(edition_id)


async def status_history(edition_id: int) -> list[dict[str, Any]]:
    """:meth:`EditionLifecycle.history` without the access check, for a page that has already
    loaded the edition for this user (one query)."""
    rows = (
        await EditionStatusChange.select(
            EditionStatusChange.id,
            EditionStatusChange.from_status,
            EditionStatusChange.to_status,
            EditionStatusChange.reason,
            EditionStatusChange.created_at,
            EditionStatusChange.changed_by.email,
            EditionStatusChange.changed_by.display_name,
        )
        .where(EditionStatusChange.edition == edition_id)
        .order_by(EditionStatusChange.id, ascending=False)
    )
    for row in rows:
        row["who"] = row["changed_by.display_name"] or row["changed_by.email"] or _("(deleted)")
    return rows


async def _blockers(edition: Mapping[str, Any], found: Transition) -> list[Blocker]:
    out: list[Blocker] = []
    for check in preconditions(*found.key):
        out.extend(await check(edition))
    return out


def local_name(row: Mapping[str, Any]) -> str:
    """``name_en`` in the English UI when filled in, else ``name_id``."""
    if current_language().startswith("en") and row.get("name_en"):
        return row["name_en"]
    return row["name_id"]


# -- intake's preconditions ----------------------------------------------------------------


def _entries_url(edition_id: int, **query: str) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/organizer/editions/{edition_id}/entries" + (f"?{suffix}" if suffix else "")


@register_precondition(EditionStatus.open, EditionStatus.draft)
async def no_entries_yet(edition: Mapping[str, Any]) -> list[Blocker]:
    """An edition returns to draft only while nobody has entered (entries would be orphaned)."""
    count = await Entry.count().where(Entry.edition == edition["id"])
    if not count:
        return []
    message = ngettext(
        "%(num)d entry exists; an edition with entries cannot return to draft.",
        "%(num)d entries exist; an edition with entries cannot return to draft.",
        count,
    ) % {"num": count}
    return [Blocker(message, ((_("See the entries"), _entries_url(edition["id"])),))]


@register_precondition(EditionStatus.draft, EditionStatus.open)
async def has_a_category(edition: Mapping[str, Any]) -> list[Blocker]:
    """Registration opens only when there is a category to enter."""
    if await Category.exists().where(Category.edition == edition["id"]):
        return []
    link = (_("Add a category"), f"/organizer/editions/{edition['id']}/categories/new")
    return [Blocker(_("The edition has no category yet."), (link,))]


async def unscreened_entries(edition_id: int) -> tuple[int, list[dict[str, Any]]]:
    """How many submitted entries await screening, and the oldest :data:`LISTED` of them."""
    where = (
        (Entry.edition == edition_id)
        & (Entry.status == EntryStatus.submitted.value)
        & (Entry.screening == Screening.pending.value)
    )
    count = await Entry.count().where(where)
    rows = (
        await Entry.select(Entry.id, Entry.receipt_number, Entry.business_name)
        .where(where)
        .order_by(Entry.id)
        .limit(LISTED)
    )
    return count, rows


async def categories_without_rubric(edition_id: int, *, eligible_only: bool) -> list[dict]:
    """Categories with no rubric criterion (only those with eligible entries if asked)."""
    categories = (
        await Category.select(Category.id, Category.name_id, Category.name_en, Category.rubric)
        .output(load_json=True)
        .where(Category.edition == edition_id)
    )
    wanted = None
    if eligible_only:
        rows = await (
            Entry.select(Entry.category, Count(alias="n"))
            .where(
                (Entry.edition == edition_id)
                & (Entry.status == EntryStatus.submitted.value)
                & (Entry.screening == Screening.eligible.value)
            )
            .group_by(Entry.category)
        )
        wanted = {row["category"] for row in rows}
    out = []
    for row in categories:
        if (wanted is None or row["id"] in wanted) and not (row["rubric"] or {}).get("criteria"):
            out.append(row)
    return out


@register_precondition(EditionStatus.closed, EditionStatus.judging)
async def screening_finished(edition: Mapping[str, Any]) -> list[Blocker]:
    """Judging starts only when no submitted entry awaits screening (each one listed)."""
    count, rows = await unscreened_entries(edition["id"])
    if not count:
        return []
    links = tuple(
        (f"{row['receipt_number'] or '#' + str(row['id'])} — {row['business_name']}",
         f"/organizer/entries/{row['id']}")
        for row in rows
    )  # fmt: skip
    if count > len(rows):
        links += (
            (
                _("All %(num)d unscreened entries") % {"num": count},
                _entries_url(edition["id"], status="submitted", screening="pending"),
            ),
        )
    message = ngettext(
        "%(num)d submitted entry has not been screened.",
        "%(num)d submitted entries have not been screened.",
        count,
    ) % {"num": count}
    return [Blocker(message, links)]


@register_precondition(EditionStatus.closed, EditionStatus.judging)
async def something_to_judge(edition: Mapping[str, Any]) -> list[Blocker]:
    """Judging needs at least one eligible entry, and a rubric in each category that has one."""
    eligible = await Entry.count().where(
        (Entry.edition == edition["id"])
        & (Entry.status == EntryStatus.submitted.value)
        & (Entry.screening == Screening.eligible.value)
    )
    if not eligible:
        return [Blocker(_("No entry has been found eligible yet."))]
    missing = await categories_without_rubric(edition["id"], eligible_only=True)
    return [
        Blocker(
            _("The category %(name)s has eligible entries but no rubric.")
            % {"name": local_name(row)},
            ((_("Add the rubric"), f"/organizer/categories/{row['id']}#rubric"),),
        )
        for row in missing
    ]
