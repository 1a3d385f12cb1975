"""Manual assignment edits: an organizer adds a judge to an entry of a round, or removes one,
with a reason.

Before anything is written the change is checked (:func:`check_edit`) and every warning is
returned for the organizer to confirm (:class:`ConfirmationNeededError` until ``confirm``):

* the design disconnects: the judges of the round, linked when they share an entry, fall into
  more groups than before (the engine's :func:`judging.judge_components`, the connected
  components its calibration uses, on the active (entry, judge) pairs before and after; a
  judge left with no entry is not a group); the calibration can then no longer compare the
  groups' judges;
* the entry keeps fewer judges than the round's k;
* the added judge goes over capacity (the profile's capacity over the edition's active
  assignments).

Refused outright: a judge who is not a judge of the round (a profile of the edition covering its
category), in conflict with the entry's business, already active on the entry, or who left it
(abstained or was recused); a closed round. A removed judge's assignment is withdrawn with the
reason and a sheet already begun is marked ``recused`` (kept, never counted); unlike a recusal
the entry is not passed to someone else. An added judge's assignment records who added it and
why. The judge added or removed is emailed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import judging
from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.tables import Entry
from awards.mail import Mailer
from awards.scoring.common import NotFoundError, ScoringRefusedError, managed_round, now_utc
from awards.scoring.panel.conflicts import active_assignment, withdraw_assignment
from awards.scoring.rounds.assignments import edition_loads, round_judges
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    JudgeProfile,
    RoundEntry,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)

__all__ = [
    "ConfirmationNeededError",
    "EditCheck",
    "EntryJudges",
    "add_in_transaction",
    "add_judge",
    "check_edit",
    "eligible_for_entry",
    "eligible_given",
    "eligible_judges",
    "entry_in_round",
    "entry_judges_view",
    "notify_edit",
    "remove_judge",
    "round_assignments",
]

MAX_REASON = 1000


class ConfirmationNeededError(ScoringRefusedError):
    """The change has warnings; nothing was written. ``check`` holds them."""

    def __init__(self, check: EditCheck) -> None:
        super().__init__(" ".join(check.warnings))
        self.check = check


@dataclass(frozen=True)
class EditCheck:
    """What a change would do: connected groups of judges before and after, judges left on
    the entry, and the translated warnings."""

    components_before: int
    components_after: int
    judges_after: int
    warnings: list[str] = field(default_factory=list)

    @property
    def disconnects(self) -> bool:
        return self.components_after > self.components_before


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Use at most 1000 characters.")})
    return reason


def _components(pairs: list[tuple[str, str]]) -> int:
    """Connected groups of judges linked by shared entries (:func:`judging.judge_components`)."""
    if not pairs:
        return 0
    entries = {e: i for i, e in enumerate(sorted({e for e, _j in pairs}))}
    judges = {j: i for i, j in enumerate(sorted({j for _e, j in pairs}))}
    labels = judging.judge_components(
        np.array([entries[e] for e, _j in pairs], dtype=np.intp),
        np.array([judges[j] for _e, j in pairs], dtype=np.intp),
        len(judges),
    )
    return int(labels.max()) + 1


async def _active_pairs(round_id: int) -> list[tuple[str, str]]:
    rows = await Assignment.select(Assignment.entry, Assignment.judge).where(
        (Assignment.round == round_id) & (Assignment.status == AssignmentStatus.active.value)
    )
    return [(str(r["entry"]), str(r["judge"])) for r in rows]


async def _check(
    round_row: dict[str, Any], entry_id: int, *, add: int | None = None, remove: int | None = None
) -> EditCheck:
    pairs = await _active_pairs(round_row["id"])
    after = [p for p in pairs if p != (str(entry_id), str(remove))]
    if add is not None:
        after.append((str(entry_id), str(add)))
    before_n, after_n = _components(pairs), _components(after)
    left = sum(1 for e, _j in after if e == str(entry_id))
    warnings = []
    if after_n > before_n:
        warnings.append(
            _(
                "This change splits the judges into %(n)s groups that share no entry: the "
                "engine can no longer compare their leniency across groups."
            )
            % {"n": after_n}
        )
    if remove is not None and left < round_row["judges_per_entry"]:
        warnings.append(
            _("The entry keeps %(n)s judges, fewer than the round's %(k)s.")
            % {"n": left, "k": round_row["judges_per_entry"]}
        )
    if add is not None:
        profile = next((j for j in await round_judges(round_row) if j["user"] == add), None)
        load = (await edition_loads(round_row["edition"]))[add]
        capacity = None if profile is None else profile["capacity"]
        if capacity is not None and load + 1 > capacity:
            warnings.append(
                _("This judge goes over capacity (%(load)s of %(capacity)s entries).")
                % {"load": load + 1, "capacity": capacity}
            )
    return EditCheck(before_n, after_n, left, warnings)


async def check_edit(
    actor: CurrentUser,
    round_id: int,
    entry_id: int,
    *,
    add: int | None = None,
    remove: int | None = None,
) -> EditCheck:
    """The warnings of adding ``add`` to or removing ``remove`` from the entry (not stored)."""
    return await _check(await managed_round(actor, round_id), entry_id, add=add, remove=remove)


@dataclass(frozen=True)
class EntryJudges:
    """The page of an entry's judges in a round: its ``assignments`` (active first, with the
    judge's email and the sheet's status) and the judges who could be added (``eligible``,
    :func:`eligible_for_entry`)."""

    round_id: int
    edition_id: int
    entry_id: int
    assignments: list[dict[str, Any]]
    eligible: list[dict[str, Any]]


async def _entry_business(round_id: int, entry_id: int) -> int:
    """The entry's business when the entry takes part in the round (an entrant, or assigned in
    it), in one statement; else :class:`NotFoundError`."""
    in_round = Entry.id.is_in(
        RoundEntry.select(RoundEntry.entry).where(
            (RoundEntry.round == round_id) & (RoundEntry.entry == entry_id)
        )
    ) | Entry.id.is_in(
        Assignment.select(Assignment.entry).where(
            (Assignment.round == round_id) & (Assignment.entry == entry_id)
        )
    )
    row = await Entry.select(Entry.business).where((Entry.id == entry_id) & in_round).first()
    if row is None:
        raise NotFoundError(f"entry {entry_id}")
    return row["business"]


async def round_assignments(round_id: int) -> list[dict[str, Any]]:
    """Every assignment of the round, with the judge's email and name (one statement)."""
    return await Assignment.select(
        Assignment.id,
        Assignment.entry,
        Assignment.judge,
        Assignment.status,
        Assignment.reason,
        Assignment.updated_at,
        Assignment.judge.email.as_alias("email"),
        Assignment.judge.display_name.as_alias("name"),
    ).where(Assignment.round == round_id)


