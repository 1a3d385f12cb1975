"""Dates and times typed by people: read in a time zone, stored UTC, kept within years we serve.

A competition's dates fall within ``EARLIEST_YEAR`` .. ``LATEST_YEAR`` (2000 .. 2100, the years
an edition may have). Bounding the wall-clock year before converting keeps every later step safe:
``0001-01-01`` in Asia/Jakarta cannot be converted to UTC at all (Python raises
``OverflowError``), and ``9999-12-31 23:59`` converts but overflows as soon as it is shown in a
zone east of UTC or moved by a grace period. Such a value is refused beside its field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from awards.errors import ValidationError
from awards.i18n import _

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MomentOutOfRangeError",
    "check_year",
    "moment_field_error",
    "parse_moment",
]

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class MomentOutOfRangeError(ValueError):
    """A readable date or time outside ``EARLIEST_YEAR`` .. ``LATEST_YEAR``."""


def check_year(moment: datetime, field: str) -> datetime:
    """``moment`` unchanged, or a :class:`ValidationError` on ``field`` when its (wall-clock)
    year is outside ``EARLIEST_YEAR`` .. ``LATEST_YEAR``."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValidationError({field: out_of_range_message()})
    return moment


def out_of_range_message() -> str:
    return _("Enter a date between the years %(first)d and %(last)d.") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }


def parse_moment(raw: Any, time_zone: str) -> datetime | None:
    """An aware UTC datetime from ISO text or a datetime (naive = wall-clock in ``time_zone``);
    None for blank. ``ValueError`` when unreadable, :class:`MomentOutOfRangeError` (a
    ``ValueError``) when outside the years served."""
    if isinstance(raw, datetime):
        moment = raw
    else:
        text = str(raw or "").strip()
        if not text:
            return None
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise MomentOutOfRangeError(text if not isinstance(raw, datetime) else raw.isoformat())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    return moment.astimezone(UTC)


def moment_field_error(exc: Exception) -> str:
    """The message beside a date-and-time field that :func:`parse_moment` refused."""
    if isinstance(exc, MomentOutOfRangeError):
        return out_of_range_message()
    return _("Enter a date and time, e.g. 2026-12-31T23:59.")
