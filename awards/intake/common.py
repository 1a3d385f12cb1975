"""Shared pieces of the entrant side: errors, who may see what, local times, the upload root.

Exception hierarchy (services raise them; pages and the API translate)::

    Exception
     ├── awards.errors.ValidationError   input refused, messages per field (422 / form again)
     ├── NotFoundError                   no such object *for this user* (always 404, never 403,
     │                                   so a URL does not reveal that someone else's entry exists)
     └── IntakeClosedError               the edition does not accept changes now (409 / message)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.entries.sql import EDITION_JSON, EDITION_SQL, json_loaded
from awards.intake.tables import Attachment, BusinessMember
from awards.intake.uploads import StoredFile
from awards.intake.validators import ValidationErrors
from awards.settings import Settings

__all__ = [
    "IntakeClosedError",
    "NotFoundError",
    "attachment_row",
    "can_see_edition_entries",
    "edition_in_transaction",
    "format_local",
    "human_size",
    "is_member",
    "lock_for_update",
    "managed_business",
    "now_utc",
    "stored_of",
    "to_validation_error",
    "uploads_root",
    "zone",
]


class NotFoundError(LookupError):
    """The object does not exist or the user may not see it (the two are not distinguished)."""


class IntakeClosedError(Exception):
    """Changes are refused because intake is not open; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def now_utc() -> datetime:
    return datetime.now(UTC)


def uploads_root(settings: Settings) -> Path:
    """Where attachments are stored: ``<DATA_DIR>/uploads`` (outside the web root)."""
    return settings.data_dir / "uploads"


def zone(name: str | None) -> ZoneInfo:
    """The edition's time zone (``Asia/Jakarta`` when unknown)."""
    try:
        return ZoneInfo(name or "Asia/Jakarta")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Jakarta")


def format_local(moment: datetime, time_zone: str | None, language: str | None = None) -> str:
    """``moment`` as a wall-clock time in ``time_zone``, e.g. ``31 Desember 2026 23.59 WIB``.

    Indonesian zones are abbreviated WIB/WITA/WIT in both languages (as Indonesians write them);
    English uses ``31 December 2026, 23:59 WIB``.
    """
    return _format_local(moment, time_zone, language or current_language())


@lru_cache(maxsize=4096)
def _format_local(moment: datetime, time_zone: str | None, language: str) -> str:
    """:func:`format_local`, remembered: its two Babel ``format_datetime`` calls cost about
    30 us together, and pages show the same few moments (a round's deadline, an edition's
    closing time) on every request. The text depends only on the arguments."""
    tz = zone(time_zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    abbreviation = format_datetime(moment, "z", tzinfo=tz, locale="id")
    if language.startswith("en"):
        text = format_datetime(moment, "d MMMM y, HH:mm", tzinfo=tz, locale="en")
    else:
        text = format_datetime(moment, "d MMMM y HH.mm", tzinfo=tz, locale="id")
    return f"{text} {abbreviation}"


async def lock_for_update(table: str, row_id: int) -> None:
    """On PostgreSQL, lock one row until the transaction ends (``SELECT ... FOR UPDATE``), so
    read-check-write sequences on that row's children cannot interleave. SQLite needs nothing:
    :func:`awards.db.write_transaction` already holds the only write lock."""
    if db.is_postgres():
        if table not in _LOCKABLE:
            raise ValueError(f"not a lockable table: {table!r}")
        await BusinessMember.raw(f"SELECT id FROM {table} WHERE id = {{}} FOR UPDATE", row_id)


_LOCKABLE = frozenset({"intake_edition", "intake_business", "intake_entry"})


async def edition_in_transaction(edition_id: int, *, exclusive: bool = False) -> dict[str, Any]:
    """Inside :func:`awards.db.write_transaction`: the edition as it is now, held until the
    transaction ends, so a status or deadline change cannot land between a check on it and the
    write that depends on it. PostgreSQL: ``SELECT ... FOR SHARE`` (saves in one edition do not
    wait for each other; a status change waits for them, and they for it), or ``FOR UPDATE``
    when ``exclusive``: a transaction that will lock the edition for update later (a receipt
    number) must take that lock first, since two holders of a share lock that both upgrade
    deadlock. SQLite: the write transaction already excludes every other writer."""
    # Hot path (every save): one plain statement, the row read with its lock; Piccolo built
    # the lock and the select as two statements in about 1 ms. On PostgreSQL a locking read
    # that waited returns the row as the transaction it waited for left it.
    sql = EDITION_SQL
    if db.is_postgres():
        sql += " FOR UPDATE" if exclusive else " FOR SHARE"
    rows = await db.fetch(sql, edition_id)
    if not rows:
        raise NotFoundError(f"edition {edition_id}")
    return json_loaded(rows[0], EDITION_JSON)


def human_size(size: int) -> str:
    """Bytes as people read them: ``195 kB`` below one MiB, else ``2.5 MB`` (1 MB = 2^20 B)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def to_validation_error(errors: ValidationErrors) -> ValidationError:
    """Intake field errors -> the application's ``ValidationError`` (first message per field,
    translated into the current language)."""
    rendered = errors.as_dict(_)
    return ValidationError({name: " ".join(messages) for name, messages in rendered.items()})


async def is_member(user_id: int, business_id: int) -> bool:
    return await BusinessMember.exists().where(
        (BusinessMember.user == user_id) & (BusinessMember.business == business_id)
    )


async def managed_business(user_id: int, business_id: int) -> tuple[dict[str, Any], str]:
    """``(business row, the user's role in it)`` in one statement (the membership joined with
    its business); ``NotFoundError`` when the user does not manage the business."""
    row = (
        await BusinessMember.select(BusinessMember.role, *BusinessMember.business.all_columns())
        .where((BusinessMember.user == user_id) & (BusinessMember.business == business_id))
        .output(nested=True)
        .first()
    )
    if row is None:
        raise NotFoundError(business_id)
    return row["business"], row["role"]


def can_see_edition_entries(user: CurrentUser, edition_id: int) -> bool:
    """Admins, and organizers granted this edition (or every edition), see its entries."""
    return user.has_role("admin") or any(
        role == "organizer" and scope in (None, edition_id) for role, scope in user.grants
    )


def attachment_row(
    stored: StoredFile, business_id: int, entry_id: int | None, field_key: str, user: CurrentUser
) -> Attachment:
    """A new ``Attachment`` row for a stored file (``entry_id`` None: the business logo)."""
    return Attachment(
        entry=entry_id,
        business=business_id,
        field_key=field_key,
        storage_key=stored.key,
        thumbnail_key=stored.thumbnail_key,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size,
        sha256=stored.sha256,
        width=stored.width,
        height=stored.height,
        uploaded_by=user.id,
    )


def stored_of(row: Mapping[str, Any]) -> StoredFile:
    """The ``StoredFile`` described by an ``Attachment`` row."""
    return StoredFile(
        key=row["storage_key"],
        original_name=row["original_name"],
        content_type=row["content_type"],
        kind=row["content_type"].rsplit("/", 1)[-1],
        size=row["size_bytes"],
        sha256=row["sha256"],
        width=row["width"],
        height=row["height"],
        thumbnail_key=row["thumbnail_key"],
    )
