"""The organizers' scoring JSON API under ``/api/v1/scoring``, with the pages' services and guards.

Rounds of an edition, a round's assignments, the engine's assignment preview and its
application, the edition's conflicts (list and add), a sheet's history and the round's export
in the engine's long CSV format. Moderation cases, rules and assignment edits are
:mod:`awards.scoring.moderation.api`; invitations :mod:`awards.scoring.panel.invitation_api`.

Answers: 404 for anything the caller may not see (another edition's organizer included, so
ids reveal nothing); 422 ``{"detail", "errors": {field: message}}`` for bad input. Unsafe
methods need the ``x-csrftoken`` header (session-cookie authentication).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Response
from msgspec import Struct

from awards.scoring import results
from awards.scoring.common import managed_round, require_manager
from awards.scoring.judge import sheets
from awards.scoring.panel import conflicts
from awards.scoring.rounds import assignments
from awards.scoring.tables import Assignment, ScoringRound
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role

__all__ = ["ScoringApi"]

Req = Request[Any, Any, Any]


class ConflictIn(Struct):
    """A conflict the organizer enters: the judge, the business and why."""

    judge: int
    business: int
    reason: str


class ScoringApi(Controller):
    """``/api/v1/scoring``: rounds, assignments, conflicts, history and export for organizers."""

    path = "/api/v1/scoring"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    tags = ["scoring: organizer"]  # noqa: RUF012
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/editions/{edition_id:int}/rounds", name="api_scoring_rounds")
    async def rounds(self, request: Req, edition_id: FromPath[int]) -> list[dict[str, Any]]:
        """The edition's rounds."""
        require_manager(authenticated_user(request), edition_id)
        return (
            await ScoringRound.select(
                ScoringRound.id,
                ScoringRound.category,
                ScoringRound.kind,
                ScoringRound.name,
                ScoringRound.status,
                ScoringRound.opens_at,
                ScoringRound.closes_at,
                ScoringRound.judges_per_entry,
                ScoringRound.method,
                ScoringRound.blind,
                ScoringRound.rubric_version,
            )
            .where(ScoringRound.edition == edition_id)
            .order_by(ScoringRound.id)
        )

    @get("/rounds/{round_id:int}/assignments", name="api_scoring_assignments")
    async def assignments(self, request: Req, round_id: FromPath[int]) -> list[dict[str, Any]]:
        """Every assignment of the round (active and withdrawn, with reasons)."""
        await managed_round(authenticated_user(request), round_id)
        return (
            await Assignment.select(
                Assignment.id,
                Assignment.entry,
                Assignment.judge,
                Assignment.status,
                Assignment.declaration,
                Assignment.reason,
            )
            .where(Assignment.round == round_id)
            .order_by(Assignment.id)
        )

    @get("/rounds/{round_id:int}/assignment-preview", name="api_scoring_preview")
    async def preview(self, request: Req, round_id: FromPath[int]) -> dict[str, Any]:
        """The engine's assignment (not stored): pairs, load per judge, connectivity."""
        p = await assignments.preview_assignment(authenticated_user(request), round_id)
        return {
            "pairs": [{"entry": e, "judge": j} for e, j in p.pairs],
            "loads": {str(k): v for k, v in p.loads.items()},
            "connected": p.connected,
            "components": p.components,
            "error": p.error,
        }

    @post("/rounds/{round_id:int}/assignments", name="api_scoring_apply", status_code=201)
    async def apply(self, request: Req, round_id: FromPath[int]) -> dict[str, Any]:
        """Store the engine's assignment."""
        p = await assignments.apply_assignment(authenticated_user(request), round_id)
        return {"assigned": len(p.pairs), "connected": p.connected}

    @get("/editions/{edition_id:int}/conflicts", name="api_scoring_conflicts")
    async def conflicts_list(self, request: Req, edition_id: FromPath[int]) -> list[dict[str, Any]]:
        """The edition's conflicts (entered and declared)."""
        return await conflicts.edition_conflicts(authenticated_user(request), edition_id)

    @post("/editions/{edition_id:int}/conflicts", name="api_scoring_conflict_add", status_code=201)
    async def conflicts_add(
        self, request: Req, edition_id: FromPath[int], data: JSONBody[ConflictIn]
    ) -> dict[str, Any]:
        """Record a conflict (judge x business); the judge's entries of it are reassigned."""
        taken = await conflicts.add_conflict(
            authenticated_user(request),
            edition_id,
            data.judge,
            data.business,
            data.reason,
            request.app.state.scoring_mailer,
        )
        return {"reassigned_to": taken}

    @get("/sheets/{sheet_id:int}/history", name="api_scoring_history")
    async def history(self, request: Req, sheet_id: FromPath[int]) -> list[dict[str, Any]]:
        """Every revision of a sheet: who, when, action, old and new."""
        return await sheets.sheet_history(authenticated_user(request), sheet_id)

    @get("/rounds/{round_id:int}/export.csv", name="api_scoring_export")
    async def export(self, request: Req, round_id: FromPath[int]) -> Response[str]:
        """The round's submitted scores in the engine's long CSV format."""
        text = await results.export_csv(authenticated_user(request), round_id)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'},
        )
