"""Rounds of a category: create, open (copying the rubric), close, choose entrants.

* Open and close times are given as wall-clock times in the edition's time zone (or aware
  datetimes) and stored in UTC.
* Opening requires the edition to be in judging, a rubric with criteria and ``opens_at <
  closes_at``; it copies the category's rubric into the round (``rubric_version`` 1).
* :func:`refresh_rubric` copies the category's current rubric again as the next version, and is
  refused once any sheet of the round holds a score (the rubric a score was given under never
  changes under it).
* Entrants: every eligible submitted entry of the category (``all``), the top N or top P% of the
  previous round by the engine's ranking (``top_n``, ``top_p``), or a manual list with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.bulk.service import chunks
from awards.intake.editions.lifecycle import Action, refusal
from awards.intake.tables import Category, Entry, EntryStatus, Screening
from awards.moments import check_year
from awards.scoring.common import (
    NotFoundError,
    ScoringRefusedError,
    edition_of,
    local_to_utc,
    managed_round,
    now_utc,
    require_manager,
)
from awards.scoring.rules import DEFAULT_BLIND_FIELDS, rubric_snapshot
from awards.scoring.tables import (
    RoundEntry,
    RoundKind,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
)

__all__ = [
    "ENTRANT_MODES",
    "close_round",
    "create_round",
    "open_round",
    "refresh_rubric",
    "round_entry_ids",
    "set_entrants",
]

ENTRANT_MODES = ("all", "top_n", "top_p", "manual")


async def create_round(
    actor: CurrentUser,
    category_id: int,
    *,
    kind: str = RoundKind.screening.value,
    name: str = "",
    opens_at: datetime,
    closes_at: datetime,
    judges_per_entry: int = 3,
    blind: bool = False,
    blind_fields: Iterable[str] = DEFAULT_BLIND_FIELDS,
    method: str = "calibrated",
    previous: int | None = None,
    lock_minutes: int | None = None,
    spread_threshold: float = 25.0,
    residual_threshold: float = 2.5,
    comment_below: int | None = None,
    comment_above: int | None = None,
) -> int:
    """A draft round of the category; naive times are read in the edition's time zone."""
    import judging

    category = (
        await Category.select(Category.id, Category.edition)
        .where(Category.id == category_id)
        .first()
    )
    if category is None:
        raise NotFoundError(f"category {category_id}")
    edition_id = category["edition"]
    require_manager(actor, edition_id)
    edition = await edition_of(edition_id)
    errors: dict[str, str] = {}
    for field, moment in (("opens_at", opens_at), ("closes_at", closes_at)):
        try:
            check_year(moment, field)
        except ValidationError as exc:
            errors |= exc.errors
    if errors:
        raise ValidationError(errors)
    opens = local_to_utc(opens_at, edition["time_zone"])
    closes = local_to_utc(closes_at, edition["time_zone"])
    if kind not in RoundKind.__members__:
        errors["kind"] = _("Choose screening, shortlist or final.")
    if not closes > opens:
        errors["closes_at"] = _("The round must close after it opens.")
    if judges_per_entry < 1:
        errors["judges_per_entry"] = _("Each entry needs at least one judge.")
    if method not in judging.METHODS:
        errors["method"] = _("Choose one of the engine's methods.")
    if lock_minutes is not None and lock_minutes < 0:
        errors["lock_minutes"] = _("The lock delay cannot be negative.")
    async with db.write_transaction():
        if previous is not None:
            earlier = (
                await ScoringRound.select(ScoringRound.category)
                .where(ScoringRound.id == previous)
                .first()
            )
            if earlier is None or earlier["category"] != category_id:
                errors["previous"] = _("Choose an earlier round of the same category.")
        if await ScoringRound.exists().where(
            (ScoringRound.category == category_id) & (ScoringRound.kind == kind)
        ):
            errors["kind"] = _("This category already has a round of this kind.")
        if errors:
            raise ValidationError(errors)
        rows = await ScoringRound.insert(
            ScoringRound(
                edition=edition_id,
                category=category_id,
                kind=kind,
                name=name.strip(),
                opens_at=opens,
                closes_at=closes,
                judges_per_entry=judges_per_entry,
                blind=blind,
                blind_fields=list(blind_fields),
                method=method,
                previous=previous,
                lock_minutes=lock_minutes,
                spread_threshold=spread_threshold,
                residual_threshold=residual_threshold,
                comment_below=comment_below,
                comment_above=comment_above,
            )
        ).returning(ScoringRound.id)
    return rows[0]["id"]


