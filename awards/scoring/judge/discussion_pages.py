"""The judge's page of a panel discussion (``/judge/rounds/{r}/entries/{e}/discussion``): the
organizers' note and the panel's submitted scores and comments for one entry inside an open
moderation case with a review request (:mod:`awards.scoring.judge.discussion`); 404 for anyone
else."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from awards.i18n import current_language
from awards.intake.common import format_local
from awards.scoring.judge import discussion
from awards.scoring.judge.pages import JUDGE_GUARD, criteria_view
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user

__all__ = ["DiscussionPages"]

Req = Request[Any, Any, Any]


class DiscussionPages(Controller):
    """``/judge``: the panel discussion of an entry under review."""

    path = "/judge"
    guards = [JUDGE_GUARD]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/rounds/{round_id:int}/entries/{entry_id:int}/discussion", name="judge_discussion")
    async def discussion(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Template:
        seen = await discussion.panel_discussion(authenticated_user(request), round_id, entry_id)
        time_zone = seen.round["time_zone"]
        return Template(
            template_name="scoring/judge/discussion.html",
            context={
                "seen": seen,
                "criteria": criteria_view(seen.round["rubric"], current_language()),
                "notes": [
                    {"note": n["note"], "when": format_local(n["created_at"], time_zone)}
                    for n in seen.notes
                ],
                "deadline": format_local(seen.round["closes_at"], time_zone),
                "base": f"/judge/rounds/{round_id}/entries/{entry_id}",
            },
        )