async def _entry_sheets(round_id: int, entry_id: int) -> dict[int, str]:
    """judge -> status of the entry's sheets in the round."""
    return {
        s["judge"]: s["status"]
        for s in await ScoreSheet.select(ScoreSheet.judge, ScoreSheet.status).where(
            (ScoreSheet.round == round_id) & (ScoreSheet.entry == entry_id)
        )
    }


async def _unconflicted_judges(round_row: dict[str, Any], business: int) -> list[dict[str, Any]]:
    """The round's judges (:func:`~awards.scoring.rounds.assignments.round_judges`) with their
    email, less those in conflict with ``business``, by user id (one statement)."""
    edition = round_row["edition"]
    conflicted = Conflict.select(Conflict.judge).where(
        (Conflict.edition == edition) & (Conflict.business == business)
    )
    profiles = (
        await JudgeProfile.select(
            JudgeProfile.user, JudgeProfile.expertise, JudgeProfile.user.email.as_alias("email")
        )
        .where((JudgeProfile.edition == edition) & JudgeProfile.user.not_in(conflicted))
        .output(load_json=True)
        .order_by(JudgeProfile.user)
    )
    return [p for p in profiles if not p["expertise"] or round_row["category"] in p["expertise"]]


def _entry_rows(
    assignments: list[dict[str, Any]], sheets: dict[int, str], entry_id: int
) -> list[dict[str, Any]]:
    rows = [
        {k: v for k, v in row.items() if k != "entry"} | {"sheet": sheets.get(row["judge"], "")}
        for row in assignments
        if row["entry"] == entry_id
    ]
    return sorted(rows, key=lambda r: (r["status"] != "active", r["email"]))


