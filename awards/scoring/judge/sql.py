"""The judge's hot-path statements in plain SQL: queue, entry page, sheet read and sheet save.

Hot path: every judge click runs one of these (``benchmarks/scoring_load.py`` drives 64 judges
through queue -> entry page -> sheet -> drafts -> submit). Piccolo builds a SELECT in about
0.3-1 ms of CPU (column copies, ``dir()``, default querystrings; 1.5-3 ms for the joined
selects below) while SQLite runs it in about 0.05 ms, so these statements are written once
here, from the tables' column names at import, and sent with ``Table.raw``. Each replaces
several Piccolo queries by one join, with the same guards in its ``WHERE`` clause.

Types are those of Piccolo's selects on both databases: on SQLite the declared-type converters
Piccolo registers turn ``TIMESTAMPTZ`` into aware datetimes, ``BOOLEAN`` into bools and
``INTEGER`` into ints for plain column references (also through joins and ``RETURNING``); JSON
columns arrive as text on both databases and :func:`loads` decodes them as
``output(load_json=True)`` does. Computed columns (``EXISTS``, a scalar subquery) are
ints on SQLite and bools or ints on PostgreSQL; callers use them through ``bool()`` / as ids.
Placeholders are Piccolo's ``{}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from piccolo.utils.encoding import dump_json

from awards.intake.entries.sql import columns, json_loaded, split
from awards.intake.entries.sql import json_value as loads
from awards.scoring.common import CASE_OPEN, REVIEW_ACTION
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
    SheetStatus,
)

__all__ = [
    "ACCESS_SQL",
    "ENTRY_ATTACHMENTS_SQL",
    "ENTRY_SQL",
    "INSERT_REVISION_SQL",
    "INSERT_SHEET_LOGGED_SQL",
    "INSERT_SHEET_SQL",
    "QUEUE_SQL",
    "REVIEW_OPEN_SQL",
    "SAVE_SQL",
    "SHEET_SQL",
    "UPDATE_SHEET_LOGGED_SQL",
    "UPDATE_SHEET_SQL",
    "assignment_of",
    "dump_json",
    "loads",
    "round_of",
    "sheet_of",
    "written",
]

_ROUND_SQL, _ROUND_PAIRS = columns(ScoringRound, "r", "r_")
_ASSIGNMENT_SQL, _ASSIGNMENT_PAIRS = columns(Assignment, "a", "a_")
_SHEET_SQL, _SHEET_PAIRS = columns(ScoreSheet, "s", "s_")
_SHEET_NAMES = ", ".join(f'"{c._meta.db_column_name}"' for c in ScoreSheet._meta.columns)
_ROUND_JSON = frozenset(c._meta.name for c in ScoringRound._meta.json_columns)
_SHEET_JSON = frozenset(c._meta.name for c in ScoreSheet._meta.json_columns)

_ACTIVE = AssignmentStatus.active.value
_DRAFT_SHEET = SheetStatus.draft.value

#: The judge's active assignment to the entry in the round, with the round, its edition and
#: the entry; no row when a conflict (edition x judge x business) exists.
_FROM_ACCESS = """
FROM scoring_assignment a
JOIN scoring_round r ON r.id = a.round
JOIN intake_edition ed ON ed.id = r.edition
JOIN intake_entry e ON e.id = a.entry
"""
_LEFT_JOIN_SHEET = """
LEFT JOIN scoring_sheet s ON s.round = a.round AND s.entry = a.entry AND s.judge = a.judge
"""
_WHERE_ACCESS = f"""
WHERE a.round = {{}} AND a.entry = {{}} AND a.judge = {{}} AND a.status = '{_ACTIVE}'
AND NOT EXISTS (SELECT 1 FROM scoring_conflict c
                WHERE c.edition = r.edition AND c.judge = a.judge AND c.business = e.business)
"""
#: The column ``review_open``: the entry ``a.entry`` has an open moderation case in the round
#: ``a.round`` whose panel was asked to review. The SQL twin of
#: :func:`awards.scoring.common.review_open`, built from the same two values
#: (:data:`~awards.scoring.common.CASE_OPEN`, :data:`~awards.scoring.common.REVIEW_ACTION`);
#: ``tests/awards/scoring/judge/test_sql.py`` checks that they agree.
REVIEW_OPEN_SQL = f"""
EXISTS (SELECT 1 FROM scoring_moderation_action m
        JOIN scoring_moderation_case mc ON mc.id = m.moderation_case
        WHERE mc.round = a.round AND mc.entry = a.entry AND mc.status = '{CASE_OPEN}'
        AND m.action = '{REVIEW_ACTION}') AS review_open
