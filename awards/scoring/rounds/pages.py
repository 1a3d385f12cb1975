"""Organizer pages to create and set up a round: the new-round form of an edition, and a round's
set-up page (edit while draft, choose the entrants, mark anchors), linked from the round panel.

Thin: parse the form, call one service (:mod:`awards.scoring.rounds.setup`,
:func:`awards.scoring.rounds.service.set_entrants`), redirect with 303 or render again with the
errors beside their fields (422).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

import judging
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.organizer.common import local_input
from awards.scoring.common import ScoringRefusedError, managed_round
from awards.scoring.rounds import service as rounds
from awards.scoring.rounds import setup as round_setup
from awards.scoring.rules import DEFAULT_BLIND_FIELDS
from awards.scoring.tables import RoundKind
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS, as_int, form_values
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash

__all__ = ["RoundSetupPages"]

Req = Request[Any, Any, Any]


def _choices() -> dict[str, Any]:
    return {
        "kinds": [k.value for k in RoundKind],
        "methods": judging.METHODS,
        "identity_fields": DEFAULT_BLIND_FIELDS,
    }


def _round_form(row: dict[str, Any], time_zone: str) -> dict[str, Any]:
    """A stored round as the values of its form (times in the edition's time zone)."""
    return {
        **row,
        "opens_at": local_input(row["opens_at"], time_zone),
        "closes_at": local_input(row["closes_at"], time_zone),
        "lock_minutes": "" if row["lock_minutes"] is None else row["lock_minutes"],
        "previous": row["previous"] or "",
        "comment_below": "" if row["comment_below"] is None else row["comment_below"],
        "comment_above": "" if row["comment_above"] is None else row["comment_above"],
        "blind": "yes" if row["blind"] else "",
    }


def _setup_url(round_id: int) -> str:
    return f"/organizer/scoring/rounds/{round_id}/setup"


class RoundSetupPages(Controller):
    """``/organizer/scoring``: new round of an edition, and a round's set-up."""

    path = "/organizer/scoring"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    async def _new_page(
        self, request: Req, edition_id: int, form: dict[str, Any], errors: dict[str, str]
    ) -> Template:
        view = await round_setup.new_round_view(authenticated_user(request), edition_id)
        return Template(
            template_name="scoring/rounds/round_new.html",
            context={**view, **_choices(), "form": form, "errors": errors},
            status_code=422 if errors else 200,
        )

    @get("/editions/{edition_id:int}/rounds/new", name="scoring_round_new")
    async def new(self, request: Req, edition_id: FromPath[int]) -> Template:
        defaults = {
            "kind": "screening",
            "judges_per_entry": 3,
            "method": "calibrated",
            "spread_threshold": 25,
            "residual_threshold": 2.5,
            "blind_fields": list(DEFAULT_BLIND_FIELDS),
        }
        return await self._new_page(request, edition_id, defaults, {})

    @post("/editions/{edition_id:int}/rounds/new", name="scoring_round_create")
    async def create(self, request: Req, edition_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        await round_setup.new_round_view(user, edition_id)  # 404 before reading the form
        form = await form_values(request)
        try:
            values = round_setup.round_values(form)
            round_id = await round_setup.create_in_edition(
                user, edition_id, as_int(form.get("category", "")), values
            )
        except ValidationError as exc:
            return await self._new_page(request, edition_id, form, exc.errors)
        flash(request, _("The round is created. Now choose its entries."), "success")
        return Redirect(_setup_url(round_id), status_code=303)

    async def _setup_page(
        self,
        request: Req,
        round_id: int,
        errors: dict[str, str],
        form: dict[str, Any] | None = None,
        query: str = "",
        page: int = 1,
    ) -> Template:
        view = await round_setup.setup_view(authenticated_user(request), round_id, query, page)
        values = form or _round_form(view["round"], view["edition"]["time_zone"])
        return Template(
            template_name="scoring/rounds/round_setup.html",
            context={**view, **_choices(), "form": values, "errors": errors},
            status_code=422 if errors else 200,
        )

    @get("/rounds/{round_id:int}/setup", name="scoring_round_setup")
    async def setup(self, request: Req, round_id: FromPath[int]) -> Template:
        """``?q=`` searches the eligible entries (number or business name), ``?page=`` pages
        them."""
        query = str(request.query_params.get("q", ""))
        page = as_int(request.query_params.get("page", "1")) or 1
        return await self._setup_page(request, round_id, {}, query=query, page=page)

    @post("/rounds/{round_id:int}/setup", name="scoring_round_update")
    async def update(self, request: Req, round_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        await managed_round(user, round_id)  # 404 before reading the form
        form = await form_values(request)
        try:
            await round_setup.update_round(user, round_id, round_setup.round_values(form))
        except ValidationError as exc:
            return await self._setup_page(request, round_id, exc.errors, form)
        flash(request, _("The round is saved."), "success")
        return Redirect(_setup_url(round_id), status_code=303)

    @post("/rounds/{round_id:int}/entrants", name="scoring_round_entrants")
    async def entrants(self, request: Req, round_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        await managed_round(user, round_id)  # 404 before reading the form
        form = await form_values(request)
        mode = str(form.get("mode", ""))
        try:
            if mode == "manual":
                chosen = [as_int(e) for e in form.get("entries", [])]
                reasons = {e: str(form.get(f"reason.{e}", "")) for e in chosen if e}
                shown = form.get("shown")  # the page's entries: keep choices on other pages
                done = await round_setup.set_manual_entrants(
                    user,
                    round_id,
                    reasons,
                    str(form.get("reason", "")),
                    {as_int(e) for e in shown} if shown else None,
                )
            else:
                done = await rounds.set_entrants(
                    user,
                    round_id,
                    mode,
                    count=as_int(form.get("count", "")) if mode == "top_n" else None,
                    percent=_percent(form.get("percent", "")) if mode == "top_p" else None,
                )
        except ValidationError as exc:
            return await self._setup_page(
                request,
                round_id,
                exc.errors,
                query=str(form.get("q", "")),
                page=as_int(form.get("page", "1")) or 1,
            )
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
            return Redirect(_setup_url(round_id), status_code=303)
        flash(request, _("%(n)s entries take part in the round.") % {"n": len(done)}, "success")
        return Redirect(_setup_url(round_id) + "#entrants", status_code=303)

    @post("/rounds/{round_id:int}/anchors", name="scoring_round_anchors")
    async def anchors(self, request: Req, round_id: FromPath[int]) -> Template | Redirect:
        user = authenticated_user(request)
        await managed_round(user, round_id)  # 404 before reading the form
        form = await form_values(request)
        try:
            chosen = await round_setup.set_anchors(
                user,
                round_id,
                [as_int(e) for e in form.get("anchors", [])],
                form.get("anchors_excluded") == "yes",
            )
        except ValidationError as exc:
            return await self._setup_page(request, round_id, exc.errors)
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
            return Redirect(_setup_url(round_id), status_code=303)
        flash(request, _("Anchor entries: %(n)s.") % {"n": len(chosen)}, "success")
        return Redirect(_setup_url(round_id) + "#anchors", status_code=303)


def _percent(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None
