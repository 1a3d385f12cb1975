"""Sign-up pages: the form, "check your email", the confirmation link and sending it again.

Thin: parse the form, call one :class:`~awards.accounts.registration.Registration` method,
render or redirect (303). Sign-up never logs in and answers every valid request alike (a
redirect to ``/signup/sent``, no session); the emailed link's page posts its token to log in.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from awards.accounts.forms import ConfirmData, ResendData, SignupFormData
from awards.accounts.services import SignupRefusedError
from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.web.auth import start_session
from awards.web.dependencies import Signups
from awards.web.flash import flash
from awards.web.navigation import safe_next

__all__ = ["AFTER_SIGNUP", "SignupPages", "after_signup", "client_ip"]

Req = Request[Any, Any, Any]

AFTER_SIGNUP = "/business"
"""Where a new entrant lands: the business-profile flow (it opens the "new business" form when
the user has none, their business when they have one)."""


def after_signup(target: str | None) -> str:
    """A safe local ``next`` page, else :data:`AFTER_SIGNUP`; never back to login or sign-up."""
    target = safe_next(target, AFTER_SIGNUP)
    if target.split("?", 1)[0].rstrip("/") in {"/login", "/signup"}:
        return AFTER_SIGNUP
    return target


def client_ip(request: Req) -> str:
    return request.client.host if request.client else "unknown"


class SignupPages(Controller):
    """Pages for visitors creating an account."""

    path = "/signup"
    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    @get("/", name="signup")
    async def signup_form(self, request: Req) -> Template:
        form = SignupFormData(next=safe_next(request.query_params.get("next"), ""))
        return Template("accounts/signup.html", context={"form": form, "errors": {}})

    @post("/")
    async def signup(
        self, request: Req, signups: Signups, data: URLEncodedBody[SignupFormData]
    ) -> Template | Redirect:
        try:
            send = await signups.register(
                data.email,
                data.password,
                data.display_name,
                language=current_language(),
                ip=client_ip(request),
                next_url=after_signup(data.next),
            )
        except ValidationError as exc:
            data.password = ""
            context = {"form": data, "errors": exc.errors}
            return Template("accounts/signup.html", context=context, status_code=422)
        except SignupRefusedError as exc:
            data.password = ""
            context = {"form": data, "errors": {"email": exc.message}}
            return Template(
                "accounts/signup.html",
                context=context,
                status_code=429,
                headers={"retry-after": str(exc.retry_after)},
            )
        return Redirect("/signup/sent", status_code=303, background=BackgroundTask(send))

    @get("/sent", name="signup_sent")
    async def sent(self) -> Template:
        return Template("accounts/signup_sent.html", context={"form": ResendData()})

    @get("/confirm", name="signup_confirm")
    async def confirm_page(self, request: Req, signups: Signups) -> Template:
        token = request.query_params.get("token", "")
        valid = bool(token) and await signups.pending(token)
        errors = {} if valid else {"token": _("This confirmation link is invalid or has expired.")}
        return Template(
            "accounts/signup_confirm.html",
            context={"token": token, "errors": errors, "form": ResendData()},
            status_code=200 if valid else 404,
        )

    @post("/confirm")
    async def confirm(
        self, request: Req, signups: Signups, data: URLEncodedBody[ConfirmData]
    ) -> Template | Redirect:
        try:
            confirmed = await signups.confirm(data.token)
        except ValidationError as exc:
            return Template(
                "accounts/signup_confirm.html",
                context={"token": "", "errors": exc.errors, "form": ResendData()},
                status_code=422,
            )
        start_session(request, confirmed.user)
        flash(request, _("Your email address is confirmed. Welcome!"), "success")
        return Redirect(after_signup(confirmed.next_url), status_code=303)

    @post("/resend", name="signup_resend")
    async def resend(
        self, request: Req, signups: Signups, data: URLEncodedBody[ResendData]
    ) -> Redirect:
        send = await signups.resend(data.email)
        flash(
            request,
            _(
                "If a sign-up with that address is waiting for confirmation, we have emailed it "
                "a new link."
            ),
            "info",
        )
        return Redirect("/signup/sent", status_code=303, background=send and BackgroundTask(send))
