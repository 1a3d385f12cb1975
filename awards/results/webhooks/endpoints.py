"""Webhook endpoints of an edition, configured by its organizers.

* The URL must be ``https://`` with a host; outside production ``http://`` is also accepted for
  a loopback host (``127.0.0.1``, ``::1``, ``localhost``) so a receiver can be tried locally.
* The signing secret (``whsec_…``, :mod:`.signing`) is created by the platform, shown to the
  organizer, and stored encrypted with Fernet under a key derived from the application's
  secret key (SHA-256 of ``anugerah:webhook-secret:{secret_key}``). Rotating keeps the old
  secret as ``previous_secret`` so both signatures are sent until the next rotation.
* Event types: :data:`EVENT_TYPES`; an endpoint with none receives every type.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import NotFoundError
from awards.intake.editions.service import can_manage
from awards.results.delivery_tables import WebhookEndpoint
from awards.results.webhooks.signing import new_secret

__all__ = [
    "EVENT_TYPES",
    "SecretBox",
    "create_endpoint",
    "delete_endpoint",
    "endpoint_secrets",
    "list_endpoints",
    "managed_endpoint",
    "retry_failed",
    "rotate_secret",
    "set_enabled",
    "validate_url",
]

EVENT_TYPES = ("results.published", "results.corrected")
_LOOPBACK_NAMES = {"localhost"}


class SecretBox:
    """Encrypts and decrypts endpoint secrets with a key derived from the app's secret key."""

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(f"anugerah:webhook-secret:{secret_key}".encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode() if secret else ""

    def open(self, sealed: str) -> str:
        if not sealed:
            return ""
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return ""


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, *, production: bool) -> str:
    """The URL stripped, or :class:`ValidationError` on ``url`` saying what is wrong."""
    text = url.strip()
    parts = urlsplit(text)
    host = parts.hostname or ""
    if len(text) > 500:
        raise ValidationError({"url": _("The address is too long (at most 500 characters).")})
    if parts.scheme == "https" and host:
        return text
    if parts.scheme == "http" and host and _is_loopback(host) and not production:
        return text
    raise ValidationError({"url": _("Enter an https:// address.")})


def _now() -> datetime:
    return datetime.now(UTC)


async def create_endpoint(
    actor: CurrentUser,
    edition_id: int,
    url: str,
    box: SecretBox,
    *,
    description: str = "",
    event_types: list[str] | None = None,
    production: bool = True,
) -> tuple[int, str]:
    """A new enabled endpoint; returns (id, secret) — the secret is shown to the organizer."""
    if not can_manage(actor, edition_id):
        raise NotFoundError(f"edition {edition_id}")
    clean = validate_url(url, production=production)
    types = [t for t in (event_types or []) if t]
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise ValidationError({"event_types": _("Choose known event types.")})
    if len(description) > 200:
        raise ValidationError({"description": _("Keep the description under 200 characters.")})
    secret = new_secret()
    async with db.write_transaction():
        rows = await WebhookEndpoint.insert(
            WebhookEndpoint(
                edition=edition_id,
                url=clean,
                description=description.strip(),
                secret=box.seal(secret),
                event_types=types,
                enabled=True,
                created_by=actor.id,
            )
        ).returning(WebhookEndpoint.id)
    return rows[0]["id"], secret


async def managed_endpoint(actor: CurrentUser, endpoint_id: int) -> dict[str, Any]:
    """The endpoint if ``actor`` manages its edition, else :class:`NotFoundError`."""
    row = (
        await WebhookEndpoint.select()
        .where(WebhookEndpoint.id == endpoint_id)
        .output(load_json=True)
        .first()
    )
    if row is None or not can_manage(actor, row["edition"]):
        raise NotFoundError(f"endpoint {endpoint_id}")
    return row


async def list_endpoints(actor: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
    """The edition's endpoints, oldest first (secrets left out)."""
    if not can_manage(actor, edition_id):
        raise NotFoundError(f"edition {edition_id}")
    return (
        await WebhookEndpoint.select(
            WebhookEndpoint.id,
            WebhookEndpoint.url,
            WebhookEndpoint.description,
            WebhookEndpoint.event_types,
            WebhookEndpoint.enabled,
            WebhookEndpoint.disabled_reason,
            WebhookEndpoint.created_at,
        )
        .where(WebhookEndpoint.edition == edition_id)
        .order_by(WebhookEndpoint.id)
        .output(load_json=True)
    )


async def set_enabled(actor: CurrentUser, endpoint_id: int, enabled: bool) -> None:
    """Enable or disable an endpoint (disabling clears nothing; pending deliveries wait)."""
    async with db.write_transaction():
        await managed_endpoint(actor, endpoint_id)
        await WebhookEndpoint.update(
            {
                WebhookEndpoint.enabled: enabled,
                WebhookEndpoint.disabled_reason: "",
                WebhookEndpoint.updated_at: _now(),
            }
        ).where(WebhookEndpoint.id == endpoint_id)


async def rotate_secret(actor: CurrentUser, endpoint_id: int, box: SecretBox) -> str:
    """A new secret; the current one becomes ``previous_secret`` (both sign until the next
    rotation). Returns the new secret."""
    secret = new_secret()
    async with db.write_transaction():
        row = await managed_endpoint(actor, endpoint_id)
        await WebhookEndpoint.update(
            {
                WebhookEndpoint.previous_secret: row["secret"],
                WebhookEndpoint.secret: box.seal(secret),
                WebhookEndpoint.updated_at: _now(),
            }
        ).where(WebhookEndpoint.id == endpoint_id)
    return secret


async def delete_endpoint(actor: CurrentUser, endpoint_id: int) -> None:
    """Delete an endpoint with its deliveries and their attempt log."""
    from awards.results.delivery_tables import WebhookAttempt, WebhookDelivery

    async with db.write_transaction():
        await managed_endpoint(actor, endpoint_id)
        ids = [
            r["id"]
            for r in await WebhookDelivery.select(WebhookDelivery.id).where(
                WebhookDelivery.endpoint == endpoint_id
            )
        ]
        if ids:
            await WebhookAttempt.delete().where(WebhookAttempt.delivery.is_in(ids))
            await WebhookDelivery.delete().where(WebhookDelivery.id.is_in(ids))
        await WebhookEndpoint.delete().where(WebhookEndpoint.id == endpoint_id)


async def retry_failed(actor: CurrentUser, endpoint_id: int) -> int:
    """Send the endpoint's failed deliveries again from now, with a fresh series of attempts
    (the log keeps the earlier ones, numbered on); returns how many."""
    from awards.results.delivery_tables import DeliveryState, WebhookDelivery

    async with db.write_transaction():
        await managed_endpoint(actor, endpoint_id)
        rows = (
            await WebhookDelivery.update(
                {
                    WebhookDelivery.state: DeliveryState.pending.value,
                    WebhookDelivery.attempts: 0,
                    WebhookDelivery.next_attempt_at: _now(),
                    WebhookDelivery.lease_until: None,
                }
            )
            .where(
                (WebhookDelivery.endpoint == endpoint_id)
                & (WebhookDelivery.state == DeliveryState.failed.value)
            )
            .returning(WebhookDelivery.id)
        )
    return len(rows)


def endpoint_secrets(row: dict[str, Any], box: SecretBox) -> list[str]:
    """The secrets that sign requests to ``row``: current, then previous (if any)."""
    return [s for s in (box.open(row["secret"]), box.open(row["previous_secret"])) if s]
