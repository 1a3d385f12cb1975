"""A covering index for the organizer entry list's counts.

The list counts matches per status and screening outcome of an edition in one grouped query;
with ``(edition, status, screening)`` indexed that query reads the index only, not every entry
row with its answers (30,000 entries: the table is tens of megabytes, the index a few hundred
kilobytes).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-30T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: covering index for the entry list's status counts"

INDEXES = {
    "intake_entry_edition_status_screening": "intake_entry (edition, status, screening)",
}


async def _create() -> None:
    engine = engine_finder()
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


async def _drop() -> None:
    engine = engine_finder()
    for name in INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