async def open_round(actor: CurrentUser, round_id: int) -> None:
    """Open a draft round: the edition is judging; the category's rubric is copied (version 1)."""
    async with db.write_transaction():
        row = await managed_round(actor, round_id)
        if row["status"] != RoundStatus.draft.value:
            raise ScoringRefusedError(_("Only a draft round can be opened."))
        edition = await edition_of(row["edition"])
        if refusal(Action.scoring, edition["status"]) is not None:
            raise ScoringRefusedError(_("Rounds open only while the edition is in judging."))
        category = (
            await Category.select(Category.rubric)
            .where(Category.id == row["category"])
            .output(load_json=True)
            .first()
        )
        rubric, digest = rubric_snapshot(category["rubric"] if category else {})
        if not rubric.get("criteria"):
            raise ScoringRefusedError(_("The category has no rubric criteria yet."))
        if not await RoundEntry.exists().where(RoundEntry.round == round_id):
            raise ScoringRefusedError(_("Choose the round's entries before opening it."))
        await ScoringRound.update(
            {
                ScoringRound.status: RoundStatus.open.value,
                ScoringRound.rubric: rubric,
                ScoringRound.rubric_version: 1,
                ScoringRound.rubric_hash: digest,
                ScoringRound.updated_at: now_utc(),
            }
        ).where(ScoringRound.id == round_id)


async def close_round(actor: CurrentUser, round_id: int) -> None:
    """Close an open round now; no score is accepted afterwards."""
    async with db.write_transaction():
        row = await managed_round(actor, round_id)
        if row["status"] != RoundStatus.open.value:
            raise ScoringRefusedError(_("Only an open round can be closed."))
        now = now_utc()
        await ScoringRound.update(
            {
                ScoringRound.status: RoundStatus.closed.value,
                ScoringRound.closes_at: min(now, row["closes_at"]),
                ScoringRound.updated_at: now,
            }
        ).where(ScoringRound.id == round_id)


async def refresh_rubric(actor: CurrentUser, round_id: int) -> int:
    """Copy the category's current rubric into an open round as the next version; refused once
    a sheet of the round holds a score. Returns the new version."""
    async with db.write_transaction():
        row = await managed_round(actor, round_id)
        if row["status"] != RoundStatus.open.value:
            raise ScoringRefusedError(_("Only an open round's rubric can be renewed."))
        sheets = (
            await ScoreSheet.select(ScoreSheet.scores)
            .where(ScoreSheet.round == round_id)
            .output(load_json=True)
        )
        if any(sheet["scores"] for sheet in sheets):
            raise ScoringRefusedError(
                _("Judges have scored under this rubric; open a new round to change it.")
            )
        category = (
            await Category.select(Category.rubric)
            .where(Category.id == row["category"])
            .output(load_json=True)
            .first()
        )
        rubric, digest = rubric_snapshot(category["rubric"])
        if not rubric.get("criteria"):
            raise ScoringRefusedError(_("The category has no rubric criteria yet."))
        version = row["rubric_version"] + 1
        await ScoringRound.update(
            {
                ScoringRound.rubric: rubric,
                ScoringRound.rubric_version: version,
                ScoringRound.rubric_hash: digest,
                ScoringRound.updated_at: now_utc(),
            }
        ).where(ScoringRound.id == round_id)
        await ScoreSheet.update({ScoreSheet.rubric_version: version}).where(
            ScoreSheet.round == round_id
        )
    return version