"""
_ROUND_EXTRA = "ed.status AS edition_status, ed.time_zone AS time_zone"
_BUSINESS_SQL = (
    "b.name AS b_name, b.owner_name AS b_owner_name, b.nib AS b_nib, b.phone AS b_phone, "
    "b.email AS b_email, b.address AS b_address, b.district AS b_district, "
    "b.sector AS b_sector, b.logo_key AS b_logo_key"
)

#: judge_access: (round, assignment); args: round, entry, judge.
ACCESS_SQL = f"""
SELECT {_ROUND_SQL}, {_ROUND_EXTRA}, {_ASSIGNMENT_SQL}, e.business AS a_business
{_FROM_ACCESS}{_WHERE_ACCESS}
"""

#: read_sheet: the judge's sheet if the judge may see the entry (``ok`` always 1, the sheet's
#: columns NULL when there is none); args: round, entry, judge.
SHEET_SQL = f"""
SELECT 1 AS ok, {_SHEET_SQL}
{_FROM_ACCESS}{_LEFT_JOIN_SHEET}{_WHERE_ACCESS}
"""

#: save_sheet (inside its write transaction): access, the stored sheet, whether the
#: idempotency key was already used on it, whether a review is open; args: key, round, entry,
#: judge.
SAVE_SQL = f"""
SELECT {_ROUND_SQL}, {_ROUND_EXTRA}, {_ASSIGNMENT_SQL}, e.business AS a_business, {_SHEET_SQL},
EXISTS (SELECT 1 FROM scoring_sheet_revision v
        WHERE v.sheet = s.id AND v.idempotency_key = {{}}) AS replayed,
{REVIEW_OPEN_SQL}
{_FROM_ACCESS}{_LEFT_JOIN_SHEET}{_WHERE_ACCESS}
"""

#: The judge's other active assignments in the round without a submitted (non-draft) sheet.
_NEXT = f"""
FROM scoring_assignment n
WHERE n.round = a.round AND n.judge = a.judge AND n.status = '{_ACTIVE}'
AND NOT EXISTS (SELECT 1 FROM scoring_sheet d
                WHERE d.round = n.round AND d.entry = n.entry AND d.judge = n.judge
                AND d.status <> '{_DRAFT_SHEET}')