def _eligible(
    assignments: list[dict[str, Any]],
    sheets: dict[int, str],
    judges: list[dict[str, Any]],
    entry_id: int,
) -> list[dict[str, Any]]:
    active = [r for r in assignments if r["status"] == AssignmentStatus.active.value]
    active_here = {r["judge"] for r in active if r["entry"] == entry_id}
    left = {
        judge
        for judge, status in sheets.items()
        if status in (SheetStatus.abstained.value, SheetStatus.recused.value)
    }
    load = Counter(r["judge"] for r in active)
    return sorted(
        (
            {"judge": j["user"], "email": j["email"], "load": load[j["user"]]}
            for j in judges
            if j["user"] not in active_here | left
        ),
        key=lambda r: (r["load"], r["email"]),
    )


async def entry_judges_view(actor: CurrentUser, round_id: int, entry_id: int) -> EntryJudges:
    """The entry's judges page in six statements whatever the round's size (the session's
    user included): the round, the entry's business (with the check that it takes part in
    the round), the round's assignments with the judges' emails, the entry's sheets, and the
    round's judges not in conflict with the business. :class:`NotFoundError` as
    :func:`entry_in_round`."""
    round_row = await managed_round(actor, round_id)
    business = await _entry_business(round_id, entry_id)
    assignments = await round_assignments(round_id)
    sheets = await _entry_sheets(round_id, entry_id)
    judges = await _unconflicted_judges(round_row, business)
    return EntryJudges(
        round_id=round_id,
        edition_id=round_row["edition"],
        entry_id=entry_id,
        assignments=_entry_rows(assignments, sheets, entry_id),
        eligible=_eligible(assignments, sheets, judges, entry_id),
    )


async def entry_in_round(actor: CurrentUser, round_id: int, entry_id: int) -> None:
    """:class:`NotFoundError` unless ``actor`` manages the round and the entry takes part in
    it (an entrant, or assigned in it): the entry judges page's check, without its reads."""
    await managed_round(actor, round_id)
    await _entry_business(round_id, entry_id)


async def eligible_judges(actor: CurrentUser, round_id: int, entry_id: int) -> list[dict[str, Any]]:
    """Judges who could be added to the entry: judges of the round not on the entry (and never
    abstained or recused from it), not in conflict with its business; with their load in the
    round, least loaded first."""
    round_row = await managed_round(actor, round_id)
    return await eligible_for_entry(round_row, entry_id)


async def eligible_for_entry(round_row: dict[str, Any], entry_id: int) -> list[dict[str, Any]]:
    """:func:`eligible_judges` for a round already checked (no guard)."""
    round_id = round_row["id"]
    business = await _entry_business(round_id, entry_id)
    assignments = await Assignment.select(
        Assignment.entry, Assignment.judge, Assignment.status
    ).where(Assignment.round == round_id)
    sheets = await _entry_sheets(round_id, entry_id)
    return await eligible_given(round_row, business, entry_id, assignments, sheets)


async def eligible_given(
    round_row: dict[str, Any],
    business: int,
    entry_id: int,
    assignments: list[dict[str, Any]],
    sheets: dict[int, str],
) -> list[dict[str, Any]]:
    """:func:`eligible_for_entry` given the entry's ``business``, the round's ``assignments``
    (entry, judge, status) and the entry's sheets (judge -> status) already read: one
    statement, the round's judges not in conflict with the business."""
    judges = await _unconflicted_judges(round_row, business)
    return _eligible(assignments, sheets, judges, entry_id)


