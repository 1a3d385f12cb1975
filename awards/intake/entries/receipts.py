"""Receipt numbers: ``<PREFIX>-<CODE>-<NNNNNN>``, e.g. ``MLG26-KUL-000123``.

* ``PREFIX`` = a three-letter place code from the edition slug's first word (its first two
  consonants and its last consonant: ``malang`` -> ``MLG``) followed by the year's last two digits.
* ``CODE`` = the category code (``KUL``).
* ``NNNNNN`` = the edition-wide sequence: one more than the largest number already issued in
  the edition (whatever its category), zero-padded to six digits.

:func:`next_receipt_number` must run inside :func:`awards.db.write_transaction`: on SQLite that
transaction already serializes writers; on PostgreSQL the edition row is locked
(``SELECT ... FOR UPDATE``) so two concurrent submissions cannot read the same maximum. The
unique index on ``receipt_number`` is the last line of defence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from awards.intake.common import lock_for_update
from awards.intake.tables import Entry

__all__ = ["format_receipt", "next_receipt_number", "receipt_prefix"]

_VOWELS = set("AEIOU")

_MAX_SEQUENCE_SQL = (
    "SELECT MAX(CAST(REPLACE(receipt_number, RTRIM(receipt_number, '0123456789'), '') "
    "AS INTEGER)) AS n FROM intake_entry WHERE edition = {} AND receipt_number IS NOT NULL "
    "AND receipt_number <> RTRIM(receipt_number, '0123456789')"
)


def receipt_prefix(slug: str, year: int) -> str:
    """``malang-2026``, 2026 -> ``MLG26`` (see the module docstring)."""
    word = re.sub(r"[^A-Z]", "", (re.split(r"[-_\s]", slug.upper()) or [""])[0])
    consonants = [c for c in word if c not in _VOWELS]
    code = "".join(consonants[:2] + consonants[-1:]) if len(consonants) >= 3 else word[:3]
    return f"{code.ljust(3, 'X')}{year % 100:02d}"


def format_receipt(edition: Mapping[str, Any], category_code: str, number: int) -> str:
    code = re.sub(r"[^A-Z0-9]", "", category_code.upper()) or "CAT"
    return f"{receipt_prefix(edition['slug'], edition['year'])}-{code}-{number:06d}"


async def next_receipt_number(edition: Mapping[str, Any], category_code: str) -> str:
    """The next receipt number of the edition; call inside ``write_transaction``."""
    await lock_for_update("intake_edition", edition["id"])
    rows = await Entry.raw(_MAX_SEQUENCE_SQL, edition["id"])
    largest = rows[0]["n"] if rows and rows[0]["n"] is not None else 0
    return format_receipt(edition, category_code, int(largest) + 1)
