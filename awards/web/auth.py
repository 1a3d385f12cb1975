"""Sessions, the current user, and role guards.

The session (an encrypted, signed cookie) holds ``uid`` (user id), ``sv`` (the user's session
version, bumped on every password change so other sessions end) and ``lang``; ``lang_chosen``
marks a language the visitor picked with the switch before logging in, which the login then
keeps and saves on the account (a language merely left over from an earlier user's session
does not override the account's own).

:class:`CurrentUserMiddleware` loads the user once per request into ``scope["user"]`` (``None``
when anonymous) and sets the request language.

Guards are plain ``(connection, handler) -> None`` functions. The app installs
:func:`default_deny` on every route: a handler is reachable anonymously only when it (or its
controller/router) carries ``opt={"public": True}``. Controllers add :func:`requires_role`.
Refusals raise ``NotAuthorizedException`` (401; pages turn it into a redirect to the login
page) or ``PermissionDeniedException`` (403).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from awards.accounts.identity import CurrentUser
from awards.i18n import set_language
from awards.settings import LANGUAGES

__all__ = [
    "CurrentUserMiddleware",
    "authenticated_user",
    "chosen_language",
    "current_user",
    "default_deny",
    "end_session",
    "load_visitor",
    "remember_language",
    "requires_role",
    "start_session",
]

PUBLIC = "public"
_CHOSEN = "lang_chosen"


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
    """Log ``user`` in on this connection (a fresh session)."""
    connection.clear_session()
    connection.set_session({"uid": user.id, "sv": user.session_version, "lang": user.language})


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
        scope["user"] = user  # type: ignore[typeddict-unknown-key]
        set_language(language)
        await next_app(scope, receive, send)


async def load_visitor(
    scope: Scope, session: Any, default_language: str
) -> tuple[CurrentUser | None, str]:
    """The session's active user (or None) and the language to answer in.

    The language is the session's ``lang`` if valid, else the user's saved language, else
    ``default_language``.
    """
    user: CurrentUser | None = None
    if isinstance(session, dict) and isinstance(session.get("uid"), int):
        accounts = scope["litestar_app"].state.accounts
        user = await accounts.load(session["uid"], session_version=session.get("sv"))
    language = session.get("lang") if isinstance(session, dict) else None
    if language not in LANGUAGES:
        language = user.language if user else default_language
    return user, language


def default_deny(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Refuse anonymous access unless the handler is marked ``opt={"public": True}``."""
    if not handler.opt.get(PUBLIC) and current_user(connection) is None:
        raise NotAuthorizedException()


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any logged-in user."""
    if current_user(connection) is None:
        raise NotAuthorizedException()


def requires_role(*roles: str):
    """Guard: the user holds one of ``roles`` (globally or for some edition)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if not user.has_role(*roles):
            raise PermissionDeniedException()

    guard.__name__ = f"requires_role({', '.join(roles)})"
    guard.__qualname__ = guard.__name__
    return guard
