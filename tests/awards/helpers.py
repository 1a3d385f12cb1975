"""Helpers for HTTP tests: CSRF tokens, logging in, reading the mail outbox."""

from __future__ import annotations

import email
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct-horse-42"


def csrf_token(client: Any) -> str:
    """The CSRF token (the ``csrftoken`` cookie), fetching a page first if needed."""
    token = client.cookies.get("csrftoken")
    if not token:
        client.get("/login")
        token = client.cookies.get("csrftoken")
    assert token, "the app did not set a csrftoken cookie"
    return token


def post_form(client: Any, url: str, data: dict[str, str], **kwargs: Any) -> Any:
    """POST an URL-encoded form with a valid CSRF token, without following redirects."""
    return client.post(
        url, data={**data, "_csrf_token": csrf_token(client)}, follow_redirects=False, **kwargs
    )


def api_post(client: Any, url: str, json: dict[str, Any] | None = None) -> Any:
    """POST JSON with the CSRF header."""
    return client.post(url, json=json or {}, headers={"x-csrftoken": csrf_token(client)})


def login(client: Any, email_address: str, password: str = PASSWORD) -> Any:
    return post_form(client, "/login", {"email": email_address, "password": password})


def outbox_messages(outbox: Path) -> list[EmailMessage]:
    """Messages in the outbox, oldest first."""
    if not outbox.exists():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[misc]
        for path in sorted(outbox.glob("*.eml"))
    ]


def reset_token_from(message: EmailMessage) -> str:
    """The token in a password-reset email's link."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(r"/password/reset\?token=([A-Za-z0-9_\-]+)", body.get_content())
    assert match, "no reset link in the message"
    return match.group(1)


def confirm_token_from(message: EmailMessage) -> str:
    """The token in a sign-up confirmation email's link."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(r"/signup/confirm\?token=([A-Za-z0-9_\-]+)", body.get_content())
    assert match, "no confirmation link in the message"
    return match.group(1)


def sign_up(
    client: Any, outbox: Path, email_address: str, password: str = PASSWORD, **fields: str
) -> Any:
    """Sign up on the page like a visitor, then follow the confirmation link from the outbox.

    Returns the answer to the confirmation (a 303 to the page the sign-up continues to, with the
    session started). ``fields``: ``display_name``, ``next``.
    """
    answer = post_form(client, "/signup", {"email": email_address, "password": password, **fields})
    assert (answer.status_code, answer.headers.get("location")) == (303, "/signup/sent")
    mails = [m for m in outbox_messages(outbox) if m["To"] == email_address.strip().lower()]
    assert mails, f"no mail to {email_address} in {outbox}"
    token = confirm_token_from(mails[-1])
    page = client.get("/signup/confirm", params={"token": token})
    assert page.status_code == 200, page.text
    return post_form(client, "/signup/confirm", {"token": token})


def postgres_admin(sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the PostgreSQL test server."""
    import asyncio

    import asyncpg

    from tests.conftest import TEST_DATABASE_URL

    async def execute() -> None:
        connection = await asyncpg.connect(TEST_DATABASE_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(execute())


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[tuple[str, str]]:
    """A new, empty PostgreSQL database beside the test database: yields ``(name, url)``.

    Afterwards the app's engine points at the test database again and the scratch database is
    dropped (``WITH (FORCE)``, so leftover connections do not keep it alive).
    """
    from awards import db
    from tests.conftest import TEST_DATABASE_URL

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    base, _, _ = TEST_DATABASE_URL.rpartition("/")
    postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield name, f"{base}/{name}"
    finally:
        db.configure(TEST_DATABASE_URL)
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_columns(url: str) -> dict[str, set[str]]:
    """``{table: {column, ...}}`` of the public schema of the database at ``url``."""
    import asyncio

    import asyncpg

    async def fetch() -> list[Any]:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
        finally:
            await connection.close()

    found: dict[str, set[str]] = {}
    for row in asyncio.run(fetch()):
        found.setdefault(row["table_name"], set()).add(row["column_name"])
    return found


def translated_catalog(language: str = "id") -> dict[str, str]:
    """msgid -> translation over every catalog of ``language`` (messages.po and capability .po)."""
    from awards.i18n import merged_catalog

    catalog = merged_catalog(language) or []
    return {
        (message.id if isinstance(message.id, str) else message.id[0]): message.string
        for message in catalog
        if message.id and message.string
    }
