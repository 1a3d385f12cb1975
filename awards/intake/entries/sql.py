"""The entrant's hot-path statements in plain SQL: one entry with everything around it, its
attachments, its row inside a save, the edition held by a write, the save itself, the
dashboard's entries and the user's memberships; and the organizer's entry page: the entry with
everything around it and its notes.

Hot path: an entrant's autosave (``PATCH /api/v1/entries/{id}``), the dashboard and the
organizer's entry page (``GET /organizer/entries/{id}``) run these on every request. Piccolo
builds a SELECT in about 0.3-1 ms of CPU (column copies, ``dir()``, default querystrings; more
for joins) while SQLite runs an indexed one in about 0.05 ms, and the save used to send 14
Piccolo statements (the entry, edition and declaration read two or three times). So the
statements are written once here, from the tables' column names at import, and sent with
``Table.raw``; the context is one join instead of six reads, the organizer's entry one instead
of three.

Types are those of Piccolo's selects on both databases: on SQLite the declared-type converters
Piccolo registers turn ``TIMESTAMPTZ`` into aware datetimes and ``INTEGER`` into ints for plain
column references (also through joins and ``RETURNING``); JSON columns arrive as text on both
databases and :func:`split` / :func:`json_loaded` decode them as ``output(load_json=True)``
does. Computed columns (``EXISTS``, ``COUNT``) are ints. Placeholders are Piccolo's ``{}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import msgspec
from piccolo.table import Table
from piccolo.utils.encoding import dump_json, load_json

from awards.accounts.tables import User
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Category,
    Declaration,
    Edition,
    Entry,
    EntryNote,
    EntryStatus,
)

__all__ = [
    "ATTACHMENTS_SQL",
    "CONTEXT_FORM",
    "CONTEXT_IN_WRITE_SQL",
    "CONTEXT_PARTS",
    "CONTEXT_SQL",
    "EDITION_JSON",
    "EDITION_SQL",
    "ENTRY_JSON",
    "ENTRY_NOTES_SQL",
    "IN_WRITE_EXCLUSIVE",
    "IN_WRITE_SHARE",
    "MEMBERSHIPS_SQL",
    "MY_ENTRIES_SQL",
    "ORGANIZER_ENTRY_PARTS",
    "ORGANIZER_ENTRY_SQL",
    "Pairs",
    "columns",
    "dump_json",
    "json_loaded",
    "json_value",
    "shared_json_value",
    "split",
    "update_entry_sql",
]

#: (key in the row dict, name in the result row) for each column of one table.
Pairs = tuple[tuple[str, str], ...]


def columns(table: type[Table], alias: str, prefix: str) -> tuple[str, Pairs]:
    """``alias."col" AS "prefixcol", ...`` for every column of ``table``, and the
    (key, result name) pairs to take the row back apart."""
    names = [(c._meta.name, c._meta.db_column_name) for c in table._meta.columns]
    sql = ", ".join(f'{alias}."{column}" AS "{prefix}{name}"' for name, column in names)
    return sql, tuple((name, prefix + name) for name, _ in names)


def _json_names(table: type[Table]) -> frozenset[str]:
    return frozenset(c._meta.name for c in table._meta.json_columns)


_decode = msgspec.json.Decoder().decode


def json_value(value: Any) -> Any:
    """A JSON column's value decoded from text (anything else, None included, as it is), as
    Piccolo's ``load_json`` output gives it.

    Decoded with msgspec (a category's form: 19 us, 53 with the standard library; a save
    decodes eight columns); text msgspec refuses and ``json`` reads (``NaN``, ``1e400``) goes
    to Piccolo's ``load_json``. Both give the same dicts, lists, strings and numbers."""
    if not isinstance(value, str | bytes):
        return value
    try:
        return _decode(value)
    except msgspec.DecodeError:
        return load_json(value)


@lru_cache(maxsize=128)
def shared_json_value(text: str) -> Any:
    """:func:`json_value` of ``text``, decoded once per distinct text and then shared by every
    caller: the value must be treated as read-only (never mutated, never handed to code that
    mutates it).

    For a category's ``form`` and ``rubric``, the largest JSON of a save's context (4 KB and
    3.5 KB in the demo: 9 + 7 us of msgspec on every save) and changed only by an organizer's
    edit. The key is the stored text itself, so an edited form or rubric is a new key and is
    decoded afresh: no stale value can be served. Copying a decoded value for each caller
    would cost as much as decoding it (``copy.deepcopy`` of the form: ~150 us)."""
    return json_value(text)


