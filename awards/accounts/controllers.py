"""Account pages: login, logout, account page, password change and reset (sign-up:
:mod:`awards.accounts.signup_pages`).

Thin: parse the form, call one service method, render the form again with field errors
(status 422) or redirect with 303.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from awards.accounts.forms import (
    LoginData,
    PasswordChangeData,
    ResetConfirmData,
    ResetRequestData,
)
from awards.accounts.services import LoginRefusedError
from awards.accounts.signup_pages import client_ip
from awards.errors import ValidationError
from awards.i18n import _
from awards.web.auth import (
    chosen_language,
    current_user,
    end_session,
    requires_login,
    start_session,
)
from awards.web.dependencies import Accounts
from awards.web.flash import flash
from awards.web.navigation import safe_next, work_area

__all__ = ["AccountPages", "PublicAccountPages"]

Req = Request[Any, Any, Any]


def _route_path(request: Req):
    """``name -> path`` of a route of this app without parameters, or None if there is none."""

    def path(name: str) -> str | None:
        try:
            return request.app.route_reverse(name)
        except NoRouteMatchFoundException:
            return None

    return path


class PublicAccountPages(Controller):
    """Pages for people who are not logged in (and logout)."""

    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    @get("/login", name="login")
    async def login_form(self, request: Req) -> Template:
        target = safe_next(request.query_params.get("next"), "")
        return Template("accounts/login.html", context={"form": LoginData(next=target)})

    @post("/login")
    async def login(
        self, request: Req, accounts: Accounts, data: URLEncodedBody[LoginData]
    ) -> Template | Redirect:
        try:
            user = await accounts.authenticate(data.email, data.password, client_ip(request))
        except LoginRefusedError as exc:
            data.password = ""
            return Template(
                "accounts/login.html",
                context={"form": data, "error": exc.message, "unconfirmed": exc.unconfirmed},
                status_code=429 if exc.rate_limited else 403 if exc.unconfirmed else 400,
                headers={"retry-after": str(exc.retry_after)} if exc.rate_limited else None,
            )
        chosen = chosen_language(request)
        if chosen is not None and chosen != user.language:
            await accounts.set_language(user.id, chosen)
            user = replace(user, language=chosen)
        start_session(request, user)
        flash(request, _("You are logged in."), "success")
        return Redirect(
            safe_next(data.next, work_area(user, _route_path(request))), status_code=303
        )

    @post("/logout", name="logout")
    async def logout(self, request: Req, accounts: Accounts) -> Redirect:
        user = current_user(request)
        if user is not None:
            await accounts.end_sessions(user.id)
            end_session(request)
            flash(request, _("You are logged out."), "info")
        return Redirect("/", status_code=303)

    @get("/password/forgot", name="password_forgot")
    async def forgot_form(self) -> Template:
        return Template("accounts/password_forgot.html", context={"form": ResetRequestData()})

    @post("/password/forgot")
    async def forgot(
        self, request: Req, accounts: Accounts, data: URLEncodedBody[ResetRequestData]
    ) -> Redirect:
        send = await accounts.request_reset(data.email)
        flash(
            request,
            _("If an account uses that address, we have emailed it a link to reset the password."),
            "info",
        )
        return Redirect("/login", status_code=303, background=send and BackgroundTask(send))

    @get("/password/reset", name="password_reset")
    async def reset_form(self, request: Req) -> Template:
        token = request.query_params.get("token", "")
        return Template(
            "accounts/password_reset.html",
            context={"form": ResetConfirmData(token=token), "errors": {}},
        )

    @post("/password/reset")
    async def reset(
        self, request: Req, accounts: Accounts, data: URLEncodedBody[ResetConfirmData]
    ) -> Template | Redirect:
        try:
            await accounts.reset_password(data.token, data.new_password)
        except ValidationError as exc:
            data.new_password = ""
            context = {"form": data, "errors": exc.errors}
            return Template("accounts/password_reset.html", context=context, status_code=422)
        end_session(request)
        flash(request, _("Your password was changed. Log in with the new password."), "success")
        return Redirect("/login", status_code=303)


class AccountPages(Controller):
    """The logged-in user's own account."""

    path = "/account"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False

    @get("/", name="account")
    async def account(self) -> Template:
        return Template("accounts/account.html", context={"errors": {}})

    @post("/password", name="password_change")
    async def change_password(
        self, request: Req, accounts: Accounts, data: URLEncodedBody[PasswordChangeData]
    ) -> Template | Redirect:
        user = current_user(request)
        assert user is not None
        try:
            version = await accounts.change_password(user, data.current_password, data.new_password)
        except ValidationError as exc:
            return Template(
                "accounts/account.html", context={"errors": exc.errors}, status_code=422
            )
        request.session["sv"] = version
        flash(request, _("Your password was changed. Other sessions were logged out."), "success")
        return Redirect("/account", status_code=303)
