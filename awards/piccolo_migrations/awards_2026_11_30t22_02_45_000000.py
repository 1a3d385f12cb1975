"""Results delivery: uniqueness over several columns that Piccolo cannot declare on a column.

A separate migration because a migration's raw SQL runs before its tables are created. One
certificate per entry and snapshot; one delivery per event and endpoint; one log row per
delivery and attempt number; the worker's claim query reads deliveries by state and time.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-30T22:02:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "Results delivery: per-key uniqueness and the worker's index"

INDEXES = {
    "results_webhook_delivery_due": "results_webhook_delivery (state, next_attempt_at)",
}
UNIQUE_INDEXES = {
    "results_certificate_entry_snapshot": "results_certificate (snapshot, entry)",
    "results_webhook_delivery_pair": "results_webhook_delivery (event, endpoint)",
    "results_webhook_attempt_number": "results_webhook_attempt (delivery, number)",
}


async def _create() -> None:
    engine = engine_finder()
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    for name, target in UNIQUE_INDEXES.items():
        await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")


async def _drop() -> None:
    engine = engine_finder()
    for name in (*INDEXES, *UNIQUE_INDEXES):
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
