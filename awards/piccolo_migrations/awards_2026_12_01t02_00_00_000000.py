"""Intake: entry counts kept up to date by the database, for the organizer's entry list.

The entry list shows an edition's entries per status, the submitted ones per screening outcome,
and how many screening notices are due. Counted from ``intake_entry`` on every request that is a
scan of every entry of the edition (30,000 entries: ~8 ms for the grouped count on SQLite even
from a covering index, and the due notices read every row). Instead ``intake_entry_count`` holds
one row per ``(edition, status, screening, screening_notified)`` with its number of entries
``n``, kept by triggers on ``intake_entry`` (insert: +1, delete: -1, a change of one of those
columns: -1 on the old key, +1 on the new), so every writer (services, bulk import, demo,
restore) keeps it right and the list reads a handful of rows. A key whose entries are gone keeps
its row with ``n = 0``.

PostgreSQL: a change updates two counter rows; the trigger takes them in one fixed order (the
smaller key first) so two changes in opposite directions wait for each other instead of
deadlocking. Counter rows are row-locked until commit, so transactions that change the status or
screening of entries of the same edition (and key) wait for each other; submissions already do
(the receipt number locks the edition).

The rows reference the edition (deleted with it, and emptied with it by ``TRUNCATE ...
CASCADE``). The migration fills the table from the entries present.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: entry counts per edition, status and screening kept by triggers"

KEY = "edition, status, screening, screening_notified"

TABLE = (
    "CREATE TABLE IF NOT EXISTS intake_entry_count ("
    " edition INTEGER NOT NULL REFERENCES intake_edition (id) ON DELETE CASCADE,"
    " status VARCHAR(12) NOT NULL,"
    " screening VARCHAR(12) NOT NULL,"
    " screening_notified VARCHAR(12) NOT NULL,"
    " n INTEGER NOT NULL DEFAULT 0,"
    f" PRIMARY KEY ({KEY}))"
)

FILL = (
    f"INSERT INTO intake_entry_count ({KEY}, n) "
    f"SELECT {KEY}, COUNT(*) FROM intake_entry GROUP BY {KEY}"
)

CHANGED = " OR ".join(
    f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in KEY.split(", ")
)


def _add(row: str) -> str:
    return (
        f"INSERT INTO intake_entry_count ({KEY}, n) VALUES ({row}.edition, {row}.status, "
        f"{row}.screening, {row}.screening_notified, 1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = intake_entry_count.n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE intake_entry_count SET n = n - 1 WHERE edition = {row}.edition "
        f"AND status = {row}.status AND screening = {row}.screening "
        f"AND screening_notified = {row}.screening_notified;"
    )


SQLITE_TRIGGERS = {
    "intake_entry_count_insert": f"AFTER INSERT ON intake_entry BEGIN {_add('NEW')} END",
    "intake_entry_count_delete": f"AFTER DELETE ON intake_entry BEGIN {_remove('OLD')} END",
    "intake_entry_count_update": (
        f"AFTER UPDATE OF {KEY} ON intake_entry "
        f"WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} "
        f"BEGIN {_remove('OLD')} {_add('NEW')} END"
    ),
}

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION intake_entry_count_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_add("NEW")}
  ELSIF TG_OP = 'DELETE' THEN
    {_remove("OLD")}
  ELSIF (OLD.edition, OLD.status, OLD.screening, OLD.screening_notified)
      < (NEW.edition, NEW.status, NEW.screening, NEW.screening_notified) THEN
    {_remove("OLD")}
    {_add("NEW")}
  ELSE
    {_add("NEW")}
    {_remove("OLD")}
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql
"""

POSTGRES_TRIGGERS = {
    "intake_entry_count_insert": "AFTER INSERT ON intake_entry FOR EACH ROW",
    "intake_entry_count_delete": "AFTER DELETE ON intake_entry FOR EACH ROW",
    "intake_entry_count_update": (
        f"AFTER UPDATE OF {KEY} ON intake_entry FOR EACH ROW WHEN ({CHANGED})"
    ),
}


async def _create() -> None:
    engine = engine_finder()
    await engine.run_ddl(TABLE)
    if isinstance(engine, PostgresEngine):
        await engine.run_ddl(POSTGRES_FUNCTION)
        for name, event in POSTGRES_TRIGGERS.items():
            await engine.run_ddl(
                f"CREATE TRIGGER {name} {event} EXECUTE FUNCTION intake_entry_count_change()"
            )
    else:
        for name, body in SQLITE_TRIGGERS.items():
            await engine.run_ddl(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    await engine.run_ddl("DELETE FROM intake_entry_count")
    await engine.run_ddl(FILL)


async def _drop() -> None:
    engine = engine_finder()
    for name in POSTGRES_TRIGGERS:
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(f"DROP TRIGGER IF EXISTS {name} ON intake_entry")
        else:
            await engine.run_ddl(f"DROP TRIGGER IF EXISTS {name}")
    if isinstance(engine, PostgresEngine):
        await engine.run_ddl("DROP FUNCTION IF EXISTS intake_entry_count_change()")
    await engine.run_ddl("DROP TABLE IF EXISTS intake_entry_count")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
