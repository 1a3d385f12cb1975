"""Panel set-up reads and edition-scoped actions for the organizer's pages: the edition's judges
with their load, conflicts with abstentions and recusals, conflict suggestions, and conflicts or
recusals entered against an edition (the edition in the URL must own the judge, business and
round named in the form).

Suggestions (never blocking): a judge and a business with an entry in the edition are suggested
for review when they share a district or a sector. A judge's districts and sectors are those of
the businesses the judge manages, plus every entrant district or sector named as a whole word
in the judge's affiliation (case-insensitive; "Dinas Koperasi Klojen" names Klojen). Pairs
already recorded as conflicts are left out; at most :data:`MAX_SUGGESTIONS` are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.accounts.tables import RoleGrant
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.tables import BusinessMember, Category, Entry, EntryStatus
from awards.mail import Mailer
from awards.scoring.common import NotFoundError, edition_of, require_manager
from awards.scoring.panel import conflicts
from awards.scoring.panel.judges import judge_profiles
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    JudgeProfile,
    ScoreSheet,
    ScoringRound,
    SheetStatus,
)

__all__ = [
    "MAX_SUGGESTIONS",
    "ConflictsPage",
    "add_edition_conflict",
    "conflicts_page",
    "edition_judges",
    "judge_profile",
    "recuse_in_edition",
    "set_asides",
    "suggestions",
]

MAX_SUGGESTIONS = 200


async def _categories(edition_id: int) -> list[dict[str, Any]]:
    return (
        await Category.select(Category.id, Category.name_id, Category.name_en)
        .where(Category.edition == edition_id)
        .order_by(Category.id)
    )


async def edition_judges(actor: CurrentUser, edition_id: int) -> dict[str, Any]:
    """``judges`` (profile, name, email, expertise names, active assignments ``load``) by name,
    the edition's ``categories``, and ``without_profile``: users granted the judge role for the
    edition who have no profile yet (they are not assigned until they get one)."""
    require_manager(actor, edition_id)
    categories = await _categories(edition_id)
    names = {c["id"]: c["name_id"] for c in categories}
    rows = await judge_profiles(edition_id)
    loads: dict[int, int] = {}
    for row in await Assignment.select(Assignment.judge).where(
        (Assignment.round.edition == edition_id)
        & (Assignment.status == AssignmentStatus.active.value)
    ):
        loads[row["judge"]] = loads.get(row["judge"], 0) + 1
    for row in rows:
        row["expertise_names"] = [names[c] for c in row["expertise"] or [] if c in names]
        row["load"] = loads.get(row["user"], 0)
    rows.sort(key=lambda r: ((r["display_name"] or r["email"]).lower(), r["id"]))
    with_profile = {row["user"] for row in rows}
    granted = await RoleGrant.select(
        RoleGrant.user,
        RoleGrant.user.email.as_alias("email"),
        RoleGrant.user.display_name.as_alias("display_name"),
    ).where((RoleGrant.role == "judge") & (RoleGrant.edition_id == edition_id))
    without = sorted(
        {g["user"]: g for g in granted if g["user"] not in with_profile}.values(),
        key=lambda g: g["email"],
    )
    return {"judges": rows, "categories": categories, "without_profile": without}


async def judge_profile(actor: CurrentUser, edition_id: int, user_id: int) -> dict[str, Any]:
    """One judge's profile in the edition; a blank one for a user granted the judge role for
    the edition (e.g. on the accounts page) who has no profile yet; else 404."""
    require_manager(actor, edition_id)
    row = (
        await JudgeProfile.select(
            JudgeProfile.all_columns(),
            JudgeProfile.user.email.as_alias("email"),
            JudgeProfile.user.display_name.as_alias("display_name"),
        )
        .where((JudgeProfile.edition == edition_id) & (JudgeProfile.user == user_id))
        .output(load_json=True)
        .first()
    )
    if row is None:
        granted = (
            await RoleGrant.select(
                RoleGrant.user.email.as_alias("email"),
                RoleGrant.user.display_name.as_alias("display_name"),
            )
            .where(
                (RoleGrant.user == user_id)
                & (RoleGrant.role == "judge")
                & (RoleGrant.edition_id == edition_id)
            )
            .first()
        )
        if granted is None:
            raise NotFoundError(f"judge {user_id}")
        row = {"user": user_id, "affiliation": "", "expertise": [], "capacity": None, **granted}
    row["categories"] = await _categories(edition_id)
    return row


async def _entrant_business(edition_id: int, text: str) -> int:
    """The business of an entry of the edition, named by entry number (``123`` or ``#123``) or
    by the business's NIB."""
    text = text.strip().lstrip("#")
    query = Entry.select(Entry.business).where(
        (Entry.edition == edition_id) & (Entry.status != EntryStatus.withdrawn.value)
    )
    if text.isdigit() and len(text) < 13:
        row = await query.where(Entry.id == int(text)).first()
    elif text:
        row = await query.where(Entry.business.nib == text).first()
    else:
        row = None
    if row is None:
        raise ValidationError({"business": _("No entry of this edition has this number or NIB.")})
    return row["business"]


async def add_edition_conflict(
    actor: CurrentUser,
    edition_id: int,
    judge_id: int,
    business: str,
    reason: str,
    mailer: Mailer | None = None,
) -> list[int]:
    """Record a conflict between a judge of the edition and the business of an entry (named by
    entry number or NIB); see :func:`awards.scoring.panel.conflicts.add_conflict`."""
    require_manager(actor, edition_id)
    errors: dict[str, str] = {}
    if not await JudgeProfile.exists().where(
        (JudgeProfile.edition == edition_id) & (JudgeProfile.user == judge_id)
    ):
        errors["judge"] = _("Choose a judge of this edition.")
    try:
        business_id = await _entrant_business(edition_id, business)
    except ValidationError as exc:
        errors.update(exc.errors)
    if not reason.strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    return await conflicts.add_conflict(actor, edition_id, judge_id, business_id, reason, mailer)


async def recuse_in_edition(
    actor: CurrentUser,
    edition_id: int,
    round_id: int,
    entry_id: int,
    judge_id: int,
    reason: str,
    mailer: Mailer | None = None,
) -> int | None:
    """Recuse a judge from an entry of a round of this edition (the judge's active assignment);
    the entry is reassigned keeping k. Returns the judge who took it over, if any."""
    require_manager(actor, edition_id)
    errors: dict[str, str] = {}
    round_row = (
        await ScoringRound.select(ScoringRound.id)
        .where((ScoringRound.id == round_id) & (ScoringRound.edition == edition_id))
        .first()
    )
    if round_row is None:
        errors["round"] = _("Choose a round of this edition.")
    elif not await Assignment.exists().where(
        (Assignment.round == round_id)
        & (Assignment.entry == entry_id)
        & (Assignment.judge == judge_id)
        & (Assignment.status == AssignmentStatus.active.value)
    ):
        errors["entry"] = _("This judge is not assigned to this entry in this round.")
    if not reason.strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    return await conflicts.recuse(actor, round_id, entry_id, judge_id, reason, mailer)


async def set_asides(actor: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
    """Abstentions (by judges) and recusals (by organizers) in the edition's rounds, newest
    first, with judge email, entry, business name, round and reason."""
    require_manager(actor, edition_id)
    return (
        await ScoreSheet.select(
            ScoreSheet.id,
            ScoreSheet.status,
            ScoreSheet.reason,
            ScoreSheet.entry,
            ScoreSheet.updated_at,
            ScoreSheet.judge.email.as_alias("judge_email"),
            ScoreSheet.entry.business_name.as_alias("business_name"),
            ScoreSheet.round.name.as_alias("round_name"),
            ScoreSheet.round.kind.as_alias("round_kind"),
        )
        .where(
            (ScoreSheet.round.edition == edition_id)
            & ScoreSheet.status.is_in([SheetStatus.abstained.value, SheetStatus.recused.value])
        )
        .order_by(ScoreSheet.updated_at, ascending=False)
    )


def _named(text: str, values: set[str]) -> set[str]:
    lowered = text.lower()
    return {v for v in values if v and re.search(rf"(?<!\w){re.escape(v.lower())}(?!\w)", lowered)}


async def suggestions(actor: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
    """Judge x business pairs to review (see the module docstring), each with ``judge``,
    ``judge_email``, ``business``, ``business_name``, ``entry`` and ``why`` (district/sector)."""
    require_manager(actor, edition_id)
    judges = await JudgeProfile.select(
        JudgeProfile.user,
        JudgeProfile.affiliation,
        JudgeProfile.user.email.as_alias("email"),
    ).where(JudgeProfile.edition == edition_id)
    if not judges:
        return []
    recorded = await Conflict.select(Conflict.judge, Conflict.business).where(
        Conflict.edition == edition_id
    )
    return await _suggestions(edition_id, judges, recorded)


async def _suggestions(
    edition_id: int, judges: list[dict[str, Any]], conflicts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """:func:`suggestions` from the edition's judge profiles (``user``, ``affiliation``,
    ``email``) and recorded conflicts (``judge``, ``business``): reads the entrants and the
    businesses the judges manage (two statements; none without judges)."""
    if not judges:
        return []
    entrants = await Entry.select(
        Entry.id,
        Entry.business,
        Entry.business.name.as_alias("name"),
        Entry.business.district.as_alias("district"),
        Entry.business.sector.as_alias("sector"),
    ).where((Entry.edition == edition_id) & (Entry.status != EntryStatus.withdrawn.value))
    districts = {e["district"] for e in entrants if e["district"]}
    sectors = {e["sector"] for e in entrants if e["sector"]}
    managed = await BusinessMember.select(
        BusinessMember.user,
        BusinessMember.business.district.as_alias("district"),
        BusinessMember.business.sector.as_alias("sector"),
    ).where(BusinessMember.user.is_in([j["user"] for j in judges]))
    recorded = {(row["judge"], row["business"]) for row in conflicts}
    out: list[dict[str, Any]] = []
    for judge in sorted(judges, key=lambda j: j["email"]):
        own_districts = _named(judge["affiliation"] or "", districts)
        own_sectors = _named(judge["affiliation"] or "", sectors)
        for row in managed:
            if row["user"] == judge["user"]:
                own_districts |= {row["district"]} - {""}
                own_sectors |= {row["sector"]} - {""}
        if not own_districts and not own_sectors:
            continue
        for entry in entrants:
            if (judge["user"], entry["business"]) in recorded:
                continue
            why = []
            if entry["district"] in own_districts:
                why.append("district")
            if entry["sector"] in own_sectors:
                why.append("sector")
            if why:
                out.append(
                    {
                        "judge": judge["user"],
                        "judge_email": judge["email"],
                        "business": entry["business"],
                        "business_name": entry["name"],
                        "entry": entry["id"],
                        "why": why,
                        "district": entry["district"],
                        "sector": entry["sector"],
                    }
                )
                if len(out) >= MAX_SUGGESTIONS:
                    return out
    return out


@dataclass(frozen=True)
class ConflictsPage:
    """What the edition's conflicts page shows: the edition, its rounds (with the category's
    name) and judges (by name) for the forms, its conflicts
    (:func:`awards.scoring.panel.conflicts.edition_conflicts`), abstentions and recusals
    (:func:`set_asides`) and the suggestions (:func:`suggestions`)."""

    edition: dict[str, Any]
    rounds: list[dict[str, Any]]
    judges: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    set_asides: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]


async def conflicts_page(actor: CurrentUser, edition_id: int) -> ConflictsPage:
    """The conflicts page in eight statements whatever the edition's size (the session's user
    included): the edition, its rounds, conflicts, abstentions and recusals, judge profiles,
    and for the suggestions the entrants and the businesses the judges manage (those two
    only when the edition has judges). The conflicts and the profiles serve both their
    section and the suggestions."""
    require_manager(actor, edition_id)
    edition = await edition_of(edition_id)
    rounds = (
        await ScoringRound.select(
            ScoringRound.id,
            ScoringRound.name,
            ScoringRound.kind,
            ScoringRound.category.name_id.as_alias("category"),
        )
        .where(ScoringRound.edition == edition_id)
        .order_by(ScoringRound.id)
    )
    recorded = await conflicts.edition_conflicts(actor, edition_id)
    aside = await set_asides(actor, edition_id)
    judges = await judge_profiles(edition_id)
    judges.sort(key=lambda r: ((r["display_name"] or r["email"]).lower(), r["id"]))
    return ConflictsPage(
        edition=edition,
        rounds=rounds,
        judges=judges,
        conflicts=recorded,
        set_asides=aside,
        suggestions=await _suggestions(edition_id, judges, recorded),
    )
