"""Entry-form and rubric changes of a category (the form builder's service side).

Mixed into :class:`awards.intake.editions.service.EditionService`, which supplies
``category(user, id)`` (scoping: :class:`NotFoundError` unless the user manages the edition) and
``entry_count``. Once a category has entries,
:func:`awards.intake.form.formspec.diff_is_destructive` decides: adding optional fields and
relabelling pass; anything that could invalidate an existing answer is refused with the reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import NotFoundError, to_validation_error
from awards.intake.editions.lifecycle import Action, ensure_allowed
from awards.intake.form.editing import criterion_from_form, field_from_form
from awards.intake.form.formspec import FormSpec, diff_is_destructive, stored_form
from awards.intake.form.rubric import Rubric
from awards.intake.tables import Category
from awards.intake.validators import ValidationErrors

__all__ = ["CategorySetup", "FormSetup", "rubric_of"]

Form = Any


def _now() -> datetime:
    return datetime.now(UTC)


def _text(data: Form, name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value if value is not None else "").strip()


_CRITERION_INPUTS = {"label": "label_id"}


def _criterion_errors(errors: dict[str, str], index: int) -> dict[str, str]:
    """Rubric errors (``criteria.<i>.<attribute>``) -> the input names of criterion ``index``'s
    form; other criteria's problems are joined under ``criteria``."""
    out: dict[str, str] = {}
    prefix = f"criteria.{index}."
    for name, message in errors.items():
        if name.startswith(prefix):
            attribute = name.removeprefix(prefix)
            out.setdefault(_CRITERION_INPUTS.get(attribute, attribute), message)
        else:
            out["criteria"] = " ".join(filter(None, (out.get("criteria"), message)))
    return out


def rubric_of(category: dict[str, Any]) -> Rubric:
    """The category row's rubric (an empty one until it has criteria)."""
    data = category["rubric"] or {}
    return Rubric.from_dict(data) if data.get("criteria") else Rubric(())


@dataclass(frozen=True)
class CategorySetup:
    """What the organizer's page of a category shows: its row, its edition's row, its entry
    form, its rubric and how many entries it has."""

    category: dict[str, Any]
    edition: dict[str, Any]
    form: FormSpec
    rubric: Rubric
    entry_count: int


