"""Business profiles: create/edit, per-edition declaration (-> size class), members, logo.

Rules:

* A user who creates a business becomes its ``owner``; ``BusinessMember`` rows say who manages
  which business (unique per pair, enforced here). Every operation checks membership and raises
  :class:`~awards.intake.common.NotFoundError` for non-members (404, not 403).
* Profile fields are validated with :mod:`awards.intake.businesses.identity`; the phone is stored
  in E.164 (``+62...``), the NIB as 13 digits (unique across businesses).
* The declaration of capital and turnover is per edition; the size class follows
  :func:`awards.intake.businesses.sizeclass.assess_size` with the edition's thresholds (PP 7/2021).
* Members and staff invitations: :mod:`awards.intake.businesses.members` (mixed in).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake._messages import N_
from awards.intake.businesses import identity
from awards.intake.businesses.members import INVITATION_LIFETIME, MemberRules
from awards.intake.businesses.sizeclass import SizeAssessment, SizeThresholds, assess_size
from awards.intake.common import (
    NotFoundError,
    attachment_row,
    edition_in_transaction,
    managed_business,
    now_utc,
    stored_of,
    to_validation_error,
    uploads_root,
)
from awards.intake.editions.deadlines import ensure_not_closed, intake_is_open
from awards.intake.entries.sql import MEMBERSHIPS_SQL
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Declaration,
    Edition,
    Entry,
    MemberRole,
)
from awards.intake.uploads import UploadPolicy, delete_stored, store_upload_async
from awards.intake.validators import InvalidValue, ValidationErrors, parse_int, parse_rupiah
from awards.mail import Mailer
from awards.settings import Settings

__all__ = [
    "INVITATION_LIFETIME",
    "LOGO_POLICY",
    "PROFILE_FIELDS",
    "BusinessProfile",
    "BusinessService",
    "Membership",
]

LOGO_POLICY = UploadPolicy(kinds=("jpeg", "png", "webp"), max_bytes=2 * 1024 * 1024)
PROFILE_FIELDS = (
    "name",
    "owner_name",
    "nib",
    "phone",
    "email",
    "address",
    "district",
    "sector",
    "year_founded",
    "employees",
)


@dataclass(frozen=True)
class Membership:
    """A business the user manages and the user's role in it."""

    business_id: int
    name: str
    role: str


async def _editions_taking_changes() -> list[int]:
    """Ids of editions whose intake is open now (entries there may still change)."""
    editions = await Edition.select(
        Edition.id,
        Edition.status,
        Edition.time_zone,
        Edition.intake_opens_at,
        Edition.intake_closes_at,
    ).where(Edition.status == "open")
    return [edition["id"] for edition in editions if intake_is_open(edition)]


def _clean_profile(
    data: Mapping[str, Any], districts: list[str], sectors: list[identity.Sector]
) -> dict[str, Any]:
    """Validate every field at once; raise ``ValidationError`` with one message per field."""
    errors = ValidationErrors()
    cleaned: dict[str, Any] = {}
    current_year = now_utc().year

    def text(name: str, limit: int, required: bool = True) -> None:
        raw = str(data.get(name) or "")
        value = raw.strip() if name == "address" else " ".join(raw.split())
        if required and not value:
            errors.add(name, N_("This field is required."))
        elif len(value) > limit:
            errors.add(name, N_("Use at most %(limit)d characters (you used %(count)d)."),
                       limit=limit, count=len(value))  # fmt: skip
        cleaned[name] = value

    text("name", 200)
    text("owner_name", 200)
    text("address", 1000, required=False)
    parsers = {
        "nib": identity.normalize_nib,
        "phone": identity.normalize_phone,
        "email": identity.normalize_email,
        "district": lambda raw: identity.normalize_district(raw, districts),
        "sector": lambda raw: identity.normalize_sector(raw, sectors),
        "year_founded": lambda raw: parse_int(raw, minimum=1900, maximum=current_year),
        "employees": lambda raw: parse_int(raw, minimum=0, maximum=100_000),
    }
    for name, parse in parsers.items():
        raw = data.get(name)
        if name in ("year_founded", "employees") and (raw is None or str(raw).strip() == ""):
            cleaned[name] = None
            continue
        try:
            cleaned[name] = parse(raw)
        except InvalidValue as exc:
            errors.add_error(exc.at(name))
    if errors:
        raise to_validation_error(errors)
    return cleaned


@dataclass(frozen=True)
class BusinessProfile:
    """What the profile page shows: the business, the user's role, the form's choices, the
    business's declaration (or None) per open edition, soonest closing first, and its logo."""

    business: dict[str, Any]
    role: str
    districts: list[str]
    sectors: list[identity.Sector]
    declarations: list[tuple[dict[str, Any], dict[str, Any] | None]]
    logo: dict[str, Any] | None


