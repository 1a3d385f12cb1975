"""Who judges which entry of a round: the engine's ``assign`` (balanced, conflict-free,
connected, within capacity), shown as a preview and then applied; and reassignment when a judge
leaves an entry (declared conflict, abstention, recusal), keeping k judges per entry.

Judges of a round: the edition's judge profiles whose expertise is empty (any category) or
contains the round's category. A judge's capacity in a round is the profile's capacity minus its
active assignments in the edition's other rounds. Conflicts are judge x business pairs, so they
cover every entry of that business. Anchor entries go to every judge of the round who is not in
conflict, before the engine spreads the other entries (whose capacity is reduced accordingly).
Engine ids are the decimal user and entry ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import judging
from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.i18n import _
from awards.intake.bulk.service import chunks
from awards.intake.tables import Entry
from awards.mail import Mailer
from awards.scoring.common import ScoringRefusedError, managed_round
from awards.scoring.rules import Candidate, pick_replacement
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    JudgeProfile,
    RoundEntry,
    RoundStatus,
)
from judging.assignment.assign import assign as engine_assign

__all__ = [
    "Preview",
    "apply_assignment",
    "edition_loads",
    "notify_new_judges",
    "preview_assignment",
    "preview_for",
    "reassign",
    "round_judges",
]


@dataclass(frozen=True)
class Preview:
    """A proposed assignment: ``pairs`` (entry id, judge id), load per judge, whether each
    category's judges are connected (``components``: judge-id groups), and the engine's
    refusal (``error``) when no valid assignment exists."""

    round_id: int
    pairs: list[tuple[int, int]] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)
    connected: bool = True
    components: list[list[int]] = field(default_factory=list)
    error: str = ""


async def round_judges(round_row: dict[str, Any]) -> list[dict[str, Any]]:
    """The judge profiles of the round's edition that may judge the round's category."""
    profiles = (
        await JudgeProfile.select()
        .where(JudgeProfile.edition == round_row["edition"])
        .output(load_json=True)
        .order_by(JudgeProfile.user)
    )
    return [p for p in profiles if not p["expertise"] or round_row["category"] in p["expertise"]]


async def edition_loads(edition_id: int, except_round: int | None = None) -> Counter[int]:
    """Active assignments per judge over the edition's rounds (all but ``except_round``)."""
    where = (Assignment.round.edition == edition_id) & (
        Assignment.status == AssignmentStatus.active.value
    )
    if except_round is not None:
        where &= Assignment.round != except_round
    rows = await Assignment.select(Assignment.judge).where(where)
    return Counter(row["judge"] for row in rows)


async def _conflicted_pairs(edition_id: int, entries: list[dict[str, Any]]) -> set[tuple[int, int]]:
    """(judge, entry) pairs in conflict: a conflict with the entry's business."""
    rows = await Conflict.select(Conflict.judge, Conflict.business).where(
        Conflict.edition == edition_id
    )
    by_business: dict[int, list[int]] = {}
    for row in rows:
        by_business.setdefault(row["business"], []).append(row["judge"])
    return {
        (judge, entry["entry"])
        for entry in entries
        for judge in by_business.get(entry["business"], [])
    }


async def _compute(round_row: dict[str, Any]) -> Preview:
    round_id = round_row["id"]
    entries = (
        await RoundEntry.select(
            RoundEntry.entry, RoundEntry.anchor, RoundEntry.entry.business.as_alias("business")
        )
        .where(RoundEntry.round == round_id)
        .order_by(RoundEntry.entry)
    )
    judges = await round_judges(round_row)
    if not entries:
        return Preview(round_id, error=_("The round has no entries."))
    if not judges:
        return Preview(round_id, error=_("No judge of this edition covers this category."))
    conflicts = await _conflicted_pairs(round_row["edition"], entries)
    used = await edition_loads(round_row["edition"], except_round=round_id)
    anchor_pairs = [
        (entry["entry"], judge["user"])
        for entry in entries
        if entry["anchor"]
        for judge in judges
        if (judge["user"], entry["entry"]) not in conflicts
    ]
    anchor_load = Counter(judge for _, judge in anchor_pairs)
    specs = [
        judging.JudgeSpec(
            str(judge["user"]),
            None
            if judge["capacity"] is None
            else max(0, judge["capacity"] - used[judge["user"]] - anchor_load[judge["user"]]),
        )
        for judge in judges
    ]
    entry_specs = [judging.EntrySpec(str(e["entry"])) for e in entries if not e["anchor"]]
    pairs: list[tuple[int, int]] = list(anchor_pairs)
    if entry_specs:
        try:
            found = engine_assign(
                entry_specs,
                specs,
                round_row["judges_per_entry"],
                conflicts=[(str(j), str(e)) for j, e in conflicts],
                seed=round_row["seed"],
            )
        except judging.AssignmentError as exc:
            return Preview(round_id, error=str(exc))
        pairs += [(int(e), int(j)) for e, j in found]
    pairs.sort()
    report = judging.assignment_report(
        [judging.EntrySpec(str(e["entry"])) for e in entries],
        specs,
        [(str(e), str(j)) for e, j in pairs],
    )
    components = [[int(j) for j in comp] for cat in report.categories for comp in cat.components]
    return Preview(
        round_id,
        pairs=pairs,
        loads={int(j): n for j, n in report.loads.items()},
        connected=all(cat.connected for cat in report.categories),
        components=components,
    )


