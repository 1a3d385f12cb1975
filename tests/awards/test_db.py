"""The database helpers: write transactions, persistent connections, listeners, URL redaction."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from awards import db
from awards.accounts.tables import RoleGrant, User
from awards.db import redact_url
from awards.sqlite_engine import PersistentSQLiteEngine
from tests.conftest import is_postgres_run

sqlite_only = pytest.mark.skipif(is_postgres_run(), reason="SQLite connection handling")
postgres_only = pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pool handling")


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


def test_write_transaction_reads_see_own_writes_and_others_see_only_commits(app, run):
    """Inside a write transaction a read sees its insert; a concurrent reader does not, until
    the commit."""

    async def scenario() -> tuple[int, int, int]:
        inserted = asyncio.Event()
        committed = asyncio.Event()
        seen: dict[str, int] = {}

        async def writer() -> None:
            async with db.write_transaction():
                await User.insert(User(email="mid@example.id", password_hash="x"))
                seen["inside"] = await User.count().where(User.email == "mid@example.id")
                inserted.set()
                await asyncio.sleep(0.05)
            committed.set()

        async def reader() -> None:
            await inserted.wait()
            seen["outside"] = await User.count().where(User.email == "mid@example.id")
            await committed.wait()
            seen["after"] = await User.count().where(User.email == "mid@example.id")

        await asyncio.gather(writer(), reader())
        return seen["inside"], seen["outside"], seen["after"]

    assert run(scenario()) == (1, 0, 1)


@sqlite_only  # PostgreSQL services lock rows with SELECT ... FOR UPDATE (awards.intake.common)
def test_write_transactions_serialize_read_then_write(app, run):
    """Twenty concurrent read-then-write transactions lose no update (SQLite's one writer)."""
    user = run(User.objects().create(email="count@example.id", password_hash="x"))

    async def bump() -> None:
        async with db.write_transaction():
            row = await User.select(User.session_version).where(User.id == user.id).first()
            await asyncio.sleep(0)
            await User.update({User.session_version: row["session_version"] + 1}).where(
                User.id == user.id
            )

    async def all_bumps() -> None:
        await asyncio.gather(*(bump() for _ in range(20)))

    run(all_bumps())
    row = run(User.select(User.session_version).where(User.id == user.id).first())
    assert row["session_version"] == user.session_version + 20


def test_write_transaction_rolls_back_foreign_key_violation(app, run):
    """Foreign keys are enforced on every connection: a grant for a missing user is refused and
    the user inserted before it in the same transaction is gone too."""

    async def failing() -> None:
        async with db.write_transaction():
            await User.insert(User(email="fk@example.id", password_hash="x"))
            await RoleGrant.insert(RoleGrant(user=999_999, role="judge"))

    with pytest.raises(Exception, match=r"(?i)foreign key"):
        run(failing())
    assert run(User.count().where(User.email == "fk@example.id")) == 0


def test_query_listener_sees_each_statement(app, run):
    """A listener receives the SQL of every query until it is removed."""
    seen: list[str] = []
    db.add_query_listener(seen.append)
    try:
        run(User.count())
        run(User.select(User.email).where(User.id == 1))
    finally:
        db.remove_query_listener(seen.append)
    run(User.count())
    assert len(seen) == 2
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in seen)


def test_fetch_returns_table_raws_rows_and_joins_the_write_transaction(app, run):
    """db.fetch sends the statement Table.raw sends and returns the same rows; inside a write
    transaction it sees the transaction's own insert, and the listeners see each statement."""
    sql = "SELECT id, email, session_version FROM accounts_user WHERE email = {} OR id = {}"
    run(User.insert(User(email="fetch@example.id", password_hash="x")))
    seen: list[str] = []

    async def both() -> tuple[list, list, int]:
        db.add_query_listener(seen.append)
        try:
            raw = await User.raw(sql, "fetch@example.id", 0)
            fetched = await db.fetch(sql, "fetch@example.id", 0)
        finally:
            db.remove_query_listener(seen.append)
        async with db.write_transaction():
            await User.insert(User(email="inside@example.id", password_hash="x"))
            inside = await db.fetch(sql, "inside@example.id", 0)
            await User.delete().where(User.email == "inside@example.id")
        return raw, fetched, len(inside)

    raw, fetched, inside = run(both())
    assert (fetched, inside) == (raw, 1)
    assert len(fetched) == 1
    assert seen[0] == seen[1]