def _choices_of(editions: list[dict[str, Any]]) -> tuple[list[str], list[identity.Sector]]:
    """The union of the editions' districts and sectors, in order of first mention, or the
    defaults for each list none of them configures."""
    districts: list[str] = []
    sector_keys: list[str] = []
    for edition in editions:
        districts += [d for d in edition["districts"] or [] if d not in districts]
        sector_keys += [s for s in edition["sectors"] or [] if s not in sector_keys]
    known = {sector.key: sector for sector in identity.DEFAULT_SECTORS}
    sectors = [known.get(key, identity.Sector(key, key, key)) for key in sector_keys]
    return districts or list(identity.DEFAULT_DISTRICTS), sectors or list(identity.DEFAULT_SECTORS)


async def _logo(business_id: int) -> dict[str, Any] | None:
    """The business's logo attachment row (one without an entry), or None."""
    return (
        await Attachment.select()
        .where((Attachment.business == business_id) & Attachment.entry.is_null())
        .first()
    )


class BusinessService(MemberRules):
    """Business profiles and their members for one configured application."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    # -- reading -------------------------------------------------------------------------

    async def memberships(self, user_id: int) -> list[Membership]:
        """Businesses the user manages, oldest membership first."""
        # Hot path (the dashboard and every business page): plain SQL, see entries.sql.
        rows = await db.fetch(MEMBERSHIPS_SQL, user_id)
        return [Membership(r["business"], r["business.name"], r["role"]) for r in rows]

    async def managed(self, user_id: int) -> list[tuple[dict[str, Any], str]]:
        """``(business row, my role)`` for every business the user manages, oldest membership
        first (two queries whatever the number of businesses)."""
        memberships = await self.memberships(user_id)
        if not memberships:
            return []
        ids = [m.business_id for m in memberships]
        rows = {row["id"]: row for row in await Business.select().where(Business.id.is_in(ids))}
        return [(rows[m.business_id], m.role) for m in memberships if m.business_id in rows]

    async def get(self, user: CurrentUser, business_id: int) -> dict[str, Any]:
        """The business row, if the user manages it."""
        business, _role = await managed_business(user.id, business_id)
        return business

    async def business_and_role(
        self, user: CurrentUser, business_id: int
    ) -> tuple[dict[str, Any], str]:
        """The business row and the user's role in it, in one statement."""
        return await managed_business(user.id, business_id)

    async def choices(self) -> tuple[list[str], list[identity.Sector]]:
        """Districts and sectors offered on the profile form: the union over open editions
        (each edition configures its own lists), or the defaults when none is configured."""
        editions = await (
            Edition.select(Edition.districts, Edition.sectors)
            .where(Edition.status == "open")
            .output(load_json=True)
        )
        return _choices_of(editions)

    async def profile(self, user: CurrentUser, business_id: int) -> BusinessProfile:
        """Everything the profile page shows, in four statements whatever the number of open
        editions: the business with the user's role, the open editions (their declarations'
        places and the form's choices), the business's declarations there, its logo."""
        business, role = await managed_business(user.id, business_id)
        editions = await (
            Edition.select()
            .where(Edition.status == "open")
            .order_by(Edition.intake_closes_at)
            .output(load_json=True)
        )
        declared: dict[int, dict[str, Any]] = {}
        if editions:
            rows = await Declaration.select().where(
                (Declaration.business == business_id)
                & Declaration.edition.is_in([edition["id"] for edition in editions])
            )
            declared = {row["edition"]: row for row in rows}
        districts, sectors = _choices_of(editions)
        return BusinessProfile(
            business=business,
            role=role,
            districts=districts,
            sectors=sectors,
            declarations=[(edition, declared.get(edition["id"])) for edition in editions],
            logo=await _logo(business_id),
        )

    # -- profile -------------------------------------------------------------------------

    async def create(self, user: CurrentUser, data: Mapping[str, Any]) -> int:
        """Create a business owned by ``user``; return its id."""
        districts, sectors = await self.choices()
        cleaned = _clean_profile(data, districts, sectors)
        duplicate = ValidationError({"nib": _("A business with this NIB is already registered.")})
        try:
            async with db.write_transaction():
                if await Business.exists().where(Business.nib == cleaned["nib"]):
                    raise duplicate
                rows = await Business.insert(Business(**cleaned))
                business_id = rows[0]["id"]
                await BusinessMember.insert(
                    BusinessMember(business=business_id, user=user.id, role=MemberRole.owner.value)
                )
        except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
            raise duplicate from None
        return business_id

    async def update(self, user: CurrentUser, business_id: int, data: Mapping[str, Any]) -> None:
        """Replace the profile fields of a business the user manages."""
        await self.get(user, business_id)
        districts, sectors = await self.choices()
        cleaned = _clean_profile(data, districts, sectors)
        duplicate = ValidationError({"nib": _("A business with this NIB is already registered.")})
        try:
            async with db.write_transaction():
                taken = await Business.exists().where(
                    (Business.nib == cleaned["nib"]) & (Business.id != business_id)
                )
                if taken:
                    raise duplicate
                values = {getattr(Business, k): v for k, v in cleaned.items()}
                values[Business.updated_at] = now_utc()
                await Business.update(values).where(Business.id == business_id)
                editions = await _editions_taking_changes()
                if editions:  # keep the organizer list's snapshot columns current
                    await Entry.update(
                        {
                            Entry.business_name: cleaned["name"],
                            Entry.district: cleaned["district"],
                            Entry.sector: cleaned["sector"],
                        }
                    ).where((Entry.business == business_id) & Entry.edition.is_in(editions))
        except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
            raise duplicate from None

    # -- declaration ---------------------------------------------------------------------

    async def declaration(self, business_id: int, edition_id: int) -> dict[str, Any] | None:
        return (
            await Declaration.select()
            .where((Declaration.business == business_id) & (Declaration.edition == edition_id))
            .first()
        )

    async def declare(
        self, user: CurrentUser, business_id: int, edition_id: int, capital: Any, turnover: Any
    ) -> SizeAssessment:
        """Record capital and turnover for the edition; return the derived size class."""
        await self.get(user, business_id)
        edition = (
            await Edition.select().where(Edition.id == edition_id).output(load_json=True).first()
        )
        if edition is None or edition["status"] == "draft":
            raise NotFoundError(edition_id)
        errors = ValidationErrors()
        amounts: dict[str, int] = {}
        for name, raw in (("capital", capital), ("turnover", turnover)):
            try:
                amounts[name] = parse_rupiah(raw)
            except InvalidValue as exc:
                errors.add_error(exc.at(name))
        if errors:
            raise to_validation_error(errors)
        ensure_not_closed(edition)  # the class decides eligibility: frozen after closing
        thresholds = SizeThresholds.from_dict(edition["size_thresholds"] or {})
        assessment = assess_size(amounts["capital"], amounts["turnover"], thresholds)
        size_class = assessment.size_class.value if assessment.size_class else ""
        async with db.write_transaction():
            ensure_not_closed(await edition_in_transaction(edition_id))
            existing = await self.declaration(business_id, edition_id)
            if existing is None:
                await Declaration.insert(
                    Declaration(
                        business=business_id,
                        edition=edition_id,
                        capital=amounts["capital"],
                        turnover=amounts["turnover"],
                        size_class=size_class,
                    )
                )
            else:
                await Declaration.update(
                    {
                        Declaration.capital: amounts["capital"],
                        Declaration.turnover: amounts["turnover"],
                        Declaration.size_class: size_class,
                        Declaration.updated_at: now_utc(),
                    }
                ).where(Declaration.id == existing["id"])
            await Entry.update({Entry.size_class: size_class}).where(
                (Entry.business == business_id) & (Entry.edition == edition_id)
            )
        return assessment

    # -- logo ----------------------------------------------------------------------------

    async def set_logo(
        self, user: CurrentUser, business_id: int, chunks: AsyncIterable[bytes], filename: str
    ) -> None:
        """Store an image (validated by content, re-encoded) as the business logo."""
        await self.get(user, business_id)
        root = uploads_root(self.settings)
        stored = await store_upload_async(
            chunks, filename=filename, storage_root=root, policy=LOGO_POLICY
        )
        try:
            async with db.write_transaction():
                old = await Attachment.select().where(
                    (Attachment.business == business_id) & Attachment.entry.is_null()
                )
                await Attachment.delete().where(
                    (Attachment.business == business_id) & Attachment.entry.is_null()
                )
                await Attachment.insert(attachment_row(stored, business_id, None, "logo", user))
                await Business.update(
                    {Business.logo_key: stored.key, Business.updated_at: now_utc()}
                ).where(Business.id == business_id)
        except BaseException:
            delete_stored(root, stored)
            raise
        for row in old:
            delete_stored(root, stored_of(row))

    async def logo(self, user: CurrentUser, business_id: int) -> dict[str, Any] | None:
        """The logo attachment row of a business the user manages (None if no logo)."""
        await self.get(user, business_id)
        return await _logo(business_id)
