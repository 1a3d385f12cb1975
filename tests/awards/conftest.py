"""Fixtures for application tests: a migrated database per test, settings, app, client.

* ``database_url`` — SQLite: a copy of a database migrated once per session (fast, isolated);
  PostgreSQL (``ANUGERAH_TEST_DATABASE_URL``): migrated once per session, every app table
  truncated before each test.
* ``settings`` — ``Settings`` for that database with a temporary data dir (outbox included).
* ``client`` — Litestar ``TestClient`` around ``create_app(settings)``, started.
* ``run`` — run a coroutine on the app's event loop (``run(accounts.sign_up(...))`` style setup
  that shares the app's connection pool safely).
* ``make_user`` — create an account with roles through the real service.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from awards import db
from awards.accounts.identity import CurrentUser
from awards.app import create_app
from awards.piccolo_app import TABLES
from awards.settings import Settings
from tests.awards.helpers import TEST_SECRET
from tests.conftest import TEST_DATABASE_URL, is_postgres_run


def _migrate(url: str) -> None:
    db.configure(url)
    asyncio.run(db.migrate())


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Session-wide: a migrated SQLite template file, or the migrated PostgreSQL database."""
    if is_postgres_run():
        _migrate(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "anugerah.sqlite"
    _migrate(f"sqlite:///{path}")
    return str(path)


def _truncate_postgres(url: str) -> None:
    import asyncpg

    names = ", ".join(f'"{table._meta.tablename}"' for table in TABLES)

    async def truncate() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()

    asyncio.run(truncate())


@pytest.fixture
def database_url(_migrated_database: str, tmp_path: Path) -> str:
    """A migrated, empty database for this test."""
    if is_postgres_run():
        _truncate_postgres(_migrated_database)
        return _migrated_database
    path = tmp_path / "anugerah.sqlite"
    shutil.copyfile(_migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "ANUGERAH_DATA_DIR": str(tmp_path / "data"),
            "ANUGERAH_DATABASE_URL": database_url,
            "ANUGERAH_SECRET_KEY": TEST_SECRET,
            "ANUGERAH_BASE_URL": "http://testserver.local",
        }
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def run(client: TestClient[Litestar]) -> Callable[[Any], Any]:
    """Run an awaitable on the app's event loop and return its result."""

    def run_on_app_loop(awaitable: Any) -> Any:
        async def wrapper() -> Any:
            return await awaitable

        return client.blocking_portal.call(wrapper)

    return run_on_app_loop


@pytest.fixture
def make_user(app: Litestar, run: Callable[[Any], Any]) -> Callable[..., CurrentUser]:
    """``make_user(email, password, *roles)`` creates an active account via the service."""

    def make(email: str, password: str = "correct-horse-42", *roles: str) -> CurrentUser:
        return run(app.state.accounts.sign_up(email, password, roles=roles or ("entrant",)))

    return make