_SEARCHABLE = (
    "Diskon 50% Kopi",
    "Kopi_Dampit",
    "C:\\Batik\\Celaket",
    "Kopi Dampit",
    "Diskon 50 Kopi",
)


def _named(run, *names: str) -> None:
    for n, name in enumerate(names):
        run(User.insert(User(email=f"u{n}@example.id", password_hash="x", display_name=name)))


def _names_where(run, where) -> list[str]:
    rows = run(User.select(User.display_name).where(where).order_by(User.id))
    return [row["display_name"] for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["Diskon 50% Kopi"]),
        ("50%", ["Diskon 50% Kopi"]),
        ("_", ["Kopi_Dampit"]),
        ("i_D", ["Kopi_Dampit"]),
        ("\\", ["C:\\Batik\\Celaket"]),
        ("\\batik\\", ["C:\\Batik\\Celaket"]),
        ("%%", []),
        ("\\%", []),
    ],
)
def test_contains_matches_wildcard_characters_literally(app, run, text, expected):
    """``%``, ``_`` and a backslash in the searched text match only themselves, not any text."""
    _named(run, *_SEARCHABLE)

    assert _names_where(run, db.contains(User.display_name, text)) == expected


def test_starts_with_matches_wildcard_characters_literally(app, run):
    """A prefix search for ``_`` or ``%`` matches names starting with that character only."""
    _named(run, "_kopi", "%kopi", "kopi")

    assert _names_where(run, db.starts_with(User.display_name, "_")) == ["_kopi"]
    assert _names_where(run, db.starts_with(User.display_name, "%")) == ["%kopi"]
    assert _names_where(run, db.starts_with(User.display_name, "_opi")) == []


def test_contains_and_starts_with_ignore_ascii_case(app, run):
    """Both match in any ASCII case (ILIKE on PostgreSQL, LIKE on SQLite) and combine with |."""
    _named(run, *_SEARCHABLE)

    found = _names_where(run, db.contains(User.display_name, "kOPI_d"))
    prefixed = _names_where(run, db.starts_with(User.display_name, "DISKON"))
    either = _names_where(
        run, db.starts_with(User.display_name, "c:\\") | db.contains(User.display_name, "DAMPIT")
    )

    assert found == ["Kopi_Dampit"]
    assert prefixed == ["Diskon 50% Kopi", "Diskon 50 Kopi"]
    assert either == ["Kopi_Dampit", "C:\\Batik\\Celaket", "Kopi Dampit"]


def test_contains_on_a_joined_column_adds_the_join(app, run):
    """A condition on another table's column (``RoleGrant.user.email``) brings its join, in
    select and count alike."""
    _named(run, "Sri", "Eko")
    users = {row["email"]: row["id"] for row in run(User.select(User.id, User.email))}
    run(RoleGrant.insert(RoleGrant(user=users["u0@example.id"], role="judge")))
    run(RoleGrant.insert(RoleGrant(user=users["u1@example.id"], role="entrant")))
    where = db.contains(RoleGrant.user.email, "U0@") & db.starts_with(RoleGrant.role, "JU")

    rows = run(RoleGrant.select(RoleGrant.role).where(where))
    count = run(RoleGrant.count().where(where))

    assert (rows, count) == ([{"role": "judge"}], 1)


@sqlite_only
def test_sqlite_connections_are_persistent_with_pragmas_set(app, run):
    """One writer and one reader per loop, reused across queries, in WAL with synchronous=NORMAL,
    foreign keys on and a busy timeout."""
    engine = db.engine()
    assert isinstance(engine, PersistentSQLiteEngine)

    async def pragmas() -> tuple[object, list[tuple[str, object]]]:
        await User.count()
        first = engine.loop_connections()
        await User.count()
        assert engine.loop_connections() is first
        values = []
        for connection in (first.writer, first.reader):
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
                (row,) = connection.run(f"PRAGMA {name}")
                values.append((name, next(iter(row.values()))))
        return first, values

    connections, values = run(pragmas())
    assert connections.writer is not connections.reader
    assert (
        values
        == [("journal_mode", "wal"), ("synchronous", 1), ("foreign_keys", 1), ("busy_timeout", 50)]
        * 2
    )


