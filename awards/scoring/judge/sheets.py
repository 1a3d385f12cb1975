"""Score sheets: drafts, submission, versioned updates, history.

Rules (each enforced here; on SQLite inside one :func:`awards.db.write_transaction`; on
PostgreSQL the reads run without one and the write and its history row are one statement, whose
compare-and-swap on the version is what orders two saves):

* Only the judge of an active, declared-clear assignment with no conflict may read or write the
  sheet; anyone else gets :class:`NotFoundError` (404).
* Scores are accepted only while the edition is in judging and the round is open with
  ``opens_at <= now < closes_at`` on the server clock (:class:`RoundClosedError`, read by
  the save itself; the message gives the times in the edition's zone), and, when the
  organizer sets ``lock_minutes``, until that long after submission (unless the organizer
  asked the entry's panel to review it in an open moderation case).
* Every write names the version it was based on (0 for a new sheet). A different stored version
  is refused with :class:`StaleVersionError` carrying the stored sheet; the update itself is a
  compare-and-swap ``UPDATE ... WHERE id = ? AND version = ?``, and one sheet per (round, entry,
  judge) is a unique index, so two tabs or two processes cannot both win.
* A repeated request is harmless: the same ``idempotency_key`` returns the stored result, and a
  save that changes nothing writes nothing.
* A submitted sheet stays submitted: later saves are re-submissions and must be complete.
* Every change appends a :class:`SheetRevision` (who, when, action, old and new snapshot).
* Values are checked by :func:`awards.scoring.judge.sheet_data.clean_input` (scales, comment
  lengths, comments the round requires on submit).
* On submit, ``total`` is the engine's rubric total (:func:`judging.build_sheet`): the weighted
  mean of the criteria mapped to 0-100.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import format_local
from awards.intake.tables import EditionStatus
from awards.scoring.common import (
    NotFoundError,
    RoundClosedError,
    ScoringRefusedError,
    StaleVersionError,
    managed_round,
    now_utc,
)
from awards.scoring.judge import sql as judge_sql
from awards.scoring.judge.sheet_data import (
    MAX_COMMENT,
    SheetInput,
    SheetView,
    clean_input,
    rubric_total,
    sheet_view,
    snapshot,
)
from awards.scoring.rules import accepts_scores, locked_after_submit
from awards.scoring.tables import (
    Declaration,
    RoundStatus,
    ScoreSheet,
    SheetRevision,
    SheetStatus,
)

__all__ = [
    "MAX_COMMENT",
    "SheetInput",
    "SheetView",
    "judge_access",
    "read_sheet",
    "save_sheet",
    "sheet_history",
    "sheet_view",
    "snapshot",
]


async def judge_access(judge_id: int, round_id: int, entry_id: int) -> tuple[dict, dict]:
    """The round and the active assignment of ``judge_id`` to ``entry_id`` in it, if the judge
    may see the entry: assigned, not withdrawn, no conflict with the business. Otherwise
    :class:`NotFoundError`. The declaration may still be pending (the caller decides).

    The round has every column (JSON decoded) with its edition's ``edition_status`` and
    ``time_zone``; the assignment every column with the entry's ``business``."""
    # Hot path: plain SQL, one statement (Piccolo built the two selects in ~2 ms).
    rows = await db.fetch(judge_sql.ACCESS_SQL, round_id, entry_id, judge_id)
    if not rows:
        raise NotFoundError(f"entry {entry_id}")
    return judge_sql.round_of(rows[0]), judge_sql.assignment_of(rows[0])


async def _stored(round_id: int, entry_id: int, judge_id: int) -> dict[str, Any] | None:
    return (
        await ScoreSheet.select()
        .where(
            (ScoreSheet.round == round_id)
            & (ScoreSheet.entry == entry_id)
            & (ScoreSheet.judge == judge_id)
        )
        .output(load_json=True)
        .first()
    )


async def read_sheet(judge: CurrentUser, round_id: int, entry_id: int) -> SheetView:
    """The judge's own sheet for the entry (version 0 when none yet), if the judge may see the
    entry (:func:`judge_access`'s rule)."""
    # Hot path: plain SQL, access and sheet in one statement (Piccolo: three selects, ~3 ms).
    rows = await db.fetch(judge_sql.SHEET_SQL, round_id, entry_id, judge.id)
    if not rows:
        raise NotFoundError(f"entry {entry_id}")
    return sheet_view(judge_sql.sheet_of(rows[0]), round_id, entry_id)