async def preview_assignment(actor: CurrentUser, round_id: int) -> Preview:
    """The engine's assignment for the round, not stored."""
    return await _compute(await managed_round(actor, round_id))


async def preview_for(round_row: dict[str, Any]) -> Preview:
    """:func:`preview_assignment` for a round already checked (no guard)."""
    return await _compute(round_row)


async def apply_assignment(actor: CurrentUser, round_id: int) -> Preview:
    """Store the previewed assignment (the engine is deterministic for the round's seed).

    Refused when the round is closed, already has assignments, or the engine finds none.
    """
    async with db.write_transaction():
        round_row = await managed_round(actor, round_id)
        if round_row["status"] == RoundStatus.closed.value:
            raise ScoringRefusedError(_("The round is closed."))
        if await Assignment.exists().where(Assignment.round == round_id):
            raise ScoringRefusedError(_("This round's judges are already assigned."))
        preview = await _compute(round_row)
        if preview.error:
            raise ScoringRefusedError(preview.error)
        rows = [
            Assignment(round=round_id, entry=entry, judge=judge, assigned_by=actor.id)
            for entry, judge in preview.pairs
        ]
        for chunk in chunks(rows):
            await Assignment.insert(*chunk)
    return preview


async def reassign(round_row: dict[str, Any], entry_id: int) -> int | None:
    """Give ``entry_id`` one more judge in the round (inside the caller's transaction): the
    eligible judge with no assignment of this entry, no conflict with its business and room
    left, least loaded in the round (:func:`awards.scoring.rules.pick_replacement`). Returns
    the judge's id, or None when nobody can take it. Tell the new judge with
    :func:`notify_new_judges` after the transaction."""
    round_id = round_row["id"]
    entry = await Entry.select(Entry.business).where(Entry.id == entry_id).first()
    judges = await round_judges(round_row)
    taken = {
        row["judge"]
        for row in await Assignment.select(Assignment.judge).where(
            (Assignment.round == round_id) & (Assignment.entry == entry_id)
        )
    }
    conflicted = {
        row["judge"]
        for row in await Conflict.select(Conflict.judge).where(
            (Conflict.edition == round_row["edition"]) & (Conflict.business == entry["business"])
        )
    }
    edition_load = await edition_loads(round_row["edition"])
    round_load = Counter(
        row["judge"]
        for row in await Assignment.select(Assignment.judge).where(
            (Assignment.round == round_id) & (Assignment.status == AssignmentStatus.active.value)
        )
    )
    chosen = pick_replacement(
        Candidate(
            judge["user"],
            round_load[judge["user"]],
            None if judge["capacity"] is None else judge["capacity"] - edition_load[judge["user"]],
        )
        for judge in judges
        if judge["user"] not in taken and judge["user"] not in conflicted
    )
    if chosen is None:
        return None
    await Assignment.insert(
        Assignment(round=round_id, entry=entry_id, judge=chosen, reason="reassigned")
    )
    return chosen


async def notify_new_judges(mailer: Mailer | None, judge_ids: list[int]) -> None:
    """Email each judge who was given an entry by :func:`reassign`."""
    if mailer is None or not judge_ids:
        return
    rows = await User.select(User.email).where(User.id.is_in(sorted(set(judge_ids))))
    for row in rows:
        await mailer.send(
            row["email"],
            _("A new entry to score"),
            _("Another judge left an entry and it was passed to you. Your scoring desk: %(url)s")
            % {"url": f"{mailer.settings.base_url}/judge/"},
        )
