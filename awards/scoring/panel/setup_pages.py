"""Organizer pages to set up an edition's panel: judge profiles (affiliation, expertise
categories, capacity) and conflicts of interest (entered by organizers or declared by judges,
abstentions, recusals, suggestions to review).

Thin: parse the form, call one service (:mod:`awards.scoring.panel.setup`,
:mod:`awards.scoring.panel.judges`), redirect with 303 or render again with the errors beside their
fields (422).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _
from awards.scoring.common import edition_of, require_manager
from awards.scoring.panel import judges
from awards.scoring.panel import setup as panel_setup
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS, as_int, form_values
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash

__all__ = ["PanelSetupPages"]

Req = Request[Any, Any, Any]
BASE = "/organizer/scoring/editions/{edition_id:int}"


class PanelSetupPages(Controller):
    """``/organizer/scoring/editions/<id>/judges`` and ``.../conflicts``."""

    path = BASE
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/judges", name="scoring_judges")
    async def judges(self, request: Req, edition_id: FromPath[int]) -> Template:
        data = await panel_setup.edition_judges(authenticated_user(request), edition_id)
        return Template(
            template_name="scoring/panel/judges.html",
            context={"edition": await edition_of(edition_id), **data},
        )

    async def _judge_page(
        self,
        request: Req,
        edition_id: int,
        judge_id: int,
        errors: dict[str, str],
        form: dict[str, Any] | None = None,
    ) -> Template:
        profile = await panel_setup.judge_profile(authenticated_user(request), edition_id, judge_id)
        if form is not None:
            profile = {
                **profile,
                "affiliation": form.get("affiliation", ""),
                "capacity": form.get("capacity", ""),
                "expertise": [as_int(x) for x in form.get("expertise", [])],
            }
        return Template(
            template_name="scoring/panel/judge.html",
            context={"edition": await edition_of(edition_id), "judge": profile, "errors": errors},
            status_code=422 if errors else 200,
        )

    @get("/judges/{judge_id:int}", name="scoring_judge")
    async def judge(
        self, request: Req, edition_id: FromPath[int], judge_id: FromPath[int]
    ) -> Template:
        return await self._judge_page(request, edition_id, judge_id, {})

    @post("/judges/{judge_id:int}", name="scoring_judge_save")
    async def save_judge(
        self, request: Req, edition_id: FromPath[int], judge_id: FromPath[int]
    ) -> Template | Redirect:
        user = authenticated_user(request)
        form = await form_values(request)
        await panel_setup.judge_profile(user, edition_id, judge_id)  # 404 for a non-judge
        capacity_text = str(form.get("capacity", "")).strip()
        try:
            if capacity_text and not capacity_text.isdigit():
                raise ValidationError({"capacity": _("Enter a whole number, or leave it empty.")})
            await judges.save_profile(
                user,
                edition_id,
                judge_id,
                affiliation=str(form.get("affiliation", "")),
                expertise=[as_int(x) for x in form.get("expertise", [])],
                capacity=int(capacity_text) if capacity_text else None,
            )
        except ValidationError as exc:
            return await self._judge_page(request, edition_id, judge_id, exc.errors, form)
        flash(request, _("The judge's profile is saved."), "success")
        return Redirect(f"/organizer/scoring/editions/{edition_id}/judges", status_code=303)

    async def _conflicts_page(
        self, request: Req, edition_id: int, errors: dict[str, str], form: dict[str, Any]
    ) -> Template:
        view = await panel_setup.conflicts_page(authenticated_user(request), edition_id)
        return Template(
            template_name="scoring/panel/conflicts.html",
            context={
                "edition": view.edition,
                "conflicts": view.conflicts,
                "set_asides": view.set_asides,
                "suggestions": view.suggestions,
                "max_suggestions": panel_setup.MAX_SUGGESTIONS,
                "judges": view.judges,
                "rounds": view.rounds,
                "errors": errors,
                "form": form,
            },
            status_code=422 if errors else 200,
        )

    @get("/conflicts", name="scoring_conflicts")
    async def conflicts(self, request: Req, edition_id: FromPath[int]) -> Template:
        """The conflicts page; ``?round=&entry=&judge=`` (whole numbers) prefill the recusal
        form, as linked from a round panel's progress per entry."""
        prefill = {
            name: request.query_params[name]
            for name in ("round", "entry", "judge")
            if str(request.query_params.get(name, "")).isdigit()
        }
        return await self._conflicts_page(request, edition_id, {}, prefill)

    @post("/conflicts", name="scoring_conflict_add")
    async def add_conflict(self, request: Req, edition_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        require_manager(user, edition_id)
        form = await form_values(request)
        try:
            taken = await panel_setup.add_edition_conflict(
                user,
                edition_id,
                as_int(form.get("judge", "")),
                str(form.get("business", "")),
                str(form.get("reason", "")),
                request.app.state.scoring_mailer,
            )
        except ValidationError as exc:
            return await self._conflicts_page(request, edition_id, exc.errors, form)
        message = _("The conflict is recorded.")
        if taken:
            message += " " + _("%(n)s entries were reassigned.") % {"n": len(taken)}
        flash(request, message, "success")
        return Redirect(f"/organizer/scoring/editions/{edition_id}/conflicts", status_code=303)

    @post("/conflicts/recuse", name="scoring_recuse")
    async def recuse(self, request: Req, edition_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        require_manager(user, edition_id)
        form = await form_values(request)
        errors: dict[str, str] = {}
        if form.get("confirm") != "yes":
            errors["confirm"] = _("Confirm that the judge leaves this entry.")
        try:
            if errors:
                raise ValidationError(errors)
            new_judge = await panel_setup.recuse_in_edition(
                user,
                edition_id,
                as_int(form.get("round", "")),
                as_int(form.get("entry", "")),
                as_int(form.get("judge", "")),
                str(form.get("reason", "")),
                request.app.state.scoring_mailer,
            )
        except ValidationError as exc:
            errors = {f"recuse_{k}": v for k, v in exc.errors.items()}
            return await self._conflicts_page(request, edition_id, errors, form)
        message = _("The judge is recused from the entry.")
        if new_judge is None:
            message += " " + _("No other judge could take the entry over.")
        flash(request, message, "success" if new_judge else "info")
        return Redirect(f"/organizer/scoring/editions/{edition_id}/conflicts", status_code=303)