def split(
    row: Mapping[str, Any],
    pairs: Pairs,
    json_names: frozenset[str],
    shared: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One table's row (as ``Table.select().output(load_json=True)`` gives it) out of a joined
    result row; JSON text in ``json_names`` is decoded, that in ``shared`` (a subset of
    ``json_names``) through :func:`shared_json_value` (read-only values)."""
    out = json_loaded({key: row[name] for key, name in pairs}, json_names - shared)
    for key in shared:
        value = out[key]
        out[key] = shared_json_value(value) if isinstance(value, str) else json_value(value)
    return out


def json_loaded(row: dict[str, Any], json_names: frozenset[str]) -> dict[str, Any]:
    """``row`` with its JSON text in ``json_names`` decoded (in place)."""
    for key in json_names:
        if key in row:
            row[key] = json_value(row[key])
    return row


_ENTRY_COLUMNS, ENTRY_PAIRS = columns(Entry, "e", "e_")
_BUSINESS_COLUMNS, BUSINESS_PAIRS = columns(Business, "b", "b_")
_CATEGORY_COLUMNS, CATEGORY_PAIRS = columns(Category, "c", "c_")
_EDITION_COLUMNS, EDITION_PAIRS = columns(Edition, "ed", "ed_")
ENTRY_JSON = _json_names(Entry)
CATEGORY_JSON = _json_names(Category)
EDITION_JSON = _json_names(Edition)

#: The category's JSON columns an entry's context shares read-only between requests
#: (:func:`shared_json_value`): nothing that reads a context changes them, they are the
#: largest, and only an organizer's edit changes them.
CATEGORY_SHARED_JSON = frozenset({"form", "rubric"}) & CATEGORY_JSON

#: How to take a :data:`CONTEXT_SQL` row apart: (part, pairs, JSON column names, the JSON
#: columns decoded as shared read-only values).
CONTEXT_PARTS = (
    ("entry", ENTRY_PAIRS, ENTRY_JSON, frozenset()),
    ("business", BUSINESS_PAIRS, frozenset(), frozenset()),
    ("category", CATEGORY_PAIRS, CATEGORY_JSON, CATEGORY_SHARED_JSON),
    ("edition", EDITION_PAIRS, EDITION_JSON, frozenset()),
)

#: The category's form in a :data:`CONTEXT_SQL` row, as stored (JSON text).
CONTEXT_FORM = "c_form"

_ENTRY = Entry._meta.tablename
_BUSINESS = Business._meta.tablename
_CATEGORY = Category._meta.tablename
_EDITION = Edition._meta.tablename
_DECLARATION = Declaration._meta.tablename
_MEMBER = BusinessMember._meta.tablename
_ATTACHMENT = Attachment._meta.tablename
_NOTE = EntryNote._meta.tablename
_USER = User._meta.tablename
_WITHDRAWN = EntryStatus.withdrawn.value

_CONTEXT = f"""
SELECT {_ENTRY_COLUMNS}, {_BUSINESS_COLUMNS}, {_CATEGORY_COLUMNS}, {_EDITION_COLUMNS},
       d.id AS declaration, d.size_class AS declared_size{{others}}
FROM {_ENTRY} e
JOIN {_BUSINESS} b ON b.id = e.business
JOIN {_CATEGORY} c ON c.id = e.category
JOIN {_EDITION} ed ON ed.id = e.edition
LEFT JOIN {_DECLARATION} d ON d.business = e.business AND d.edition = e.edition
WHERE e.id = {{{{}}}}
  AND EXISTS (SELECT 1 FROM {_MEMBER} m WHERE m.business = e.business AND m."user" = {{{{}}}})
LIMIT 1
"""
#: Args: entry id, user id. The entry with its business, category, edition and whether the
#: business declared its size for the edition (``declaration``: an id or NULL; the declared
#: ``declared_size``) — no row unless the user is a member of the entry's business (the same
#: answer as "no such entry").
CONTEXT_SQL = _CONTEXT.format(others="")
#: Args: withdrawn status, entry id, user id. Inside a save's write transaction: as
#: :data:`CONTEXT_SQL`, plus ``others``: the business's entries in the same category that are
#: not withdrawn, this one excluded (the category's entry limit). On PostgreSQL append
#: :data:`IN_WRITE_SHARE` or :data:`IN_WRITE_EXCLUSIVE`: the edition row is then held as
#: ``edition_in_transaction`` holds it, by the same statement.
CONTEXT_IN_WRITE_SQL = _CONTEXT.format(
    others=f""",
       (SELECT COUNT(*) FROM {_ENTRY} o
        WHERE o.business = e.business AND o.category = e.category AND o.status != {{}}
          AND o.id != e.id) AS others"""
)
#: PostgreSQL locks of the in-write context's edition row (``FOR SHARE`` / ``FOR UPDATE``).
IN_WRITE_SHARE = " FOR SHARE OF ed"
IN_WRITE_EXCLUSIVE = " FOR UPDATE OF ed"

#: The organizer's entry page needs the category's names only (not its form, eligibility and
#: rubric, decoded for nothing): its form comes as JSON text in ``c_form``.
_CATEGORY_NAMES = "c.id AS c_id, c.slug AS c_slug, c.name_id AS c_name_id, c.name_en AS c_name_en"
_CATEGORY_NAME_PAIRS: Pairs = (
    ("id", "c_id"),
    ("slug", "c_slug"),
    ("name_id", "c_name_id"),
    ("name_en", "c_name_en"),
)

#: How to take an :data:`ORGANIZER_ENTRY_SQL` row apart: (part, pairs, JSON column names).
ORGANIZER_ENTRY_PARTS = (
    ("entry", ENTRY_PAIRS, ENTRY_JSON),
    ("business", BUSINESS_PAIRS, frozenset()),
    ("category", _CATEGORY_NAME_PAIRS, frozenset()),
)

#: Args: entry id. The entry with its business, its category's names and form (``c_form``),
#: its edition's ``edition.status`` and ``edition.time_zone``, and the screener's
#: ``screener.display_name`` and ``screener.email`` (NULL when not screened). The caller
#: checks that the user manages the edition (``e_edition``).
ORGANIZER_ENTRY_SQL = f"""
SELECT {_ENTRY_COLUMNS}, {_BUSINESS_COLUMNS}, {_CATEGORY_NAMES}, c.form AS {CONTEXT_FORM},
       ed.status AS "edition.status", ed.time_zone AS "edition.time_zone",
       u.display_name AS "screener.display_name", u.email AS "screener.email"
FROM {_ENTRY} e
JOIN {_BUSINESS} b ON b.id = e.business
JOIN {_CATEGORY} c ON c.id = e.category
JOIN {_EDITION} ed ON ed.id = e.edition
LEFT JOIN {_USER} u ON u.id = e.screened_by
WHERE e.id = {{}}
LIMIT 1
"""

#: Args: entry id. The entry's organizer notes, oldest first, with their author's
#: ``author.email`` and ``author.display_name``.
ENTRY_NOTES_SQL = f"""
SELECT n.id, n.body, n.created_at, u.email AS "author.email",
       u.display_name AS "author.display_name"
FROM {_NOTE} n LEFT JOIN {_USER} u ON u.id = n.author
WHERE n.entry = {{}}
ORDER BY n.id
"""

_ATTACHMENT_NAMES = ", ".join(
    f'"{c._meta.db_column_name}" AS "{c._meta.name}"' for c in Attachment._meta.columns
)
#: Args: entry id. The entry's attachments, oldest first.
ATTACHMENTS_SQL = f"SELECT {_ATTACHMENT_NAMES} FROM {_ATTACHMENT} WHERE entry = {{}} ORDER BY id"

_EDITION_NAMES = ", ".join(
    f'"{c._meta.db_column_name}" AS "{c._meta.name}"' for c in Edition._meta.columns
)
#: Args: edition id. One edition (append ``FOR SHARE`` / ``FOR UPDATE`` on PostgreSQL).
EDITION_SQL = f"SELECT {_EDITION_NAMES} FROM {_EDITION} WHERE id = {{}}"

_ENTRY_NAMES = ", ".join(
    f'"{c._meta.db_column_name}" AS "{c._meta.name}"' for c in Entry._meta.columns
)


def update_entry_sql(columns: tuple[str, ...]) -> str:
    """``UPDATE intake_entry SET col = {}, ... WHERE id = {} RETURNING <every column>``: the
    args are the values of ``columns`` in order, then the entry id."""
    names = (Entry._meta.get_column_by_name(column)._meta.db_column_name for column in columns)
    sets = ", ".join(f'"{name}" = {{}}' for name in names)
    return f"UPDATE {_ENTRY} SET {sets} WHERE id = {{}} RETURNING {_ENTRY_NAMES}"


#: Args: user id. Entries of every business the user manages, newest first, with their
#: category's and edition's names (keys as Piccolo's joined select: ``category.name_id``).
MY_ENTRIES_SQL = f"""
SELECT e.id, e.status, e.screening, e.screening_reason, e.receipt_number, e.business_name,
       e.updated_at, e.submitted_at,
       c.name_id AS "category.name_id", c.name_en AS "category.name_en",
       ed.name_id AS "edition.name_id", ed.name_en AS "edition.name_en",
       ed.time_zone AS "edition.time_zone", ed.intake_closes_at AS "edition.intake_closes_at"
FROM {_ENTRY} e
LEFT JOIN {_CATEGORY} c ON c.id = e.category
LEFT JOIN {_EDITION} ed ON ed.id = e.edition
WHERE e.business IN (SELECT m.business FROM {_MEMBER} m WHERE m."user" = {{}})
ORDER BY e.id DESC
"""

#: Args: user id. The businesses the user manages with their names and the user's role, oldest
#: membership first.
MEMBERSHIPS_SQL = f"""
SELECT m.business, b.name AS "business.name", m.role
FROM {_MEMBER} m
LEFT JOIN {_BUSINESS} b ON b.id = m.business
WHERE m."user" = {{}}
ORDER BY m.id
"""
