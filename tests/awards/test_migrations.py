"""Migrations from an empty database create every table and column the code expects."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest

from awards import db
from awards.piccolo_app import TABLES
from tests.conftest import TEST_DATABASE_URL, is_postgres_run


def _expected() -> dict[str, set[str]]:
    """Table name -> column names, from the Piccolo table classes."""
    return {
        table._meta.tablename: {column._meta.db_column_name for column in table._meta.columns}
        for table in TABLES
    }


def test_migrate_empty_sqlite_creates_expected_tables(tmp_path):
    """On a new SQLite file: nothing pending afterwards, every expected table and column exists."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    db.configure(url)
    assert asyncio.run(db.pending_migrations()) != []
    applied = asyncio.run(db.migrate())
    assert applied
    assert asyncio.run(db.pending_migrations()) == []
    connection = sqlite3.connect(tmp_path / "fresh.sqlite")
    try:
        actual = {
            name: {row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')}
            for name in _expected()
        }
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()
    assert actual == _expected()
    assert journal == "wal"


@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_migrate_empty_postgresql_creates_expected_tables():
    """On a new PostgreSQL database: every expected table and column exists after migrate."""
    import asyncpg

    name = f"anugerah_migr_{uuid.uuid4().hex[:10]}"
    base, _, _ = TEST_DATABASE_URL.rpartition("/")
    url = f"{base}/{name}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(TEST_DATABASE_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def columns() -> dict[str, set[str]]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
        finally:
            await connection.close()
        found: dict[str, set[str]] = {}
        for row in rows:
            found.setdefault(row["table_name"], set()).add(row["column_name"])
        return found

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        db.configure(url)
        asyncio.run(db.migrate())
        assert asyncio.run(db.pending_migrations()) == []
        found = asyncio.run(columns())
    finally:
        db.configure(TEST_DATABASE_URL)
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    assert {table: found.get(table, set()) for table in _expected()} == _expected()
