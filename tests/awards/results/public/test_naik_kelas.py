"""Naik kelas: businesses moving up a PP 7/2021 size class between two editions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from awards.intake.tables import Business, Declaration, Edition
from awards.results.public.naik_kelas import ClassRecord, class_records, movements, tally


def _record(
    business: int, edition: int, size: str, district: str = "Klojen", sector: str = "kuliner"
):
    return ClassRecord(business, edition, 2020 + edition, size, district, sector)


def test_movements_compares_only_businesses_in_both_editions():
    """Up, same and down by class rank; a business missing from one edition is left out."""
    records = [
        _record(1, 1, "micro"),
        _record(1, 2, "small"),
        _record(2, 1, "small"),
        _record(2, 2, "small"),
        _record(3, 1, "medium"),
        _record(3, 2, "micro"),
        _record(4, 2, "small"),
        _record(5, 1, "micro"),
    ]
    moves = movements(records, earlier=1, later=2)
    assert [(m.business_id, m.step) for m in moves] == [(1, 1), (2, 0), (3, -2)]


def test_tally_by_district_counts_and_orders_by_upward_moves():
    """Per district: compared, up, same, down; districts with more upward moves first."""
    records = [
        _record(1, 1, "micro", "Klojen"),
        _record(1, 2, "small", "Klojen"),
        _record(2, 1, "micro", "Lowokwaru"),
        _record(2, 2, "small", "Lowokwaru"),
        _record(3, 1, "micro", "Lowokwaru"),
        _record(3, 2, "medium", "Lowokwaru"),
        _record(4, 1, "small", "Klojen"),
        _record(4, 2, "micro", "Klojen"),
    ]
    rows = tally(movements(records, 1, 2), by="district")
    assert [(r.group, r.compared, r.up, r.same, r.down) for r in rows] == [
        ("Lowokwaru", 2, 2, 0, 0),
        ("Klojen", 2, 1, 0, 1),
    ]
    assert rows[1].up_share == pytest.approx(50.0)


def test_tally_unknown_grouping_refused():
    """Only district and sector are groupings."""
    with pytest.raises(ValueError, match="district or sector"):
        tally([], by="nib")


async def _two_editions() -> tuple[int, int, list[int]]:
    now = datetime.now(UTC)
    ids = []
    for year in (2025, 2026):
        rows = await Edition.insert(
            Edition(
                slug=f"nk-{year}-{uuid.uuid4().hex[:6]}",
                year=year,
                name_id=f"Anugerah {year}",
                intake_opens_at=now - timedelta(days=9),
                intake_closes_at=now - timedelta(days=8),
                judging_starts_at=now - timedelta(days=7),
                judging_ends_at=now - timedelta(days=6),
            )
        ).returning(Edition.id)
        ids.append(rows[0]["id"])
    businesses = []
    for i, (before, after) in enumerate([("micro", "small"), ("small", "small"), ("micro", "")]):
        rows = await Business.insert(
            Business(
                name=f"U{i}",
                owner_name="P",
                nib=f"99{i:011d}",
                district="Blimbing",
                sector="fashion",
            )
        ).returning(Business.id)
        businesses.append(rows[0]["id"])
        await Declaration.insert(
            Declaration(business=rows[0]["id"], edition=ids[0], size_class=before),
            Declaration(business=rows[0]["id"], edition=ids[1], size_class=after),
        )
    return ids[0], ids[1], businesses


def test_class_records_reads_declarations_of_given_editions(run, client):
    """Declared classes come with year, district and sector; empty classes are skipped."""
    earlier, later, businesses = run(_two_editions())
    records = run(class_records([earlier, later]))
    assert len(records) == 5
    moves = movements(records, earlier, later)
    assert [(m.business_id, m.before, m.after, m.district) for m in moves] == [
        (businesses[0], "micro", "small", "Blimbing"),
        (businesses[1], "small", "small", "Blimbing"),
    ]
    assert run(class_records([later], business_ids=[businesses[0]]))[0].year == 2026
    assert run(class_records([])) == []
