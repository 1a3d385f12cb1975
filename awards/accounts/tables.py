"""Account tables: users, role grants, password-reset tokens, pending sign-ups, login attempts.

All timestamps are timezone-aware UTC (``Timestamptz``).
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

__all__ = [
    "AccountChange",
    "AccountEvent",
    "LoginAttempt",
    "PasswordResetToken",
    "PendingSignup",
    "Role",
    "RoleGrant",
    "User",
]


class Role(StrEnum):
    """The four roles; a grant may be scoped to one edition (``edition_id``) or global (NULL)."""

    admin = "admin"
    organizer = "organizer"
    judge = "judge"
    entrant = "entrant"


class User(Table, tablename="accounts_user"):
    """A person who can log in. ``email`` is stored lower-case and unique."""

    email = Varchar(length=254, unique=True, index=True)
    password_hash = Varchar(length=255)
    display_name = Varchar(length=120, default="")
    language = Varchar(length=5, default="id")
    is_active = Boolean(default=True)
    session_version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class RoleGrant(Table, tablename="accounts_role_grant"):
    """``user`` holds ``role``, globally (``edition_id`` NULL) or for one edition."""

    user = ForeignKey(references=User, null=False, index=True)
    role = Varchar(length=20, choices=Role)
    edition_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PasswordResetToken(Table, tablename="accounts_password_reset_token"):
    """A single-use reset token; only its SHA-256 hex digest is stored."""

    user = ForeignKey(references=User, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class PendingSignup(Table, tablename="accounts_pending_signup"):
    """A web sign-up waiting for its email to be confirmed; no account exists until then.

    Holds what the visitor chose (the argon2 ``password_hash``, name, language, the page to
    continue to) and the SHA-256 hex digest of the single-use link's token, valid until
    ``expires_at``. Every account in :class:`User` is verified: the command line, the
    administration, the demo and imports create accounts directly.
    """

    email = Varchar(length=254, index=True)
    password_hash = Varchar(length=255)
    display_name = Varchar(length=120, default="")
    language = Varchar(length=5, default="id")
    next_url = Varchar(length=500, default="")
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)


class LoginAttempt(Table, tablename="accounts_login_attempt"):
    """One login attempt, recorded under ``key`` (``email:<addr>`` and ``ip:<addr>``)."""

    key = Varchar(length=300, index=True)
    attempted_at = Timestamptz(default=TimestamptzNow(), index=True)
    success = Boolean(default=False)


class AccountEvent(StrEnum):
    """What an :class:`AccountChange` records."""

    grant = "grant"
    revoke = "revoke"
    deactivate = "deactivate"
    reactivate = "reactivate"


class AccountChange(Table, tablename="accounts_account_change"):
    """Audit log: ``actor`` granted/revoked ``role`` (for ``edition_id`` or globally) to
    ``user``, or deactivated/reactivated the account, at ``created_at`` (UTC)."""

    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    user = ForeignKey(references=User, null=False, index=True)
    event = Varchar(length=12, choices=AccountEvent)
    role = Varchar(length=20, default="")
    edition_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
