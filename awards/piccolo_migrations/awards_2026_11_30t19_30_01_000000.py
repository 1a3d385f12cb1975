"""Scoring: one-row-per-key uniqueness and the list indexes Piccolo cannot declare on a column.

A separate migration because a migration's raw SQL runs before its tables are created. The
unique indexes are what make a double submit, a second tab or two processes unable to create a
second sheet, assignment, conflict or history row for the same key.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-30T19:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Scoring: per-key uniqueness and list indexes"

INDEXES = {
    "scoring_assignment_judge_round": "scoring_assignment (judge, round, status)",
    "scoring_sheet_round_entry": "scoring_sheet (round, entry)",
    "scoring_round_edition_category": "scoring_round (edition, category)",
}
UNIQUE_INDEXES = {
    "scoring_judge_profile_pair": 'scoring_judge_profile (edition, "user")',
    "scoring_round_entry_pair": 'scoring_round_entry ("round", entry)',
    "scoring_assignment_triple": 'scoring_assignment ("round", entry, judge)',
    "scoring_conflict_triple": "scoring_conflict (edition, judge, business)",
    "scoring_sheet_triple": 'scoring_sheet ("round", entry, judge)',
    "scoring_sheet_revision_version": "scoring_sheet_revision (sheet, version)",
    "scoring_sheet_revision_key": "scoring_sheet_revision (sheet, idempotency_key)",
}
PARTIAL_UNIQUE_INDEXES = {
    "scoring_moderation_open": (
        "scoring_moderation_case (\"round\", entry) WHERE status = 'open'"
    ),
}


async def _create() -> None:
    engine = engine_finder()
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    for name, target in {**UNIQUE_INDEXES, **PARTIAL_UNIQUE_INDEXES}.items():
        await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")


async def _drop() -> None:
    engine = engine_finder()
    for name in (*INDEXES, *UNIQUE_INDEXES, *PARTIAL_UNIQUE_INDEXES):
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_raw(_create)
    manager.add_raw_backwards(_drop)
    return manager