def _stale(row: Mapping[str, Any] | None, round_id: int, entry_id: int) -> StaleVersionError:
    return StaleVersionError(
        _("This sheet was changed elsewhere (another tab or device). Reload to see it."),
        sheet_view(row, round_id, entry_id),
    )


async def save_sheet(
    judge: CurrentUser,
    round_id: int,
    entry_id: int,
    data: SheetInput,
    *,
    version: int,
    submit: bool = False,
    key: str | None = None,
    now: datetime | None = None,
) -> SheetView:
    """Save a draft (``submit`` False) or submit the judge's sheet; see the module rules."""
    if key is not None and not 1 <= len(key) <= 80:
        raise ValidationError({"idempotency_key": _("Use 1 to 80 characters.")})
    try:
        async with _save_scope():
            return await _save(judge, round_id, entry_id, data, version, submit, key, now)
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # Another request created the sheet or this revision at the same moment.
        return await _replayed_or_stale(round_id, entry_id, judge.id, key)


async def _replayed_or_stale(
    round_id: int, entry_id: int, judge_id: int, key: str | None
) -> SheetView:
    """After losing a race to another request: that request's result if it carried the same
    idempotency key (a double tap or a retry), else :class:`StaleVersionError`."""
    row = await _stored(round_id, entry_id, judge_id)
    if key is not None and row is not None and await _replayed(row["id"], key):
        return sheet_view(row, round_id, entry_id, replayed=True)
    raise _stale(row, round_id, entry_id)


def _refuse_closed(round_row: Mapping[str, Any], now: datetime) -> None:
    """:class:`RoundClosedError` unless the edition is in judging and the round accepts scores
    at ``now`` (server clock); the message gives the round's times in the edition's zone."""
    if round_row["edition_status"] != EditionStatus.judging.value:
        raise RoundClosedError(_("Scores are not accepted: the edition is not in judging."))
    if accepts_scores(round_row["status"], round_row["opens_at"], round_row["closes_at"], now):
        return
    if round_row["status"] == RoundStatus.open.value and now < round_row["opens_at"]:
        when = format_local(round_row["opens_at"], round_row["time_zone"])
        raise RoundClosedError(_("This round opens on %(time)s.") % {"time": when})
    if now >= round_row["closes_at"]:
        when = format_local(round_row["closes_at"], round_row["time_zone"])
        raise RoundClosedError(_("This round closed on %(time)s.") % {"time": when})
    raise RoundClosedError(_("This round is not accepting scores."))


async def _replayed(sheet_id: int, key: str) -> bool:
    return await SheetRevision.exists().where(
        (SheetRevision.sheet == sheet_id) & (SheetRevision.idempotency_key == key)
    )


def _save_scope() -> contextlib.AbstractAsyncContextManager[None]:
    """Where a save runs: on SQLite one write transaction (reads and write under the write
    lock); on PostgreSQL none, since its write is one statement (see ``judge_sql._logged``)
    whose compare-and-swap on the version refuses a sheet changed since the read."""
    return contextlib.nullcontext() if db.is_postgres() else db.write_transaction()


