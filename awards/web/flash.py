"""Flash messages: short notices stored in the session and shown once on the next page."""

from __future__ import annotations

from typing import Any

__all__ = ["flash", "pop_flashes"]

_KEY = "_flashes"


def flash(connection: Any, message: str, category: str = "info") -> None:
    """Queue ``message`` (category ``success``, ``info`` or ``error``) for the next page."""
    if not isinstance(connection.scope.get("session"), dict):
        connection.set_session({})
    connection.session.setdefault(_KEY, []).append({"message": message, "category": category})


def pop_flashes(request: Any) -> list[dict[str, str]]:
    """Queued messages, removed from the session (empty on routes without a session, e.g. 404)."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or _KEY not in session:
        return []
    return request.session.pop(_KEY, [])
