"""Judges of an edition (profiles) and the rule that the edition's staff hold no entry in it.

Staff of an edition: users granted ``organizer`` or ``judge`` for it (or globally), admins, and
users with a judge profile in it. :func:`staff_members_of_business` lets intake refuse an entry
or an eligible screening whose business is managed by staff; :func:`save_profile` refuses to make
a judge of someone who manages a business with an entry in the edition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.services import grant_audited
from awards.accounts.tables import RoleGrant, User
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.tables import BusinessMember, Category, Entry, EntryStatus
from awards.scoring.common import NotFoundError, require_manager
from awards.scoring.tables import JudgeProfile

__all__ = [
    "STAFF_ROLES",
    "holds_entry",
    "judge_profiles",
    "refuse_staff_entry",
    "save_profile",
    "staff_members_of_business",
    "staff_user_ids",
]

STAFF_ROLES = ("admin", "organizer", "judge")


async def staff_user_ids(edition_id: int, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who are staff of the edition (see the module docstring)."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    grants = await RoleGrant.select(RoleGrant.user, RoleGrant.edition_id).where(
        RoleGrant.user.is_in(ids) & RoleGrant.role.is_in(list(STAFF_ROLES))
    )
    staff = {
        row["user"]
        for row in grants
        if row["edition_id"] is None or row["edition_id"] == edition_id
    }
    profiles = await JudgeProfile.select(JudgeProfile.user).where(
        (JudgeProfile.edition == edition_id) & JudgeProfile.user.is_in(ids)
    )
    return staff | {row["user"] for row in profiles}


async def staff_members_of_business(edition_id: int, business_id: int) -> set[int]:
    """Members of ``business_id`` who are staff of the edition (empty: it may enter)."""
    members = await BusinessMember.select(BusinessMember.user).where(
        BusinessMember.business == business_id
    )
    return await staff_user_ids(edition_id, [row["user"] for row in members])


async def refuse_staff_entry(
    edition_id: int, business_id: int, user_id: int | None, field: str
) -> None:
    """``ValidationError`` on ``field`` when ``user_id`` (if given) or a member of the business
    is a judge or organizer of the edition: they may not hold an entry in it."""
    staff = await staff_members_of_business(edition_id, business_id)
    if user_id is not None:
        staff |= await staff_user_ids(edition_id, [user_id])
    if staff:
        raise ValidationError(
            {
                field: _(
                    "Judges and organizers of this competition, and businesses they manage, "
                    "cannot take part in it."
                )
            }
        )


async def holds_entry(edition_id: int, user_id: int) -> bool:
    """True when the user manages a business with a (not withdrawn) entry in the edition."""
    businesses = await BusinessMember.select(BusinessMember.business).where(
        BusinessMember.user == user_id
    )
    ids = [row["business"] for row in businesses]
    if not ids:
        return False
    return await Entry.exists().where(
        (Entry.edition == edition_id)
        & Entry.business.is_in(ids)
        & (Entry.status != EntryStatus.withdrawn.value)
    )


async def save_profile(
    actor: CurrentUser,
    edition_id: int,
    user_id: int,
    *,
    affiliation: str = "",
    expertise: Iterable[int] = (),
    capacity: int | None = None,
) -> int:
    """Create or update ``user_id``'s judge profile in the edition; return its id.

    Refused (``ValidationError``) when the user manages a business with an entry in the edition,
    when ``capacity`` is negative, or when an expertise id is not a category of the edition.
    """
    require_manager(actor, edition_id)
    expertise_ids = sorted({int(x) for x in expertise})
    errors: dict[str, str] = {}
    if capacity is not None and capacity < 0:
        errors["capacity"] = _("The capacity cannot be negative.")
    if len(affiliation) > 200:
        errors["affiliation"] = _("Use at most 200 characters.")
    async with db.write_transaction():
        if not await User.exists().where(User.id == user_id):
            raise NotFoundError(f"user {user_id}")
        if expertise_ids:
            known = await Category.select(Category.id).where(
                (Category.edition == edition_id) & Category.id.is_in(expertise_ids)
            )
            if len(known) != len(expertise_ids):
                errors["expertise"] = _("Choose categories of this edition.")
        if await holds_entry(edition_id, user_id):
            errors["user"] = _(
                "This person manages a business with an entry in this edition and cannot judge it."
            )
        if errors:
            raise ValidationError(errors)
        existing = (
            await JudgeProfile.select(JudgeProfile.id)
            .where((JudgeProfile.edition == edition_id) & (JudgeProfile.user == user_id))
            .first()
        )
        values = {
            JudgeProfile.affiliation: affiliation.strip(),
            JudgeProfile.expertise: expertise_ids,
            JudgeProfile.capacity: capacity,
        }
        if existing:
            await JudgeProfile.update(values).where(JudgeProfile.id == existing["id"])
            return existing["id"]
        rows = await JudgeProfile.insert(
            JudgeProfile(
                edition=edition_id,
                user=user_id,
                affiliation=affiliation.strip(),
                expertise=expertise_ids,
                capacity=capacity,
            )
        ).returning(JudgeProfile.id)
        if not await RoleGrant.exists().where(
            (RoleGrant.user == user_id)
            & (RoleGrant.role == "judge")
            & ((RoleGrant.edition_id == edition_id) | RoleGrant.edition_id.is_null())
        ):
            # The audited grant: the account's history shows who appointed the judge.
            await grant_audited(user_id, "judge", edition_id, actor.id)
        return rows[0]["id"]


async def judge_profiles(edition_id: int) -> list[dict[str, Any]]:
    """The edition's judge profiles with the judge's name and email, by profile id."""
    rows = (
        await JudgeProfile.select(
            JudgeProfile.all_columns(),
            JudgeProfile.user.email.as_alias("email"),
            JudgeProfile.user.display_name.as_alias("display_name"),
        )
        .where(JudgeProfile.edition == edition_id)
        .output(load_json=True)
        .order_by(JudgeProfile.id)
    )
    return rows
