"""Counting the database queries a request makes (budgets and N+1 checks for pages and APIs).

Usage in a test (see ``tests/awards/web/test_query_counts.py``)::

    with count_queries() as queries:
        response = client.get("/entries")
    assert len(queries) <= 6, queries          # the message lists every statement

    counts = page_query_counts(client, urls)   # {url: n} for several GETs (each must be 2xx)
    grow_edition(run, edition_id, copies=3)    # 4x the businesses, entries and attachments
    assert page_query_counts(client, urls) == counts   # no query per row (no N+1)

The counter listens on :func:`awards.db.add_query_listener`, so it sees every statement Piccolo
sends on either database, from the test thread or the app's thread (``insert_many``'s
``executemany`` and transaction control statements are not counted).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from awards import db
from awards.intake.bulk.write import insert_many
from awards.intake.tables import Attachment, Business, BusinessMember, Declaration, Entry

__all__ = ["QueryLog", "count_queries", "grow_edition", "page_query_counts"]


class QueryLog(list[str]):
    """The SQL of each statement, in order; ``str()`` lists them numbered for assert messages."""

    def __str__(self) -> str:
        lines = (f"{n:>3}. {' '.join(sql.split())[:200]}" for n, sql in enumerate(self, 1))
        return f"{len(self)} queries:\n" + "\n".join(lines)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Collect the statements run while the block runs (on any thread)."""
    log = QueryLog()
    lock = threading.Lock()

    def listener(sql: str) -> None:
        with lock:
            log.append(sql)

    db.add_query_listener(listener)
    try:
        yield log
    finally:
        db.remove_query_listener(listener)


def page_query_counts(client: Any, urls: Iterable[str]) -> dict[str, int]:
    """``{url: number of queries}`` for a GET of each URL; every response must be 2xx."""
    counts = {}
    for url in urls:
        with count_queries() as queries:
            response = client.get(url)
        assert 200 <= response.status_code < 300, (url, response.status_code)
        counts[url] = len(queries)
    return counts


def grow_edition(run: Callable[[Any], Any], edition_id: int, copies: int) -> None:
    """Add ``copies`` copies of every business entered in the edition, with its members,
    declarations, entries and attachment rows (the files are not copied)."""
    run(_grow(edition_id, copies))


async def _grow(edition_id: int, copies: int) -> None:
    entries = await Entry.select().where(Entry.edition == edition_id).order_by(Entry.id)
    business_ids = sorted({row["business"] for row in entries})
    businesses = await Business.select().where(Business.id.is_in(business_ids))
    members = await BusinessMember.select().where(BusinessMember.business.is_in(business_ids))
    declarations = await Declaration.select().where(Declaration.business.is_in(business_ids))
    attachments = await Attachment.select().where(Attachment.business.is_in(business_ids))
    tag = uuid.uuid4().hex[:6]
    async with db.write_transaction():
        for copy in range(1, copies + 1):
            new_id = {}
            for row in businesses:
                inserted = await Business.insert(
                    Business(**_copy(row, nib=f"{uuid.uuid4().int % 10**13:013d}"))
                )
                new_id[row["id"]] = inserted[0]["id"]
            await _insert_rows(BusinessMember, members, new_id, copy)
            await _insert_rows(Declaration, declarations, new_id, copy)
            entry_id = {}
            for row in entries:
                fields = _copy(row, business=new_id[row["business"]], import_key=None)
                if row["receipt_number"]:
                    fields["receipt_number"] = f"{row['receipt_number']}-{tag}{copy}"
                inserted = await Entry.insert(Entry(**fields))
                entry_id[row["id"]] = inserted[0]["id"]
            for row in attachments:
                fields = _copy(
                    row,
                    business=new_id[row["business"]],
                    entry=entry_id.get(row["entry"]),
                    storage_key=f"{tag}{copy}-{row['storage_key']}"[:120],
                )
                await Attachment.insert(Attachment(**fields))


async def _insert_rows(table: Any, rows: list[dict], new_id: dict[int, int], copy: int) -> None:
    columns = [name for name in rows[0] if name != "id"] if rows else []
    values = [
        tuple(new_id[row["business"]] if name == "business" else row[name] for name in columns)
        for row in rows
    ]
    await insert_many(table, columns, values)


def _copy(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    fields = {name: value for name, value in row.items() if name != "id"}
    fields.update(changes)
    return fields
