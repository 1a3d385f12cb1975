"""Fixtures for application tests: settings, app, client (``database_url`` comes from
``tests/conftest.py``: a migrated, empty database per test on either backend).

* ``settings`` — ``Settings`` for that database with a temporary data dir (outbox included).
* ``client`` — Litestar ``TestClient`` around ``create_app(settings)``, started.
* ``run`` — run a coroutine on the app's event loop (``run(accounts.sign_up(...))`` style setup
  that shares the app's connection pool safely).
* ``make_user`` — create an account with roles through the real service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from awards.accounts.identity import CurrentUser
from awards.app import create_app
from awards.settings import Settings
from tests.awards.helpers import TEST_SECRET


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
