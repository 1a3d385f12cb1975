"""Organizer set-up of an edition: editions, categories, entry forms, rubrics, size thresholds.

Scoping: a user manages an edition when they hold ``admin`` or ``organizer`` globally (grant
``edition_id`` NULL) or ``organizer`` for that edition (:func:`can_manage`). Only global
organizers and admins create editions. Everything else refuses with :class:`NotFoundError`
(an edition one may not manage is reported as missing, so URLs reveal nothing).

Status changes go through :class:`awards.intake.editions.status.EditionLifecycle` (rules in
:mod:`awards.intake.editions.lifecycle`); set-up changes are refused once results are published
unless a correction is opened (:data:`~awards.intake.editions.lifecycle.Action.setup`).
Dates: ``intake_opens_at < intake_closes_at <= judging_starts_at < judging_ends_at
<= results_at``; form input without an offset is wall-clock time in the edition's time zone.

Form changes go through :func:`awards.intake.form.formspec.diff_is_destructive` once a category has
entries: adding optional fields and relabelling are fine, anything that could invalidate an
existing answer is refused with the reasons.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.businesses.sizeclass import SizeClass, SizeRule, SizeThresholds
from awards.intake.common import NotFoundError, to_validation_error
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.editions.lifecycle import Action, ensure_allowed
from awards.intake.form.editing import lines
from awards.intake.form.form_setup import FormSetup
from awards.intake.tables import Category, Edition, EditionStatus, Entry
from awards.moments import moment_field_error, parse_moment

__all__ = [
    "EditionService",
    "ForbiddenError",
    "can_manage",
    "edition_categories",
    "managed_scope",
]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
_CODE = re.compile(r"^[A-Z0-9]{2,6}$")
DATE_FIELDS = (
    "intake_opens_at",
    "intake_closes_at",
    "judging_starts_at",
    "judging_ends_at",
    "results_at",
)
Form = Mapping[str, Any]


class ForbiddenError(PermissionError):
    """The user may see the object but not do this (e.g. a scoped organizer creating editions)."""


def can_manage(user: CurrentUser, edition_id: int) -> bool:
    """Admins, global organizers and organizers granted ``edition_id`` manage the edition."""
    return any(
        (role == "admin") or (role == "organizer" and scope in (None, edition_id))
        for role, scope in user.grants
    )


def managed_scope(user: CurrentUser) -> set[int] | None:
    """Edition ids the user manages, or ``None`` for every edition (global grant)."""
    ids: set[int] = set()
    for role, scope in user.grants:
        if role == "admin" or (role == "organizer" and scope is None):
            return None
        if role == "organizer" and scope is not None:
            ids.add(scope)
    return ids


def _text(data: Form, name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value if value is not None else "").strip()


def _now() -> datetime:
    return datetime.now(UTC)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


async def edition_categories(edition_id: int) -> list[dict[str, Any]]:
    """The edition's categories in display order (position, then id), JSON columns loaded."""
    return await (
        Category.select()
        .output(load_json=True)
        .where(Category.edition == edition_id)
        .order_by(Category.position)
        .order_by(Category.id)
    )


