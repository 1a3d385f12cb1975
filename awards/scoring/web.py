"""Web helpers shared by scoring's pages and API: error translation, idempotency keys and the
organizer forms' field parsing (:func:`form_values`, :func:`as_int`)."""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from awards.intake.common import NotFoundError
from awards.scoring.common import ScoringRefusedError, StaleVersionError
from awards.web.errors import http_exception_handler, wants_json
from awards.web.forms import form_fields

__all__ = [
    "SCORING_EXCEPTION_HANDLERS",
    "as_int",
    "form_values",
    "new_key",
]

Req = Request[Any, Any, Any]


def new_key() -> str:
    """A fresh idempotency key for one form load (or one autosave)."""
    return secrets.token_urlsafe(16)


async def form_values(request: Req) -> dict[str, Any]:
    """The form as ``{name: str}`` (the last value of a repeated name wins); names in
    ``_LISTS`` as lists of strings. See :func:`awards.web.forms.form_fields`."""
    return await form_fields(request, lists=_LISTS, several="last", as_text=True)


#: Fields posted as lists: the panel's judge expertise, and the round set-up's entrants,
#: anchors, blind fields and the entrants shown on the page.
_LISTS = frozenset({"expertise", "entries", "anchors", "blind_fields", "shown"})


def as_int(value: Any) -> int:
    """A form value as an int (surrounding spaces and a leading ``#`` ignored); 0 when it is
    not a number."""
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        return 0


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
