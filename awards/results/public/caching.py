"""Conditional GETs for the public results pages: ETag, Last-Modified and 304.

A published page is a function of (the visible publications it shows, the language, the page's
template version): its **ETag** is ``W/"<sha256 of those parts>[:32]"`` and its
**Last-Modified** the latest ``publish_at`` (or correction) among them. A request whose
``If-None-Match`` lists the ETag (or ``*``) — or, without ``If-None-Match``, whose
``If-Modified-Since`` is not older than Last-Modified — is answered ``304 Not Modified`` with
no body (RFC 9110 §13.1.1–13.1.3: ``If-None-Match`` takes precedence).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

__all__ = ["PUBLIC_CACHE_CONTROL", "cache_headers", "etag_for", "not_modified"]

PUBLIC_CACHE_CONTROL = "public, max-age=60, must-revalidate"
"""Shared caches may keep a page a minute; after that they revalidate (cheap: 304)."""


def etag_for(parts: Iterable[object]) -> str:
    """A weak ETag over the ``str()`` of each part, in order."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\x1f")
    return f'W/"{digest.hexdigest()[:32]}"'


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def cache_headers(etag: str, last_modified: datetime | None) -> dict[str, str]:
    """Response headers for a public page with ``etag`` changed at ``last_modified``."""
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE_CONTROL, "Vary": "Cookie"}
    if last_modified is not None:
        headers["Last-Modified"] = _http_date(last_modified)
    return headers


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip() for tag in if_none_match.split(",")]
    bare = etag.removeprefix("W/")
    return "*" in tags or any(tag.removeprefix("W/") == bare for tag in tags)


def not_modified(
    request_headers: Mapping[str, str], etag: str, last_modified: datetime | None
) -> bool:
    """Whether the client's copy is current (so the answer is 304)."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    since = request_headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= moment
