"""The maintained entry counts (``intake_entry_count``, kept by triggers) equal a count of the
entries themselves after inserts, changes and deletes, and the list reads them."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Count

from awards.intake.screening import Tally, _tally
from awards.intake.tables import Edition, Entry
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
)

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
