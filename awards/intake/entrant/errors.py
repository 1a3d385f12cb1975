"""How entrant routes answer service refusals (controller-level exception handlers).

* ``NotFoundError`` -> 404 (page or JSON), the same answer as for a URL that never existed.
* ``IntakeClosedError`` -> 409 with the translated message (page or ``{"detail": ...}``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.response import Template

from awards.intake.common import IntakeClosedError, NotFoundError
from awards.web.errors import http_exception_handler, wants_json

__all__ = ["ENTRANT_EXCEPTION_HANDLERS"]


def _not_found(request: Request[Any, Any, Any], _exc: NotFoundError) -> Response[Any]:
    return http_exception_handler(request, NotFoundException())


def _closed(request: Request[Any, Any, Any], exc: IntakeClosedError) -> Response[Any]:
    if wants_json(request):
        return Response({"status_code": 409, "detail": exc.message}, status_code=409)
    return Template(  # type: ignore[return-value]
        template_name="errors/error.html",
        context={"status": 409, "message": exc.message},
        status_code=409,
    )


ENTRANT_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundError: _not_found,
    IntakeClosedError: _closed,
}
