"""Password hashing (argon2id) and the password policy.

Policy: at least 10 characters, not only digits, not one of a list of common passwords, and
not equal to the account's email (or its local part), compared case-insensitively.
"""

from __future__ import annotations

import secrets
from functools import cache

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from awards.i18n import _

__all__ = [
    "MIN_LENGTH",
    "dummy_hash",
    "hash_password",
    "password_problem",
    "verify_password",
]

MIN_LENGTH = 10
_hasher = PasswordHasher()

COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "abcdefghij",
        "aaaaaaaaaa",
        "qwertyuiop",
        "qwertyuiop1",
        "1q2w3e4r5t",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou123",
        "welcome123",
        "admin12345",
        "administrator",
        "letmein123",
        "football123",
        "sunshine123",
        "princess123",
        "qwerty12345",
        "katasandi123",
        "rahasia123",
        "indonesia123",
        "bismillah123",
        "malang12345",
        "anugerah123",
        "changeme123",
        "0987654321",
        "zxcvbnm123",
        "asdfghjkl1",
    }
)


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` breaks the policy (translated), or None if it is acceptable."""
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.") % {"n": MIN_LENGTH}
    if password.isdigit():
        return _("Use letters or symbols too, not only digits.")
    if lowered in COMMON_PASSWORDS:
        return _("This password is too common; choose another.")
    email = email.strip().lower()
    if email and (lowered == email or lowered == email.split("@", 1)[0]):
        return _("The password must not be your email address.")
    return None


async def hash_password(password: str) -> str:
    """argon2id hash, computed in a worker thread so the event loop keeps serving."""
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False for any mismatch or bad hash."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)


@cache
def dummy_hash() -> str:
    """A real argon2 hash of a random password, to verify against for unknown accounts."""
    return _hasher.hash(secrets.token_urlsafe(16))
