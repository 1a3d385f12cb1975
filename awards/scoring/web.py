"""Web helpers shared by scoring's pages and API: error translation and the sheet form."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from awards.intake.common import NotFoundError
from awards.scoring.common import ScoringRefusedError, StaleVersionError
from awards.scoring.judge.sheets import SheetInput
from awards.web.errors import http_exception_handler, wants_json

__all__ = [
    "SCORING_EXCEPTION_HANDLERS",
    "new_key",
    "sheet_input_from_form",
]

Req = Request[Any, Any, Any]


def new_key() -> str:
    """A fresh idempotency key for one form load (or one autosave)."""
    return secrets.token_urlsafe(16)


def sheet_input_from_form(form: Mapping[str, Any]) -> SheetInput:
    """``score.<key>``, ``comment.<key>``, ``confidence``, ``comment_to_entrant`` and
    ``private_note`` fields as a :class:`SheetInput`."""
    scores = {k.removeprefix("score."): v for k, v in form.items() if k.startswith("score.")}
    comments = {k.removeprefix("comment."): v for k, v in form.items() if k.startswith("comment.")}
    return SheetInput(
        scores=scores,
        comments=comments,
        confidence=str(form.get("confidence") or "medium"),
        comment_to_entrant=str(form.get("comment_to_entrant") or ""),
        private_note=str(form.get("private_note") or ""),
    )


def _not_found(request: Req, _exc: Exception) -> Response[Any]:
    return http_exception_handler(request, NotFoundException())


def _refused(request: Req, exc: ScoringRefusedError) -> Response[Any]:
    if wants_json(request):
        body: dict[str, Any] = {"status_code": 409, "detail": exc.message}
        if isinstance(exc, StaleVersionError):
            body["current"] = exc.current.as_dict()
        return Response(body, status_code=409)
    from litestar.response import Template

    return Template(  # type: ignore[return-value]
        template_name="errors/error.html",
        context={"status": 409, "message": exc.message, "errors": {}},
        status_code=409,
    )


SCORING_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundError: _not_found,
    ScoringRefusedError: _refused,
}
