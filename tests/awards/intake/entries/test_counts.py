"""The maintained entry counts (``intake_entry_count``, kept by triggers) equal a count of the
entries themselves after inserts, changes and deletes (single- and multi-row statements, a bulk
import), the list reads them, and on PostgreSQL two transactions changing many entries of one
edition do not deadlock on them."""

from __future__ import annotations

import asyncio
from importlib import import_module
from typing import Any

import pytest
from piccolo.query.functions.aggregate import Count

from awards.intake.bulk import service as bulk
from awards.intake.bulk import write
from awards.intake.entries.listing import Tally, _tally
from awards.intake.tables import Edition, Entry
from tests.awards.intake.bulk.test_service import GOOD_ROWS, HEADER
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
)
from tests.conftest import TEST_DATABASE_URL, is_postgres_run

STATEMENT_LEVEL = import_module("awards.piccolo_migrations.awards_2026_12_01t05_00_00_000000")

KEY = (Entry.edition, Entry.status, Entry.screening, Entry.screening_notified)


def _counted(run: Any) -> dict[tuple[Any, ...], int]:
    """(edition, status, screening, screening_notified) -> entries, counted from the entries."""
    rows = run(Entry.select(*KEY, Count(alias="n")).group_by(*KEY).run())
    return {tuple(row[c._meta.name] for c in KEY): row["n"] for row in rows}


def _maintained(run: Any) -> dict[tuple[Any, ...], int]:
    rows = run(Entry.raw("SELECT * FROM intake_entry_count WHERE n <> 0").run())
    return {
        (row["edition"], row["status"], row["screening"], row["screening_notified"]): row["n"]
        for row in rows
    }


def _world(run: Any) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    ids = [
        make_entry(run, edition, category, make_business(run, f"91200000000{n:02d}"), status=s)
        for n, s in enumerate(["draft", "submitted", "submitted", "withdrawn", "submitted"])
    ]
    return edition, category, ids


def test_entry_counts_follow_inserts(client, run):
    """Inserted entries are counted under their key."""
    _world(run)
    assert _maintained(run) == _counted(run)
    assert sum(_maintained(run).values()) == 5


def test_entry_counts_follow_changes_of_status_screening_and_notice(client, run):
    """Changing status, screening or the decision last sent moves the entry between keys;
    changing other columns does not."""
    _, _, ids = _world(run)
    run(Entry.update({Entry.status: "submitted"}).where(Entry.id == ids[0]).run())
    run(Entry.update({Entry.screening: "eligible"}).where(Entry.id.is_in(ids[1:3])).run())
    run(Entry.update({Entry.screening: "ineligible"}).where(Entry.id == ids[4]).run())
    run(Entry.update({Entry.screening_notified: "eligible"}).where(Entry.id == ids[1]).run())
    run(Entry.update({Entry.business_name: "Baru", Entry.status: "submitted"}, force=True).run())
    assert _maintained(run) == _counted(run)


def test_entry_counts_follow_deletes_of_entries_and_editions(client, run):
    """Deleted entries leave the counts; a deleted edition takes its counts with it."""
    edition, _, ids = _world(run)
    other = make_edition(run, slug="batu-2026")
    make_entry(
        run, other, categories(run, other["id"])["kuliner"], make_business(run, "9120000000099")
    )
    run(Entry.delete().where(Entry.id == ids[1]).run())
    assert _maintained(run) == _counted(run)
    run(Entry.delete().where(Entry.edition == edition["id"]).run())
    run(Edition.delete().where(Edition.id == edition["id"]).run())
    assert _maintained(run) == _counted(run)
    assert run(_tally(edition["id"])) is None


def test_tally_counts_statuses_screenings_and_due_notices(client, run):
    """The tally counts entries per status, submitted ones per screening, and due notices
    (submitted, decided, decision not yet sent)."""
    edition, _, ids = _world(run)
    run(Entry.update({Entry.screening: "eligible"}).where(Entry.id.is_in(ids[1:3])).run())
    run(Entry.update({Entry.screening_notified: "eligible"}).where(Entry.id == ids[1]).run())
    run(Entry.update({Entry.screening: "ineligible"}).where(Entry.id == ids[3]).run())
    tally = run(_tally(edition["id"]))
    assert tally == Tally(
        statuses={"draft": 1, "submitted": 3, "withdrawn": 1},
        screenings={"eligible": 2, "pending": 1},
        due=1,
    )


def test_tally_of_edition_without_entries_is_empty(client, run):
    """An edition without entries has an empty tally (not None)."""
    edition = make_edition(run)
    assert run(_tally(edition["id"])) == Tally()


def test_entry_counts_follow_a_statement_moving_entries_both_ways(client, run):
    """One statement that moves entries between keys in both directions (draft <-> submitted,
    some screened) nets out per key."""
    edition, _, _ = _world(run)
    run(
        Entry.raw(
            "UPDATE intake_entry SET status = CASE status WHEN 'draft' THEN 'submitted' "
            "WHEN 'submitted' THEN 'draft' ELSE status END, screening = CASE WHEN id % 2 = 0 "
            "THEN 'eligible' ELSE screening END WHERE edition = {}",
            edition["id"],
        ).run()
    )
    assert _maintained(run) == _counted(run)
    assert sum(_maintained(run).values()) == 5


def test_entry_counts_follow_deleting_an_edition_with_its_entries(client, run):
    """Deleting an edition that still has entries (they go by ON DELETE CASCADE) leaves no
    counts for it and keeps the other edition's."""
    edition, _, _ = _world(run)
    other = make_edition(run, slug="batu-2026")
    make_entry(
        run, other, categories(run, other["id"])["kuliner"], make_business(run, "9120000000099")
    )
    run(Edition.delete().where(Edition.id == edition["id"]).run())
    assert _maintained(run) == _counted(run)
    assert sum(_maintained(run).values()) == 1


