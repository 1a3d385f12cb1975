"""Pure rules of the entrant side: local times, the intake window, receipt numbers, sizes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awards.i18n import use_language
from awards.intake.common import IntakeClosedError, format_local, human_size
from awards.intake.editions.deadlines import closed_message, ensure_not_closed, intake_is_open
from awards.intake.entries.receipts import format_receipt, receipt_prefix

CLOSES = datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)  # 23:59:59 in Jakarta
EDITION = {
    "status": "open",
    "time_zone": "Asia/Jakarta",
    "intake_opens_at": datetime(2026, 9, 30, 17, 0, tzinfo=UTC),
    "intake_closes_at": CLOSES,
}


@pytest.mark.parametrize(
    ("zone", "language", "expected"),
    [
        ("Asia/Jakarta", "id", "31 Desember 2026 23.59 WIB"),
        ("Asia/Jakarta", "en", "31 December 2026, 23:59 WIB"),
        ("Asia/Makassar", "id", "1 Januari 2027 00.59 WITA"),
        ("Asia/Jayapura", "id", "1 Januari 2027 01.59 WIT"),
        ("No/Such_Zone", "id", "31 Desember 2026 23.59 WIB"),
    ],
)
def test_format_local_in_edition_zone(zone, language, expected):
    """A UTC instant is shown as wall-clock time of the edition's zone (unknown zone: Jakarta)."""
    assert format_local(CLOSES, zone, language) == expected


def test_intake_window_closing_instant_is_inclusive():
    """Intake is open at the closing second and closed one second later."""
    assert intake_is_open(EDITION, CLOSES)
    assert not intake_is_open(EDITION, CLOSES + timedelta(seconds=1))
    assert not intake_is_open(EDITION, EDITION["intake_opens_at"] - timedelta(seconds=1))


def test_closed_message_names_local_closing_time():
    """After closing the message names the closing time in WIB, in the request language."""
    later = CLOSES + timedelta(days=1)
    with use_language("id"):
        assert closed_message(EDITION, later) == "Pendaftaran ditutup 31 Desember 2026 23.59 WIB."
    with use_language("en"):
        assert closed_message(EDITION, later) == (
            "Registration closed on 31 December 2026, 23:59 WIB."
        )


def test_closed_message_when_organizer_closed_early():
    """An edition whose status is no longer open refuses changes even before the date."""
    edition = EDITION | {"status": "closed"}
    assert closed_message(edition, CLOSES - timedelta(days=1)) is not None
    assert closed_message(EDITION, CLOSES - timedelta(days=1)) is None


def test_ensure_not_closed_allows_preparation_before_opening():
    """Declarations may be made before intake opens but not after it closes."""
    ensure_not_closed(EDITION, EDITION["intake_opens_at"] - timedelta(days=3))
    with pytest.raises(IntakeClosedError):
        ensure_not_closed(EDITION, CLOSES + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("slug", "year", "expected"),
    [
        ("malang-2026", 2026, "MLG26"),
        ("surabaya", 2027, "SRY27"),
        ("batu-2026", 2026, "BAT26"),
        ("x", 2030, "XXX30"),
    ],
)
def test_receipt_prefix_from_slug_and_year(slug, year, expected):
    """First two consonants and the last consonant of the slug's first word, then YY."""
    assert receipt_prefix(slug, year) == expected


def test_format_receipt_pads_sequence_and_cleans_code():
    """The number has six digits; the category code is upper-cased letters and digits."""
    edition = {"slug": "malang-2026", "year": 2026}
    assert format_receipt(edition, "kul", 123) == "MLG26-KUL-000123"
    assert format_receipt(edition, "F&K", 7) == "MLG26-FK-000007"


@pytest.mark.parametrize(
    ("size", "expected"),
    [(200_000, "195 kB"), (100, "1 kB"), (1024 * 1024, "1 MB"), (5 * 1024 * 1024 // 2, "2.5 MB")],
)
def test_human_size(size, expected):
    """Bytes are shown in kB below one MiB and in MB (one decimal) above."""
    assert human_size(size) == expected
