"""Standard Webhooks signatures (https://www.standardwebhooks.com, spec
``standard-webhooks.md``).

A request carries three headers:

* ``webhook-id`` — the event's id, the same on every retry (receivers deduplicate on it);
* ``webhook-timestamp`` — seconds since the epoch when this attempt was signed;
* ``webhook-signature`` — space-separated ``v1,<base64 signature>`` items, one per secret in
  use (the current and, during a rotation, the previous one), where

      signature = base64( HMAC-SHA256( key, "{id}.{timestamp}.{body}" ) )

  and ``key`` is the base64-decoded part of the secret after its ``whsec_`` prefix.

Signing the id and timestamp with the body means a captured request cannot be replayed later
(receivers refuse timestamps more than :data:`TOLERANCE_SECONDS` away from their clock).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

__all__ = [
    "SECRET_PREFIX",
    "TOLERANCE_SECONDS",
    "SignatureError",
    "new_secret",
    "sign",
    "signature_headers",
    "verify",
]

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A webhook request's signature or timestamp does not check out."""


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` + base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``."""
    message = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(
    secrets_in_use: list[str], event_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three ``webhook-*`` headers for one attempt, signed with every secret given."""
    ts = int(time.time()) if timestamp is None else timestamp
    signatures = " ".join(sign(secret, event_id, ts, body) for secret in secrets_in_use if secret)
    return {"webhook-id": event_id, "webhook-timestamp": str(ts), "webhook-signature": signatures}


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> None:
    """Check a received request as a receiver would; raise :class:`SignatureError` if it fails
    (timestamp further than :data:`TOLERANCE_SECONDS` from ``now``, or no matching v1 item)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        event_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        given = lowered["webhook-signature"].split()
    except (KeyError, ValueError) as exc:
        raise SignatureError("missing or malformed webhook headers") from exc
    current = time.time() if now is None else now
    if abs(current - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance")
    expected = sign(secret, event_id, timestamp, body)
    if not any(hmac.compare_digest(expected, item) for item in given):
        raise SignatureError("no signature matches")
