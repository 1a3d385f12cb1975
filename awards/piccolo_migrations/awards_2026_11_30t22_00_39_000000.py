"""Results: per-key uniqueness, and triggers that keep frozen results immutable.

A separate migration because a migration's raw SQL runs before its tables are created.

* unique (edition, code) of award tiers; (category, version) of snapshots; (snapshot, entry) of
  placements; (category, entry, kind) of decisions;
* ``BEFORE UPDATE OF`` (every column but the user ones) / ``BEFORE DELETE`` on ``results_snapshot``, ``results_placement`` and
  ``results_correction`` abort with "frozen results are immutable" (SQLite ``RAISE(ABORT)``,
  PostgreSQL a PL/pgSQL function). ``TRUNCATE`` (tests) and ``DROP`` (restore) do not fire them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-30T22:00:39:000000"
VERSION = "1.38.0"
DESCRIPTION = "Results: per-key uniqueness and immutable frozen rows"

INDEXES = {
    "results_publication_category": "results_publication (category, publish_at)",
}
UNIQUE_INDEXES = {
    "results_award_tier_code": "results_award_tier (edition, code)",
    "results_snapshot_version": "results_snapshot (category, version)",
    "results_placement_entry": "results_placement (snapshot, entry)",
    "results_decision_key": "results_decision (category, entry, kind)",
}
# The columns an UPDATE may not touch (the user columns may still become NULL when an
# account is deleted).
IMMUTABLE = {
    "results_snapshot": (
        "edition, category, round, version, parent, inputs_hash, rubric_hash, rubric_version, "
        "method, params, seed, engine_version, numpy_version, manifest, content_hash, frozen_at"
    ),
    "results_placement": (
        "snapshot, entry, engine_rank, place, score, se, raw_mean, p_top3, tied_group, tied_to, "
        "decided_by, tier, special, citation, override_reason"
    ),
    "results_correction": "category, from_snapshot, to_snapshot, public_reason, diff, created_at",
}
MESSAGE = "frozen results are immutable"


async def _create() -> None:
    engine = engine_finder()
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    for name, target in UNIQUE_INDEXES.items():
        await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")
    if isinstance(engine, PostgresEngine):
        await engine.run_ddl(
            "CREATE OR REPLACE FUNCTION results_refuse_change() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        for table, columns in IMMUTABLE.items():
            for event in (f"UPDATE OF {columns}", "DELETE"):
                name = f"{table}_no_{event.split()[0].lower()}"
                await engine.run_ddl(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION results_refuse_change()"
                )
    else:
        for table, columns in IMMUTABLE.items():
            for event in (f"UPDATE OF {columns}", "DELETE"):
                name = f"{table}_no_{event.split()[0].lower()}"
                await engine.run_ddl(
                    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )


async def _drop() -> None:
    engine = engine_finder()
    if isinstance(engine, PostgresEngine):
        for table in IMMUTABLE:
            for event in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_no_{event} ON {table}")
        await engine.run_ddl("DROP FUNCTION IF EXISTS results_refuse_change()")
    else:
        for table in IMMUTABLE:
            for event in ("update", "delete"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    for name in (*INDEXES, *UNIQUE_INDEXES):
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
