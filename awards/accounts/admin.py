"""Administration pages (admin only): accounts, role grants with a confirmation step, revoking,
deactivation, and the audit log of account changes.

Granting is two steps: the account page's form (role and edition, nothing preselected) sends a
GET to the confirmation page, which states exactly what will be granted; only its POST with
``confirm=yes`` grants. Thin: every handler calls one
:class:`~awards.accounts.administration.AccountAdministration` method.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from awards.accounts.administration import (
    GRANTABLE,
    AccountAdministration,
    AdminRefusedError,
)
from awards.accounts.tables import Role
from awards.errors import ValidationError
from awards.i18n import _
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash

__all__ = ["AdminPages", "GrantRoleForm", "RevokeRoleForm"]

Req = Request[Any, Any, Any]
Administration = NamedDependency[AccountAdministration]


class GrantRoleForm(Struct):
    role: str = ""
    edition_id: str = ""
    confirm: str = ""


class RevokeRoleForm(Struct):
    role: str = ""
    edition_id: str = ""


def _page_number(request: Req) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def _user_url(user_id: int) -> str:
    return f"/admin/users/{user_id}"


class AdminPages(Controller):
    """``/admin``: accounts, roles and the audit log."""

    path = "/admin"
    guards = [requires_role(Role.admin.value)]  # noqa: RUF012
    include_in_schema = False

    @get("/", name="admin_home")
    async def home(self) -> Redirect:
        return Redirect("/admin/users", status_code=303)

    @get("/users", name="admin_users")
    async def users(self, request: Req, administration: Administration) -> Template:
        q = request.query_params.get("q", "").strip()
        page = await administration.search(q, _page_number(request))
        return Template("accounts/admin_users.html", context={"page": page, "q": q})

    async def _user_page(
        self,
        request: Req,
        administration: AccountAdministration,
        user_id: int,
        *,
        form: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        try:
            page = await administration.account_page(user_id)
        except LookupError:
            raise NotFoundException() from None
        context = {
            "account": page.account,
            "editions": page.editions,
            "grantable": GRANTABLE,
            "form": form or {},
            "errors": errors or {},
            "log": page.log,
            "is_self": user_id == authenticated_user(request).id,
        }
        return Template("accounts/admin_user.html", context=context, status_code=status)

    @get("/users/{user_id:int}", name="admin_user")
    async def user(
        self, request: Req, administration: Administration, user_id: FromPath[int]
    ) -> Template:
        return await self._user_page(request, administration, user_id)

    @get("/users/{user_id:int}/grant", name="admin_grant_confirm")
    async def grant_confirm(
        self, request: Req, administration: Administration, user_id: FromPath[int]
    ) -> Template:
        """Step 2 of a grant: show what will be granted and ask for confirmation."""
        form = {
            "role": request.query_params.get("role", ""),
            "edition_id": request.query_params.get("edition_id", ""),
        }
        return await self._confirm_or_errors(request, administration, user_id, form)

    async def _confirm_or_errors(
        self,
        request: Req,
        administration: AccountAdministration,
        user_id: int,
        form: dict[str, str],
    ) -> Template:
        try:
            grant = await administration.check_grant(user_id, form["role"], form["edition_id"])
        except LookupError:
            raise NotFoundException() from None
        except ValidationError as exc:
            return await self._user_page(
                request, administration, user_id, form=form, errors=exc.errors, status=422
            )
        account = await administration.user(user_id)
        context = {"account": account, "grant": grant}
        return Template("accounts/admin_grant_confirm.html", context=context)

    @post("/users/{user_id:int}/roles", name="admin_grant_role")
    async def grant_role(
        self,
        request: Req,
        administration: Administration,
        user_id: FromPath[int],
        data: URLEncodedBody[GrantRoleForm],
    ) -> Template | Redirect:
        """Grant after confirmation; without ``confirm=yes`` show the confirmation page."""
        form = {"role": data.role, "edition_id": data.edition_id}
        if data.confirm != "yes":
            return await self._confirm_or_errors(request, administration, user_id, form)
        try:
            grant = await administration.grant(
                authenticated_user(request), user_id, data.role, data.edition_id
            )
        except LookupError:
            raise NotFoundException() from None
        except ValidationError as exc:
            return await self._user_page(
                request, administration, user_id, form=form, errors=exc.errors, status=422
            )
        flash(request, _("Role granted: %(role)s.") % {"role": grant.label}, "success")
        return Redirect(_user_url(user_id), status_code=303)

    @post("/users/{user_id:int}/roles/revoke", name="admin_revoke_role")
    async def revoke_role(
        self,
        request: Req,
        administration: Administration,
        user_id: FromPath[int],
        data: URLEncodedBody[RevokeRoleForm],
    ) -> Redirect:
        edition_id = int(data.edition_id) if data.edition_id.strip().isdigit() else None
        try:
            await administration.revoke(authenticated_user(request), user_id, data.role, edition_id)
            flash(request, _("Role removed."), "success")
        except LookupError:
            raise NotFoundException() from None
        except AdminRefusedError as exc:
            flash(request, exc.message, "error")
        return Redirect(_user_url(user_id), status_code=303)

    @get("/users/{user_id:int}/deactivate", name="admin_deactivate_confirm")
    async def deactivate_confirm(
        self, request: Req, administration: Administration, user_id: FromPath[int]
    ) -> Template:
        try:
            account = await administration.user(user_id)
        except LookupError:
            raise NotFoundException() from None
        context = {"account": account, "is_self": user_id == authenticated_user(request).id}
        return Template("accounts/admin_deactivate.html", context=context)

    @post("/users/{user_id:int}/deactivate", name="admin_deactivate")
    async def deactivate(
        self, request: Req, administration: Administration, user_id: FromPath[int]
    ) -> Redirect:
        return await self._set_active(request, administration, user_id, active=False)

    @post("/users/{user_id:int}/reactivate", name="admin_reactivate")
    async def reactivate(
        self, request: Req, administration: Administration, user_id: FromPath[int]
    ) -> Redirect:
        return await self._set_active(request, administration, user_id, active=True)

    async def _set_active(
        self, request: Req, administration: AccountAdministration, user_id: int, *, active: bool
    ) -> Redirect:
        try:
            await administration.set_active(authenticated_user(request), user_id, active)
            message = _("Account reactivated.") if active else _("Account deactivated.")
            flash(request, message, "success")
        except LookupError:
            raise NotFoundException() from None
        except AdminRefusedError as exc:
            flash(request, exc.message, "error")
        return Redirect(_user_url(user_id), status_code=303)

    @get("/audit", name="admin_audit")
    async def audit(self, request: Req, administration: Administration) -> Template:
        page = await administration.audit_log(_page_number(request))
        return Template("accounts/admin_audit.html", context={"page": page})