@sqlite_only
def test_sqlite_write_waits_for_another_process_without_blocking_reads(app, run, settings):
    """While another connection holds the write lock, a write transaction waits (asynchronously:
    reads still run) and commits once the lock is released."""
    other = sqlite3.connect(
        db.sqlite_path(settings.database_url), isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")

    async def scenario() -> tuple[int, bool]:
        async def write() -> None:
            async with db.write_transaction():
                await User.insert(User(email="waited@example.id", password_hash="x"))

        task = asyncio.create_task(write())
        await asyncio.sleep(0.2)
        reads = await User.count()
        still_waiting = not task.done()
        other.execute("COMMIT")
        await task
        return reads, still_waiting

    try:
        reads, still_waiting = run(scenario())
    finally:
        other.close()
    assert (reads, still_waiting) == (0, True)
    assert run(User.count().where(User.email == "waited@example.id")) == 1


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


def test_sqlite_integer_columns_read_as_piccolos_converter_reads_them(tmp_path):
    """The faster INTEGER converter gives the ints Piccolo's gives, for digits and for the
    non-integer text SQLite lets an INTEGER column hold."""
    from piccolo.engine.sqlite import convert_int_out

    connection = sqlite3.connect(tmp_path / "ints.sqlite", detect_types=sqlite3.PARSE_DECLTYPES)
    connection.execute("CREATE TABLE t (n INTEGER)")
    values = [0, -5, 2**62, "12", "1.0", "1e3", " 7 "]
    connection.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    stored = [row[0] for row in connection.execute("SELECT CAST(n AS TEXT) FROM t")]
    read = [row[0] for row in connection.execute("SELECT n FROM t")]
    connection.close()
    assert read == [convert_int_out(text.encode()) for text in stored]
    assert read == [0, -5, 2**62, 12, 1, 1000, 7]
    assert all(type(value) is int for value in read)


@postgres_only
def test_postgres_pool_returns_connections_without_a_reset_query(app, run):
    """A pooled connection goes back to the pool without asyncpg's reset query (a round trip
    after every statement), and a transaction left open on it is still rolled back."""
    sent: list[str] = []

    async def release_in_transaction() -> None:
        pool = db.engine().pool
        connection = await pool.acquire()
        connection.add_query_logger(lambda record: sent.append(record.query))
        await connection.execute("BEGIN")
        await pool.release(connection)

    run(release_in_transaction())

    assert sent == ["BEGIN", "ROLLBACK"]


def test_one_connection_returns_the_rows_and_joins_the_write_transaction(app, run):
    """Inside db.one_connection db.fetch and Piccolo queries return the rows they return
    outside it, and inside a write transaction it sees the transaction's own insert."""
    sql = "SELECT email FROM accounts_user WHERE email = {}"
    run(User.insert(User(email="held@example.id", password_hash="x")))

    async def read() -> tuple[list, int, list]:
        async with db.one_connection():
            fetched = await db.fetch(sql, "held@example.id")
            count = await User.count().where(User.email == "held@example.id")
        async with db.write_transaction():
            await User.insert(User(email="held-inside@example.id", password_hash="x"))
            async with db.one_connection():
                inside = await db.fetch(sql, "held-inside@example.id")
            await User.delete().where(User.email == "held-inside@example.id")
        return fetched, count, inside

    fetched, count, inside = run(read())
    assert fetched == [{"email": "held@example.id"}]
    assert count == 1
    assert inside == [{"email": "held-inside@example.id"}]


@postgres_only
def test_one_connection_sends_the_bodys_statements_on_one_backend(app, run):
    """On PostgreSQL the body's statements (db.fetch and Piccolo's) share one pooled
    connection, held until the body ends, and a nested one_connection keeps it."""
    sql = "SELECT pg_backend_pid() AS pid"

    async def backends() -> tuple[set[int], int]:
        pool = db.engine().pool
        async with db.one_connection():
            held = pool.get_size() - pool.get_idle_size()
            pids = {(await db.fetch(sql))[0]["pid"], (await User.raw(sql))[0]["pid"]}
            async with db.one_connection():
                pids.add((await db.fetch(sql))[0]["pid"])
        return pids, held

    pids, held = run(backends())
    assert len(pids) == 1
    assert held == 1


class _QueuePool:
    """A pool handing out connections from an ``asyncio.Queue``, as asyncpg's does: ``acquire()``
    is awaited or used as ``async with``; the first ``failures`` checkouts raise."""

    def __init__(self, size: int, failures: int = 0) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        for number in range(size):
            self.queue.put_nowait(f"connection-{number}")
        self.failures = failures

    def acquire(self, *, timeout: float | None = None) -> _QueueCheckout:
        return _QueueCheckout(self)

    async def take(self) -> str:
        if self.failures:
            self.failures -= 1
            raise TimeoutError("no connection")
        return await self.queue.get()

    async def release(self, connection: str, *, timeout: float | None = None) -> None:
        self.queue.put_nowait(connection)

    def get_size(self) -> int:
        return self.queue.qsize()


class _QueueCheckout:
    def __init__(self, pool: _QueuePool) -> None:
        self.pool, self.connection = pool, ""

    def __await__(self):
        return self.pool.take().__await__()

    async def __aenter__(self) -> str:
        self.connection = await self.pool.take()
        return self.connection

    async def __aexit__(self, *_exc: object) -> None:
        await self.pool.release(self.connection)


async def _served_order(pool: object) -> list[str]:
    """The order in which a waiter and a newcomer get the only connection: the waiter queued
    first; the newcomer is ready to run when the connection comes back, before the waiter wakes."""
    served: list[str] = []

    async def take(name: str) -> None:
        async with pool.acquire() as connection:  # type: ignore[attr-defined]
            served.append(name)
            assert connection == "connection-0"

    held = await pool.acquire()  # type: ignore[attr-defined]
    waiter = asyncio.create_task(take("waiter"))
    await asyncio.sleep(0)  # the waiter is in line
    newcomer = asyncio.create_task(take("newcomer"))  # ready, not yet run
    await pool.release(held)  # type: ignore[attr-defined]
    await asyncio.gather(waiter, newcomer)
    return served


def test_fair_pool_serves_the_waiter_before_a_newcomer():
    """A connection coming back goes to the checkout that waited longest: asyncio's queue (as
    asyncpg's pool uses it) lets a newcomer ready at that moment take it first and sends the
    waiter to the end of the line; db's pool gate serves them in arrival order."""
    assert asyncio.run(_served_order(_QueuePool(1))) == ["newcomer", "waiter"]
    assert asyncio.run(_served_order(db._FairPool(_QueuePool(1), 1))) == ["waiter", "newcomer"]


def test_fair_pool_gives_back_the_place_of_a_failed_checkout():
    """A checkout the pool refuses (a timeout, a lost server) does not keep its place in line:
    the next checkout gets the connection at once; the pool's other methods are the pool's."""

    async def scenario() -> tuple[str, int]:
        pool = db._FairPool(_QueuePool(1, failures=1), 1)
        with pytest.raises(TimeoutError):
            await pool.acquire()
        connection = await asyncio.wait_for(pool.acquire(), timeout=1)
        await pool.release(connection)
        return connection, pool.get_size()

    assert asyncio.run(scenario()) == ("connection-0", 1)


@postgres_only
def test_postgres_pool_hands_connections_out_in_arrival_order(app, run):
    """With every pooled connection taken, checkouts are served in the order they asked."""

    async def order() -> tuple[list[int], bool]:
        pool = db.engine().pool
        held = [await pool.acquire() for _ in range(pool.get_max_size())]
        served: list[int] = []

        async def take(number: int) -> None:
            async with pool.acquire():
                served.append(number)
                await asyncio.sleep(0)

        waiting = [asyncio.create_task(take(number)) for number in range(5)]
        await asyncio.sleep(0.05)
        for connection in held:
            await pool.release(connection)
        await asyncio.gather(*waiting)
        return served, isinstance(pool, db._FairPool)

    assert run(order()) == ([0, 1, 2, 3, 4], True)
