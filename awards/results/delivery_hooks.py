"""What the publisher calls, inside its own transactions, so delivery follows publication.

Call from :mod:`awards.results.publishing` (inside its ``db.write_transaction``; these join it):

* :func:`publication_scheduled` — a publication was created (now or for later): writes the
  outbox event ``results.published`` (or ``results.corrected``) with ``not_before`` = the
  publication time and ``dedupe_key`` = ``publication:{id}``;
* :func:`publication_rescheduled` — its time moved: moves the event's ``not_before``;
* :func:`publication_withdrawn` — it was withdrawn before going out: cancels the event.

When the event is dispatched (at the publication time, by the worker), the handlers in
:data:`EVENT_HANDLERS` run in the dispatch transaction.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from awards.results.webhooks import outbox

__all__ = [
    "EVENT_HANDLERS",
    "publication_rescheduled",
    "publication_scheduled",
    "publication_withdrawn",
]


async def _sync_certificates(event: dict[str, Any], now: datetime) -> None:
    """Issue (or bring in step after a correction) the certificates of the event's category."""
    from awards.results.certificates import sync_category

    category_id = json.loads(event["body"])["data"].get("category")
    if category_id is not None:
        await sync_category(int(category_id), max(now, event["not_before"]))


EVENT_HANDLERS: dict[str, list[Callable[[dict[str, Any], datetime], Awaitable[None]]]] = {
    "results.published": [_sync_certificates],
    "results.corrected": [_sync_certificates],
}


def _key(publication_id: int) -> str:
    return f"publication:{publication_id}"


async def publication_scheduled(
    *,
    publication_id: int,
    edition_id: int,
    publish_at: datetime,
    data: dict[str, Any],
    corrected: bool = False,
    now: datetime | None = None,
) -> str:
    """Write the publication's outbox event; returns its event id (the ``webhook-id``).

    ``data`` carries at least ``category`` (its id). A correction that is public at once
    also brings the category's certificates in step here, in the publish transaction (changed
    ones superseded, disqualified ones revoked; :func:`awards.results.certificates.sync_category`).
    """
    moment = now or datetime.now(UTC)
    if corrected and publish_at <= moment and data.get("category") is not None:
        from awards.results.certificates import sync_category

        await sync_category(int(data["category"]), moment)
    return await outbox.enqueue(
        edition_id=edition_id,
        type="results.corrected" if corrected else "results.published",
        data={"publication": publication_id, **data},
        not_before=publish_at,
        dedupe_key=_key(publication_id),
    )


async def publication_rescheduled(publication_id: int, publish_at: datetime) -> bool:
    """Move the publication's event to ``publish_at`` (if not yet dispatched)."""
    return await outbox.reschedule(_key(publication_id), publish_at)


async def publication_withdrawn(publication_id: int) -> bool:
    """Cancel the publication's event (if not yet dispatched)."""
    return await outbox.cancel(_key(publication_id))
