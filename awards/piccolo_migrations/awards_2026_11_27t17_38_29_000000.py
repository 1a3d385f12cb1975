"""Intake indexes Piccolo cannot declare on a column.

Composite indexes for the organizer entry list (filter by edition and status or category, ordered
by id) and uniqueness of one-row-per-pair rules the services also enforce. A separate migration
because a migration's raw SQL runs before its tables are created.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T17:38:29:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: entry list indexes and per-pair uniqueness"

INDEXES = {
    "intake_entry_edition_id": "intake_entry (edition, id)",
    "intake_entry_edition_status_id": "intake_entry (edition, status, id)",
    "intake_entry_edition_category_id": "intake_entry (edition, category, id)",
}
UNIQUE_INDEXES = {
    "intake_category_edition_slug": "intake_category (edition, slug)",
    "intake_business_member_pair": 'intake_business_member (business, "user")',
    "intake_declaration_pair": "intake_declaration (business, edition)",
}


async def _create() -> None:
    engine = engine_finder()
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    for name, target in UNIQUE_INDEXES.items():
        await engine.run_ddl(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}"
        )


async def _drop() -> None:
    engine = engine_finder()
    for name in (*INDEXES, *UNIQUE_INDEXES):
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
