"""Organizer pages of moderation (``/organizer/scoring``): a case with its judges, the engine's
residuals, the actions and their record; the round's integrity rules; manual assignment edits
of one entry (add or remove a judge, with a reason; warnings are shown and must be confirmed
before anything changes). Controllers parse, call one service, render or redirect (303)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from awards.errors import ValidationError
from awards.i18n import _
from awards.scoring.common import ScoringRefusedError
from awards.scoring.moderation import service as moderation
from awards.scoring.rounds import assignment_edits
from awards.scoring.rounds import rules as round_rules
from awards.scoring.rounds.assignment_edits import ConfirmationNeededError
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash
from awards.web.forms import form_fields

__all__ = ["ModerationPages"]

Req = Request[Any, Any, Any]
EDIT_ACTIONS = ("add", "remove")


def _judge(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


class ModerationPages(Controller):
    """``/organizer/scoring``: moderation cases, round rules, assignment edits."""

    path = "/organizer/scoring"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    async def _case_page(
        self,
        request: Req,
        case_id: int,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        warnings: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        detail = await moderation.case_detail(authenticated_user(request), case_id)
        return Template(
            template_name="scoring/moderation/case.html",
            context={
                **detail,
                "form": form or {},
                "errors": errors or {},
                "warnings": warnings or [],
            },
            status_code=status_code,
        )

    @get("/cases/{case_id:int}", name="scoring_case")
    async def case(self, request: Req, case_id: FromPath[int]) -> Template:
        return await self._case_page(request, case_id)

    @post("/cases/{case_id:int}/resolve", name="scoring_case_resolve")
    async def resolve(self, request: Req, case_id: FromPath[int]) -> Response[Any]:
        user = authenticated_user(request)
        form = await form_fields(request)
        await moderation.managed_case(user, case_id)  # 404 before anything else
        action = str(form.get("resolution") or "")
        try:
            added = await moderation.act_on_case(
                user,
                case_id,
                action,
                str(form.get("note") or ""),
                judge=_judge(form.get("judge")),
                confirm=form.get("confirm") == "1",
                mailer=request.app.state.scoring_mailer,
            )
        except ConfirmationNeededError as exc:
            return await self._case_page(request, case_id, form=form, warnings=exc.check.warnings)
        except ValidationError as exc:
            return await self._case_page(
                request, case_id, form=form, errors=exc.errors, status_code=422
            )
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
            return Redirect(f"/organizer/scoring/cases/{case_id}", status_code=303)
        messages = {
            "add_judge": _("A judge was added to the entry (#%(judge)s).") % {"judge": added},
            "review": _("The panel was asked to review; its judges now see each other's scores."),
            "accept": _("The case is resolved."),
        }
        flash(request, messages[action], "success")
        return Redirect(f"/organizer/scoring/cases/{case_id}", status_code=303)

    @post("/rounds/{round_id:int}/rules", name="scoring_round_rules")
    async def rules(self, request: Req, round_id: FromPath[int]) -> Redirect:
        form = await form_fields(request)
        try:
            await round_rules.set_round_rules(authenticated_user(request), round_id, form)
            flash(request, _("The round's rules are saved."), "success")
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/organizer/scoring/rounds/{round_id}#rules", status_code=303)

    async def _judges_page(
        self,
        request: Req,
        round_id: int,
        entry_id: int,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        warnings: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await assignment_edits.entry_judges_view(
            authenticated_user(request), round_id, entry_id
        )
        return Template(
            template_name="scoring/moderation/entry_judges.html",
            context={
                "round_id": view.round_id,
                "edition_id": view.edition_id,
                "entry_id": view.entry_id,
                "assignments": view.assignments,
                "eligible": view.eligible,
                "form": form or {},
                "errors": errors or {},
                "warnings": warnings or [],
            },
            status_code=status_code,
        )

    @get("/rounds/{round_id:int}/entries/{entry_id:int}/judges", name="scoring_entry_judges")
    async def entry_judges(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Template:
        return await self._judges_page(request, round_id, entry_id)

    @post("/rounds/{round_id:int}/entries/{entry_id:int}/judges", name="scoring_entry_judges_edit")
    async def edit_judges(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Response[Any]:
        user = authenticated_user(request)
        form = await form_fields(request)
        await assignment_edits.entry_in_round(user, round_id, entry_id)  # 404 first
        action = form.get("action")
        judge = _judge(form.get("judge"))
        reason = str(form.get("reason") or "")
        confirm = form.get("confirm") == "1"
        try:
            if action not in EDIT_ACTIONS or judge is None:
                raise ValidationError({"judge": _("Choose a judge.")})
            if action == "add":
                await assignment_edits.add_judge(
                    user,
                    round_id,
                    entry_id,
                    judge,
                    reason,
                    confirm=confirm,
                    mailer=request.app.state.scoring_mailer,
                )
            else:
                await assignment_edits.remove_judge(
                    user,
                    round_id,
                    entry_id,
                    judge,
                    reason,
                    confirm=confirm,
                    mailer=request.app.state.scoring_mailer,
                )
        except ConfirmationNeededError as exc:
            return await self._judges_page(
                request, round_id, entry_id, form=form, warnings=exc.check.warnings
            )
        except ValidationError as exc:
            return await self._judges_page(
                request, round_id, entry_id, form=form, errors=exc.errors, status_code=422
            )
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
            return Redirect(
                f"/organizer/scoring/rounds/{round_id}/entries/{entry_id}/judges", status_code=303
            )
        flash(
            request,
            _("The judge was added.") if action == "add" else _("The judge was removed."),
            "success",
        )
        return Redirect(
            f"/organizer/scoring/rounds/{round_id}/entries/{entry_id}/judges", status_code=303
        )