def test_entry_counts_follow_a_bulk_import_in_many_statements(client, run, monkeypatch):
    """A bulk import of 1,200 rows, sent in statements of 9 rows (a small parameter limit),
    adds every entry to its key once."""
    edition = make_edition(run)
    monkeypatch.setattr(write, "MAX_PARAMETERS", 9 * len(bulk.ENTRY_COLUMNS))
    rows = [GOOD_ROWS[n % 2].replace("912000123456", f"9130{n:08d}", 1) for n in range(1200)]
    source = ("\n".join([HEADER, *rows]) + "\n").encode()
    report = run(bulk.validate_file(edition, source, "paper.csv"))
    assert report.ok, report.errors[:3]
    assert run(bulk.import_rows(edition, report)).created == 1200
    assert _maintained(run) == _counted(run)
    assert sum(_maintained(run).values()) == 1200


@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_entry_counts_restored_to_row_triggers_by_the_backwards_migration(client, run):
    """The migration's backwards step brings back the row triggers, which keep the counts."""
    run(STATEMENT_LEVEL._row_level())
    try:
        assert _trigger_levels(run) == {"row"}
        _, _, ids = _world(run)
        run(Entry.update({Entry.screening: "eligible"}).where(Entry.id.is_in(ids[:3])).run())
        run(Entry.delete().where(Entry.id == ids[4]).run())
        assert _maintained(run) == _counted(run)
    finally:
        run(STATEMENT_LEVEL._statement_level())
    assert _trigger_levels(run) == {"statement"}
    assert _maintained(run) == _counted(run)


def _trigger_levels(run: Any) -> set[str]:
    """'row' or 'statement' for each count trigger on ``intake_entry`` (three of them)."""
    rows = run(
        Entry.raw(
            "SELECT tgtype & 1 AS row_level FROM pg_trigger "
            "WHERE tgrelid = 'intake_entry'::regclass AND tgname LIKE 'intake_entry_count_%'"
        ).run()
    )
    assert len(rows) == 3
    return {"row" if row["row_level"] else "statement" for row in rows}


@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_entry_counts_concurrent_bulk_changes_in_opposite_orders_do_not_deadlock(client, run):
    """Two transactions each change 120 entries of one edition in one statement, meeting the
    keys draft, submitted and withdrawn in opposite orders, at the same time (a row trigger
    that sleeps 5 ms per changed entry makes them overlap): both commit and the counts match.
    With the counter rows locked row by row (the row triggers of 2026-12-01T02:00:00)
    PostgreSQL detects a deadlock here."""
    import asyncpg

    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    template = make_entry(run, edition, category, make_business(run, "9120000000001"))
    first = _copies(run, template, ["submitted"] * 60 + ["draft"] * 60)
    second = _copies(run, template, ["draft"] * 60 + ["submitted"] * 60)
    run(Entry.delete().where(Entry.id == template).run())

    async def change(connection: Any, ids: list[int]) -> None:
        try:
            await connection.execute(
                "UPDATE intake_entry SET status = CASE status WHEN 'submitted' THEN 'withdrawn' "
                "ELSE 'submitted' END WHERE id = ANY($1::int[])",
                ids,
            )
        except BaseException:
            await connection.execute("ROLLBACK")
            raise
        await connection.execute("COMMIT")

    async def both() -> list[Any]:
        connections = [await asyncpg.connect(TEST_DATABASE_URL) for _ in range(2)]
        try:
            for connection in connections:
                await connection.execute("BEGIN")
            return await asyncio.gather(
                change(connections[0], first), change(connections[1], second),
                return_exceptions=True,
            )  # fmt: skip
        finally:
            for connection in connections:
                await connection.close()

    run(Entry.raw(SLOW_FUNCTION).run())
    run(Entry.raw(f"CREATE TRIGGER {SLOW} {SLOW_EVENT} EXECUTE FUNCTION {SLOW}()").run())
    try:
        outcomes = asyncio.run(both())
    finally:
        run(Entry.raw(f"DROP TRIGGER IF EXISTS {SLOW} ON intake_entry").run())
        run(Entry.raw(f"DROP FUNCTION IF EXISTS {SLOW}()").run())
    assert outcomes == [None, None]
    assert _maintained(run) == _counted(run)
    assert sorted(_maintained(run).values()) == [120, 120]


SLOW = "test_intake_entry_slow"
SLOW_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {SLOW}() RETURNS trigger AS $$ "
    "BEGIN PERFORM pg_sleep(0.005); RETURN NULL; END; $$ LANGUAGE plpgsql"
)
SLOW_EVENT = "AFTER UPDATE ON intake_entry FOR EACH ROW"


def _copies(run: Any, template: int, statuses: list[str]) -> list[int]:
    """Copies of entry ``template`` with the given statuses, inserted in that order: ids."""
    rows = run(
        Entry.raw(
            "INSERT INTO intake_entry (edition, category, business, status, screening, "
            "screening_notified, answers, source, business_name, created_at, updated_at) "
            "SELECT e.edition, e.category, e.business, s.status, e.screening, "
            "e.screening_notified, e.answers, e.source, e.business_name, e.created_at, "
            "e.updated_at FROM intake_entry e, unnest({}::text[]) WITH ORDINALITY AS s(status, i) "
            "WHERE e.id = {} ORDER BY s.i RETURNING id",
            statuses,
            template,
        ).run()
    )
    return sorted(row["id"] for row in rows)
