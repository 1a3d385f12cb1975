"""Intake: remember which screening decision the entrant was last emailed.

``intake_entry.screening_notified`` holds the decision (``eligible`` / ``ineligible``) last sent
to the business, ``""`` when none was; ``screening_notified_at`` when. Screening decisions are
emailed only when an organizer sends them (see :mod:`awards.intake.entries.screening`), and only when
the decision differs from the one last sent.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T19:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Intake: the screening decision last emailed to the entrant"

_COMMON = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="awards", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Entry",
        tablename="intake_entry",
        column_name="screening_notified",
        db_column_name="screening_notified",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 12, "default": "", "null": False, **_COMMON},
        schema=None,
    )
    manager.add_column(
        table_class_name="Entry",
        tablename="intake_entry",
        column_name="screening_notified_at",
        db_column_name="screening_notified_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={"default": None, "null": True, **_COMMON},
        schema=None,
    )
    return manager
