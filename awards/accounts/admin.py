"""Administration pages: the list of accounts and granting roles (admin only)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from awards.accounts.tables import Role
from awards.i18n import _
from awards.web.auth import requires_role
from awards.web.dependencies import Accounts
from awards.web.flash import flash

__all__ = ["AdminPages", "GrantRoleForm"]


class GrantRoleForm(Struct):
    role: str = ""


class AdminPages(Controller):
    """``/admin``: manage accounts."""

    path = "/admin"
    guards = [requires_role(Role.admin.value)]  # noqa: RUF012
    include_in_schema = False

    @get("/users", name="admin_users")
    async def users(self, accounts: Accounts) -> Template:
        users = await accounts.list_users()
        return Template("accounts/admin_users.html", context={"users": users, "roles": list(Role)})

    @post("/users/{user_id:int}/roles", name="admin_grant_role")
    async def grant_role(
        self,
        request: Request[Any, Any, Any],
        accounts: Accounts,
        user_id: FromPath[int],
        data: URLEncodedBody[GrantRoleForm],
    ) -> Redirect:
        if await accounts.load(user_id) is None:
            raise NotFoundException()
        if data.role in {role.value for role in Role}:
            await accounts.grant_role(user_id, data.role)
            flash(request, _("Role granted."), "success")
        else:
            flash(request, _("Choose a role."), "error")
        return Redirect("/admin/users", status_code=303)
