"""Account rules: sign-up, login with rate limiting, sessions, password change and reset.

No HTTP objects here; every write runs inside :func:`awards.db.write_transaction`.

Rate limiting: a login is refused before the password is checked when, within the last
``WINDOW`` (15 minutes), the account has ``ACCOUNT_LIMIT`` (5) failures since its last success,
or the client IP has ``IP_LIMIT`` (20) failures. Attempts are rows in ``LoginAttempt``, so the
limit holds across processes.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

import asyncpg

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import (
    dummy_hash,
    hash_password,
    password_problem,
    verify_password,
)
from awards.accounts.tables import LoginAttempt, PasswordResetToken, Role, RoleGrant, User
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.mail import Mailer
from awards.settings import LANGUAGES, Settings

__all__ = [
    "ACCOUNT_LIMIT",
    "IP_LIMIT",
    "RESET_MAILS_PER_HOUR",
    "RESET_TOKEN_LIFETIME",
    "WINDOW",
    "AccountService",
    "LoginRefusedError",
    "normalize_email",
]

ACCOUNT_LIMIT = 5
IP_LIMIT = 20
WINDOW = timedelta(minutes=15)
RESET_TOKEN_LIFETIME = timedelta(hours=1)
RESET_MAILS_PER_HOUR = 3


class LoginRefusedError(Exception):
    """Login failed (``rate_limited`` False) or is temporarily blocked (True)."""

    def __init__(self, message: str, rate_limited: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.rate_limited = rate_limited


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased; the unique key of an account."""
    return email.strip().lower()


