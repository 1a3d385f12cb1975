"""Organizer pages of scoring (``/organizer/scoring``): the rounds of each edition and one
round's panel: progress per judge and entry, the engine's leniency table, the moderation queue
with its actions, the engine's assignment preview and its application, open/close, reminders
and the export. A case's page, its actions, the round's rules and manual assignment edits are
in :mod:`awards.scoring.moderation.pages`. Controllers parse, call one service, render or
redirect (303 after POST)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from awards.i18n import _
from awards.intake.common import format_local
from awards.intake.editions.service import managed_scope
from awards.intake.tables import Edition
from awards.scoring import results
from awards.scoring.common import ScoringRefusedError, managed_round
from awards.scoring.panel import service as panel
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import ScoringRound
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash

__all__ = ["PanelPages"]

Req = Request[Any, Any, Any]


class PanelPages(Controller):
    """``/organizer/scoring``: rounds and the panel dashboard."""

    path = "/organizer/scoring"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/", name="scoring_rounds")
    async def index(self, request: Req) -> Template:
        user = authenticated_user(request)
        scope = managed_scope(user)
        query = Edition.select(Edition.id, Edition.name_id, Edition.slug, Edition.status)
        if scope is not None:
            query = query.where(Edition.id.is_in(sorted(scope) or [0]))
        editions = await query.order_by(Edition.id)
        ids = [e["id"] for e in editions] or [0]
        rows = (
            await ScoringRound.select(
                ScoringRound.id,
                ScoringRound.edition,
                ScoringRound.kind,
                ScoringRound.name,
                ScoringRound.status,
                ScoringRound.closes_at,
                ScoringRound.category.name_id.as_alias("category"),
                ScoringRound.edition.time_zone.as_alias("time_zone"),
            )
            .where(ScoringRound.edition.is_in(ids))
            .order_by(ScoringRound.id)
        )
        for row in rows:
            row["deadline"] = format_local(row["closes_at"], row["time_zone"])
        by_edition = {e["id"]: [r for r in rows if r["edition"] == e["id"]] for e in editions}
        return Template(
            template_name="scoring/panel/index.html",
            context={"editions": editions, "rounds": by_edition},
        )

    @get("/rounds/{round_id:int}", name="scoring_round")
    async def round_panel(self, request: Req, round_id: FromPath[int]) -> Template:
        view = await panel.round_panel(authenticated_user(request), round_id)
        return Template(
            template_name="scoring/panel/round.html",
            context={
                "round": view.round,
                "edition": view.edition,
                "progress": view.progress,
                "leniency": view.leniency,
                "cases": view.cases,
                "preview": view.preview,
                "deadline": format_local(view.round["closes_at"], view.edition["time_zone"]),
            },
        )

    @post("/rounds/{round_id:int}/assign", name="scoring_round_assign")
    async def assign(self, request: Req, round_id: FromPath[int]) -> Redirect:
        try:
            done = await assignments.apply_assignment(authenticated_user(request), round_id)
            flash(request, _("%(n)s assignments stored.") % {"n": len(done.pairs)}, "success")
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
        return Redirect(f"/organizer/scoring/rounds/{round_id}", status_code=303)

    @post("/rounds/{round_id:int}/open", name="scoring_round_open")
    async def open(self, request: Req, round_id: FromPath[int]) -> Redirect:
        try:
            await rounds.open_round(authenticated_user(request), round_id)
            flash(request, _("The round is open."), "success")
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
        return Redirect(f"/organizer/scoring/rounds/{round_id}", status_code=303)

    @post("/rounds/{round_id:int}/close", name="scoring_round_close")
    async def close(self, request: Req, round_id: FromPath[int]) -> Redirect:
        try:
            await rounds.close_round(authenticated_user(request), round_id)
            flash(request, _("The round is closed."), "success")
        except ScoringRefusedError as exc:
            flash(request, exc.message, "error")
        return Redirect(f"/organizer/scoring/rounds/{round_id}", status_code=303)

    @post("/rounds/{round_id:int}/remind", name="scoring_round_remind")
    async def remind(self, request: Req, round_id: FromPath[int]) -> Redirect:
        user = authenticated_user(request)
        round_row = await managed_round(user, round_id)
        edition = (
            await Edition.select(Edition.slug).where(Edition.id == round_row["edition"]).first()
        )
        sent = await panel.remind(edition["slug"], request.app.state.scoring_mailer)
        flash(request, _("Reminders sent to %(n)s judges.") % {"n": len(sent)}, "success")
        return Redirect(f"/organizer/scoring/rounds/{round_id}", status_code=303)

    @get("/rounds/{round_id:int}/export.csv", name="scoring_round_export")
    async def export(self, request: Req, round_id: FromPath[int]) -> Response[str]:
        text = await results.export_csv(authenticated_user(request), round_id)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'},
        )