async def _save(
    judge: CurrentUser,
    round_id: int,
    entry_id: int,
    data: SheetInput,
    version: int,
    submit: bool,
    key: str | None,
    now: datetime | None,
) -> SheetView:
    """Read, check, write, inside :func:`_save_scope` (see the module rules)."""
    now = now or now_utc()
    # Hot path: plain SQL. One statement reads (on SQLite inside the transaction) what Piccolo read
    # in four (assignment, round with the conflict check, sheet, replayed key; ~3 ms of
    # query building) and whether a review is open (needed when the sheet is locked).
    rows = await db.fetch(judge_sql.SAVE_SQL, key, round_id, entry_id, judge.id)
    if not rows:
        raise NotFoundError(f"entry {entry_id}")
    found = rows[0]
    round_row = judge_sql.round_of(found)
    if found["a_declaration"] != Declaration.clear.value:
        raise ScoringRefusedError(_("Answer the conflict-of-interest question first."))
    row = judge_sql.sheet_of(found)
    if key is not None and row is not None and found["replayed"]:
        return sheet_view(row, round_id, entry_id, replayed=True)
    _refuse_closed(round_row, now)
    if row is not None and row["status"] in (
        SheetStatus.abstained.value,
        SheetStatus.recused.value,
    ):
        raise NotFoundError(f"entry {entry_id}")
    submitted = row is not None and row["status"] == SheetStatus.submitted.value
    if (
        submitted
        and locked_after_submit(row["submitted_at"], round_row["lock_minutes"], now)
        and not found["review_open"]
    ):
        raise ScoringRefusedError(_("This sheet is locked after submission."))
    final = submit or submitted
    stale = (row["version"] if row else 0) != version
    try:
        clean = clean_input(round_row, data, complete=final)
    except ValidationError:
        if stale:
            raise _stale(row, round_id, entry_id) from None
        raise
    status = SheetStatus.submitted.value if final else SheetStatus.draft.value
    total = rubric_total(round_row, clean["scores"]) if final else None
    new = {**clean, "status": status, "total": total, "reason": ""}
    if row is not None and snapshot(row) == new:
        return sheet_view(row, round_id, entry_id)  # nothing changed: nothing written
    if stale:
        raise _stale(row, round_id, entry_id)
    submitted_at = (row["submitted_at"] if submitted else None) or (now if final else None)
    values = judge_sql.written(
        {
            **clean,
            "status": status,
            "total": total,
            "submitted_at": submitted_at,
            "updated_at": now,
            "rubric_version": round_row["rubric_version"],
        }
    )
    # Hot path: plain SQL for the write and its history row (Piccolo built them in ~2 ms).
    action = "submit" if final else "draft"
    old = snapshot(row) if row is not None else {}
    history = (judge.id, action, judge_sql.dump_json(old), judge_sql.dump_json(new), key, now)
    if row is None:
        stored = await _written(
            judge_sql.INSERT_SHEET_SQL,
            judge_sql.INSERT_SHEET_LOGGED_SQL,
            (round_id, entry_id, judge.id, now, *values),
            history,
        )
    else:
        stored = await _written(
            judge_sql.UPDATE_SHEET_SQL,
            judge_sql.UPDATE_SHEET_LOGGED_SQL,
            (*values, version + 1, row["id"], version),
            history,
        )
        if stored is None:  # the version moved on since the read
            return await _replayed_or_stale(round_id, entry_id, judge.id, key)
    return sheet_view(judge_sql.sheet_of(stored, prefixed=False), round_id, entry_id)


async def _written(
    write_sql: str, logged_sql: str, args: tuple[Any, ...], history: tuple[Any, ...]
) -> dict[str, Any] | None:
    """Run a sheet's insert or update (``write_sql`` with ``args``) and add its history row
    (``history``: actor, action, old and new JSON text, key, time); the written row, or None
    when an update's version moved on. PostgreSQL: one statement, ``logged_sql`` (the same
    write with its history row, see ``judge_sql._logged``); SQLite: two, inside the caller's
    write transaction."""
    if db.is_postgres():
        rows = await db.fetch(logged_sql, *args, *history)
        return rows[0] if rows else None
    rows = await db.fetch(write_sql, *args)
    if not rows:
        return None
    actor, action, old, new, key, now = history
    await db.fetch(
        judge_sql.INSERT_REVISION_SQL, rows[0]["id"], rows[0]["version"], actor, action, old, new,
        key, now,
    )  # fmt: skip
    return rows[0]


async def sheet_history(actor: CurrentUser, sheet_id: int) -> list[dict[str, Any]]:
    """Every revision of a sheet, oldest first, for an organizer of its edition."""
    sheet = await ScoreSheet.select(ScoreSheet.round).where(ScoreSheet.id == sheet_id).first()
    if sheet is None:
        raise NotFoundError(f"sheet {sheet_id}")
    await managed_round(actor, sheet["round"])
    return (
        await SheetRevision.select(
            SheetRevision.all_columns(), SheetRevision.actor.email.as_alias("actor_email")
        )
        .where(SheetRevision.sheet == sheet_id)
        .order_by(SheetRevision.version)
        .output(load_json=True)
    )
