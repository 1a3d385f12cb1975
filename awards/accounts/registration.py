"""Web sign-up by email confirmation: it never logs in and never tells who has an account.

A visitor's sign-up (page or API) always gets the same answer, "check your email", and leaves
the visitor anonymous, so neither the answer nor the next request tells a new address from one
that has an account:

* **A new address**: a :class:`~awards.accounts.tables.PendingSignup` row keeps the argon2 hash
  of the chosen password, the name, language and page to continue to, and the SHA-256 digest of
  a single-use token, mailed as a link valid ``CONFIRM_LIFETIME`` (24 hours). Following the link
  (a page with a button, so mail scanners that open links confirm nothing) creates the entrant
  account from that row, ends every pending sign-up of the address and logs in.
* **An address with an account**: nothing is stored; its owner is mailed "someone tried to sign
  up with your address; reset the password if it was you".

Both paths hash the password and write one throttle row; the mail goes out after the response.
Sign-up is throttled per client IP (``SIGNUPS_PER_IP_HOUR``, 10 per hour).

Every :class:`~awards.accounts.tables.User` is verified by construction: accounts made on the
command line, by an administrator, by the demo or an import are created directly, and accounts
that existed before confirmation was introduced stay as they are.

Login with the right password of a pending sign-up is refused with "confirm your email first"
and an offer to send the link again (see ``AccountService.authenticate``): that needs the
password, so it reveals no more than a login does. Sending again is allowed
``RESENDS_PER_HOUR`` (3) times per address per hour, answers the same whatever the address,
and replaces the token of the address's newest pending sign-up (the older link stops working).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import hash_password
from awards.accounts.services import (
    MAX_EMAIL,
    SIGNUPS_PER_IP_HOUR,
    AccountService,
    SignupRefusedError,
    _token_hash,
    checked_new_account,
    normalize_email,
)
from awards.accounts.tables import LoginAttempt, PendingSignup, Role, RoleGrant, User
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.settings import LANGUAGES

__all__ = [
    "CONFIRM_LIFETIME",
    "RESENDS_PER_HOUR",
    "Confirmed",
    "Registration",
]

CONFIRM_LIFETIME = timedelta(hours=24)
RESENDS_PER_HOUR = 3
HOUR = timedelta(hours=1)

Send = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Confirmed:
    """The account a confirmation link created, and the page the sign-up asked to continue to."""

    user: CurrentUser
    next_url: str


def _now() -> datetime:
    return datetime.now(UTC)


class Registration:
    """Sign-up, confirmation and resending for one :class:`AccountService`."""

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts
        self.settings = accounts.settings
        self.mailer = accounts.mailer

    async def register(
        self,
        email: str,
        password: str,
        display_name: str,
        language: str | None,
        ip: str,
        next_url: str = "",
    ) -> Send:
        """Validate, throttle and record a sign-up; return the mail to send after the response.

        :class:`ValidationError` for a malformed address, password or name (the same for any
        address), :class:`SignupRefusedError` beyond ``SIGNUPS_PER_IP_HOUR`` from ``ip``.
        """
        email = checked_new_account(email, password, display_name)
        language = language if language in LANGUAGES else self.settings.default_language
        password_hash = await hash_password(password)
        token = secrets.token_urlsafe(32)
        key = f"signup:{ip[:45]}"
        async with db.write_transaction():
            await db.lock_key(key)
            recent = await LoginAttempt.count().where(
                (LoginAttempt.key == key)
                & (LoginAttempt.attempted_at > _now() - timedelta(hours=1))
            )
            if recent >= SIGNUPS_PER_IP_HOUR:
                raise SignupRefusedError(
                    _("Too many sign-ups from your network. Wait an hour and try again."),
                    retry_after=3600,
                )
            await LoginAttempt.insert(LoginAttempt(key=key, success=True))
            owner = await User.select(User.language).where(User.email == email).first()
            await PendingSignup.delete().where(
                PendingSignup.expires_at < _now() - timedelta(days=1)
            )
            if owner is None:
                await PendingSignup.insert(
                    PendingSignup(
                        email=email[:MAX_EMAIL],
                        password_hash=password_hash,
                        display_name=display_name.strip(),
                        language=language,
                        next_url=next_url[:500],
                        token_hash=_token_hash(token),
                        expires_at=_now() + CONFIRM_LIFETIME,
                    )
                )
        if owner is not None:
            return self._owner_mail(email, owner["language"])
        return self._confirm_mail(email, language, token)

    def _confirm_mail(self, email: str, language: str, token: str) -> Send:
        link = f"{self.settings.base_url}/signup/confirm?token={token}"
        with use_language(language):
            subject = _("Confirm your email address for Anugerah")
            body = _(
                "Someone, hopefully you, signed up for an Anugerah account with this email "
                "address.\n\n"
                "Open this link within 24 hours to confirm the address and log in:\n%(link)s\n\n"
                "If it was not you, ignore this message; no account is created."
            ) % {"link": link}
        return self._sender(email, subject, body)

    def _owner_mail(self, email: str, language: str) -> Send:
        with use_language(language):
            subject = _("Someone tried to sign up with your address")
            body = _(
                "Someone tried to create an Anugerah account with this email address, "
                "which already has an account.\n\n"
                "If it was you, log in here:\n%(login)s\n\n"
                "Forgot the password? Reset it here:\n%(reset)s\n\n"
                "If it was not you, ignore this message; nothing has changed."
            ) % {
                "login": f"{self.settings.base_url}/login",
                "reset": f"{self.settings.base_url}/password/forgot",
            }
        return self._sender(email, subject, body)

    def _sender(self, email: str, subject: str, body: str) -> Send:
        async def send() -> None:
            await self.mailer.send(email, subject, body)

        return send

    async def pending(self, token: str) -> bool:
        """Whether ``token`` is an unexpired, unused confirmation link."""
        return await PendingSignup.exists().where(
            (PendingSignup.token_hash == _token_hash(token)) & (PendingSignup.expires_at > _now())
        )

    async def confirm(self, token: str) -> Confirmed:
        """Create the entrant account of the pending sign-up holding ``token``.

        Single use: every pending sign-up of the address ends in the same transaction.
        :class:`ValidationError` on ``token`` when the link is unknown, used or expired.
        """
        invalid = ValidationError({"token": _("This confirmation link is invalid or has expired.")})
        try:
            async with db.write_transaction():
                row = (
                    await PendingSignup.select()
                    .where(
                        (PendingSignup.token_hash == _token_hash(token))
                        & (PendingSignup.expires_at > _now())
                    )
                    .first()
                )
                if row is None:
                    raise invalid
                await PendingSignup.delete().where(PendingSignup.email == row["email"])
                if await User.exists().where(User.email == row["email"]):
                    raise invalid
                rows = await User.insert(
                    User(
                        email=row["email"],
                        password_hash=row["password_hash"],
                        display_name=row["display_name"],
                        language=row["language"],
                    )
                )
                user_id = rows[0]["id"]
                await RoleGrant.insert(RoleGrant(user=user_id, role=Role.entrant.value))
        except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
            raise invalid from None
        user = await self.accounts.load(user_id)
        assert user is not None
        return Confirmed(user=user, next_url=row["next_url"])

    async def resend(self, email: str) -> Send | None:
        """A new link for the address's newest pending sign-up, or None (nothing to send).

        Does the same database work for any address; at most ``RESENDS_PER_HOUR`` per address
        per hour, beyond which requests are silently ignored.
        """
        email = normalize_email(email)[:MAX_EMAIL]
        key = f"confirm:{email}"
        token = secrets.token_urlsafe(32)
        async with db.write_transaction():
            await db.lock_key(key)
            row = (
                await PendingSignup.select(PendingSignup.id, PendingSignup.language)
                .where((PendingSignup.email == email) & (PendingSignup.expires_at > _now()))
                .order_by(PendingSignup.created_at, ascending=False)
                .first()
            )
            recent = await LoginAttempt.count().where(
                (LoginAttempt.key == key)
                & (LoginAttempt.attempted_at > _now() - timedelta(hours=1))
            )
            if recent >= RESENDS_PER_HOUR:
                return None
            await LoginAttempt.insert(LoginAttempt(key=key, success=row is not None))
            if row is None:
                return None
            await PendingSignup.update(
                {
                    PendingSignup.token_hash: _token_hash(token),
                    PendingSignup.expires_at: _now() + CONFIRM_LIFETIME,
                }
            ).where(PendingSignup.id == row["id"])
        return self._confirm_mail(email, row["language"], token)
