"""Sessions, the current user, and role guards.

The session (an encrypted, signed cookie) holds ``uid`` (user id), ``sv`` (the user's session
version, checked against the database on each request and bumped on logout and on every
password change, so a cookie replayed after either no longer authenticates), ``iat`` and
``seen`` (login time and time of the latest request, Unix seconds: a session ends after
``SESSION_MAX_AGE`` or ``settings.session_idle_minutes`` without a request), ``ct`` (the CSRF
token's secret issued at login: an unsafe request of a logged-in session must carry that
token, so a CSRF cookie planted by someone else does not work with it) and ``lang``; ``lang_chosen``
marks a language the visitor picked with the switch before logging in, which the login then
keeps and saves on the account (a language merely left over from an earlier user's session
does not override the account's own).

:class:`CurrentUserMiddleware` loads the user once per request into ``scope["user"]`` (``None``
when anonymous) and sets the request language.

Guards are ``async (connection, handler) -> None`` functions: Litestar runs a plain (sync) guard
in its thread pool, a thread hop per guard per request for a check of a few microseconds. The
app installs :func:`default_deny` on every route: a handler is reachable anonymously only when
it (or its controller/router) carries ``opt={"public": True}``. Controllers add
:func:`requires_role`. Refusals raise ``NotAuthorizedException`` (401; pages turn it into a
redirect to the login page) or ``PermissionDeniedException`` (403).
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.middleware.csrf import generate_csrf_hash, generate_csrf_token
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from awards.accounts.identity import CurrentUser
from awards.i18n import set_language
from awards.settings import LANGUAGES

__all__ = [
    "NEW_CSRF_TOKEN",
    "SESSION_MAX_AGE",
    "CurrentUserMiddleware",
    "authenticated_user",
    "chosen_language",
    "csrf_cookie",
    "current_user",
    "default_deny",
    "end_session",
    "guard_without_copies",
    "issue_csrf_cookie",
    "load_visitor",
    "remember_language",
    "requires_role",
    "start_session",
]

PUBLIC = "public"
_CHOSEN = "lang_chosen"
SESSION_MAX_AGE = 14 * 24 * 3600
NEW_CSRF_TOKEN = "anugerah_new_csrf_token"
"""Scope key of a CSRF token issued during this request; :func:`issue_csrf_cookie` sends it."""
_CSRF_SECRET_LENGTH = 64
_SEEN_RESOLUTION = 60  # refresh ``seen`` at most once a minute
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    """The logged-in user, or None (also on routes the middleware skipped)."""
    return connection.scope.get("user")  # type: ignore[return-value]


def authenticated_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser:
    """The logged-in user on a guarded route; 401 if there is none (a guard was forgotten)."""
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    return user


def start_session(connection: ASGIConnection[Any, Any, Any, Any], user: CurrentUser) -> None:
    """Log ``user`` in on this connection: a fresh session bound to a fresh CSRF token."""
    csrf = connection.app.csrf_config
    assert csrf is not None, "the app has no CSRF configuration"
    token = generate_csrf_token(secret=csrf.secret)
    connection.scope[NEW_CSRF_TOKEN] = token  # type: ignore[typeddict-unknown-key]
    ScopeState.from_scope(connection.scope).csrf_token = token
    now = int(time.time())
    connection.clear_session()
    connection.set_session(
        {
            "uid": user.id,
            "sv": user.session_version,
            "lang": user.language,
            "iat": now,
            "seen": now,
            "ct": token[:_CSRF_SECRET_LENGTH],
        }
    )


async def issue_csrf_cookie(message: Message, scope: Scope) -> None:
    """``before_send`` hook: set the CSRF cookie to a token issued during this request."""
    token = scope.get(NEW_CSRF_TOKEN)
    if not token or message["type"] != "http.response.start":
        return
    csrf = scope["litestar_app"].csrf_config
    headers = MutableScopeHeaders.from_message(message=message)
    prefix = f"{csrf.cookie_name}="
    if any(value.startswith(prefix) for value in headers.getall("set-cookie", [])):
        return
    headers.add("set-cookie", csrf_cookie(csrf, token).to_header(header=""))


def csrf_cookie(csrf: CSRFConfig, token: str) -> Cookie:
    """The CSRF cookie carrying ``token``, with the attributes of the app's ``CSRFConfig``."""
    return Cookie(
        key=csrf.cookie_name,
        value=token,
        path=csrf.cookie_path,
        secure=csrf.cookie_secure,
        httponly=csrf.cookie_httponly,
        samesite=csrf.cookie_samesite,
        domain=csrf.cookie_domain,
    )


def remember_language(connection: ASGIConnection[Any, Any, Any, Any], language: str) -> None:
    """Keep ``language`` (picked with the language switch) in the session."""
    connection.session["lang"] = language
    connection.session[_CHOSEN] = True


