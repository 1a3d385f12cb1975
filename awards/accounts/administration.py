"""Account administration (admins only): find accounts, grant and revoke roles, deactivate, and
the audit log of those changes.

Rules:

* ``admin`` and ``entrant`` are global grants; ``judge`` is always scoped to one edition;
  ``organizer`` is scoped to one edition or, when no edition is chosen, global (all editions,
  including creating new ones).
* Nobody revokes their own ``admin`` role, and the last active global admin keeps it; nobody
  deactivates their own account, and the last active admin cannot be deactivated.
* Deactivating sets ``is_active`` False and bumps ``session_version``: the account cannot log in
  and every existing session ends at its next request (the session loader only accepts active
  users with the current session version).
* Every grant, revoke, deactivation and reactivation writes one :class:`AccountChange` row in the
  same transaction (who, what, to whom, when); grants by ``anugerah createadmin`` and the demo
  go through :func:`awards.accounts.services.grant_audited` and are logged with no actor,
  shown as "(system)".

Roles are shown as human labels: "Penyelenggara — Anugerah UMKM Kota Malang 2026" (the role,
then the edition's name in the current language), never ``organizer@1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import AccountChange, AccountEvent, Role, RoleGrant, User
from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.tables import Edition

__all__ = [
    "PAGE_SIZE",
    "AccountAdministration",
    "AccountPage",
    "AdminRefusedError",
    "GrantRequest",
    "Page",
    "role_label",
]

PAGE_SIZE = 25
EDITION_ROLES = frozenset({Role.organizer.value, Role.judge.value})
GRANTABLE = (Role.admin.value, Role.organizer.value, Role.judge.value, Role.entrant.value)


class AdminRefusedError(Exception):
    """An administrative change refused by a rule; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def role_label(role: str) -> str:
    """The translated name of a role."""
    labels = {
        "admin": _("Administrator"),
        "organizer": _("Organizer"),
        "judge": _("Judge"),
        "entrant": _("Entrant"),
    }
    return labels.get(role, role)


def edition_name(row: dict[str, Any]) -> str:
    """The edition's name in the current language (Indonesian when no English name exists)."""
    if current_language().startswith("en") and row.get("name_en"):
        return row["name_en"]
    return row["name_id"]


def grant_label(role: str, edition_id: int | None, names: dict[int, str]) -> str:
    """ "Organizer — <edition name>" for a scoped grant; a global organizer is "for every
    edition"; admin and entrant are just the role's name."""
    if edition_id is not None:
        name = names.get(edition_id, _("edition %(id)s") % {"id": edition_id})
        return f"{role_label(role)} — {name}"
    if role in EDITION_ROLES:
        return _("%(role)s — every edition") % {"role": role_label(role)}
    return role_label(role)


@dataclass(frozen=True)
class GrantRequest:
    """A validated grant: ``role`` for ``edition_id`` (None: global) and its display label."""

    role: str
    edition_id: int | None
    label: str


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


@dataclass
class AccountPage:
    """What the admin's page of one account shows: the account with its grants, the editions
    a grant can be scoped to, and the latest changes to the account."""

    account: dict[str, Any]
    editions: list[dict[str, Any]]
    log: list[dict[str, Any]]


