"""Session-wide test setup: which database backend this run uses, and saying so.

``ANUGERAH_TEST_DATABASE_URL`` unset: database tests use temporary SQLite files and the summary
says the PostgreSQL pass was skipped. Set to ``postgresql://...``: every database test runs on
that database; if it cannot be reached the session stops with an error (it never skips).
"""

from __future__ import annotations

import asyncio
import os

import pytest

TEST_DATABASE_URL = os.environ.get("ANUGERAH_TEST_DATABASE_URL", "").strip()


def _redact(url: str) -> str:
    from awards.db import redact_url

    return redact_url(url)


def is_postgres_run() -> bool:
    return TEST_DATABASE_URL.startswith(("postgresql://", "postgres://"))


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
