"""Intake: PostgreSQL keeps ``intake_entry_count`` with statement-level triggers.

The row triggers of 2026-12-01T02:00:00 run a PL/pgSQL upsert for every inserted, deleted or
re-keyed entry. A bulk import then updates the same counter row once per entry (30,000 versions
of one row in one transaction: the import's insert went from 8.0 s to 21.8 s), and a multi-row
statement takes the counter rows in the order it meets its entries, so two bulk changes of the
same edition (status changes, screening, an import while organizers screen) can lock them in
opposite orders and deadlock.

Here each ``INSERT``, ``UPDATE`` and ``DELETE`` on ``intake_entry`` fires one trigger after the
statement, reading the statement's rows from its transition tables: the deltas are summed per
key (an update adds its new rows and subtracts its old ones; keys whose sum is 0 are left
alone) and applied with one ``INSERT ... ON CONFLICT DO UPDATE`` whose rows are sorted by key.
Every such statement therefore locks its counter rows in the same order (the key order) and two
of them wait for each other instead of deadlocking. A statement is one trigger call whatever its
number of rows, so bulk writers send multi-row statements (see
:func:`awards.intake.bulk.write.insert_many`).

PostgreSQL does not allow transition tables with a column list (``UPDATE OF ...``), so the
update trigger fires for every ``UPDATE`` of entries, also one that changes no key column (an
autosave): it then finds no key whose sum differs from 0 and writes nothing. Deleted entries
of an edition that is itself being deleted (``ON DELETE CASCADE``) are not counted back: that
edition's counter rows go with it.

SQLite has no statement-level triggers; it keeps the row triggers (one writer at a time, so no
deadlock). Backwards restores the row function and triggers of 2026-12-01T02:00:00. Both
directions recount the table from the entries.
"""

from importlib import import_module

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: PostgreSQL entry counts by statement-level triggers"

ROW = import_module("awards.piccolo_migrations.awards_2026_12_01t02_00_00_000000")
KEY = ROW.KEY


def _apply(deltas: str) -> str:
    """Add ``deltas`` (a select of ``KEY, n``, one row per key) to the counts, in key order."""
    return (
        f"INSERT INTO intake_entry_count AS c ({KEY}, n) {deltas} ORDER BY {KEY} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;"
    )


INSERTED = f"SELECT {KEY}, COUNT(*) FROM new_rows GROUP BY {KEY}"
DELETED = (
    f"SELECT {KEY}, -COUNT(*) FROM old_rows o WHERE EXISTS "
    f"(SELECT 1 FROM intake_edition e WHERE e.id = o.edition) GROUP BY {KEY}"
)
MOVED = (
    f"SELECT {KEY}, SUM(d) FROM (SELECT {KEY}, 1 AS d FROM new_rows UNION ALL "
    f"SELECT {KEY}, -1 FROM old_rows) AS moved GROUP BY {KEY} HAVING SUM(d) <> 0"
)

STATEMENT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION intake_entry_count_statement() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_apply(INSERTED)}
  ELSIF TG_OP = 'DELETE' THEN
    {_apply(DELETED)}
  ELSE
    {_apply(MOVED)}
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql
"""

STATEMENT_TRIGGERS = {
    "intake_entry_count_insert": (
        "AFTER INSERT ON intake_entry REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
    ),
    "intake_entry_count_delete": (
        "AFTER DELETE ON intake_entry REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
    ),
    "intake_entry_count_update": (
        "AFTER UPDATE ON intake_entry REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT"
    ),
}


async def _switch(old: str, new: str, function: str, triggers: dict[str, str]) -> None:
    """PostgreSQL: replace the count triggers and function ``old`` by ``function`` (defining
    ``new``) and ``triggers``, and recount; SQLite: nothing (it keeps the row triggers)."""
    engine = engine_finder()
    if not isinstance(engine, PostgresEngine):
        return
    for name in triggers:
        await engine.run_ddl(f"DROP TRIGGER IF EXISTS {name} ON intake_entry")
    await engine.run_ddl(f"DROP FUNCTION IF EXISTS {old}()")
    await engine.run_ddl(function)
    for name, event in triggers.items():
        await engine.run_ddl(f"CREATE TRIGGER {name} {event} EXECUTE FUNCTION {new}()")
    await engine.run_ddl("DELETE FROM intake_entry_count")
    await engine.run_ddl(ROW.FILL)


async def _statement_level() -> None:
    await _switch(
        "intake_entry_count_change", "intake_entry_count_statement",
        STATEMENT_FUNCTION, STATEMENT_TRIGGERS,
    )  # fmt: skip


async def _row_level() -> None:
    await _switch(
        "intake_entry_count_statement", "intake_entry_count_change",
        ROW.POSTGRES_FUNCTION, ROW.POSTGRES_TRIGGERS,
    )  # fmt: skip


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_statement_level)
    manager.add_raw_backwards(_row_level)
    return manager
