"""Moderation JSON API under ``/api/v1/scoring``, with the same services and guards as the pages.

Organizers: a round's moderation cases, one case with its judges, residuals and
record, an action on a case, the round's rules, and manual assignment edits. A change with
warnings (the design disconnects, an entry short of k, a judge over capacity) answers 409
``{"detail", "warnings", "components_before", "components_after"}`` and changes nothing until
it is sent again with ``"confirm": true``.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.response import Response
from msgspec import Struct

from awards.scoring.moderation import service as moderation
from awards.scoring.rounds import assignment_edits
from awards.scoring.rounds import rules as round_rules
from awards.scoring.rounds.assignment_edits import ConfirmationNeededError
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role

__all__ = ["ModerationApi"]

Req = Request[Any, Any, Any]


class CaseActionIn(Struct):
    """``action``: add_judge (``judge`` optional: the least loaded eligible judge), review
    (``note`` required) or accept."""

    action: Literal["add_judge", "review", "accept"]
    note: str = ""
    judge: int | None = None
    confirm: bool = False


class AssignmentEditIn(Struct):
    action: Literal["add", "remove"]
    judge: int
    reason: str
    confirm: bool = False


class RulesIn(Struct):
    """Thresholds: spread (points of 100) and |standardized residual| for moderation; a
    criterion comment is required on submit below ``comment_below`` / above ``comment_above``
    (null: none)."""

    spread_threshold: float
    residual_threshold: float
    comment_below: int | None = None
    comment_above: int | None = None


def _needs_confirmation(exc: ConfirmationNeededError) -> Response[Any]:
    return Response(
        {
            "status_code": 409,
            "detail": exc.message,
            "warnings": exc.check.warnings,
            "components_before": exc.check.components_before,
            "components_after": exc.check.components_after,
        },
        status_code=409,
    )


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}


class ModerationApi(Controller):
    """``/api/v1/scoring``: moderation cases, round rules, assignment edits."""

    path = "/api/v1/scoring"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    tags = ["scoring: organizer"]  # noqa: RUF012
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/rounds/{round_id:int}/cases", name="api_scoring_cases")
    async def cases(self, request: Req, round_id: FromPath[int]) -> list[dict[str, Any]]:
        """The round's cases (opening new ones first): reason, metric, status, totals."""
        rows = await moderation.moderation_queue(authenticated_user(request), round_id)
        return [_jsonable(row) for row in rows]

    @get("/cases/{case_id:int}", name="api_scoring_case")
    async def case(self, request: Req, case_id: FromPath[int]) -> dict[str, Any]:
        """One case: its judges with totals and engine residuals, and its record."""
        detail = await moderation.case_detail(authenticated_user(request), case_id)
        return {
            "case": _jsonable(detail["case"]),
            "in_review": detail["in_review"],
            "judges": detail["judges"],
            "eligible": detail["eligible"],
            "actions": [_jsonable(a) for a in detail["actions"]],
        }

    @post("/cases/{case_id:int}/actions", name="api_scoring_case_action", status_code=201)
    async def act(
        self, request: Req, case_id: FromPath[int], data: JSONBody[CaseActionIn]
    ) -> Response[Any]:
        """Record an action on an open case; 409 with warnings until confirmed."""
        try:
            added = await moderation.act_on_case(
                authenticated_user(request),
                case_id,
                data.action,
                data.note,
                judge=data.judge,
                confirm=data.confirm,
                mailer=request.app.state.scoring_mailer,
            )
        except ConfirmationNeededError as exc:
            return _needs_confirmation(exc)
        return Response({"action": data.action, "judge_added": added}, status_code=201)

    @put("/rounds/{round_id:int}/rules", name="api_scoring_round_rules")
    async def rules(
        self, request: Req, round_id: FromPath[int], data: JSONBody[RulesIn]
    ) -> dict[str, Any]:
        """Set the round's moderation thresholds and required-comment thresholds."""
        rules = await round_rules.set_round_rules(
            authenticated_user(request),
            round_id,
            {
                "spread_threshold": data.spread_threshold,
                "residual_threshold": data.residual_threshold,
                "comment_below": data.comment_below,
                "comment_above": data.comment_above,
            },
        )
        return {
            "spread_threshold": rules.spread_threshold,
            "residual_threshold": rules.residual_threshold,
            "comment_below": rules.comment_below,
            "comment_above": rules.comment_above,
        }

    @post(
        "/rounds/{round_id:int}/entries/{entry_id:int}/judges",
        name="api_scoring_entry_judges",
        status_code=200,
    )
    async def edit(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[AssignmentEditIn],
    ) -> Response[Any]:
        """Add or remove a judge of the entry with a reason; 409 with warnings until
        confirmed."""
        user = authenticated_user(request)
        try:
            if data.action == "add":
                check = await assignment_edits.add_judge(
                    user,
                    round_id,
                    entry_id,
                    data.judge,
                    data.reason,
                    confirm=data.confirm,
                    mailer=request.app.state.scoring_mailer,
                )
            else:
                check = await assignment_edits.remove_judge(
                    user,
                    round_id,
                    entry_id,
                    data.judge,
                    data.reason,
                    confirm=data.confirm,
                    mailer=request.app.state.scoring_mailer,
                )
        except ConfirmationNeededError as exc:
            return _needs_confirmation(exc)
        return Response(
            {
                "action": data.action,
                "judge": data.judge,
                "warnings": check.warnings,
                "components_after": check.components_after,
            }
        )
