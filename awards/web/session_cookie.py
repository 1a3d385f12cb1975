"""The session cookie, written only when the session changed.

Litestar's client-side session backend encrypts the session (AES-GCM) and adds its
``Set-Cookie`` header on every response, even when the request left the session as it came:
about a quarter of a millisecond of CPU on every page, API call and autosave, and a new cookie
on every response. :class:`ChangedOnlyCookieBackend` remembers the session as it was loaded
(its serialized bytes) and leaves the response without ``Set-Cookie`` when the session is
unchanged, byte for byte, and came in one cookie under the configured name.

Expiry is unaffected in practice: a logged-in session's ``seen`` time changes at least once a
minute of activity (:data:`awards.web.auth._SEEN_RESOLUTION`), so an active session's cookie is
re-issued, with a fresh ``max_age``, at that resolution; the idle and absolute limits
(``seen``, ``iat``) are checked on the server on every request, not by the cookie's age.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Empty, Message, ScopeSession

__all__ = ["ChangedOnlyCookieBackend", "SessionCookieConfig"]

#: Scope key for the serialized session as it was loaded from the request's cookie.
_LOADED = "anugerah_session_loaded"


class ChangedOnlyCookieBackend(ClientSideSessionBackend):
    """A client-side session backend that writes the cookie only when the session changed."""

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        # Only a session that arrived whole in the one plain cookie can be left as it is.
        if data and self.get_cookie_key_set(connection) == {self.config.key}:
            connection.scope[_LOADED] = self.serialize_data(data)  # type: ignore[typeddict-unknown-key]
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        loaded = connection.scope.get(_LOADED)
        if (
            loaded is not None
            and scope_session
            and scope_session is not Empty
            and self.serialize_data(scope_session) == loaded
        ):
            return
        await super().store_in_message(scope_session, message, connection)


class SessionCookieConfig(CookieBackendConfig):
    """:class:`CookieBackendConfig` whose middleware uses :class:`ChangedOnlyCookieBackend`."""

    _backend_class = ChangedOnlyCookieBackend