def _email_problem(email: str) -> str | None:
    local, _at, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        return _("Enter a valid email address.")
    return None


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    """Account operations for one configured application."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    # -- users ---------------------------------------------------------------------------

    async def sign_up(
        self,
        email: str,
        password: str,
        display_name: str = "",
        language: str | None = None,
        roles: tuple[str, ...] = (Role.entrant.value,),
    ) -> CurrentUser:
        """Create an active account holding ``roles`` (entrant by default)."""
        email = normalize_email(email)
        errors: dict[str, str] = {}
        if problem := _email_problem(email):
            errors["email"] = problem
        if problem := password_problem(password, email):
            errors["password"] = problem
        if len(display_name) > 120:
            errors["display_name"] = _("Use at most 120 characters.")
        if errors:
            raise ValidationError(errors)
        language = language if language in LANGUAGES else self.settings.default_language
        password_hash = await hash_password(password)
        duplicate = ValidationError({"email": _("An account with this email already exists.")})
        try:
            async with db.write_transaction():
                if await User.exists().where(User.email == email):
                    raise duplicate
                rows = await User.insert(
                    User(
                        email=email,
                        password_hash=password_hash,
                        display_name=display_name.strip(),
                        language=language,
                    )
                )
                user_id = rows[0]["id"]
                for role in roles:
                    await RoleGrant.insert(RoleGrant(user=user_id, role=Role(role).value))
        except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
            raise duplicate from None
        user = await self.load(user_id)
        assert user is not None
        return user

    async def load(self, user_id: int, session_version: int | None = None) -> CurrentUser | None:
        """The active user ``user_id`` (and matching ``session_version`` if given), or None."""
        row = await User.select().where((User.id == user_id) & (User.is_active.eq(True))).first()
        if row is None or (
            session_version is not None and row["session_version"] != session_version
        ):
            return None
        grants = await RoleGrant.select(RoleGrant.role, RoleGrant.edition_id).where(
            RoleGrant.user == user_id
        )
        return CurrentUser(
            id=row["id"],
            email=row["email"],
            display_name=row["display_name"],
            language=row["language"],
            session_version=row["session_version"],
            grants=frozenset((g["role"], g["edition_id"]) for g in grants),
        )

    async def grant_role(self, user_id: int, role: str, edition_id: int | None = None) -> None:
        """Give ``role`` to the user (idempotent)."""
        role = Role(role).value
        async with db.write_transaction():
            scope = (
                RoleGrant.edition_id.is_null()
                if edition_id is None
                else RoleGrant.edition_id == edition_id
            )
            exists = await RoleGrant.exists().where(
                (RoleGrant.user == user_id) & (RoleGrant.role == role) & scope
            )
            if not exists:
                await RoleGrant.insert(RoleGrant(user=user_id, role=role, edition_id=edition_id))

    async def find_by_email(self, email: str) -> CurrentUser | None:
        row = await User.select(User.id).where(User.email == normalize_email(email)).first()
        return None if row is None else await self.load(row["id"])

    async def set_language(self, user_id: int, language: str) -> None:
        if language in LANGUAGES:
            async with db.write_transaction():
                await User.update({User.language: language}).where(User.id == user_id)

    # -- login ---------------------------------------------------------------------------

    async def authenticate(self, email: str, password: str, ip: str) -> CurrentUser:
        """The user for these credentials; :class:`LoginRefusedError` otherwise."""
        email = normalize_email(email)
        account_key, ip_key = f"email:{email}", f"ip:{ip}"
        since = _now() - WINDOW
        if await self._failures(account_key, since) >= ACCOUNT_LIMIT:
            raise LoginRefusedError(
                _(
                    "Too many failed login attempts for this account. "
                    "Wait %(minutes)d minutes and try again, or reset your password."
                )
                % {"minutes": WINDOW.seconds // 60},
                rate_limited=True,
            )
        if await self._failures(ip_key, since) >= IP_LIMIT:
            raise LoginRefusedError(
                _(
                    "Too many failed login attempts from your network. "
                    "Wait %(minutes)d minutes and try again."
                )
                % {"minutes": WINDOW.seconds // 60},
                rate_limited=True,
            )
        row = (
            await User.select(User.id, User.password_hash, User.is_active)
            .where(User.email == email)
            .first()
        )
        # Unknown accounts still cost one argon2 verification, so timing does not reveal them.
        ok = await verify_password(row["password_hash"] if row else dummy_hash(), password)
        ok = ok and row is not None and row["is_active"]
        async with db.write_transaction():
            await LoginAttempt.insert(
                LoginAttempt(key=account_key, success=ok),
                LoginAttempt(key=ip_key, success=ok),
            )
            if ok:
                await LoginAttempt.delete().where(LoginAttempt.attempted_at < _now() - 2 * WINDOW)
        if not ok:
            raise LoginRefusedError(_("The email or password is incorrect."))
        user = await self.load(row["id"])
        assert user is not None
        return user

    async def _failures(self, key: str, since: datetime) -> int:
        """Failures under ``key`` after ``since`` and after the key's last success."""
        last_success = (
            await LoginAttempt.select(LoginAttempt.attempted_at)
            .where((LoginAttempt.key == key) & (LoginAttempt.success.eq(True)))
            .order_by(LoginAttempt.attempted_at, ascending=False)
            .first()
        )
        if last_success is not None:
            since = max(since, last_success["attempted_at"])
        return await LoginAttempt.count().where(
            (LoginAttempt.key == key)
            & (LoginAttempt.success.eq(False))
            & (LoginAttempt.attempted_at > since)
        )

    # -- passwords -----------------------------------------------------------------------

    async def change_password(self, user: CurrentUser, current: str, new: str) -> int:
        """Replace the password; return the new session version (other sessions end)."""
        row = await User.select(User.password_hash).where(User.id == user.id).first()
        if row is None or not await verify_password(row["password_hash"], current):
            raise ValidationError({"current_password": _("The current password is incorrect.")})
        if problem := password_problem(new, user.email):
            raise ValidationError({"new_password": problem})
        return await self._set_password(user.id, await hash_password(new))

    async def _set_password(self, user_id: int, password_hash: str) -> int:
        async with db.write_transaction():
            await User.update(
                {User.password_hash: password_hash, User.session_version: User.session_version + 1}
            ).where(User.id == user_id)
            row = await User.select(User.session_version).where(User.id == user_id).first()
        return row["session_version"]

    async def request_reset(self, email: str) -> None:
        """Mail a single-use reset link if an active account has this email; silent otherwise.

        At most ``RESET_MAILS_PER_HOUR`` (3) links per account per hour, so the form cannot be
        used to flood someone's mailbox; further requests are silently ignored.
        """
        email = normalize_email(email)
        row = (
            await User.select(User.id, User.language)
            .where((User.email == email) & (User.is_active.eq(True)))
            .first()
        )
        if row is None:
            return
        token = secrets.token_urlsafe(32)
        async with db.write_transaction():
            recent = await PasswordResetToken.count().where(
                (PasswordResetToken.user == row["id"])
                & (PasswordResetToken.created_at > _now() - timedelta(hours=1))
            )
            if recent >= RESET_MAILS_PER_HOUR:
                return
            await PasswordResetToken.insert(
                PasswordResetToken(
                    user=row["id"],
                    token_hash=_token_hash(token),
                    expires_at=_now() + RESET_TOKEN_LIFETIME,
                )
            )
        link = f"{self.settings.base_url}/password/reset?token={token}"
        with use_language(row["language"]):
            subject = _("Reset your Anugerah password")
            body = _(
                "Someone asked to reset the password of your Anugerah account.\n\n"
                "Open this link within one hour to choose a new password:\n%(link)s\n\n"
                "If it was not you, ignore this message; your password stays the same."
            ) % {"link": link}
        await self.mailer.send(email, subject, body)

    async def reset_password(self, token: str, new: str) -> None:
        """Set a new password with a valid unused token; the token and older sessions end."""
        invalid = ValidationError({"token": _("This reset link is invalid or has expired.")})
        now = _now()
        row = (
            await PasswordResetToken.select(
                PasswordResetToken.id,
                PasswordResetToken.user,
                PasswordResetToken.user.email,
            )
            .where(
                (PasswordResetToken.token_hash == _token_hash(token))
                & PasswordResetToken.used_at.is_null()
                & (PasswordResetToken.expires_at > now)
            )
            .first()
        )
        if row is None:
            raise invalid
        if problem := password_problem(new, row["user.email"]):
            raise ValidationError({"new_password": problem})
        password_hash = await hash_password(new)
        async with db.write_transaction():
            used = (
                await PasswordResetToken.update({PasswordResetToken.used_at: now})
                .where(
                    (PasswordResetToken.user == row["user"]) & PasswordResetToken.used_at.is_null()
                )
                .returning(PasswordResetToken.id)
            )
            if row["id"] not in {r["id"] for r in used}:
                raise invalid
            await User.update(
                {User.password_hash: password_hash, User.session_version: User.session_version + 1}
            ).where(User.id == row["user"])