class EditionService(FormSetup):
    """Edition and category operations for organizers (forms and rubrics: :class:`FormSetup`)."""

    # -- editions --------------------------------------------------------------------------

    async def list_editions(self, user: CurrentUser) -> list[dict[str, Any]]:
        """Editions the user manages, newest year first."""
        query = (
            Edition.select()
            .output(load_json=True)
            .order_by(Edition.year, ascending=False)
            .order_by(Edition.id)
        )
        scope = managed_scope(user)
        if scope is not None:
            if not scope:
                return []
            query = query.where(Edition.id.is_in(sorted(scope)))
        return await query

    async def edition(self, user: CurrentUser, edition_id: int) -> dict[str, Any]:
        """The edition row, or :class:`NotFoundError` if missing or not managed by the user."""
        row = await Edition.select().output(load_json=True).where(Edition.id == edition_id).first()
        if row is None or not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        return row

    async def edition_by_slug(self, user: CurrentUser, slug: str) -> dict[str, Any]:
        row = await Edition.select().output(load_json=True).where(Edition.slug == slug).first()
        if row is None or not can_manage(user, row["id"]):
            raise NotFoundError(slug)
        return row

    def _clean_edition(self, data: Form, *, creating: bool) -> dict[str, Any]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        if creating:
            slug = _text(data, "slug").lower()
            if not _SLUG.match(slug):
                errors["slug"] = _("Use 2-60 lower-case letters, digits and hyphens.")
            values["slug"] = slug
        try:
            year = int(_text(data, "year"))
            if not 2000 <= year <= 2100:
                raise ValueError
            values["year"] = year
        except ValueError:
            errors["year"] = _("Enter a year between 2000 and 2100.")
        values["name_id"] = _text(data, "name_id")[:200]
        if not values["name_id"]:
            errors["name_id"] = _("Enter a name in Bahasa Indonesia.")
        values["name_en"] = _text(data, "name_en")[:200]
        values["description_id"] = _text(data, "description_id")
        values["description_en"] = _text(data, "description_en")
        time_zone = _text(data, "time_zone") or "Asia/Jakarta"
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _("Unknown time zone; use e.g. Asia/Jakarta.")
            time_zone = "Asia/Jakarta"
        values["time_zone"] = time_zone
        for name in DATE_FIELDS:
            try:
                values[name] = parse_moment(data.get(name), time_zone)
            except (ValueError, TypeError) as exc:
                errors[name] = moment_field_error(exc)
                continue
            if values[name] is None and name != "results_at":
                errors[name] = _("Enter a date and time, e.g. 2026-12-31T23:59.")
        order = [(n, values.get(n)) for n in DATE_FIELDS if values.get(n) and n not in errors]
        for (before, first), (after, second) in itertools.pairwise(order):
            strict = (before, after) in {
                ("intake_opens_at", "intake_closes_at"),
                ("judging_starts_at", "judging_ends_at"),
            }
            if second < first or (strict and second == first):
                errors[after] = _("This date must come after the previous one.")
        values["districts"] = lines(data.get("districts", ""))
        values["sectors"] = lines(data.get("sectors", ""))
        _raise(errors)
        return values

    async def create_edition(self, user: CurrentUser, data: Form) -> int:
        """Create a draft edition with default size thresholds; global organizers only."""
        if managed_scope(user) is not None:
            raise ForbiddenError("only global organizers create editions")
        values = self._clean_edition(data, creating=True)
        async with db.write_transaction():
            if await Edition.exists().where(Edition.slug == values["slug"]):
                raise ValidationError({"slug": _("Another edition already uses this slug.")})
            rows = await Edition.insert(
                Edition(
                    **values,
                    status=EditionStatus.draft.value,
                    size_thresholds=SizeThresholds().to_dict(),
                )
            ).returning(Edition.id)
        return rows[0]["id"]

    async def update_edition(self, user: CurrentUser, edition_id: int, data: Form) -> None:
        ensure_allowed(Action.setup, (await self.edition(user, edition_id))["status"])
        values = self._clean_edition(data, creating=False)
        async with db.write_transaction():
            await Edition.update({**values, "updated_at": _now()}).where(Edition.id == edition_id)

    async def set_thresholds(self, user: CurrentUser, edition_id: int, data: Form) -> None:
        """Replace the size-class thresholds (whole rupiah, increasing) and the rule."""
        ensure_allowed(Action.setup, (await self.edition(user, edition_id))["status"])
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for size in ("micro", "small", "medium"):
            for measure in ("capital", "turnover"):
                name = f"{size}_{measure}_max"
                raw = re.sub(r"[\s.,]", "", _text(data, name)).removeprefix("Rp")
                if not raw.isdigit():
                    errors[name] = _("Enter a positive whole amount in rupiah.")
                else:
                    values[name] = int(raw)
        try:
            values["rule"] = SizeRule(_text(data, "rule") or SizeRule.TURNOVER_FIRST.value)
        except ValueError:
            errors["rule"] = _("Unknown size rule.")
        _raise(errors)
        thresholds = SizeThresholds(**values)
        problems = thresholds.validate()
        if problems:
            raise to_validation_error(problems)
        async with db.write_transaction():
            await Edition.update(
                {Edition.size_thresholds: thresholds.to_dict(), Edition.updated_at: _now()}
            ).where(Edition.id == edition_id)

    # -- categories ------------------------------------------------------------------------

    async def categories(self, user: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
        await self.edition(user, edition_id)
        return await edition_categories(edition_id)

    async def category(
        self, user: CurrentUser, category_id: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(category, edition)`` rows; :class:`NotFoundError` unless the user manages it."""
        row = (
            await Category.select().output(load_json=True).where(Category.id == category_id).first()
        )
        if row is None:
            raise NotFoundError(category_id)
        return row, await self.edition(user, row["edition"])

    async def entry_count(self, category_id: int) -> int:
        return await Entry.count().where(Entry.category == category_id)

    def _clean_category(self, data: Form, edition: Mapping[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        slug = _text(data, "slug").lower()
        if not _SLUG.match(slug):
            errors["slug"] = _("Use 2-60 lower-case letters, digits and hyphens.")
        code = _text(data, "code").upper()
        if not _CODE.match(code):
            errors["code"] = _("Use 2-6 capital letters or digits, e.g. KUL.")
        values.update(slug=slug, code=code)
        values["name_id"] = _text(data, "name_id")[:200]
        if not values["name_id"]:
            errors["name_id"] = _("Enter a name in Bahasa Indonesia.")
        values["name_en"] = _text(data, "name_en")[:200]
        values["description_id"] = _text(data, "description_id")
        values["description_en"] = _text(data, "description_en")
        try:
            values["position"] = int(_text(data, "position") or "0")
        except ValueError:
            errors["position"] = _("Enter a whole number.")
        sizes = data.get("size_classes") or []
        sizes = [sizes] if isinstance(sizes, str) else list(sizes)
        limit_text = _text(data, "max_entries_per_business")
        try:
            rules = EligibilityRules(
                size_classes=tuple(SizeClass(s) for s in sizes if s),
                sectors=tuple(lines(data.get("sectors", ""))),
                districts=tuple(lines(data.get("districts", ""))),
                max_entries_per_business=int(limit_text) if limit_text else None,
            )
        except ValueError:
            errors["eligibility"] = _("Check the eligibility rules.")
        else:
            for error in rules.validate():
                errors[error.field] = error.render(_)
            unknown = set(rules.districts) - set(edition.get("districts") or rules.districts)
            if unknown:
                errors["districts"] = _("Unknown districts: %(names)s.") % {
                    "names": ", ".join(sorted(unknown))
                }
            values["eligibility"] = rules.to_dict()
        _raise(errors)
        return values

    async def create_category(self, user: CurrentUser, edition_id: int, data: Form) -> int:
        edition = await self.edition(user, edition_id)
        ensure_allowed(Action.setup, edition["status"])
        values = self._clean_category(data, edition)
        async with db.write_transaction():
            await self._unique_slug(edition_id, values["slug"], None)
            rows = await Category.insert(Category(edition=edition_id, **values)).returning(
                Category.id
            )
        return rows[0]["id"]

    async def update_category(self, user: CurrentUser, category_id: int, data: Form) -> None:
        _category, edition = await self.category(user, category_id)
        ensure_allowed(Action.setup, edition["status"])
        values = self._clean_category(data, edition)
        async with db.write_transaction():
            await self._unique_slug(edition["id"], values["slug"], category_id)
            await Category.update({**values, "updated_at": _now()}).where(
                Category.id == category_id
            )

    async def _unique_slug(self, edition_id: int, slug: str, own_id: int | None) -> None:
        query = Category.exists().where((Category.edition == edition_id) & (Category.slug == slug))
        if own_id is not None:
            query = query.where(Category.id != own_id)
        if await query:
            raise ValidationError({"slug": _("Another category of this edition uses this slug.")})
