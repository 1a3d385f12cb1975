"""The database: one Piccolo engine chosen from ``ANUGERAH_DATABASE_URL``.

Call :func:`configure` before the first query (``create_app`` and the CLI do). It points every
table of the ``awards`` Piccolo app — and Piccolo's migration machinery, through
``awards.piccolo_conf`` — at the engine.

SQLite (embedded default): WAL journal, a busy timeout, and in-process serialization of writes:
services wrap read-then-write work in :func:`write_transaction`, which holds one asyncio lock per
event loop and opens an ``IMMEDIATE`` transaction, because SQLite allows one writer at a time and
concurrent deferred transactions fail with "database is locked".

PostgreSQL: :func:`start` opens a connection pool on app startup and :func:`stop` closes it;
:func:`write_transaction` is a plain transaction there.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

__all__ = [
    "DatabaseError",
    "check",
    "configure",
    "engine",
    "migrate",
    "pending_migrations",
    "redact_url",
    "sqlite_path",
    "start",
    "stop",
    "write_transaction",
]

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
PICCOLO_APP = "awards"

_engine: Engine | None = None
_url: str | None = None
_in_write: contextvars.ContextVar[bool] = contextvars.ContextVar("anugerah_in_write", default=False)
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


class DatabaseError(RuntimeError):
    """The database is misconfigured or unreachable; the message says what to do."""


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages and logs)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, host = rest.rsplit("@", 1)
    user, has_password, _ = credentials.partition(":")
    return f"{scheme}://{user}:***@{host}" if has_password else url


def sqlite_path(url: str) -> Path:
    """Path of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL."""
    return Path(url.removeprefix("sqlite:///"))


def configure(url: str) -> Engine:
    """Create the engine for ``url`` and bind every Piccolo table to it; return the engine."""
    global _engine, _url
    os.environ.setdefault("PICCOLO_CONF", "awards.piccolo_conf")
    if url.startswith("sqlite:///"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        engine: Engine = SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    elif url.startswith(("postgresql://", "postgres://")):
        engine = PostgresEngine(config={"dsn": url}, log_queries=False)
    else:
        raise DatabaseError(f"unsupported database URL {url!r}")
    _engine, _url = engine, url
    for table in _all_tables():
        table._meta.db = engine
    return engine


def engine() -> Engine:
    """The configured engine; configures from the environment on first use (Piccolo CLI)."""
    if _engine is None:
        from awards.settings import Settings

        configure(Settings.from_env().database_url)
    assert _engine is not None
    return _engine


def _enable_wal(path: Path) -> None:
    """Switch the file to WAL mode (persistent in the file) with a synchronous connection."""
    connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _all_tables() -> list:
    from piccolo.apps.migrations.tables import Migration

    from awards.piccolo_app import APP_CONFIG

    return [Migration, *APP_CONFIG.table_classes]


def _loop_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        lock = _locks[loop] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """Run the body in one transaction that may write; all-or-nothing.

    On SQLite the body holds this process's write lock and an ``IMMEDIATE`` transaction, so a
    read followed by a write cannot be interleaved with another writer. A nested call (a service
    calling another service) joins the outer transaction.
    """
    if _in_write.get():
        yield
        return
    db = engine()
    token = _in_write.set(True)
    try:
        if isinstance(db, SQLiteEngine):
            async with _loop_lock(), db.transaction(transaction_type=TransactionType.immediate):
                yield
        else:
            async with db.transaction():
                yield
    finally:
        _in_write.reset(token)


async def start(pool_size: int = 10) -> None:
    """Open the PostgreSQL connection pool (no-op on SQLite). Call on app startup."""
    db = engine()
    if isinstance(db, PostgresEngine):
        # asyncpg's pool defaults to min_size=10, which it refuses when max_size is smaller.
        await db.start_connection_pool(min_size=min(2, pool_size), max_size=pool_size)


async def stop() -> None:
    """Close the PostgreSQL connection pool (no-op on SQLite). Call on app shutdown."""
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()


async def check() -> bool:
    """True when the database answers a query on the migrations table (reachable and migrated)."""
    from piccolo.apps.migrations.tables import Migration

    engine()
    try:
        rows = await Migration.raw("SELECT 1 AS ok FROM migration LIMIT 1").run()
    except Exception:
        return False
    return bool(rows) and rows[0]["ok"] == 1


async def pending_migrations() -> list[str]:
    """IDs of committed migrations that have not been applied to the database."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.tables import Migration

    manager = BaseMigrationManager()
    app_config = manager.get_app_config(app_name=PICCOLO_APP)
    ids = set(manager.get_migration_modules(app_config.resolved_migrations_folder_path))
    if not await Migration.table_exists().run():
        return sorted(ids)
    ran = set(await Migration.get_migrations_which_ran(app_name=PICCOLO_APP))
    return sorted(ids - ran)


async def migrate() -> list[str]:
    """Apply every pending migration; return the IDs applied."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    pending = await pending_migrations()
    if pending:
        result = await run_forwards(app_name=PICCOLO_APP)
        if not result.success:
            raise DatabaseError(f"migration failed: {result.message}")
    return pending