class AccountAdministration:
    """Admin operations on accounts; every method expects the caller to be an admin (the
    controller's guard) and receives the acting user for the audit log."""

    async def edition_names(self) -> dict[int, str]:
        rows = await Edition.select(Edition.id, Edition.name_id, Edition.name_en)
        return {row["id"]: edition_name(row) for row in rows}

    async def editions(self) -> list[dict[str, Any]]:
        """Editions to scope a grant to, newest year first, with ``label``."""
        rows = await Edition.select(
            Edition.id, Edition.name_id, Edition.name_en, Edition.year, Edition.time_zone
        ).order_by(Edition.year, ascending=False)
        return [{**row, "label": edition_name(row)} for row in rows]

    async def _grants(
        self, user_ids: list[int], names: dict[int, str] | None = None
    ) -> dict[int, list[dict[str, Any]]]:
        """Each user's grants with their labels; ``names`` (edition id -> name) when the
        caller has read the editions already."""
        if not user_ids:
            return {}
        if names is None:
            names = await self.edition_names()
        rows = (
            await RoleGrant.select(RoleGrant.user, RoleGrant.role, RoleGrant.edition_id)
            .where(RoleGrant.user.is_in(user_ids))
            .order_by(RoleGrant.id)
        )
        order = {role: index for index, role in enumerate(GRANTABLE)}
        out: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            out.setdefault(row["user"], []).append(
                {
                    "role": row["role"],
                    "edition_id": row["edition_id"],
                    "label": grant_label(row["role"], row["edition_id"], names),
                }
            )
        for grants in out.values():
            grants.sort(key=lambda g: (order.get(g["role"], 9), g["label"]))
        return out

    async def search(self, q: str = "", page: int = 1, page_size: int = PAGE_SIZE) -> Page:
        """Accounts whose email or name contains ``q`` (case-insensitive), oldest first, one
        page of ``page_size`` with their grants as labels."""
        text = q.strip()
        where = []
        if text:
            where.append(db.contains(User.email, text) | db.contains(User.display_name, text))
        total = await User.count().where(*where)
        pages = max(1, math.ceil(total / page_size))
        page = min(max(page, 1), pages)
        rows = (
            await User.select(
                User.id, User.email, User.display_name, User.is_active, User.created_at
            )
            .where(*where)
            .order_by(User.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        grants = await self._grants([row["id"] for row in rows])
        for row in rows:
            row["grants"] = grants.get(row["id"], [])
        return Page(rows, total, page, pages)

    async def user(self, user_id: int) -> dict[str, Any]:
        """One account with its grants; :class:`LookupError` when missing."""
        row = await self._account(user_id)
        row["grants"] = (await self._grants([user_id])).get(user_id, [])
        return row

    async def _account(self, user_id: int) -> dict[str, Any]:
        row = (
            await User.select(
                User.id, User.email, User.display_name, User.is_active, User.created_at
            )
            .where(User.id == user_id)
            .first()
        )
        if row is None:
            raise LookupError(user_id)
        return row

    async def account_page(self, user_id: int, log_size: int = 20) -> AccountPage:
        """The account (with its grants), the editions and the account's ``log_size`` latest
        changes, reading the editions once for all three; :class:`LookupError` when missing."""
        row = await self._account(user_id)
        editions = await self.editions()
        names = {edition["id"]: edition["label"] for edition in editions}
        row["grants"] = (await self._grants([user_id], names)).get(user_id, [])
        log = await self._changes([AccountChange.user == user_id], log_size, 0, editions)
        return AccountPage(row, editions, log)

    async def check_grant(self, user_id: int, role: str, edition: str | int | None) -> GrantRequest:
        """Validate a grant request (nothing is written): the role exists, the edition is given
        when the role needs one and exists, and the user does not hold it already."""
        account = await self.user(user_id)
        if role not in GRANTABLE:
            raise ValidationError({"role": _("Choose a role.")})
        edition_id: int | None = None
        if str(edition or "").strip():
            try:
                edition_id = int(str(edition))
            except ValueError:
                raise ValidationError({"edition_id": _("Choose an edition.")}) from None
        names = await self.edition_names()
        if role == Role.judge.value and edition_id is None:
            raise ValidationError({"edition_id": _("A judge is appointed for one edition.")})
        if role in (Role.admin.value, Role.entrant.value):
            edition_id = None
        if edition_id is not None and edition_id not in names:
            raise ValidationError({"edition_id": _("Choose an edition.")})
        held = {(g["role"], g["edition_id"]) for g in account["grants"]}
        if (role, edition_id) in held:
            raise ValidationError({"role": _("The account already holds this role.")})
        return GrantRequest(role, edition_id, grant_label(role, edition_id, names))

    async def grant(
        self, actor: CurrentUser, user_id: int, role: str, edition: str | int | None
    ) -> GrantRequest:
        """Grant a validated role and log it (one transaction)."""
        request = await self.check_grant(user_id, role, edition)
        async with db.write_transaction():
            await RoleGrant.insert(
                RoleGrant(user=user_id, role=request.role, edition_id=request.edition_id)
            )
            await self._log(actor, user_id, AccountEvent.grant, request.role, request.edition_id)
        return request

    async def revoke(
        self, actor: CurrentUser, user_id: int, role: str, edition_id: int | None
    ) -> None:
        """Remove one grant and log it. Refused for one's own admin role and for the last
        active global admin."""
        scope = (
            RoleGrant.edition_id.is_null()
            if edition_id is None
            else (RoleGrant.edition_id == edition_id)
        )
        async with db.write_transaction():
            await self._lock_grants()
            found = await RoleGrant.exists().where(
                (RoleGrant.user == user_id) & (RoleGrant.role == role) & scope
            )
            if not found:
                raise LookupError((user_id, role, edition_id))
            if role == Role.admin.value and edition_id is None:
                if user_id == actor.id:
                    raise AdminRefusedError(_("You cannot remove your own administrator role."))
                if await self._active_admins(excluding=user_id) == 0:
                    raise AdminRefusedError(
                        _("This is the last active administrator; appoint another one first.")
                    )
            await RoleGrant.delete().where(
                (RoleGrant.user == user_id) & (RoleGrant.role == role) & scope
            )
            await self._log(actor, user_id, AccountEvent.revoke, role, edition_id)

    async def set_active(self, actor: CurrentUser, user_id: int, active: bool) -> None:
        """Deactivate (ends every session) or reactivate an account, and log it."""
        async with db.write_transaction():
            await self._lock_grants()
            row = await User.select(User.is_active).where(User.id == user_id).first()
            if row is None:
                raise LookupError(user_id)
            if row["is_active"] == active:
                return
            if not active:
                if user_id == actor.id:
                    raise AdminRefusedError(_("You cannot deactivate your own account."))
                if await self._active_admins(excluding=user_id) == 0:
                    raise AdminRefusedError(
                        _("This is the last active administrator; appoint another one first.")
                    )
                await User.update(
                    {User.is_active: False, User.session_version: User.session_version + 1}
                ).where(User.id == user_id)
            else:
                await User.update({User.is_active: True}).where(User.id == user_id)
            event = AccountEvent.reactivate if active else AccountEvent.deactivate
            await self._log(actor, user_id, event, "", None)

    async def _active_admins(self, excluding: int) -> int:
        """Active accounts other than ``excluding`` holding the global admin role."""
        rows = await RoleGrant.select(RoleGrant.user).where(
            (RoleGrant.role == Role.admin.value)
            & RoleGrant.edition_id.is_null()
            & (RoleGrant.user != excluding)
            & (RoleGrant.user.is_active.eq(True))
        )
        return len({row["user"] for row in rows})

    async def _lock_grants(self) -> None:
        """PostgreSQL: serialize admin changes, so two admins cannot remove each other's role
        at the same moment and leave none (SQLite's write lock already does this)."""
        if db.is_postgres():
            await RoleGrant.raw("LOCK TABLE accounts_role_grant IN SHARE ROW EXCLUSIVE MODE")

    async def _log(
        self,
        actor: CurrentUser,
        user_id: int,
        event: AccountEvent,
        role: str,
        edition_id: int | None,
    ) -> None:
        await AccountChange.insert(
            AccountChange(
                actor=actor.id, user=user_id, event=event.value, role=role, edition_id=edition_id
            )
        )

    async def audit_log(
        self, page: int = 1, user_id: int | None = None, page_size: int = 50
    ) -> Page:
        """Account changes, newest first (optionally of one account), with the actor's and
        the account's names, the grant's label and the edition's time zone (``time_zone``;
        Asia/Jakarta for global grants)."""
        where = [] if user_id is None else [AccountChange.user == user_id]
        total = await AccountChange.count().where(*where)
        pages = max(1, math.ceil(total / page_size))
        page = min(max(page, 1), pages)
        rows = await self._changes(where, page_size, (page - 1) * page_size, await self.editions())
        return Page(rows, total, page, pages)

    async def _changes(
        self, where: list[Any], limit: int, offset: int, editions: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Account changes matching ``where``, newest first, labelled with ``editions``."""
        rows = (
            await AccountChange.select(
                AccountChange.id,
                AccountChange.event,
                AccountChange.role,
                AccountChange.edition_id,
                AccountChange.created_at,
                AccountChange.user,
                AccountChange.user.email,
                AccountChange.user.display_name,
                AccountChange.actor.email,
                AccountChange.actor.display_name,
            )
            .where(*where)
            .order_by(AccountChange.id, ascending=False)
            .limit(limit)
            .offset(offset)
        )
        by_id = {row["id"]: row for row in editions}
        names = {key: row["label"] for key, row in by_id.items()}
        for row in rows:
            row["label"] = grant_label(row["role"], row["edition_id"], names) if row["role"] else ""
            edition = by_id.get(row["edition_id"])
            row["time_zone"] = edition["time_zone"] if edition else "Asia/Jakarta"
            # No actor: the command line or the demo (accounts are deactivated, never deleted).
            row["actor_name"] = row["actor.display_name"] or row["actor.email"] or _("(system)")
            row["user_name"] = row["user.display_name"] or row["user.email"]
        return rows
