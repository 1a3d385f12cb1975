"""Migrations from an empty database create every table and column the code expects."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from awards import db
from awards.piccolo_app import TABLES
from tests.awards.helpers import postgres_columns, scratch_postgres_database
from tests.conftest import is_postgres_run


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
    with scratch_postgres_database("anugerah_migr") as (_, url):
        db.configure(url)
        asyncio.run(db.migrate())
        assert asyncio.run(db.pending_migrations()) == []
        found = postgres_columns(url)
    assert {table: found.get(table, set()) for table in _expected()} == _expected()
