"""Intake: trigram indexes for the organizer's entry search (PostgreSQL only).

The entry list searches ``business_name ILIKE '%text%' OR receipt_number ILIKE 'text%'``;
without an index that is a scan of every entry of the table. With the ``pg_trgm`` extension
PostgreSQL answers both with GIN trigram indexes (a bitmap OR). The extension is trusted since
PostgreSQL 13, so a database owner may create it; when it is neither installed nor creatable the
migration skips the indexes (search still works, only slower). SQLite: nothing to do.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-27T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: trigram search indexes on PostgreSQL"

INDEXES = {
    "intake_entry_business_name_trgm": "business_name",
    "intake_entry_receipt_number_trgm": "receipt_number",
}


async def _trigram_available(engine) -> bool:
    installed = await engine.run_ddl("SELECT 1 AS ok FROM pg_extension WHERE extname = 'pg_trgm'")
    if installed:
        return True
    creatable = await engine.run_ddl(
        "SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm' "
        "AND has_database_privilege(current_database(), 'CREATE')"
    )
    if not creatable:
        return False
    await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True


async def _create() -> None:
    engine = engine_finder()
    if not isinstance(engine, PostgresEngine) or not await _trigram_available(engine):
        return
    for name, column in INDEXES.items():
        await engine.run_ddl(
            f"CREATE INDEX IF NOT EXISTS {name} ON intake_entry "
            f"USING gin ({column} gin_trgm_ops)"
        )


async def _drop() -> None:
    engine = engine_finder()
    if isinstance(engine, PostgresEngine):
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
