"""Migrating an empty database yields the intake tables, their columns and the list indexes."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from awards import db
from awards.intake import tables
from tests.awards.helpers import postgres_columns, scratch_postgres_database
from tests.conftest import is_postgres_run

INTAKE_TABLES = [
    tables.Edition,
    tables.Category,
    tables.Business,
    tables.BusinessMember,
    tables.BusinessInvitation,
    tables.Declaration,
    tables.Entry,
    tables.Attachment,
    tables.EntryNote,
]
LIST_INDEXES = {
    "intake_entry_edition_id",
    "intake_entry_edition_status_id",
    "intake_entry_edition_category_id",
    "intake_category_edition_slug",
    "intake_business_member_pair",
    "intake_declaration_pair",
}

#: PostgreSQL only, when pg_trgm is available (it is on the CI machine).
TRIGRAM_INDEXES = {"intake_entry_business_name_trgm", "intake_entry_receipt_number_trgm"}


def _expected() -> dict[str, set[str]]:
    return {
        table._meta.tablename: {column._meta.db_column_name for column in table._meta.columns}
        for table in INTAKE_TABLES
    }


def test_migrate_empty_sqlite_creates_intake_tables(tmp_path):
    """A fresh SQLite file gets every intake table, column and composite index."""
    path = tmp_path / "fresh.sqlite"
    db.configure(f"sqlite:///{path}")
    asyncio.run(db.migrate())
    connection = sqlite3.connect(path)
    try:
        actual = {
            name: {row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')}
            for name in _expected()
        }
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()
    assert actual == _expected()
    assert indexes >= LIST_INDEXES


@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_migrate_empty_postgresql_creates_intake_tables():
    """A fresh PostgreSQL database gets every intake table, column, composite index and the
    trigram search indexes."""
    import asyncpg

    async def index_names(url: str) -> set[str]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch("SELECT indexname FROM pg_indexes")
        finally:
            await connection.close()
        return {row["indexname"] for row in rows}

    with scratch_postgres_database("anugerah_intake") as (_, url):
        db.configure(url)
        asyncio.run(db.migrate())
        found, indexes = postgres_columns(url), asyncio.run(index_names(url))
    assert {table: found.get(table, set()) for table in _expected()} == _expected()
    assert indexes >= LIST_INDEXES | TRIGRAM_INDEXES
