"""An edition status change that lands while an entry is being saved cannot slip through.

PostgreSQL only (SQLite's single writer already serializes them): another connection closes the
edition in an open transaction; the entrant's save waits for it (the save reads the edition in
its own transaction, with a share lock) and, once the change commits, is refused.
"""

from __future__ import annotations

import asyncio
import threading
import time

import asyncpg
import pytest

from tests.awards.intake.entrant_support import (
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.conftest import is_postgres_run

pytestmark = pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")


def test_save_waits_for_a_status_change_in_flight_and_is_then_refused(
    client, make_user, run, database_url
):
    """Closing the edition mid-save: the save blocks until the close commits, then answers 409
    and the answers stay as they were."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "balap@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    before = entry_row(run, entry)["answers"]
    closing = threading.Event()
    committed = threading.Event()

    async def close_edition() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "UPDATE intake_edition SET status = 'closed' WHERE id = $1", ids["edition"]
                )
                closing.set()
                await asyncio.sleep(1.5)  # the save starts meanwhile and must wait
        finally:
            await connection.close()
            committed.set()

    closer = threading.Thread(target=lambda: asyncio.run(close_edition()))
    closer.start()
    assert closing.wait(10)
    started = time.monotonic()
    response = save_entry(client, entry, dict(VALID_ANSWERS, product_name="Keripik Baru"))
    waited = time.monotonic() - started
    closer.join(10)
    assert committed.is_set()
    assert response.status_code == 409, response.text[:300]
    assert waited > 0.5  # it waited for the status change instead of reading around it
    assert entry_row(run, entry)["answers"] == before
