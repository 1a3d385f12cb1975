"""Is intake open? The server-side deadline check, in the edition's time zone.

An edition accepts entrant changes (create, save, submit, upload, withdraw) when its status is
``open`` and ``intake_opens_at <= now <= intake_closes_at`` (UTC instants; the closing instant is
inclusive). The refusal message shows the relevant time as wall-clock time in the edition's zone,
e.g. "Pendaftaran ditutup 31 Desember 2026 23.59 WIB."
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from awards.i18n import _
from awards.intake.common import IntakeClosedError, format_local, now_utc

__all__ = ["closed_message", "ensure_intake_open", "ensure_not_closed", "intake_is_open"]


def closed_message(edition: Mapping[str, Any], now: datetime | None = None) -> str | None:
    """Why the edition refuses changes now (translated), or ``None`` when intake is open."""
    now = now or now_utc()
    tz = edition.get("time_zone")
    if now > edition["intake_closes_at"]:
        return _("Registration closed on %(time)s.") % {
            "time": format_local(edition["intake_closes_at"], tz)
        }
    if now < edition["intake_opens_at"]:
        return _("Registration opens on %(time)s.") % {
            "time": format_local(edition["intake_opens_at"], tz)
        }
    if edition.get("status") != "open":
        return _("Registration for this edition is not open.")
    return None


def intake_is_open(edition: Mapping[str, Any], now: datetime | None = None) -> bool:
    return closed_message(edition, now) is None


def ensure_intake_open(edition: Mapping[str, Any], now: datetime | None = None) -> None:
    """Raise :class:`IntakeClosedError` with the local-time message unless intake is open."""
    message = closed_message(edition, now)
    if message is not None:
        raise IntakeClosedError(message)


def ensure_not_closed(edition: Mapping[str, Any], now: datetime | None = None) -> None:
    """Like :func:`ensure_intake_open` but allows the time before opening (preparation, e.g.
    the size declaration); refuses once intake has closed."""
    now = now or now_utc()
    if now > edition["intake_closes_at"] or edition.get("status") not in ("draft", "open"):
        raise IntakeClosedError(closed_message(edition, now) or _("Registration is closed."))
