"""Organizer console: the edition overview and status changes with their confirmation page.

A status change is two steps: ``GET /organizer/editions/{id}/status/{target}`` shows the
preconditions (with links to what blocks it), the consequences and, for reversals, a reason
field; only its ``POST`` with ``confirm=yes`` changes the status. Thin: one service call each.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.editions.lifecycle import status_label
from awards.intake.editions.overview import EditionOverview
from awards.intake.editions.status import EditionLifecycle
from awards.intake.organizer.common import (
    ORGANIZER_GUARD,
    form_input,
    organizer_exception_handlers,
)
from awards.web.auth import authenticated_user
from awards.web.flash import flash

__all__ = ["OrganizerStatusPages"]

Req = Request[Any, Any, Any]
Lifecycle = NamedDependency[EditionLifecycle]
Overviews = NamedDependency[EditionOverview]


class OrganizerStatusPages(Controller):
    """``/organizer/editions/{id}/overview`` and ``.../status``."""

    path = "/organizer/editions"
    guards = [ORGANIZER_GUARD]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = organizer_exception_handlers

    @get("/{edition_id:int}/overview", name="organizer_overview")
    async def overview(
        self, request: Req, overview: Overviews, edition_id: FromPath[int]
    ) -> Template:
        view = await overview.overview(authenticated_user(request), edition_id)
        return Template("intake/organizer/overview.html", context={"view": view})

    async def _confirm_page(
        self,
        request: Req,
        lifecycle: EditionLifecycle,
        edition_id: int,
        target: str,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        try:
            plan = await lifecycle.plan(authenticated_user(request), edition_id, target)
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
            return Template(
                "intake/organizer/status_change.html",
                context={"plan": None, "edition_id": edition_id, "form": {}, "errors": {}},
                status_code=409,
            )
        context = {
            "plan": plan,
            "edition_id": edition_id,
            "form": form or {},
            "errors": errors or {},
            "status_label": status_label,
        }
        return Template("intake/organizer/status_change.html", context=context, status_code=status)

    @get("/{edition_id:int}/status/{target:str}", name="organizer_status_confirm")
    async def confirm(
        self, request: Req, lifecycle: Lifecycle, edition_id: FromPath[int], target: FromPath[str]
    ) -> Template:
        return await self._confirm_page(request, lifecycle, edition_id, target)

    @post("/{edition_id:int}/status", name="organizer_status_change")
    async def change(
        self, request: Req, lifecycle: Lifecycle, edition_id: FromPath[int]
    ) -> Template | Redirect:
        """Change the status after confirmation; without ``confirm=yes`` show the page."""
        data = await form_input(request)
        target = str(data.get("status", ""))
        if data.get("confirm") != "yes":
            return await self._confirm_page(request, lifecycle, edition_id, target, form=data)
        try:
            done = await lifecycle.change(
                authenticated_user(request), edition_id, target, str(data.get("reason", ""))
            )
        except ValidationError as exc:
            status = 422 if "reason" in exc.errors else 409
            return await self._confirm_page(
                request, lifecycle, edition_id, target, form=data, errors=exc.errors, status=status
            )
        flash(
            request,
            _("Status changed to %(status)s.") % {"status": status_label(done.target)},
            "success",
        )
        return Redirect(f"/organizer/editions/{edition_id}/overview", status_code=303)