class FormSetup:
    """Form builder and rubric operations; the class it is mixed into provides
    ``category(user, category_id) -> (category, edition)`` and ``entry_count(category_id)``."""

    # -- entry form ------------------------------------------------------------------------

    async def replace_form(self, user: CurrentUser, category_id: int, new: FormSpec) -> None:
        """Store ``new`` as the category's form after checking its definition and, when the
        category has entries, that the change is not destructive (reasons in the error)."""
        definition = new.validate_definition()
        if definition:
            errors = to_validation_error(definition).errors
            raise ValidationError({re.sub(r"^fields\.\d+\.", "", k): v for k, v in errors.items()})
        async with db.write_transaction():
            row, edition = await self.category(user, category_id)
            ensure_allowed(Action.setup, edition["status"])
            if await self.entry_count(category_id):
                reasons = diff_is_destructive(stored_form(row["form"]), new)
                if reasons:
                    errors = ValidationErrors(reasons)
                    message = _("The category already has entries, so this change is refused:")
                    rendered = to_validation_error(errors).errors
                    raise ValidationError(
                        {"form": " ".join([message, *(f"{k}: {v}" for k, v in rendered.items())])}
                    )
            await Category.update(
                {Category.form: new.to_dict(), Category.updated_at: _now()}
            ).where(Category.id == category_id)

    async def category_setup(self, user: CurrentUser, category_id: int) -> CategorySetup:
        """The category's page in three reads (category, edition, entry count);
        :class:`NotFoundError` unless the user manages it."""
        row, edition = await self.category(user, category_id)
        form = stored_form(row["form"])
        count = await self.entry_count(category_id)
        return CategorySetup(row, edition, form, rubric_of(row), count)

    async def form(self, user: CurrentUser, category_id: int) -> FormSpec:
        row, _edition = await self.category(user, category_id)
        return stored_form(row["form"])

    async def add_field(self, user: CurrentUser, category_id: int, data: Form) -> str:
        """Append a field built from form input; returns its key."""
        form = await self.form(user, category_id)
        order = max((spec.order for spec in form.fields), default=0) + 1
        spec = field_from_form(_text(data, "type"), data, default_order=order)
        await self.replace_form(user, category_id, FormSpec((*form.fields, spec)))
        return spec.key

    async def update_field(self, user: CurrentUser, category_id: int, key: str, data: Form) -> None:
        """Replace field ``key`` (same type; its key cannot change) from form input."""
        form = await self.form(user, category_id)
        old = form.field(key)
        if old is None:
            raise NotFoundError(key)
        spec = field_from_form(old.type, {**data, "key": key}, default_order=old.order)
        fields = tuple(spec if item.key == key else item for item in form.fields)
        await self.replace_form(user, category_id, FormSpec(fields))

    async def remove_field(self, user: CurrentUser, category_id: int, key: str) -> None:
        form = await self.form(user, category_id)
        if form.field(key) is None:
            raise NotFoundError(key)
        await self.replace_form(
            user, category_id, FormSpec(tuple(f for f in form.fields if f.key != key))
        )

    async def move_field(self, user: CurrentUser, category_id: int, key: str, step: int) -> None:
        """Move field ``key`` one place up (``step=-1``) or down (``+1``); orders become 1..n."""
        form = await self.form(user, category_id)
        ordered = list(form.ordered)
        index = next((i for i, spec in enumerate(ordered) if spec.key == key), None)
        if index is None:
            raise NotFoundError(key)
        target = index + (1 if step > 0 else -1)
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        renumbered = tuple(replace(spec, order=n) for n, spec in enumerate(ordered, start=1))
        await self.replace_form(user, category_id, FormSpec(renumbered))

    # -- rubric ----------------------------------------------------------------------------

    async def rubric(self, user: CurrentUser, category_id: int) -> Rubric:
        row, _edition = await self.category(user, category_id)
        return rubric_of(row)

    async def replace_rubric(self, user: CurrentUser, category_id: int, rubric: Rubric) -> None:
        problems = rubric.validate()
        if problems:
            raise to_validation_error(problems)
        _row, edition = await self.category(user, category_id)
        ensure_allowed(Action.setup, edition["status"])
        async with db.write_transaction():
            await Category.update(
                {Category.rubric: rubric.to_dict(), Category.updated_at: _now()}
            ).where(Category.id == category_id)

    async def save_criterion(
        self, user: CurrentUser, category_id: int, key: str | None, data: Form
    ) -> None:
        """Add a criterion (``key`` None) or replace criterion ``key`` from form input.

        Errors are keyed by the criterion form's input names (``key``, ``label_id``,
        ``weight``, ``scale_min``, ``scale_max``, ``levels``), so the page shows each beside its
        input; a problem of another criterion is reported under ``criteria``."""
        rubric = await self.rubric(user, category_id)
        criterion = criterion_from_form(data if key is None else {**data, "key": key})
        if key is None:
            criteria = (*rubric.criteria, criterion)
            index = len(criteria) - 1
        else:
            index = next((i for i, c in enumerate(rubric.criteria) if c.key == key), -1)
            if index < 0:
                raise NotFoundError(key)
            criteria = tuple(criterion if c.key == key else c for c in rubric.criteria)
        try:
            await self.replace_rubric(user, category_id, Rubric(criteria))
        except ValidationError as exc:
            raise ValidationError(_criterion_errors(exc.errors, index)) from None

    async def remove_criterion(self, user: CurrentUser, category_id: int, key: str) -> None:
        rubric = await self.rubric(user, category_id)
        criteria = tuple(c for c in rubric.criteria if c.key != key)
        if len(criteria) == len(rubric.criteria):
            raise NotFoundError(key)
        await self.replace_rubric(user, category_id, Rubric(criteria))