async def round_entry_ids(round_id: int) -> list[int]:
    rows = (
        await RoundEntry.select(RoundEntry.entry)
        .where(RoundEntry.round == round_id)
        .order_by(RoundEntry.entry)
    )
    return [row["entry"] for row in rows]


async def _eligible(category_id: int) -> list[int]:
    rows = (
        await Entry.select(Entry.id)
        .where(
            (Entry.category == category_id)
            & (Entry.status == EntryStatus.submitted.value)
            & (Entry.screening == Screening.eligible.value)
        )
        .order_by(Entry.id)
    )
    return [row["id"] for row in rows]


async def _ranked_previous(actor: CurrentUser, previous: int) -> list[int]:
    """Entry ids of the previous round in the engine's rank order (awards-excluded anchors out)."""
    from awards.scoring.results import round_analysis

    analysis = await round_analysis(actor, previous)
    excluded = {
        row["entry"]
        for row in await RoundEntry.select(RoundEntry.entry).where(
            (RoundEntry.round == previous) & (RoundEntry.anchor_excluded == True)  # noqa: E712
        )
    }
    ranked = sorted(analysis.entries, key=lambda e: e.rank)
    return [int(e.entry) for e in ranked if int(e.entry) not in excluded]


async def set_entrants(
    actor: CurrentUser,
    round_id: int,
    mode: str,
    *,
    count: int | None = None,
    percent: float | None = None,
    entry_ids: Iterable[int] = (),
    reason: str = "",
    anchors: Iterable[int] = (),
    anchors_excluded: bool = False,
) -> list[int]:
    """Replace a draft round's entrants; return their ids (ascending).

    ``all``: every submitted, eligible entry of the category. ``top_n``: the first ``count`` of
    the previous round by the engine's ranking; ``top_p``: the first ceil(``percent``% x n).
    ``manual``: ``entry_ids`` (eligible entries of the category) with a ``reason``. ``anchors``
    (among the entrants) are scored by every judge; ``anchors_excluded`` keeps them from awards.
    """
    row = await managed_round(actor, round_id)
    if row["status"] != RoundStatus.draft.value:
        raise ScoringRefusedError(_("Entrants can change only while the round is a draft."))
    if mode not in ENTRANT_MODES:
        raise ValidationError({"mode": _("Choose how the entrants are chosen.")})
    eligible = await _eligible(row["category"])
    if mode == "all":
        chosen = eligible
    elif mode in ("top_n", "top_p"):
        if row["previous"] is None:
            raise ValidationError({"mode": _("This round has no previous round to rank from.")})
        ranked = await _ranked_previous(actor, row["previous"])
        if mode == "top_n":
            if count is None or count < 1:
                raise ValidationError({"count": _("Enter a number of entries of at least 1.")})
            chosen = ranked[:count]
        else:
            if percent is None or not 0 < percent <= 100:
                raise ValidationError({"percent": _("Enter a percentage above 0 and up to 100.")})
            chosen = ranked[: math.ceil(percent / 100 * len(ranked))]
    else:
        chosen = sorted(set(entry_ids))
        if not chosen:
            raise ValidationError({"entries": _("Choose at least one entry.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Say why these entries were chosen.")})
        if set(chosen) - set(eligible):
            raise ValidationError(
                {"entries": _("Choose submitted, eligible entries of this category.")}
            )
    anchor_set = set(anchors)
    if anchor_set - set(chosen):
        raise ValidationError({"anchors": _("Anchor entries must be among the entrants.")})
    async with db.write_transaction():
        await RoundEntry.delete().where(RoundEntry.round == round_id)
        if chosen:
            rows = [
                RoundEntry(
                    round=round_id,
                    entry=entry_id,
                    source=mode,
                    reason=reason.strip(),
                    anchor=entry_id in anchor_set,
                    anchor_excluded=anchors_excluded and entry_id in anchor_set,
                )
                for entry_id in chosen
            ]
            for chunk in chunks(rows):
                await RoundEntry.insert(*chunk)
    return sorted(chosen)
