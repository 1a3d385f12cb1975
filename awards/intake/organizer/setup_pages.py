"""Organizer console, set-up pages: editions, status, size thresholds, categories, the entry form
builder (one plain form per field, no JavaScript) and the rubric.

Thin: parse the form, call one :class:`~awards.intake.editions.service.EditionService` method, then
redirect (303) or render the page again with the errors (422).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.businesses.sizeclass import SizeClass, SizeRule
from awards.intake.common import NotFoundError
from awards.intake.editions.lifecycle import next_transitions
from awards.intake.editions.service import EditionService, edition_categories, managed_scope
from awards.intake.editions.status import status_history
from awards.intake.form.editing import FIELD_TYPES, field_to_form, file_kinds
from awards.intake.form.rubric import MAX_WEIGHT, Rubric
from awards.intake.organizer.common import (
    ORGANIZER_GUARD,
    field_type_labels,
    form_input,
    local_input,
    organizer_exception_handlers,
    percent,
)
from awards.web.auth import authenticated_user
from awards.web.flash import flash

__all__ = ["Editions", "OrganizerSetupPages"]

Req = Request[Any, Any, Any]
Editions = NamedDependency[EditionService]
DATES = (
    "intake_opens_at",
    "intake_closes_at",
    "judging_starts_at",
    "judging_ends_at",
    "results_at",
)


def _edition_form(row: dict[str, Any]) -> dict[str, Any]:
    data = dict(row)
    for name in DATES:
        data[name] = local_input(row.get(name), row["time_zone"])
    data["districts"] = "\n".join(row.get("districts") or [])
    data["sectors"] = "\n".join(row.get("sectors") or [])
    return data


def rubric_view(rubric: Rubric) -> dict[str, Any]:
    """The rubric with each criterion's weight as a percentage of the total, and the total."""
    return {
        "rubric": rubric,
        "rubric_shares": [percent(share) for share in rubric.shares()],
        "rubric_total": rubric.total_weight,
        "max_weight": MAX_WEIGHT,
    }