def chosen_language(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The language the visitor picked in this session with the switch, if any."""
    session = connection.scope.get("session")
    if not isinstance(session, dict) or not session.get(_CHOSEN):
        return None
    language = session.get("lang")
    return language if language in LANGUAGES else None


def end_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Log out, keeping only the language choice."""
    language = connection.session.get("lang")
    connection.clear_session()
    if language:
        connection.set_session({"lang": language})


class CurrentUserMiddleware(ASGIMiddleware):
    """Load the session's user into ``scope["user"]`` and set the request language."""

    exclude_opt_key = "skip_current_user"  # static files set it: no user lookup per asset

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        session = scope.get("session") or {}
        user, language = await load_visitor(scope, session, self.default_language)
        if user is None and isinstance(session, dict) and "uid" in session:
            scope["session"] = {"lang": session["lang"]} if session.get("lang") else {}
        elif user is not None:
            now = int(time.time())
            if now - session["seen"] >= _SEEN_RESOLUTION:
                session["seen"] = now
            if not _csrf_bound(scope, session):
                if scope["method"] in _UNSAFE:  # type: ignore[typeddict-item]
                    raise PermissionDeniedException("CSRF token verification failed")
                _restore_bound_token(scope, session)
        scope["user"] = user  # type: ignore[typeddict-unknown-key]
        set_language(language)
        await next_app(scope, receive, send)


def _csrf_bound(scope: Scope, session: dict[str, Any]) -> bool:
    """The request's CSRF cookie carries the token issued to this session at login.

    (Litestar's CSRF middleware has already checked that the form field or header matches the
    cookie and that the cookie is signed with our secret.)
    """
    cookie = ASGIConnection(scope).cookies.get(scope["litestar_app"].csrf_config.cookie_name, "")
    return hmac.compare_digest(cookie[:_CSRF_SECRET_LENGTH], str(session.get("ct", "")))


def _restore_bound_token(scope: Scope, session: dict[str, Any]) -> None:
    """A safe request of a logged-in session whose CSRF cookie was lost or replaced: answer
    with the session's own token (in the page and as the cookie) so its next form works."""
    csrf = scope["litestar_app"].csrf_config
    secret = str(session["ct"])
    token = secret + generate_csrf_hash(token=secret, secret=csrf.secret)
    state = ScopeState.from_scope(scope)
    cookies = dict(ASGIConnection(scope).cookies)
    cookies[csrf.cookie_name] = token
    state.cookies = cookies  # what the CSRF middleware reads next
    scope[NEW_CSRF_TOKEN] = token  # type: ignore[typeddict-unknown-key]


def _session_alive(session: dict[str, Any], idle_seconds: int) -> bool:
    """A logged-in session with its CSRF binding, not idle too long nor older than allowed."""
    seen, issued = session.get("seen"), session.get("iat")
    if not isinstance(seen, int) or not isinstance(issued, int) or not session.get("ct"):
        return False
    now = int(time.time())
    return now - seen <= idle_seconds and now - issued <= SESSION_MAX_AGE


async def load_visitor(
    scope: Scope, session: Any, default_language: str
) -> tuple[CurrentUser | None, str]:
    """The session's active user (or None) and the language to answer in.

    A session that is idle too long, too old, lacks its CSRF binding (made before sessions had
    one) or whose version was revoked has no user.

    The language is the session's ``lang`` if valid, else the user's saved language, else
    ``default_language``.
    """
    user: CurrentUser | None = None
    app = scope["litestar_app"]
    if (
        isinstance(session, dict)
        and isinstance(session.get("uid"), int)
        and _session_alive(session, app.state.settings.session_idle_minutes * 60)
    ):
        user = await app.state.accounts.load(session["uid"], session_version=session.get("sv"))
    language = session.get("lang") if isinstance(session, dict) else None
    if language not in LANGUAGES:
        language = user.language if user else default_language
    return user, language


async def default_deny(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Refuse anonymous access unless the handler is marked ``opt={"public": True}``."""
    if not handler.opt.get(PUBLIC) and current_user(connection) is None:
        raise NotAuthorizedException()


async def requires_login(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Any logged-in user."""
    if current_user(connection) is None:
        raise NotAuthorizedException()


def requires_role(*roles: str):
    """Guard: the user holds one of ``roles`` (globally or for some edition)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if not user.has_role(*roles):
            raise PermissionDeniedException()

    guard.__name__ = f"requires_role({', '.join(roles)})"
    guard.__qualname__ = guard.__name__
    return guard


def guard_without_copies(app: Litestar) -> None:
    """Run each route's guards on the route handler itself, not on a copy per guard.

    Litestar's ``authorize_connection`` calls every guard with ``copy(handler)``, so that a
    guard cannot change the handler: a shallow copy of an object of about seventy attributes,
    7 us each, two per request on most routes (:func:`default_deny` and the controller's
    :func:`requires_role`). The guards of this app only read the handler's ``opt``, so each
    handler gets an ``authorize_connection`` that awaits the same guards, in the same order,
    with the handler itself. Handlers without an instance ``__dict__`` (Litestar's own schema
    routes) keep Litestar's.
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            guards = tuple(handler.resolve_guards())
            if guards and hasattr(handler, "__dict__"):
                handler.authorize_connection = _authorizer(handler, guards)


def _authorizer(handler: BaseRouteHandler, guards: tuple[Any, ...]) -> Any:
    async def authorize_connection(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        for guard in guards:
            await guard(connection, handler)

    return authorize_connection
