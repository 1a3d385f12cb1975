"""JSON API for accounts under ``/api/v1/auth``; the same services as the pages.

Authentication is the session cookie set by ``login``/``signup``. Unsafe methods need the CSRF
header ``x-csrftoken`` carrying the value of the ``csrftoken`` cookie (set on any GET).
Validation errors are 422 ``{"detail", "errors": {field: message}}``; refused logins are 401,
rate-limited ones 429.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from msgspec import Struct

from awards.accounts.forms import (
    LoginData,
    PasswordChangeData,
    ResetConfirmData,
    ResetRequestData,
    SignupData,
)
from awards.accounts.identity import CurrentUser
from awards.accounts.services import LoginRefusedError, SignupRefusedError
from awards.accounts.signup_pages import client_ip
from awards.i18n import current_language
from awards.web.auth import current_user, end_session, requires_login, start_session
from awards.web.dependencies import Accounts, Signups

__all__ = ["AccountApi", "MessageOut", "PublicAccountApi", "UserOut"]

Req = Request[Any, Any, Any]
SIGNUP_DONE = (
    "Check your email: a new address gets a link to confirm it, which creates the account and "
    "logs in; an address that has an account gets a note to its owner. No session starts."
)


class UserOut(Struct):
    id: int
    email: str
    display_name: str
    language: str
    roles: list[str]


class MessageOut(Struct):
    detail: str


def _out(user: CurrentUser) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        language=user.language,
        roles=sorted(user.roles),
    )


class PublicAccountApi(Controller):
    """Account operations that need no login."""

    path = "/api/v1/auth"
    tags = ["accounts"]  # noqa: RUF012
    opt = {"public": True}  # noqa: RUF012

    @post("/signup", status_code=202)
    async def signup(
        self, request: Req, signups: Signups, data: JSONBody[SignupData]
    ) -> Response[MessageOut]:
        """Sign up as an entrant: 202 and an email, never a session.

        A new address is emailed a link (valid 24 hours) whose page confirms it, creates the
        account and logs in; an address that has an account gets a note to its owner instead.
        The answer is the same either way. 422 for a malformed address or weak password, 429
        after too many sign-ups from one network.
        """
        try:
            send = await signups.register(
                data.email,
                data.password,
                data.display_name,
                language=current_language(),
                ip=client_ip(request),
            )
        except SignupRefusedError as exc:
            return Response(
                MessageOut(detail=exc.message),
                status_code=429,
                headers={"retry-after": str(exc.retry_after)},
            )
        return Response(
            MessageOut(detail=SIGNUP_DONE), status_code=202, background=BackgroundTask(send)
        )

    @post("/login", status_code=200)
    async def login(
        self, request: Req, accounts: Accounts, data: JSONBody[LoginData]
    ) -> UserOut | Response[MessageOut]:
        """Log in; 401 on wrong credentials, 403 with the right password of a sign-up whose
        email is not confirmed yet, 429 when rate-limited."""
        try:
            user = await accounts.authenticate(data.email, data.password, client_ip(request))
        except LoginRefusedError as exc:
            if exc.rate_limited:
                return Response(
                    MessageOut(detail=exc.message),
                    status_code=429,
                    headers={"retry-after": str(exc.retry_after)},
                )
            status = 403 if exc.unconfirmed else 401
            return Response(MessageOut(detail=exc.message), status_code=status)
        start_session(request, user)
        return _out(user)

    @post("/logout", status_code=200)
    async def logout(self, request: Req, accounts: Accounts) -> MessageOut:
        """End the session (it is revoked on the server: the cookie no longer works)."""
        user = current_user(request)
        if user is not None:
            await accounts.end_sessions(user.id)
        end_session(request)
        return MessageOut(detail="logged out")

    @post("/password-reset", status_code=202)
    async def request_reset(
        self, accounts: Accounts, data: JSONBody[ResetRequestData]
    ) -> Response[MessageOut]:
        """Email a reset link if the account exists (always 202, to not reveal accounts)."""
        send = await accounts.request_reset(data.email)
        return Response(
            MessageOut(detail="If the account exists, a reset link was emailed."),
            status_code=202,
            background=send and BackgroundTask(send),
        )

    @post("/password-reset/confirm", status_code=200)
    async def confirm_reset(
        self, accounts: Accounts, data: JSONBody[ResetConfirmData]
    ) -> MessageOut:
        """Set a new password with the emailed token."""
        await accounts.reset_password(data.token, data.new_password)
        return MessageOut(detail="password changed")


class AccountApi(Controller):
    """The logged-in user's account."""

    path = "/api/v1/auth"
    tags = ["accounts"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012

    @get("/me")
    async def me(self, request: Req) -> UserOut:
        """The current user and roles."""
        user = current_user(request)
        if user is None:
            raise NotAuthorizedException()
        return _out(user)

    @post("/password", status_code=200)
    async def change_password(
        self, request: Req, accounts: Accounts, data: JSONBody[PasswordChangeData]
    ) -> MessageOut:
        """Change the password; other sessions of this user end."""
        user = current_user(request)
        assert user is not None
        version = await accounts.change_password(user, data.current_password, data.new_password)
        request.session["sv"] = version
        return MessageOut(detail="password changed")