class OrganizerSetupPages(Controller):
    """``/organizer``: editions, categories, forms and rubrics."""

    path = "/organizer"
    guards = [ORGANIZER_GUARD]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = organizer_exception_handlers

    async def _edition_page(
        self, request: Req, editions: EditionService, edition_id: int, **extra: Any
    ) -> Template:
        user = authenticated_user(request)
        edition = await editions.edition(user, edition_id)
        context = {
            "edition": edition,
            "form": extra.pop("form", None) or _edition_form(edition),
            "errors": extra.pop("errors", {}),
            "threshold_errors": extra.pop("threshold_errors", {}),
            "thresholds": extra.pop("thresholds", None) or edition["size_thresholds"],
            "categories": await edition_categories(edition_id),  # access checked just above
            "transitions": next_transitions(edition["status"]),
            "status_log": await status_history(edition_id),
            "rules": list(SizeRule),
        }
        return Template(
            "intake/organizer/edition.html", context=context, status_code=extra.pop("status", 200)
        )

    @get("/", name="organizer_home")
    async def home(self, request: Req, editions: Editions) -> Template:
        user = authenticated_user(request)
        rows = await editions.list_editions(user)
        context = {"editions": rows, "can_create": managed_scope(user) is None}
        return Template("intake/organizer/editions.html", context=context)

    @get("/editions/new", name="organizer_edition_new")
    async def new_edition(self) -> Template:
        form = {"time_zone": "Asia/Jakarta", "districts": "", "sectors": ""}
        return Template("intake/organizer/edition_new.html", context={"form": form, "errors": {}})

    @post("/editions")
    async def create_edition(self, request: Req, editions: Editions) -> Template | Redirect:
        data = await form_input(request)
        try:
            edition_id = await editions.create_edition(authenticated_user(request), data)
        except ValidationError as exc:
            context = {"form": data, "errors": exc.errors}
            return Template("intake/organizer/edition_new.html", context=context, status_code=422)
        flash(request, _("Edition created."), "success")
        return Redirect(f"/organizer/editions/{edition_id}", status_code=303)

    @get("/editions/{edition_id:int}", name="organizer_edition")
    async def edition(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template:
        return await self._edition_page(request, editions, edition_id)

    @post("/editions/{edition_id:int}")
    async def update_edition(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await editions.update_edition(authenticated_user(request), edition_id, data)
        except ValidationError as exc:
            return await self._edition_page(
                request, editions, edition_id, form=data, errors=exc.errors, status=422
            )
        flash(request, _("Edition saved."), "success")
        return Redirect(f"/organizer/editions/{edition_id}", status_code=303)

    @post("/editions/{edition_id:int}/thresholds")
    async def set_thresholds(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await editions.set_thresholds(authenticated_user(request), edition_id, data)
        except ValidationError as exc:
            return await self._edition_page(
                request,
                editions,
                edition_id,
                thresholds=data,
                threshold_errors=exc.errors,
                status=422,
            )
        flash(request, _("Size-class thresholds saved."), "success")
        return Redirect(f"/organizer/editions/{edition_id}", status_code=303)

    # -- categories ------------------------------------------------------------------------

    def _category_form_context(self, edition: dict[str, Any], form: dict, errors: dict) -> dict:
        return {
            "edition": edition,
            "form": form,
            "errors": errors,
            "size_classes": [s.value for s in SizeClass],
        }

    @get("/editions/{edition_id:int}/categories/new", name="organizer_category_new")
    async def new_category(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template:
        edition = await editions.edition(authenticated_user(request), edition_id)
        form = {"max_entries_per_business": "1", "size_classes": ["micro", "small", "medium"]}
        context = self._category_form_context(edition, form, {})
        return Template("intake/organizer/category_new.html", context=context)

    @post("/editions/{edition_id:int}/categories")
    async def create_category(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template | Redirect:
        user = authenticated_user(request)
        data = await form_input(request)
        try:
            category_id = await editions.create_category(user, edition_id, data)
        except ValidationError as exc:
            edition = await editions.edition(user, edition_id)
            context = self._category_form_context(edition, data, exc.errors)
            return Template("intake/organizer/category_new.html", context=context, status_code=422)
        flash(request, _("Category created."), "success")
        return Redirect(f"/organizer/categories/{category_id}", status_code=303)

    async def _category_page(
        self, request: Req, editions: EditionService, category_id: int, **extra: Any
    ) -> Template:
        setup = await editions.category_setup(authenticated_user(request), category_id)
        category, edition = setup.category, setup.edition
        eligibility = category["eligibility"] or {}
        general = extra.pop("general", None) or {
            **category,
            "size_classes": eligibility.get("size_classes", []),
            "sectors": "\n".join(eligibility.get("sectors", [])),
            "districts": "\n".join(eligibility.get("districts", [])),
            "max_entries_per_business": eligibility.get("max_entries_per_business") or "",
        }
        context = {
            **self._category_form_context(edition, general, extra.pop("errors", {})),
            "category": category,
            "fields": [field_to_form(spec) for spec in setup.form.ordered],
            "field_types": FIELD_TYPES,
            "file_kinds": file_kinds(),
            "field_type_labels": field_type_labels(),
            "entry_count": setup.entry_count,
            "field_errors": extra.pop("field_errors", {}),
            "field_error_key": extra.pop("field_error_key", None),
            "rubric_errors": extra.pop("rubric_errors", {}),
            "rubric_form": extra.pop("rubric_form", {}),
            "rubric_target": extra.pop("rubric_target", None),
            "language": current_language(),
            **rubric_view(setup.rubric),
        }
        return Template(
            "intake/organizer/category.html", context=context, status_code=extra.pop("status", 200)
        )

    @get("/categories/{category_id:int}", name="organizer_category")
    async def category(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> Template:
        return await self._category_page(request, editions, category_id)

    @post("/categories/{category_id:int}")
    async def update_category(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await editions.update_category(authenticated_user(request), category_id, data)
        except ValidationError as exc:
            return await self._category_page(
                request, editions, category_id, general=data, errors=exc.errors, status=422
            )
        flash(request, _("Category saved."), "success")
        return Redirect(f"/organizer/categories/{category_id}", status_code=303)

    # -- form builder ----------------------------------------------------------------------

    @get("/categories/{category_id:int}/fields/new", name="organizer_field_new")
    async def new_field(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> Template:
        category, edition = await editions.category(authenticated_user(request), category_id)
        kind = request.query_params.get("type", "short_text")
        kind = kind if kind in FIELD_TYPES else "short_text"
        context = {
            "category": category,
            "edition": edition,
            "field": {"type": kind, "required": False},
            "errors": {},
            "file_kinds": file_kinds(),
            "field_type_labels": field_type_labels(),
            "creating": True,
        }
        return Template("intake/organizer/field.html", context=context)

    @post("/categories/{category_id:int}/fields")
    async def add_field(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> Template | Redirect:
        user = authenticated_user(request)
        data = await form_input(request)
        try:
            await editions.add_field(user, category_id, data)
        except ValidationError as exc:
            category, edition = await editions.category(user, category_id)
            context = {
                "category": category,
                "edition": edition,
                "field": {**data, "required": bool(data.get("required"))},
                "errors": exc.errors,
                "file_kinds": file_kinds(),
                "field_type_labels": field_type_labels(),
                "creating": True,
            }
            return Template("intake/organizer/field.html", context=context, status_code=422)
        flash(request, _("Field added."), "success")
        return Redirect(f"/organizer/categories/{category_id}#form", status_code=303)

    @get("/categories/{category_id:int}/fields/{key:str}", name="organizer_field")
    async def edit_field(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Template:
        user = authenticated_user(request)
        category, edition = await editions.category(user, category_id)
        spec = (await editions.form(user, category_id)).field(key)
        if spec is None:
            raise NotFoundError(key)
        context = {
            "category": category,
            "edition": edition,
            "field": field_to_form(spec),
            "errors": {},
            "file_kinds": file_kinds(),
            "field_type_labels": field_type_labels(),
            "creating": False,
        }
        return Template("intake/organizer/field.html", context=context)

    @post("/categories/{category_id:int}/fields/{key:str}")
    async def update_field(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Template | Redirect:
        user = authenticated_user(request)
        data = await form_input(request)
        try:
            await editions.update_field(user, category_id, key, data)
        except ValidationError as exc:
            category, edition = await editions.category(user, category_id)
            spec = (await editions.form(user, category_id)).field(key)
            kind = spec.type if spec else "short_text"
            context = {
                "category": category,
                "edition": edition,
                "field": {**data, "key": key, "type": kind, "required": bool(data.get("required"))},
                "errors": exc.errors,
                "file_kinds": file_kinds(),
                "field_type_labels": field_type_labels(),
                "creating": False,
            }
            return Template("intake/organizer/field.html", context=context, status_code=422)
        flash(request, _("Field saved."), "success")
        return Redirect(f"/organizer/categories/{category_id}#form", status_code=303)

    @post("/categories/{category_id:int}/fields/{key:str}/move")
    async def move_field(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Redirect:
        data = await form_input(request)
        step = -1 if data.get("direction") == "up" else 1
        try:
            await editions.move_field(authenticated_user(request), category_id, key, step)
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/organizer/categories/{category_id}#form", status_code=303)

    @post("/categories/{category_id:int}/fields/{key:str}/delete")
    async def remove_field(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Redirect:
        try:
            await editions.remove_field(authenticated_user(request), category_id, key)
            flash(request, _("Field removed."), "success")
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/organizer/categories/{category_id}#form", status_code=303)

    # -- rubric ----------------------------------------------------------------------------

    @post("/categories/{category_id:int}/criteria")
    async def add_criterion(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._save_criterion(request, editions, category_id, None)

    @post("/categories/{category_id:int}/criteria/{key:str}")
    async def update_criterion(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Template | Redirect:
        return await self._save_criterion(request, editions, category_id, key)

    async def _save_criterion(
        self, request: Req, editions: EditionService, category_id: int, key: str | None
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await editions.save_criterion(authenticated_user(request), category_id, key, data)
        except ValidationError as exc:
            return await self._category_page(
                request,
                editions,
                category_id,
                rubric_errors=exc.errors,
                rubric_form=data,
                rubric_target=key or "",
                status=422,
            )
        flash(request, _("Rubric saved."), "success")
        return Redirect(f"/organizer/categories/{category_id}#rubric", status_code=303)

    @post("/categories/{category_id:int}/criteria/{key:str}/delete")
    async def remove_criterion(
        self, request: Req, editions: Editions, category_id: FromPath[int], key: FromPath[str]
    ) -> Redirect:
        try:
            await editions.remove_criterion(authenticated_user(request), category_id, key)
            flash(request, _("Criterion removed."), "success")
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/organizer/categories/{category_id}#rubric", status_code=303)
