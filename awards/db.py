"""The database: one Piccolo engine chosen from ``ANUGERAH_DATABASE_URL``.

Call :func:`configure` before the first query (``create_app`` and the CLI do). It points every
table of the ``awards`` Piccolo app — and Piccolo's migration machinery, through
``awards.piccolo_conf`` — at the engine.

SQLite (embedded default): :class:`awards.sqlite_engine.PersistentSQLiteEngine` — persistent
connections per event loop (one writer, one reader under WAL) with their PRAGMAs set once
(``synchronous=NORMAL``, ``foreign_keys``, ``busy_timeout``, ``cache_size``), statements run
inline on the loop. Services wrap read-then-write work in :func:`write_transaction`: the loop's
write lock plus ``BEGIN IMMEDIATE`` on the writer connection, because SQLite allows one writer at
a time and concurrent deferred transactions fail with "database is locked".

PostgreSQL: :func:`start` opens an asyncpg pool of ``pool_min``..``pool_size`` connections on
app startup (``ANUGERAH_DB_POOL_MIN`` / ``ANUGERAH_DB_POOL_SIZE``), each with a
prepared-statement cache of :data:`STATEMENT_CACHE_SIZE`, returned to the pool without asyncpg's
reset query (:func:`_keep_session`) and handed out in arrival order (:class:`_FairPool`);
:func:`stop` closes it; :func:`write_transaction` is a plain transaction there;
:func:`one_connection` sends a read-only body's statements on one pooled connection instead of
one checkout per statement.

Text search: :func:`contains` and :func:`starts_with` build the case-insensitive ``LIKE``
conditions every search box uses, with the user's ``%``, ``_`` and ``\\`` matched literally.

Query counting (tests): :func:`add_query_listener` registers a callable that receives the SQL of
every statement Piccolo sends (``tests/awards/querycount.py`` builds on it).
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from awards.sqlite_engine import PersistentSQLiteEngine

__all__ = [
    "STATEMENT_CACHE_SIZE",
    "DatabaseError",
    "add_query_listener",
    "check",
    "configure",
    "contains",
    "engine",
    "fetch",
    "is_postgres",
    "lock_key",
    "migrate",
    "one_connection",
    "pending_migrations",
    "redact_url",
    "remove_query_listener",
    "sqlite_path",
    "start",
    "starts_with",
    "stop",
    "write_transaction",
]

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
#: Prepared statements asyncpg keeps per pooled connection (the app has a few hundred queries).
STATEMENT_CACHE_SIZE = 512
PICCOLO_APP = "awards"

_engine: Engine | None = None
_url: str | None = None
_in_write: contextvars.ContextVar[bool] = contextvars.ContextVar("anugerah_in_write", default=False)
_listeners: list[Callable[[str], None]] = []
#: The pooled connection :func:`one_connection` holds for the current task (PostgreSQL).
_held: contextvars.ContextVar[Any] = contextvars.ContextVar("anugerah_held", default=None)


class DatabaseError(RuntimeError):
    """The database is misconfigured or unreachable; the message says what to do."""


def add_query_listener(listener: Callable[[str], None]) -> None:
    """Call ``listener(sql)`` for every statement sent through the engine (any thread/loop)."""
    _listeners.append(listener)


def remove_query_listener(listener: Callable[[str], None]) -> None:
    """Stop calling ``listener``."""
    _listeners.remove(listener)


def _notify(sql: str) -> None:
    for listener in tuple(_listeners):
        listener(sql)


class _FairPool:
    """asyncpg's pool behind a first-come, first-served gate of its size.

    asyncpg hands out connections from an ``asyncio.Queue``, which lets a newcomer barge: when
    a connection comes back and wakes the longest waiter, a request arriving before that waiter
    runs takes the connection, and the waiter goes back to the end of the line, again and
    again. Under load most requests pass quickly and a few wait many times over: measured on
    the organizer's entry list at 64 connections with the pool of 10, p50 150 ms and p99 900
    ms. An ``asyncio.Semaphore`` of the pool's size queues checkouts in arrival order and hands
    a returned connection's place to the first in line (a newcomer queues behind waiters); a
    request holding a place always finds an idle connection in asyncpg's queue. The place is
    given back once the connection is back in the pool. Everything else (``close``, sizes) is
    the pool's own.
    """

    __slots__ = ("_gate", "_pool")

    def __init__(self, pool: Any, size: int) -> None:
        self._pool = pool
        self._gate = asyncio.Semaphore(size)

    def acquire(self, *, timeout: float | None = None) -> _FairCheckout:
        """``await pool.acquire()`` or ``async with pool.acquire() as connection``, as asyncpg's
        (``timeout`` bounds the pool's own wait, which the gate keeps near zero)."""
        return _FairCheckout(self, timeout)

    async def release(self, connection: Any, *, timeout: float | None = None) -> None:
        try:
            await self._pool.release(connection, timeout=timeout)
        finally:
            self._gate.release()

    async def _checkout(self, timeout: float | None) -> Any:
        await self._gate.acquire()
        try:
            return await self._pool.acquire(timeout=timeout)
        except BaseException:
            self._gate.release()
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class _FairCheckout:
    """One :meth:`_FairPool.acquire`: awaitable, or an async context manager that releases."""

    __slots__ = ("_connection", "_pool", "_timeout")

    def __init__(self, pool: _FairPool, timeout: float | None) -> None:
        self._pool, self._timeout, self._connection = pool, timeout, None

    def __await__(self):
        return self._pool._checkout(self._timeout).__await__()

    async def __aenter__(self) -> Any:
        self._connection = await self._pool._checkout(self._timeout)
        return self._connection

    async def __aexit__(self, *_exc: object) -> None:
        connection, self._connection = self._connection, None
        await self._pool.release(connection)


class _PostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine, telling the query listeners about each statement, with its
    pool handing out connections in arrival order (:class:`_FairPool`)."""

    async def start_connection_pool(self, **kwargs: Any) -> None:
        await super().start_connection_pool(**kwargs)
        if self.pool is not None:
            self.pool = _FairPool(self.pool, kwargs.get("max_size", 10))  # type: ignore[assignment]

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True):
        if _listeners:
            _notify(querystring.compile_string(engine_type=self.engine_type)[0])
        return await super().run_querystring(querystring, in_pool=in_pool)

    async def run_ddl(self, ddl: str, in_pool: bool = True):
        if _listeners:
            _notify(ddl)
        return await super().run_ddl(ddl, in_pool=in_pool)

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None):
        """On the connection :func:`one_connection` holds, else on one taken from the pool
        for this statement (Piccolo's way)."""
        held = _held.get()
        if held is not None:
            return await held.fetch(query, *(args or ()))
        return await super()._run_in_pool(query, args)

    async def run_sql(self, query: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        """Run compiled ``query`` (``$n`` placeholders) as ``run_querystring`` runs it (in the
        current transaction, else on the pool); the rows as dicts."""
        if _listeners:
            _notify(query)
        transaction = self.current_transaction.get()
        if transaction is not None:
            rows = await transaction.connection.fetch(query, *args)
        elif self.pool:
            rows = await self._run_in_pool(query, args)
        else:
            rows = await self._run_in_new_connection(query, args)
        return [dict(row) for row in rows]


@lru_cache(maxsize=512)
def _compiled(sql: str, count: int, engine_type: str) -> str:
    """``sql`` with its ``count`` Piccolo placeholders (``{}``) turned into the engine's (``?``
    or ``$n``), as Piccolo's ``QueryString`` compiles it (the text depends only on how many
    plain arguments there are, not on their values)."""
    return QueryString(sql, *([None] * count)).compile_string(engine_type=engine_type)[0]


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Run one plain-SQL statement with Piccolo's ``{}`` placeholders; its rows as dicts.

    The same statement, rows, transaction and query listeners as ``Table.raw(sql, *args)``,
    without Piccolo's query object: ``Table.raw`` builds a ``Raw`` query and a ``QueryString``
    and splits the template into fragments on every call (about 25 us of CPU a statement, a
    tenth of an entrant's autosave), where this compiles each distinct text once. For the hot
    paths' plain SQL (``awards.intake.entries.sql``, ``awards.scoring.judge.sql``); arguments
    are plain values (no nested ``QueryString``).
    """
    current = engine()
    query = _compiled(sql, len(args), current.engine_type)
    return await current.run_sql(query, args)  # type: ignore[attr-defined]


def _escape_like(text: str) -> str:
    """``text`` with the ``LIKE`` wildcards ``%`` and ``_`` and the escape character ``\\``
    each preceded by ``\\``, so that a pattern built from it with ``ESCAPE '\\'`` matches
    them literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_literal(column: Column, pattern: str) -> WhereRaw:
    """``column`` matches the ``LIKE`` ``pattern`` (already escaped) in any ASCII case.

    PostgreSQL: ``ILIKE`` (case-blind by the database's collation, beyond ASCII too); SQLite:
    ``LIKE``, which is case-blind for ASCII letters only. Both with ``ESCAPE '\\'``: SQLite has
    no default escape character and PostgreSQL's default is already the backslash, said here so
    the SQL reads the same on both. Piccolo's ``Column.like``/``ilike`` cannot add an ``ESCAPE``
    clause, hence ``WhereRaw``; the column goes in as an argument, which Piccolo renders by its
    qualified name (``"intake_entry"."business_name"``, or the join's alias such as
    ``"intake_entry$category"."name_en"``) and records so that a select adds the join it needs.
    """
    operator = "ILIKE" if is_postgres() else "LIKE"
    return WhereRaw(f"{{}} {operator} {{}} ESCAPE '\\'", column, pattern)


def contains(column: Column, text: str) -> WhereRaw:
    """Where-clause: ``column`` contains ``text``, case-insensitively (ASCII on SQLite).

    ``text`` is matched literally: its ``%``, ``_`` and ``\\`` are escaped, so a search for
    ``%`` finds names with a percent sign and not every row (Piccolo's ``like`` would take them
    as wildcards). Combine with ``&`` / ``|`` like any Piccolo condition."""
    return _like_literal(column, f"%{_escape_like(text)}%")


def starts_with(column: Column, text: str) -> WhereRaw:
    """Where-clause: ``column`` starts with ``text``, case-insensitively (ASCII on SQLite);
    ``text`` matched literally, as in :func:`contains`."""
    return _like_literal(column, f"{_escape_like(text)}%")


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
    """Create the engine for ``url`` and bind every Piccolo table to it; return the engine.

    Configuring the URL already configured keeps the engine (and its pool or connections)."""
    global _engine, _url
    os.environ.setdefault("PICCOLO_CONF", "awards.piccolo_conf")
    if _engine is not None and url == _url and _same_file(_engine):
        # Same database (the demo loader inside a running app): keep its pool and connections.
        for table in _all_tables():
            table._meta.db = _engine
        return _engine
    if isinstance(_engine, PersistentSQLiteEngine):
        # Connections of loops that have finished (an earlier app, an asyncio.run) are closed.
        _engine.close_connections(only_idle_loops=True)
    if url.startswith("sqlite:///"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        engine: Engine = PersistentSQLiteEngine(
            path=str(path), busy_timeout=SQLITE_BUSY_TIMEOUT_SECONDS, on_query=_notify_if_any
        )
    elif url.startswith(("postgresql://", "postgres://")):
        engine = _PostgresEngine(
            config={"dsn": url, "statement_cache_size": STATEMENT_CACHE_SIZE}, log_queries=False
        )
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


def _same_file(current: Engine) -> bool:
    """False when the SQLite file was replaced since ``current`` opened it (fresh database)."""
    if not isinstance(current, PersistentSQLiteEngine):
        return True
    return current.file_identity() == current.opened_identity


def _notify_if_any(sql: str) -> None:
    if _listeners:
        _notify(sql)


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


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """Run the body in one transaction that may write; all-or-nothing.

    On SQLite the body holds this event loop's write lock and an ``IMMEDIATE`` transaction on the
    writer connection, so a read followed by a write cannot be interleaved with another writer;
    keep work that is not database work (hashing, files, mail) outside the body, since every
    other writer of this process waits for it. Reads inside the body see its writes. A nested
    call (a service calling another service) joins the outer transaction.
    """
    if _in_write.get():
        yield
        return
    db = engine()
    token = _in_write.set(True)
    try:
        if isinstance(db, PersistentSQLiteEngine):
            async with db.transaction(transaction_type=TransactionType.immediate):
                yield
        else:
            async with db.transaction():
                yield
    finally:
        _in_write.reset(token)


@asynccontextmanager
async def one_connection() -> AsyncIterator[None]:
    """Send the body's statements outside a transaction on one pooled connection, taken once.

    For read-only work that sends a few statements one after another (a page's reads): on
    PostgreSQL Piccolo takes a connection from the pool and gives it back for every statement
    (about 30 us of the app's CPU each, and the statements land on different backends); here
    the body's statements (``fetch`` and Piccolo queries) share one. Do not open a
    :func:`write_transaction` in the body (it would wait for a second connection while holding
    this one) nor run statements concurrently in it (``asyncio.gather``: one connection runs
    one statement at a time). Inside a transaction, inside another ``one_connection`` and on
    SQLite (whose reads already share this loop's reader connection) it does nothing.
    """
    db = engine()
    idle = _held.get() is None and not _in_write.get()
    if not (isinstance(db, PostgresEngine) and db.pool is not None and idle):
        yield
        return
    async with db.pool.acquire() as connection:
        token = _held.set(connection)
        try:
            yield
        finally:
            _held.reset(token)


async def lock_key(key: str) -> None:
    """Inside :func:`write_transaction`: wait for other transactions that locked ``key``.

    PostgreSQL: a transaction-scoped advisory lock on ``hashtext(key)`` (released at commit or
    rollback). SQLite: nothing more to do, the write transaction already excludes every other
    writer (the process lock and ``IMMEDIATE``).
    """
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.run_querystring(QueryString("SELECT pg_advisory_xact_lock(hashtext({}))", key))


def is_postgres() -> bool:
    """True when the configured database is PostgreSQL (for a statement only it can run)."""
    return isinstance(engine(), PostgresEngine)


async def start(pool_size: int = 10, pool_min: int = 2) -> None:
    """Open the PostgreSQL pool of ``pool_min``..``pool_size`` connections (SQLite: open this
    loop's connections). Call on app startup."""
    db = engine()
    if isinstance(db, PostgresEngine):
        # asyncpg's pool defaults to min_size=10, which it refuses when max_size is smaller.
        await db.start_connection_pool(
            min_size=max(0, min(pool_min, pool_size)),
            max_size=max(1, pool_size),
            reset=_keep_session,
        )
    elif isinstance(db, PersistentSQLiteEngine):
        db.loop_connections()


async def _keep_session(_connection: object) -> None:
    """Return a pooled connection to the pool as it is.

    Piccolo takes a connection from the pool for each statement outside a transaction. On
    release asyncpg always rolls back an open transaction and drops listeners; by default it
    then also sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``, one
    more round trip after every statement (a third of the organizer's entry page's database
    CPU), to undo session state this app never creates: its advisory locks are
    transaction-scoped (:func:`lock_key`) and it opens no cursors, ``LISTEN``s or sets no
    session settings."""


async def stop() -> None:
    """Close the PostgreSQL pool (SQLite: this loop's connections). Call on app shutdown."""
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()
    elif isinstance(db, PersistentSQLiteEngine):
        db.close_loop_connections()


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
