"""Session-wide test setup: which database backend this run uses, and saying so.

``ANUGERAH_TEST_DATABASE_URL`` unset: database tests use temporary SQLite files and the summary
says the PostgreSQL pass was skipped. Set to ``postgresql://...``: every database test runs on
that database; if it cannot be reached the session stops with an error (it never skips).

``database_url`` (any test may ask for it) is a migrated, empty database for one test: SQLite, a
copy of a file migrated once per session; PostgreSQL, the test database migrated once per session
with every app table truncated before each test. Its set-up runs its coroutines on a thread of its
own, so it also works while Playwright's sync API (tests/browser) holds the main thread's loop.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

TEST_DATABASE_URL = os.environ.get("ANUGERAH_TEST_DATABASE_URL", "").strip()


def _redact(url: str) -> str:
    from awards.db import redact_url

    return redact_url(url)


def is_postgres_run() -> bool:
    return TEST_DATABASE_URL.startswith(("postgresql://", "postgres://"))


def run_blocking(coroutine_function: Callable[[], Awaitable[Any]]) -> Any:
    """``asyncio.run(coroutine_function())`` on a fresh thread; returns its result or raises."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine_function())  # type: ignore[arg-type]
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="anugerah-test-db")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _migrate(url: str) -> None:
    from awards import db

    db.configure(url)
    run_blocking(db.migrate)


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

    from awards.piccolo_app import TABLES

    names = ", ".join(f'"{table._meta.tablename}"' for table in TABLES)

    async def truncate() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()

    run_blocking(truncate)


@pytest.fixture
def database_url(_migrated_database: str, tmp_path: Path) -> str:
    """A migrated, empty database for this test."""
    if is_postgres_run():
        _truncate_postgres(_migrated_database)
        return _migrated_database
    path = tmp_path / "anugerah.sqlite"
    shutil.copyfile(_migrated_database, path)
    return f"sqlite:///{path}"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not TEST_DATABASE_URL:
        return
    if not is_postgres_run():
        pytest.exit(
            "ANUGERAH_TEST_DATABASE_URL must be a postgresql:// URL "
            f"(got {TEST_DATABASE_URL!r}); unset it to test on SQLite",
            returncode=4,
        )
    import asyncpg

    async def probe() -> None:
        connection = await asyncpg.connect(TEST_DATABASE_URL, timeout=10)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as exc:
        pytest.exit(
            f"PostgreSQL test database {_redact(TEST_DATABASE_URL)} is unreachable: {exc!r}. "
            "Start PostgreSQL (see DEVELOPERS.md) and create the database, or unset "
            "ANUGERAH_TEST_DATABASE_URL to test on SQLite only.",
            returncode=3,
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if is_postgres_run():
        terminalreporter.write_line(f"Database backend: PostgreSQL ({_redact(TEST_DATABASE_URL)})")
    else:
        terminalreporter.write_line("Database backend: SQLite (temporary files)")
        if os.environ.get("ANUGERAH_CI_PASS") == "sqlite":
            terminalreporter.write_line("PostgreSQL pass: runs next (.ci/run)")
        else:
            terminalreporter.write_line(
                "PostgreSQL pass: skipped (set ANUGERAH_TEST_DATABASE_URL=postgresql://... "
                "or run .ci/run)"
            )
