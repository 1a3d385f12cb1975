"""The outbox: events written in the same transaction as what caused them.

:func:`enqueue` inserts an :class:`~awards.results.delivery_tables.OutboxEvent` with a unique
``dedupe_key`` (a second call with the same key does nothing and returns the first event's
id), the body serialized once as canonical JSON, and ``not_before`` = the publication time, so
nothing is sent, issued or exported before the embargo lifts. :func:`reschedule` moves
``not_before`` of a not yet dispatched event (call it in the transaction that reschedules the
publication) and :func:`cancel` drops one (a withdrawn publication).

Call these inside :func:`awards.db.write_transaction` (they join the caller's transaction).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from awards import db
from awards.results.codes import new_ulid
from awards.results.delivery_tables import OutboxEvent

__all__ = ["cancel", "canonical_body", "enqueue", "reschedule"]


def canonical_body(payload: dict[str, Any]) -> str:
    """``payload`` as compact JSON with sorted keys (the bytes that are signed and sent)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


async def enqueue(
    *,
    edition_id: int,
    type: str,
    data: dict[str, Any],
    not_before: datetime,
    dedupe_key: str,
) -> str:
    """Write the event (idempotent on ``dedupe_key``); return its ``event_id``.

    The body is ``{"type", "timestamp", "data"}`` (Standard Webhooks' recommended envelope),
    with ``timestamp`` = ``not_before`` in ISO 8601 UTC."""
    async with db.write_transaction():
        existing = (
            await OutboxEvent.select(OutboxEvent.event_id)
            .where(OutboxEvent.dedupe_key == dedupe_key)
            .first()
        )
        if existing is not None:
            return existing["event_id"]
        event_id = new_ulid()
        moment = not_before.astimezone(UTC)
        body = canonical_body(
            {"type": type, "timestamp": moment.isoformat().replace("+00:00", "Z"), "data": data}
        )
        await OutboxEvent.insert(
            OutboxEvent(
                event_id=event_id,
                edition=edition_id,
                type=type,
                body=body,
                dedupe_key=dedupe_key,
                not_before=moment,
            )
        )
    return event_id


async def reschedule(dedupe_key: str, not_before: datetime) -> bool:
    """Move a not yet dispatched event to ``not_before``; True if one was moved."""
    async with db.write_transaction():
        row = (
            await OutboxEvent.select(OutboxEvent.id, OutboxEvent.body)
            .where(
                (OutboxEvent.dedupe_key == dedupe_key)
                & OutboxEvent.dispatched_at.is_null()
                & OutboxEvent.cancelled_at.is_null()
            )
            .first()
        )
        if row is None:
            return False
        moment = not_before.astimezone(UTC)
        body = json.loads(row["body"])
        body["timestamp"] = moment.isoformat().replace("+00:00", "Z")
        await OutboxEvent.update(
            {OutboxEvent.not_before: moment, OutboxEvent.body: canonical_body(body)}
        ).where(OutboxEvent.id == row["id"])
    return True


async def cancel(dedupe_key: str) -> bool:
    """Cancel a not yet dispatched event; True if one was cancelled."""
    async with db.write_transaction():
        rows = (
            await OutboxEvent.update({OutboxEvent.cancelled_at: datetime.now(UTC)})
            .where(
                (OutboxEvent.dedupe_key == dedupe_key)
                & OutboxEvent.dispatched_at.is_null()
                & OutboxEvent.cancelled_at.is_null()
            )
            .returning(OutboxEvent.id)
        )
    return bool(rows)