async def add_in_transaction(
    round_row: dict[str, Any],
    entry_id: int,
    judge_id: int,
    reason: str,
    actor_id: int,
    *,
    confirm: bool,
) -> EditCheck:
    """Add the judge inside the caller's transaction (see the module docstring)."""
    if round_row["status"] == RoundStatus.closed.value:
        raise ScoringRefusedError(_("The round is closed."))
    if judge_id not in {j["judge"] for j in await eligible_for_entry(round_row, entry_id)}:
        raise ValidationError({"judge": _("This judge cannot be added to this entry.")})
    check = await _check(round_row, entry_id, add=judge_id)
    if check.warnings and not confirm:
        raise ConfirmationNeededError(check)
    now = now_utc()
    withdrawn = (
        await Assignment.select(Assignment.id)
        .where(
            (Assignment.round == round_row["id"])
            & (Assignment.entry == entry_id)
            & (Assignment.judge == judge_id)
        )
        .first()
    )
    if withdrawn is not None:
        await Assignment.update(
            {
                Assignment.status: AssignmentStatus.active.value,
                Assignment.reason: reason,
                Assignment.assigned_by: actor_id,
                Assignment.updated_at: now,
            }
        ).where(Assignment.id == withdrawn["id"])
    else:
        await Assignment.insert(
            Assignment(
                round=round_row["id"],
                entry=entry_id,
                judge=judge_id,
                reason=reason,
                assigned_by=actor_id,
            )
        )
    return check


async def notify_edit(mailer: Mailer | None, judge_id: int, entry_id: int, *, added: bool) -> None:
    """Email a judge added to, or removed from, an entry by an organizer."""
    if mailer is None:
        return
    row = await User.select(User.email).where(User.id == judge_id).first()
    if row is None:
        return
    url = f"{mailer.settings.base_url}/judge/"
    if added:
        subject = _("A new entry to score")
        body = _("The organizers added you as a judge of entry #%(id)s. Your scoring desk: %(url)s")
    else:
        subject = _("An entry was taken off your list")
        body = _(
            "The organizers removed you as a judge of entry #%(id)s. Your scoring desk: %(url)s"
        )
    await mailer.send(row["email"], subject, body % {"id": entry_id, "url": url})


async def add_judge(
    actor: CurrentUser,
    round_id: int,
    entry_id: int,
    judge_id: int,
    reason: str,
    *,
    confirm: bool = False,
    mailer: Mailer | None = None,
) -> EditCheck:
    """Add ``judge_id`` to the entry (see the module docstring); the judge is emailed."""
    reason = _reason(reason)
    async with db.write_transaction():
        round_row = await managed_round(actor, round_id)
        check = await add_in_transaction(
            round_row, entry_id, judge_id, reason, actor.id, confirm=confirm
        )
    await notify_edit(mailer, judge_id, entry_id, added=True)
    return check


async def remove_judge(
    actor: CurrentUser,
    round_id: int,
    entry_id: int,
    judge_id: int,
    reason: str,
    *,
    confirm: bool = False,
    mailer: Mailer | None = None,
) -> EditCheck:
    """Remove ``judge_id`` from the entry (see the module docstring); the judge is emailed."""
    reason = _reason(reason)
    async with db.write_transaction():
        round_row = await managed_round(actor, round_id)
        if round_row["status"] == RoundStatus.closed.value:
            raise ScoringRefusedError(_("The round is closed."))
        assignment = await active_assignment(round_id, entry_id, judge_id)
        check = await _check(round_row, entry_id, remove=judge_id)
        if check.warnings and not confirm:
            raise ConfirmationNeededError(check)
        begun = await ScoreSheet.exists().where(
            (ScoreSheet.round == round_id)
            & (ScoreSheet.entry == entry_id)
            & (ScoreSheet.judge == judge_id)
        )
        await withdraw_assignment(
            round_row,
            assignment,
            actor=actor.id,
            status=SheetStatus.recused.value if begun else None,
            reason=reason,
            replace=False,
        )
    await notify_edit(mailer, judge_id, entry_id, added=False)
    return check
