"""Visitor context for error pages raised before a route's middleware ran.

Litestar runs middleware per route: when the router itself refuses a request (404 for an
unknown path, 405 for a wrong method) no session was decoded, no user loaded, no language set
and no CSRF token issued, so the error page would come out in the default language with the
anonymous navigation and forms that cannot be posted.

:func:`visitor_context_hook` makes an ``after_exception`` hook: Litestar awaits it just before
calling the (synchronous) exception handler, in the same context. When the request carries no
``scope["user"]`` it decodes the session cookie read-only (nothing is written back, so queued
flash messages stay queued), loads the user and sets the language; for safe methods it puts
the visitor's CSRF token in the scope, or a fresh one that :func:`csrf_cookie_for` adds to the
error response as a cookie.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import AfterExceptionHookHandler, Scope
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from awards.i18n import set_language
from awards.web.auth import csrf_cookie, load_visitor

__all__ = ["csrf_cookie_for", "visitor_context_hook"]

log = logging.getLogger("awards.errors")
_NEW_CSRF = "anugerah_new_csrf_token"


def visitor_context_hook(session_config: CookieBackendConfig) -> AfterExceptionHookHandler:
    """The ``after_exception`` hook for an app whose sessions use ``session_config``."""
    backend = ClientSideSessionBackend(config=session_config)

    async def restore_visitor_context(exc: Exception, scope: Scope) -> None:
        """Load the language, user and CSRF token an error page needs, if no middleware did."""
        if scope["type"] != "http" or "user" in scope:
            return
        app = scope["litestar_app"]
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        default_language = app.state.settings.default_language
        user, language = None, default_language
        try:
            session = scope.get("session")
            if not isinstance(session, dict):
                session = await backend.load_from_connection(connection)
            user, language = await load_visitor(scope, session, default_language)
        except Exception:  # the error page must render even if the session or database fails
            log.warning("cannot load the visitor for an error page", exc_info=True)
        scope["user"] = user  # type: ignore[typeddict-unknown-key]
        set_language(language)
        _issue_csrf_token(connection)

    return restore_visitor_context


def _issue_csrf_token(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """For a safe method without a token: the visitor's CSRF cookie value, or a new token."""
    csrf = connection.app.csrf_config
    state = ScopeState.from_scope(connection.scope)
    if csrf is None or connection.scope["method"] not in csrf.safe_methods:  # type: ignore[typeddict-item]
        return
    if value_or_default(state.csrf_token, ""):
        return
    token = connection.cookies.get(csrf.cookie_name)
    if not token:
        token = generate_csrf_token(secret=csrf.secret)
        connection.scope[_NEW_CSRF] = token  # type: ignore[typeddict-unknown-key]
    state.csrf_token = token


def csrf_cookie_for(connection: ASGIConnection[Any, Any, Any, Any]) -> list[Cookie]:
    """The CSRF cookie to set on an error page whose token the hook made."""
    token = connection.scope.get(_NEW_CSRF)
    csrf = connection.app.csrf_config
    if not token or csrf is None:
        return []
    return [csrf_cookie(csrf, token)]
