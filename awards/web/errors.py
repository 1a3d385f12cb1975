"""Error responses: HTML pages for browsers, JSON under ``/api``; never a stack trace.

* 401 on a page -> 303 redirect to ``/login?next=<the page>``; 401 under ``/api`` -> JSON.
* Other HTTP errors -> ``templates/errors/error.html`` (or JSON) with the same status.
* Any other exception -> logged with its traceback server-side, a plain 500 page to the user.

Errors the router raises before any route middleware ran (unknown path 404, wrong method 405)
still get the visitor's language, navigation and CSRF token: see :mod:`awards.web.error_context`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from awards.errors import ValidationError
from awards.i18n import _
from awards.web.error_context import csrf_cookie_for

__all__ = ["exception_handlers", "wants_json"]

log = logging.getLogger("awards.errors")


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(("/api/", "/schema"))


def _message(status: int, detail: str) -> str:
    if status == 403 and "CSRF" in detail:
        return _("This form has expired. Reload the page and try again.")
    messages = {
        400: _("The request could not be understood."),
        422: _("The request could not be understood."),
        403: _("You do not have permission to open this page."),
        404: _("This page does not exist."),
        405: _("This page does not accept that kind of request."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    return messages.get(status, _("Something went wrong on our side. Please try again later."))


def _error_page(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    errors: dict[str, str] | None = None,
) -> Response[Any]:
    if wants_json(request):
        return Response({"status_code": status, "detail": detail}, status_code=status)
    return Template(  # type: ignore[return-value]
        template_name="errors/error.html",
        context={"status": status, "message": _message(status, detail), "errors": errors or {}},
        status_code=status,
        cookies=csrf_cookie_for(request),
    )


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status == 401 and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return Redirect(f"/login?next={quote(target, safe='/')}", status_code=303)  # type: ignore[return-value]
    if wants_json(request):
        body: dict[str, Any] = {"status_code": status, "detail": exc.detail}
        if status == 400 and exc.extra:
            body["extra"] = exc.extra
        if status == 401:
            body["detail"] = "Authentication required"
        return Response(body, status_code=status, headers=exc.headers)
    return _error_page(request, status, exc.detail)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationError
) -> Response[Any]:
    """422 with the per-field messages: JSON under /api, else a page listing them.

    Page controllers normally catch :class:`ValidationError` and re-render their form with the
    messages beside the fields; this is the fallback for ones that do not.
    """
    if wants_json(request):
        return Response(
            {"status_code": 422, "detail": "Validation failed", "errors": exc.errors},
            status_code=422,
        )
    return _error_page(request, 422, "Validation failed", exc.errors)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error_page(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")


exception_handlers: dict[Any, Any] = {
    HTTPException: http_exception_handler,
    ValidationError: validation_error_handler,
    Exception: internal_error_handler,
}
