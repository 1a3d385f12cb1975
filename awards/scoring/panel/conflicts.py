"""Conflicts of interest, declarations, abstentions and recusals.

* An organizer enters a conflict (judge x business, with a reason); it covers every entry of the
  business in the edition. A judge declares before seeing an entry: "no conflict" (the entry
  opens) or "conflict" with a reason (recorded as a declared conflict).
* A judge abstains from an entry with a reason; an organizer recuses a judge from an entry.
* Whenever a judge leaves an entry this way, the assignment is withdrawn, an existing sheet is
  marked ``abstained``/``recused`` (kept, never counted), and while the round is not closed the
  entry goes to another judge so it keeps k (:func:`awards.scoring.rounds.assignments.reassign`).
* Same district or same sector as a judge's affiliation is only *suggested* for review
  (:func:`suggestions`), never blocked.
"""

from __future__ import annotations

from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.tables import Business, Entry
from awards.mail import Mailer
from awards.scoring.common import (
    NotFoundError,
    ScoringRefusedError,
    managed_round,
    now_utc,
    require_manager,
)
from awards.scoring.judge.sheets import snapshot
from awards.scoring.rounds.assignments import notify_new_judges, reassign
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ConflictSource,
    Declaration,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
    SheetRevision,
    SheetStatus,
)

__all__ = [
    "abstain",
    "active_assignment",
    "add_conflict",
    "declare",
    "edition_conflicts",
    "recuse",
    "withdraw_assignment",
]


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Use at most 1000 characters.")})
    return reason


async def withdraw_assignment(
    round_row: dict[str, Any],
    assignment: dict[str, Any],
    *,
    actor: int,
    status: str | None,
    reason: str,
    declaration: str | None = None,
    replace: bool = True,
) -> int | None:
    """Withdraw ``assignment``; mark its sheet ``status`` (creating one for an abstention or
    recusal); with ``replace``, reassign the entry unless the round is closed. Returns the new
    judge, if any."""
    now = now_utc()
    values: dict[Any, Any] = {
        Assignment.status: AssignmentStatus.withdrawn.value,
        Assignment.reason: reason,
        Assignment.updated_at: now,
    }
    if declaration is not None:
        values[Assignment.declaration] = declaration
    await Assignment.update(values).where(Assignment.id == assignment["id"])
    if status is not None:
        sheet = (
            await ScoreSheet.select()
            .where(
                (ScoreSheet.round == assignment["round"])
                & (ScoreSheet.entry == assignment["entry"])
                & (ScoreSheet.judge == assignment["judge"])
            )
            .output(load_json=True)
            .first()
        )
        if sheet is None:
            rows = await ScoreSheet.insert(
                ScoreSheet(
                    round=assignment["round"],
                    entry=assignment["entry"],
                    judge=assignment["judge"],
                    status=status,
                    reason=reason,
                    rubric_version=round_row["rubric_version"],
                )
            ).returning(ScoreSheet.id)
            sheet_id, version, old = rows[0]["id"], 1, {}
        else:
            sheet_id, version, old = sheet["id"], sheet["version"] + 1, snapshot(sheet)
            await ScoreSheet.update(
                {
                    ScoreSheet.status: status,
                    ScoreSheet.reason: reason,
                    ScoreSheet.version: version,
                    ScoreSheet.updated_at: now,
                }
            ).where(ScoreSheet.id == sheet_id)
        new = {**old, "status": status, "reason": reason}
        await SheetRevision.insert(
            SheetRevision(
                sheet=sheet_id,
                version=version,
                actor=actor,
                action=status,
                old_value=old,
                new_value=new,
            )
        )
    if not replace or round_row["status"] == RoundStatus.closed.value:
        return None
    return await reassign(round_row, assignment["entry"])


async def active_assignment(round_id: int, entry_id: int, judge_id: int) -> dict[str, Any]:
    """The judge's active assignment to the entry in the round, else :class:`NotFoundError`."""
    row = (
        await Assignment.select()
        .where(
            (Assignment.round == round_id)
            & (Assignment.entry == entry_id)
            & (Assignment.judge == judge_id)
            & (Assignment.status == AssignmentStatus.active.value)
        )
        .first()
    )
    if row is None:
        raise NotFoundError(f"assignment {round_id}/{entry_id}/{judge_id}")
    return row


async def _round(round_id: int) -> dict[str, Any]:
    row = await ScoringRound.select().where(ScoringRound.id == round_id).first()
    if row is None:
        raise NotFoundError(f"round {round_id}")
    return row


