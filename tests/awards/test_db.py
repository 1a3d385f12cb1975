"""The database helpers: write transactions, URL redaction."""

from __future__ import annotations

import pytest

from awards import db
from awards.accounts.tables import User
from awards.db import redact_url


def test_write_transaction_rolls_back_everything_on_error(app, run):
    """An exception inside write_transaction leaves no row behind."""

    async def failing() -> None:
        async with db.write_transaction():
            await User.insert(User(email="half@example.id", password_hash="x"))
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        run(failing())
    assert run(User.count().where(User.email == "half@example.id")) == 0


def test_write_transaction_nested_joins_outer(app, run):
    """A nested write_transaction joins the outer one (no deadlock) and commits with it."""

    async def nested() -> int:
        async with db.write_transaction():
            await User.insert(User(email="outer@example.id", password_hash="x"))
            async with db.write_transaction():
                await User.insert(User(email="inner@example.id", password_hash="x"))
        return await User.count()

    assert run(nested()) == 2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://app:s3cret@db:5432/anugerah", "postgresql://app:***@db:5432/anugerah"),
        ("postgresql://postgres@127.0.0.1/x", "postgresql://postgres@127.0.0.1/x"),
        ("sqlite:///./var/anugerah.sqlite", "sqlite:///./var/anugerah.sqlite"),
    ],
)
def test_redact_url_hides_password_only(url, expected):
    """Passwords never appear in messages; everything else is kept."""
    assert redact_url(url) == expected


def test_app_starts_with_a_pool_smaller_than_the_drivers_default(settings):
    """ANUGERAH_DB_POOL_SIZE below asyncpg's default minimum (10) still starts and serves."""
    import dataclasses

    from litestar.testing import TestClient

    from awards.app import create_app

    small = dataclasses.replace(settings, db_pool_size=3)
    with TestClient(app=create_app(small), base_url="http://testserver.local") as client:
        response = client.get("/healthz")
    assert response.status_code == 200