"""

#: judge_entry: access, the sheet, the entry's answers, business and form, the review flag and
#: the next assigned entry after this one (wrapping) without a submitted (non-draft) sheet;
#: args: round, entry, judge.
ENTRY_SQL = f"""
SELECT {_ROUND_SQL}, {_ROUND_EXTRA}, {_ASSIGNMENT_SQL}, e.business AS a_business, {_SHEET_SQL},
e.answers AS entry_answers, cat.form AS category_form, {_BUSINESS_SQL},
{REVIEW_OPEN_SQL},
COALESCE((SELECT MIN(n.entry) {_NEXT} AND n.entry > a.entry),
         (SELECT MIN(n.entry) {_NEXT} AND n.entry < a.entry)) AS next_entry
{_FROM_ACCESS}
JOIN intake_business b ON b.id = e.business
JOIN intake_category cat ON cat.id = e.category
{_LEFT_JOIN_SHEET}{_WHERE_ACCESS}
"""

#: The entry's attachments as the judge's entry page lists them; args: entry.
ENTRY_ATTACHMENTS_SQL = """
SELECT id, field_key, original_name, content_type, thumbnail_key, size_bytes
FROM intake_attachment WHERE entry = {} ORDER BY id
"""

#: The judge's queue: every assignment in a round that is not a draft, with its round, the
#: round's category names and zone, the judge's sheet, whether the judge has a conflict with
#: the business and whether the entry is under review; newest close first, then by entry.
#: args: judge.
QUEUE_SQL = f"""
SELECT a.round AS round, a.entry AS entry, a.status AS status, a.declaration AS declaration,
e.business_name AS business_name,
r.name AS round_name, r.kind AS kind, r.status AS round_status, r.opens_at AS opens_at,
r.closes_at AS closes_at, r.blind AS blind,
cat.name_id AS category_id_name, cat.name_en AS category_en_name, ed.time_zone AS time_zone,
s.status AS sheet_status, s.updated_at AS sheet_updated_at,
EXISTS (SELECT 1 FROM scoring_conflict c
        WHERE c.edition = r.edition AND c.judge = a.judge AND c.business = e.business)
  AS conflicted,
{REVIEW_OPEN_SQL}
FROM scoring_assignment a
JOIN scoring_round r ON r.id = a.round
JOIN intake_category cat ON cat.id = r.category
JOIN intake_edition ed ON ed.id = r.edition
JOIN intake_entry e ON e.id = a.entry
{_LEFT_JOIN_SHEET}
WHERE a.judge = {{}} AND r.status <> '{RoundStatus.draft.value}'
ORDER BY r.closes_at DESC, r.id, a.entry
"""

_WRITTEN = (
    "status",
    "scores",
    "comments",
    "confidence",
    "comment_to_entrant",
    "private_note",
    "total",
    "submitted_at",
    "updated_at",
    "rubric_version",
)

#: A new sheet (version 1); args: round, entry, judge, then the values of ``_WRITTEN``,
#: then created_at. Returns the stored row.
INSERT_SHEET_SQL = f"""
INSERT INTO scoring_sheet (round, entry, judge, version, reason, created_at,
{", ".join(_WRITTEN)})
VALUES ({{}}, {{}}, {{}}, 1, '', {{}}, {", ".join("{}" for _ in _WRITTEN)})
RETURNING {_SHEET_NAMES}
"""

#: The compare-and-swap update: args: the values of ``_WRITTEN``, the new version, the id and
#: the version read. Returns the stored row, none when the version moved on.
UPDATE_SHEET_SQL = f"""
UPDATE scoring_sheet SET {", ".join(f"{name} = {{}}" for name in _WRITTEN)}, version = {{}}
WHERE id = {{}} AND version = {{}}
RETURNING {_SHEET_NAMES}
"""

#: One history row; args: sheet, version, actor, action, old, new (JSON text), key, created_at.
INSERT_REVISION_SQL = """
INSERT INTO scoring_sheet_revision
(sheet, version, actor, action, old_value, new_value, idempotency_key, created_at)
VALUES ({}, {}, {}, {}, {}, {}, {}, {})
"""


def _logged(write_sql: str) -> str:
    """PostgreSQL: ``write_sql`` (a sheet's insert or update, ``RETURNING`` the row) and its
    history row in one statement. A data-modifying ``WITH`` is atomic on its own, so the save
    needs neither ``BEGIN`` nor ``COMMIT``: three round trips to the server instead of five, on
    the path 200 judges autosave on. Args: those of ``write_sql``, then the revision's actor,
    action, old and new (JSON text), key and created_at (sheet and version come from the
    written row). Returns the written row, none when an update's version moved on."""
    return f"""
WITH written AS ({write_sql.strip()}),
logged AS (
INSERT INTO scoring_sheet_revision
(sheet, version, actor, action, old_value, new_value, idempotency_key, created_at)
SELECT id, version, {{}}::integer, {{}}::varchar, {{}}::json, {{}}::json, {{}}::varchar,
{{}}::timestamptz FROM written)
SELECT * FROM written
"""


#: PostgreSQL: :data:`INSERT_SHEET_SQL` with its history row (see :func:`_logged`).
INSERT_SHEET_LOGGED_SQL = _logged(INSERT_SHEET_SQL)
#: PostgreSQL: :data:`UPDATE_SHEET_SQL` with its history row (see :func:`_logged`).
UPDATE_SHEET_LOGGED_SQL = _logged(UPDATE_SHEET_SQL)


def written(values: Mapping[str, Any]) -> list[Any]:
    """The values of a sheet write in the order of ``_WRITTEN`` (JSON columns as text)."""
    return [dump_json(values[name]) if name in _SHEET_JSON else values[name] for name in _WRITTEN]


def round_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The round's columns of a joined row (JSON decoded), with ``edition_status`` and
    ``time_zone``: what ``ScoringRound.select(all_columns, ...)`` with ``load_json`` gave."""
    out = split(row, _ROUND_PAIRS, _ROUND_JSON)
    out["edition_status"] = row["edition_status"]
    out["time_zone"] = row["time_zone"]
    return out


def assignment_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The assignment's columns of a joined row, with ``business`` (the entry's)."""
    out = {name: row[key] for name, key in _ASSIGNMENT_PAIRS}
    out["business"] = row["a_business"]
    return out


def sheet_of(row: Mapping[str, Any], prefixed: bool = True) -> dict[str, Any] | None:
    """The sheet's columns of a row (JSON decoded), None when the left join found none."""
    if not prefixed:
        return json_loaded(dict(row), _SHEET_JSON)
    if row["s_id"] is None:
        return None
    return split(row, _SHEET_PAIRS, _SHEET_JSON)