async def declare(
    judge: CurrentUser,
    round_id: int,
    entry_id: int,
    conflict: bool,
    reason: str = "",
    mailer: Mailer | None = None,
) -> None:
    """The judge's answer before seeing an entry: no conflict, or a conflict with a reason
    (recorded against the business, the entry reassigned)."""
    if conflict:
        reason = _reason(reason)
    new_judge = None
    async with db.write_transaction():
        round_row = await _round(round_id)
        assignment = await active_assignment(round_id, entry_id, judge.id)
        if assignment["declaration"] != Declaration.pending.value:
            if assignment["declaration"] == (
                Declaration.conflict.value if conflict else Declaration.clear.value
            ):
                return  # a repeated answer changes nothing
            raise ScoringRefusedError(_("You have already answered for this entry."))
        if not conflict:
            await Assignment.update(
                {Assignment.declaration: Declaration.clear.value, Assignment.updated_at: now_utc()}
            ).where(Assignment.id == assignment["id"])
            return
        entry = await Entry.select(Entry.business).where(Entry.id == entry_id).first()
        if not await Conflict.exists().where(
            (Conflict.edition == round_row["edition"])
            & (Conflict.judge == judge.id)
            & (Conflict.business == entry["business"])
        ):
            await Conflict.insert(
                Conflict(
                    edition=round_row["edition"],
                    judge=judge.id,
                    business=entry["business"],
                    source=ConflictSource.declared.value,
                    reason=reason,
                    created_by=judge.id,
                )
            )
        new_judge = await withdraw_assignment(
            round_row,
            assignment,
            actor=judge.id,
            status=None,
            reason=reason,
            declaration=Declaration.conflict.value,
        )
    await notify_new_judges(mailer, [new_judge] if new_judge else [])


async def abstain(
    judge: CurrentUser, round_id: int, entry_id: int, reason: str, mailer: Mailer | None = None
) -> int | None:
    """The judge abstains from an entry (recorded, never counted); the entry is reassigned."""
    reason = _reason(reason)
    async with db.write_transaction():
        round_row = await _round(round_id)
        assignment = await active_assignment(round_id, entry_id, judge.id)
        new_judge = await withdraw_assignment(
            round_row,
            assignment,
            actor=judge.id,
            status=SheetStatus.abstained.value,
            reason=reason,
        )
    await notify_new_judges(mailer, [new_judge] if new_judge else [])
    return new_judge


async def recuse(
    actor: CurrentUser,
    round_id: int,
    entry_id: int,
    judge_id: int,
    reason: str,
    mailer: Mailer | None = None,
) -> int | None:
    """An organizer recuses a judge from an entry (recorded, never counted); reassigned."""
    reason = _reason(reason)
    async with db.write_transaction():
        round_row = await managed_round(actor, round_id)
        assignment = await active_assignment(round_id, entry_id, judge_id)
        new_judge = await withdraw_assignment(
            round_row,
            assignment,
            actor=actor.id,
            status=SheetStatus.recused.value,
            reason=reason,
        )
    await notify_new_judges(mailer, [new_judge] if new_judge else [])
    return new_judge


async def add_conflict(
    actor: CurrentUser,
    edition_id: int,
    judge_id: int,
    business_id: int,
    reason: str,
    mailer: Mailer | None = None,
) -> list[int]:
    """An organizer records a conflict (judge x business). Every active assignment of that
    judge to the business's entries in the edition is withdrawn (a sheet already begun is
    recused) and reassigned. Returns the judges who took entries over."""
    require_manager(actor, edition_id)
    reason = _reason(reason)
    taken_over: list[int] = []
    async with db.write_transaction():
        if not await Business.exists().where(Business.id == business_id):
            raise NotFoundError(f"business {business_id}")
        if await Conflict.exists().where(
            (Conflict.edition == edition_id)
            & (Conflict.judge == judge_id)
            & (Conflict.business == business_id)
        ):
            raise ValidationError({"business": _("This conflict is already recorded.")})
        await Conflict.insert(
            Conflict(
                edition=edition_id,
                judge=judge_id,
                business=business_id,
                source=ConflictSource.organizer.value,
                reason=reason,
                created_by=actor.id,
            )
        )
        affected = await Assignment.select().where(
            (Assignment.judge == judge_id)
            & (Assignment.status == AssignmentStatus.active.value)
            & (Assignment.round.edition == edition_id)
            & (Assignment.entry.business == business_id)
        )
        for assignment in affected:
            round_row = await _round(assignment["round"])
            new_judge = await withdraw_assignment(
                round_row,
                assignment,
                actor=actor.id,
                status=SheetStatus.recused.value
                if await ScoreSheet.exists().where(
                    (ScoreSheet.round == assignment["round"])
                    & (ScoreSheet.entry == assignment["entry"])
                    & (ScoreSheet.judge == judge_id)
                )
                else None,
                reason=reason,
            )
            if new_judge is not None:
                taken_over.append(new_judge)
    await notify_new_judges(mailer, taken_over)
    return taken_over


async def edition_conflicts(actor: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
    """The edition's conflicts with judge email and business name, newest first."""
    require_manager(actor, edition_id)
    return (
        await Conflict.select(
            Conflict.all_columns(),
            Conflict.judge.email.as_alias("judge_email"),
            Conflict.business.name.as_alias("business_name"),
        )
        .where(Conflict.edition == edition_id)
        .order_by(Conflict.id, ascending=False)
    )
