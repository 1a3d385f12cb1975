"""The entrant's feedback page: ``/entries/{entry_id}/feedback`` (own entries only)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from awards.i18n import current_language
from awards.intake.entrant.deps import Entries
from awards.intake.entrant.errors import ENTRANT_EXCEPTION_HANDLERS
from awards.results.public.feedback import entry_feedback
from awards.web.auth import authenticated_user, requires_login

__all__ = ["FeedbackPages"]


class FeedbackPages(Controller):
    """Feedback after publication; 404 for an entry of someone else's business."""

    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    @get("/entries/{entry_id:int}/feedback", name="public_entry_feedback")
    async def feedback(
        self, request: Request[Any, Any, Any], entries: Entries, entry_id: FromPath[int]
    ) -> Template:
        """The entry's normalized total, criterion percentiles and the judges' comments."""
        user = authenticated_user(request)
        language = "en" if current_language().startswith("en") else "id"
        feedback = await entry_feedback(entries, user, entry_id, language)
        return Template(
            "results/public/feedback.html",
            context={"feedback": feedback, "entry_id": entry_id},
        )
