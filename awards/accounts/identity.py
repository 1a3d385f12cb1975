"""Who is making the request: the logged-in user as the web layer sees it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CurrentUser"]


@dataclass(frozen=True)
class CurrentUser:
    """A logged-in, active user and their role grants ``(role, edition_id or None)``."""

    id: int
    email: str
    display_name: str
    language: str
    session_version: int
    grants: frozenset[tuple[str, int | None]]

    @property
    def roles(self) -> frozenset[str]:
        """Every role held, globally or for some edition."""
        return frozenset(role for role, _ in self.grants)

    @property
    def name(self) -> str:
        return self.display_name or self.email

    def has_role(self, *roles: str, edition_id: int | None = None) -> bool:
        """True if any of ``roles`` is held globally, or for ``edition_id`` when one is given.

        Without ``edition_id`` a grant scoped to any edition counts (e.g. for navigation).
        """
        for role, scope in self.grants:
            if role not in roles:
                continue
            if scope is None or edition_id is None or scope == edition_id:
                return True
        return False
