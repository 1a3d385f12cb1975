"""The panel discussion in the judge's JSON API.

``GET /api/v1/judge/rounds/{r}/entries/{e}/discussion``: the panel's discussion of an entry
under review.

It holds the organizers' notes and the panel's submitted sheets (no private notes). 404 for
anyone who is not on the entry's panel; 409 before the judge's own submission. The page is
:mod:`awards.scoring.judge.discussion_pages`.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from awards.scoring.judge import discussion
from awards.scoring.judge.pages import JUDGE_GUARD
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user

__all__ = ["DiscussionApi"]

Req = Request[Any, Any, Any]


class DiscussionApi(Controller):
    """``/api/v1/judge``: the panel discussion."""

    path = "/api/v1/judge"
    guards = [JUDGE_GUARD]  # noqa: RUF012
    tags = ["scoring: judge"]  # noqa: RUF012
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/rounds/{round_id:int}/entries/{entry_id:int}/discussion", name="api_judge_discussion")
    async def discussion(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> dict[str, Any]:
        """The organizers' notes and the panel's submitted sheets (no private notes; judges
        labelled "you", "A", "B", ...)."""
        seen = await discussion.panel_discussion(authenticated_user(request), round_id, entry_id)
        return seen.as_dict()
