"""Pure account rules: password policy, role checks, safe redirects."""

from __future__ import annotations

import pytest

from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import password_problem
from awards.web.navigation import safe_next


@pytest.mark.parametrize(
    "password",
    ["short-1", "12345678901234", "password123", "Password123", "siti@example.id", "SITI" * 3],
)
def test_password_policy_refuses(password):
    """Too short, digits only, common, or equal to the email (or its local part) is refused."""
    assert password_problem(password, "siti@example.id" if "@" in password else "sitisitisiti@x.id")


def test_password_policy_accepts_long_mixed_password():
    """A 10+ character password that is not common nor the email passes."""
    assert password_problem("batik-malang-2026", "siti@example.id") is None


def _user(*grants: tuple[str, int | None]) -> CurrentUser:
    return CurrentUser(1, "a@b.id", "", "id", 1, frozenset(grants))


def test_has_role_global_grant_covers_every_edition():
    """A global grant (edition NULL) holds for any edition."""
    user = _user(("organizer", None))
    assert user.has_role("organizer")
    assert user.has_role("organizer", edition_id=7)
    assert not user.has_role("judge")


def test_has_role_scoped_grant_only_for_its_edition():
    """A grant for edition 3 holds for edition 3, not edition 4."""
    user = _user(("judge", 3))
    assert user.has_role("judge", edition_id=3)
    assert not user.has_role("judge", edition_id=4)
    assert user.has_role("judge")
    assert user.roles == frozenset({"judge"})


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account", "/account"),
        ("/a?b=1", "/a?b=1"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
        ("account", "/"),
    ],
)
def test_safe_next_allows_only_local_paths(target, expected):
    """Only local absolute paths survive; anything else becomes the default."""
    assert safe_next(target) == expected
