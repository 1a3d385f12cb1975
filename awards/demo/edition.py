"""The fixed part of the demo: the edition, its dates and size classes. Its categories (with
forms) are in :mod:`awards.demo.categories`, the rubric in :mod:`awards.demo.rubric`, the
accounts in :mod:`awards.demo.accounts`.

Nothing here is random. Times are aware UTC datetimes computed from Malang local time (WIB,
UTC+7; Asia/Jakarta has had no daylight saving since 1964, so a fixed offset is exact).

:data:`DEMO_PASSWORD` is a demo-only password, documented as such, for a local demo database;
never load the demo accounts into a production database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

__all__ = [
    "DEMO_NOW",
    "DEMO_PASSWORD",
    "DISTRICTS",
    "LOCAL",
    "SIZE_CLASSES",
    "Edition",
    "SizeClassThreshold",
    "build_edition",
    "size_thresholds_to_dict",
]

LOCAL = timezone(timedelta(hours=7), "WIB")
DEMO_NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 WIB: intake is open
DEMO_PASSWORD = "anugerah-demo-2026"  # DEMO ONLY: every demo account uses it
DISTRICTS = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru")


def _wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """The UTC instant of a Malang wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SizeClassThreshold:
    """PP 7/2021 class limits (inclusive): a business is in the first class whose limits it meets.

    Capital excludes land and buildings; turnover is annual sales. Rupiah, integers.
    """

    key: str  # "micro" | "small" | "medium"
    label_id: str
    label_en: str
    max_capital: int
    max_turnover: int


SIZE_CLASSES = (
    SizeClassThreshold("micro", "Usaha Mikro", "Micro enterprise", 1_000_000_000, 2_000_000_000),
    SizeClassThreshold("small", "Usaha Kecil", "Small enterprise", 5_000_000_000, 15_000_000_000),
    SizeClassThreshold(
        "medium", "Usaha Menengah", "Medium enterprise", 10_000_000_000, 50_000_000_000
    ),
)


@dataclass(frozen=True, slots=True)
class Edition:
    """One annual edition; all datetimes aware UTC."""

    slug: str
    year: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    time_zone: str
    intake_opens_at: datetime
    intake_closes_at: datetime
    judging_starts_at: datetime
    judging_ends_at: datetime
    results_at: datetime
    status: str  # draft -> open -> closed -> judging -> published


def build_edition() -> Edition:
    """Anugerah UMKM Kota Malang 2026, open for entries on the demo's "now"."""
    return Edition(
        slug="malang-2026",
        year=2026,
        name_id="Anugerah UMKM Kota Malang 2026",
        name_en="Malang City UMKM Awards 2026",
        description_id=(
            "Anugerah UMKM Kota Malang 2026 mengajak usaha mikro, kecil dan menengah di Kota "
            "Malang untuk naik kelas. Akademisi dan pelaku industri kreatif menilai mutu dan "
            "kontrol kualitas produk, kemasan, jangkauan pemasaran, serta manajemen produksi dan "
            "keuangan. Tujuannya: produk Malang yang murah tetapi berkualitas dan mampu menembus "
            "pasar di luar Malang, hingga pasar dunia."
        ),
        description_en=(
            "The Malang City UMKM Awards 2026 invite micro, small and medium enterprises in "
            "Malang to move up a class. Academics and creative professionals judge product "
            "quality and quality control, packaging, marketing reach, and production and "
            "financial management. The aim: low-cost, good-quality Malang products that sell "
            "beyond Malang and on to the world."
        ),
        time_zone="Asia/Jakarta",
        intake_opens_at=_wib(2026, 10, 1),
        intake_closes_at=_wib(2026, 12, 31, 23, 59, 59),
        judging_starts_at=_wib(2027, 1, 5),
        judging_ends_at=_wib(2027, 1, 31, 23, 59, 59),
        results_at=_wib(2027, 2, 14, 10, 0),
        status="open",
    )


def size_thresholds_to_dict(classes: Sequence[SizeClassThreshold] = ()) -> dict[str, Any]:
    """Thresholds in the JSON shape of ``awards.intake.businesses.sizeclass.SizeThresholds``
    (turnover first; demo businesses fall in the same class on both criteria)."""
    data: dict[str, Any] = {}
    for item in classes or SIZE_CLASSES:
        data[f"{item.key}_capital_max"] = item.max_capital
        data[f"{item.key}_turnover_max"] = item.max_turnover
    data["rule"] = "turnover_first"
    return data
