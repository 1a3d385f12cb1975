"""Helpers for HTTP tests: CSRF tokens, logging in, reading the mail outbox."""

from __future__ import annotations

import email
import re
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
