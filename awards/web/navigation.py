"""Where to send people: safe "next" targets, and each role's work area after login."""

from __future__ import annotations

from collections.abc import Callable

from awards.accounts.identity import CurrentUser

__all__ = ["JUDGE_HOME_ROUTE", "safe_next", "work_area"]

JUDGE_HOME_ROUTE = "judge_dashboard"
"""Route name of the judge's own page; judges land there after login once it exists."""


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a local absolute path (``/x``), else ``default``.

    Refuses scheme-relative (``//host``), backslash tricks and absolute URLs, so a crafted
    ``next`` cannot send the user to another site.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def work_area(user: CurrentUser, route_path: Callable[[str], str | None]) -> str:
    """Where ``user`` lands after logging in, by their most powerful role.

    Admin: ``/admin/users``. Organizer: the overview of their edition when they run exactly
    one, else the organizer console. Judge: the route named :data:`JUDGE_HOME_ROUTE` when the
    app has one (``route_path(name)`` returns its path or None), else ``/account``. Entrant:
    their entries. Anyone else: ``/account``.
    """
    if user.has_role("admin"):
        return "/admin/users"
    organizer_scopes = {scope for role, scope in user.grants if role == "organizer"}
    if organizer_scopes:
        if len(organizer_scopes) == 1 and None not in organizer_scopes:
            return f"/organizer/editions/{next(iter(organizer_scopes))}/overview"
        return "/organizer/"
    if user.has_role("judge"):
        return route_path(JUDGE_HOME_ROUTE) or "/account"
    if user.has_role("entrant"):
        return "/entries"
    return "/account"
