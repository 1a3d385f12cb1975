"""Account rules: sign-up, login with throttling, sessions, password change and reset.

No HTTP objects here; every write runs inside :func:`awards.db.write_transaction`.

Login throttling is per (account, client IP) pair, so a stranger guessing one account's password
slows down only their own attempts, never the owner's or a whole NAT's. The pair may fail
``FREE_FAILURES`` (5) times; after that each further attempt must wait a progressive delay
``delay(n) = min(BASE_DELAY * 2 ** (n - FREE_FAILURES), MAX_DELAY)`` (1 min, 2, 4, ... capped at
1 hour) after the pair's latest failure, where ``n`` counts the pair's failures in the last
``WINDOW`` (24 hours) since its last success. Checking the delay and recording the attempt are
one step: inside one write transaction (SQLite: the process write lock and an IMMEDIATE
transaction; PostgreSQL: a transaction-scoped advisory lock on the pair) the attempt is recorded
as a failure *before* the password is verified and turned into a success afterwards, so
concurrent guesses cannot all pass a check made before any of them was recorded.

A visitor's sign-up (throttled per client IP, ``SIGNUPS_PER_IP_HOUR``) is confirmed by email
and never tells who has an account: see :mod:`awards.accounts.registration`. Login with the
right password of a sign-up still waiting for confirmation is refused with
``LoginRefusedError.unconfirmed`` set. A password-reset request does the same database work
whether or not the address has an account, and the mail goes out after the response.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
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
from awards.accounts.tables import (
    AccountChange,
    AccountEvent,
    LoginAttempt,
    PasswordResetToken,
    PendingSignup,
    Role,
    RoleGrant,
    User,
)
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.mail import Mailer
from awards.settings import LANGUAGES, Settings

__all__ = [
    "BASE_DELAY",
    "FREE_FAILURES",
    "MAX_DELAY",
    "RESET_MAILS_PER_HOUR",
    "RESET_TOKEN_LIFETIME",
    "SIGNUPS_PER_IP_HOUR",
    "WINDOW",
    "AccountService",
    "LoginRefusedError",
    "SignupRefusedError",
    "checked_new_account",
    "grant_audited",
    "login_delay",
    "normalize_email",
]

FREE_FAILURES = 5
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
WINDOW = timedelta(hours=24)
RESET_TOKEN_LIFETIME = timedelta(hours=1)
RESET_MAILS_PER_HOUR = 3
SIGNUPS_PER_IP_HOUR = 10
MAX_EMAIL = 254


class LoginRefusedError(Exception):
    """Login failed (``rate_limited`` False) or must wait ``retry_after`` seconds (True);
    ``unconfirmed``: the password was right but the sign-up's email is not confirmed yet."""

    def __init__(
        self,
        message: str,
        rate_limited: bool = False,
        retry_after: int = 0,
        unconfirmed: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rate_limited = rate_limited
        self.retry_after = retry_after
        self.unconfirmed = unconfirmed


class SignupRefusedError(Exception):
    """Too many sign-ups from this client IP; retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def login_delay(failures: int) -> timedelta:
    """The wait after the latest failure once a pair has ``failures`` failures.

    ``0`` below ``FREE_FAILURES``; then ``BASE_DELAY * 2 ** (failures - FREE_FAILURES)``,
    capped at ``MAX_DELAY``.
    """
    if failures < FREE_FAILURES:
        return timedelta(0)
    exponent = min(failures - FREE_FAILURES, 20)
    return min(BASE_DELAY * 2**exponent, MAX_DELAY)


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


_LOAD_USER_SQL = """
SELECT u.id, u.email, u.display_name, u.language, u.session_version, g.role, g.edition_id
FROM accounts_user u LEFT JOIN accounts_role_grant g ON g."user" = u.id
WHERE u.id = {} AND u.is_active
"""


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased; the unique key of an account."""
    return email.strip().lower()


def checked_new_account(email: str, password: str, display_name: str) -> str:
    """The normalized address of a new account, or :class:`ValidationError` naming each field
    that is wrong (address, password policy, a name over 120 characters)."""
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
    return email


def _email_problem(email: str) -> str | None:
    local, _at, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > MAX_EMAIL:
        return _("Enter a valid email address.")
    return None


def _now() -> datetime:
    return datetime.now(UTC)


async def grant_audited(
    user_id: int, role: str, edition_id: int | None = None, actor_id: int | None = None
) -> bool:
    """Give ``role`` (globally, or for ``edition_id``) unless held, and write the
    :class:`AccountChange` row of the grant in the same transaction (``actor_id`` None: the
    command line or the demo). True when a grant was made."""
    role = Role(role).value
    async with db.write_transaction():
        scope = (
            RoleGrant.edition_id.is_null()
            if edition_id is None
            else RoleGrant.edition_id == edition_id
        )
        if await RoleGrant.exists().where(
            (RoleGrant.user == user_id) & (RoleGrant.role == role) & scope
        ):
            return False
        await RoleGrant.insert(RoleGrant(user=user_id, role=role, edition_id=edition_id))
        await AccountChange.insert(
            AccountChange(
                actor=actor_id,
                user=user_id,
                event=AccountEvent.grant.value,
                role=role,
                edition_id=edition_id,
            )
        )
    return True


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
        """Create an active account holding ``roles`` (entrant by default).

        For the command line, the administration, the demo and tests: the account exists at
        once (its address counts as verified); an address that has an account is a
        :class:`ValidationError`. A visitor's sign-up goes through
        :class:`awards.accounts.registration.Registration` instead (email confirmation).
        """
        email = checked_new_account(email, password, display_name)
        language = language if language in LANGUAGES else self.settings.default_language
        password_hash = await hash_password(password)
        taken = ValidationError({"email": _("An account with this email already exists.")})
        try:
            async with db.write_transaction():
                if await User.exists().where(User.email == email):
                    raise taken
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
            raise taken from None  # a concurrent sign-up won the race
        user = await self.load(user_id)
        assert user is not None
        return user

    async def load(self, user_id: int, session_version: int | None = None) -> CurrentUser | None:
        """The active user ``user_id`` (and matching ``session_version`` if given), or None.

        One query (every request of a logged-in session runs it): the user's row left-joined to
        its role grants, one row per grant (a single row with NULL ``role`` when there is none).
        Plain SQL because Piccolo's joins follow foreign keys from the referencing table only
        (an inner join from the grants would lose users without grants).
        """
        rows = await db.fetch(_LOAD_USER_SQL, user_id)
        if not rows or (
            session_version is not None and rows[0]["session_version"] != session_version
        ):
            return None
        row = rows[0]
        return CurrentUser(
            id=row["id"],
            email=row["email"],
            display_name=row["display_name"],
            language=row["language"],
            session_version=row["session_version"],
            grants=frozenset((r["role"], r["edition_id"]) for r in rows if r["role"] is not None),
        )

    async def grant_role(
        self, user_id: int, role: str, edition_id: int | None = None, actor_id: int | None = None
    ) -> bool:
        """Give ``role`` to the user (idempotent) and log it: see :func:`grant_audited`."""
        return await grant_audited(user_id, role, edition_id, actor_id)

    async def find_by_email(self, email: str) -> CurrentUser | None:
        row = await User.select(User.id).where(User.email == normalize_email(email)).first()
        return None if row is None else await self.load(row["id"])

    async def set_language(self, user_id: int, language: str) -> None:
        if language in LANGUAGES:
            async with db.write_transaction():
                await User.update({User.language: language}).where(User.id == user_id)

    # -- login ---------------------------------------------------------------------------

    async def authenticate(self, email: str, password: str, ip: str) -> CurrentUser:
        """The user for these credentials; :class:`LoginRefusedError` otherwise.

        See the module docstring for the (account, IP) throttle.
        """
        email = normalize_email(email)
        if len(email) > MAX_EMAIL:  # no account can have it; keeps the throttle key bounded
            raise LoginRefusedError(_("The email or password is incorrect."))
        key = f"login:{email}|{ip[:45]}"
        attempt_id = await self._claim_attempt(key)
        row = (
            await User.select(User.id, User.password_hash, User.is_active)
            .where(User.email == email)
            .first()
        )
        pending = None
        if row is None:  # a sign-up waiting for its confirmation link, if any
            pending = (
                await PendingSignup.select(PendingSignup.password_hash)
                .where((PendingSignup.email == email) & (PendingSignup.expires_at > _now()))
                .order_by(PendingSignup.created_at, ascending=False)
                .first()
            )
        stored = row["password_hash"] if row else pending["password_hash"] if pending else None
        # Unknown accounts still cost one argon2 verification, so timing does not reveal them.
        ok = await verify_password(stored or dummy_hash(), password)
        ok = ok and stored is not None and (row is None or row["is_active"])
        if not ok:
            raise LoginRefusedError(_("The email or password is incorrect."))
        async with db.write_transaction():
            await LoginAttempt.update({LoginAttempt.success: True}).where(
                LoginAttempt.id == attempt_id
            )
            await LoginAttempt.delete().where(LoginAttempt.attempted_at < _now() - 2 * WINDOW)
        if row is None:
            raise LoginRefusedError(
                _(
                    "Confirm your email address first: open the link we emailed you when you "
                    "signed up."
                ),
                unconfirmed=True,
            )
        user = await self.load(row["id"])
        assert user is not None
        return user

    async def _claim_attempt(self, key: str) -> int:
        """Check the pair's delay and record a failed attempt, atomically; return its id."""
        async with db.write_transaction():
            await db.lock_key(key)
            now = _now()
            failures, latest = await self._failures(key, now - WINDOW)
            wait = login_delay(failures) - (now - latest) if latest else timedelta(0)
            if wait > timedelta(0):
                seconds = int(wait.total_seconds()) + 1
                raise LoginRefusedError(
                    _(
                        "Too many failed login attempts. Wait %(minutes)d minutes and try "
                        "again, or reset your password."
                    )
                    % {"minutes": _minutes(seconds)},
                    rate_limited=True,
                    retry_after=seconds,
                )
            rows = await LoginAttempt.insert(LoginAttempt(key=key, success=False))
        return rows[0]["id"]

    async def _failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        """Failures under ``key`` after ``since`` and after the key's last success, and the
        time of the latest one."""
        last_success = (
            await LoginAttempt.select(LoginAttempt.attempted_at)
            .where((LoginAttempt.key == key) & (LoginAttempt.success.eq(True)))
            .order_by(LoginAttempt.attempted_at, ascending=False)
            .first()
        )
        if last_success is not None:
            since = max(since, last_success["attempted_at"])
        failures = (
            await LoginAttempt.select(LoginAttempt.attempted_at)
            .where(
                (LoginAttempt.key == key)
                & (LoginAttempt.success.eq(False))
                & (LoginAttempt.attempted_at > since)
            )
            .order_by(LoginAttempt.attempted_at, ascending=False)
        )
        return len(failures), (failures[0]["attempted_at"] if failures else None)

    async def end_sessions(self, user_id: int) -> None:
        """Revoke every session of the user (logout): bump the session version."""
        async with db.write_transaction():
            await User.update({User.session_version: User.session_version + 1}).where(
                User.id == user_id
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

    async def request_reset(self, email: str) -> Callable[[], Awaitable[None]] | None:
        """Prepare a single-use reset link for an active account with this email.

        The same work is done whether or not the account exists (one lookup, one counted
        request row, one token hashed), so the time taken does not tell them apart. Returns the
        mail to send after the response (None when there is nothing to send). At most
        ``RESET_MAILS_PER_HOUR`` (3) requests per address per hour, so the form cannot flood
        a mailbox; further requests are silently ignored.
        """
        email = normalize_email(email)
        key = f"reset:{email[:MAX_EMAIL]}"
        token = secrets.token_urlsafe(32)
        token_hash = _token_hash(token)
        async with db.write_transaction():
            row = (
                await User.select(User.id, User.language)
                .where((User.email == email) & (User.is_active.eq(True)))
                .first()
            )
            recent = await LoginAttempt.count().where(
                (LoginAttempt.key == key)
                & (LoginAttempt.attempted_at > _now() - timedelta(hours=1))
            )
            if recent >= RESET_MAILS_PER_HOUR:
                return None
            await LoginAttempt.insert(LoginAttempt(key=key, success=row is not None))
            if row is None:
                return None
            await PasswordResetToken.insert(
                PasswordResetToken(
                    user=row["id"], token_hash=token_hash, expires_at=_now() + RESET_TOKEN_LIFETIME
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

        async def send() -> None:
            await self.mailer.send(email, subject, body)

        return send

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
