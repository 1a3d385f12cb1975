"""Delivery tables of the results publisher (prefix ``results_``): certificates, webhook
endpoints, the outbox of publication events, webhook deliveries and their attempt log.

* :class:`Certificate` — one issued certificate: a random 12-character Crockford base32
  ``code`` (the public verification key, ``/v/{code}``), the entry and result snapshot it was
  issued for, the text printed on it (``printed``, both languages) and the SHA-256 of that
  text's canonical JSON, and its status: ``valid``, ``superseded`` (a correction changed it;
  ``superseded_by`` is the replacement) or ``revoked`` (``reason`` says why).
* :class:`WebhookEndpoint` — an organizer's receiver for an edition: URL, signing secret
  (Fernet-encrypted at rest; the previous one kept during a rotation), event types, enabled.
* :class:`OutboxEvent` — an event written in the transaction that caused it (a publication),
  sent from ``not_before`` on (the publication time); ``event_id`` (a ULID) is the
  ``webhook-id`` and stays the same across retries; ``dedupe_key`` is unique so the same event
  is never enqueued twice; ``dispatched_at`` is set when it was fanned out to the endpoints.
* :class:`WebhookDelivery` — one event to one endpoint (unique pair): state, attempts, next
  attempt time and the lease of the worker sending it (an expired lease is taken over, so work
  survives a restart).
* :class:`WebhookAttempt` — the log: one row per HTTP attempt with its outcome.

Uniqueness over several columns is created by the raw-SQL migration that follows the tables'.
All timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from awards.accounts.tables import User
from awards.intake.tables import Category, Edition, Entry

__all__ = [
    "Certificate",
    "CertificateKind",
    "CertificateStatus",
    "DeliveryState",
    "OutboxEvent",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]


class CertificateKind(StrEnum):
    winner = "winner"
    participation = "participation"


class CertificateStatus(StrEnum):
    valid = "valid"
    superseded = "superseded"
    revoked = "revoked"


class DeliveryState(StrEnum):
    pending = "pending"
    sending = "sending"
    delivered = "delivered"
    failed = "failed"


class Certificate(Table, tablename="results_certificate"):
    """An issued certificate (module docstring). ``snapshot`` is the result snapshot's id,
    ``tier`` the award tier's code ("" for participation)."""

    code = Varchar(length=12, unique=True, index=True)
    edition = ForeignKey(references=Edition, null=False, index=True)
    category = ForeignKey(references=Category, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    snapshot = Integer(index=True)
    kind = Varchar(length=14, default=CertificateKind.participation.value)
    tier = Varchar(length=40, default="")
    printed = JSON(default={})
    printed_hash = Varchar(length=64)
    renderer_version = Varchar(length=40, default="")
    status = Varchar(length=10, default=CertificateStatus.valid.value)
    superseded_by = Integer(null=True, default=None)
    reason = Text(default="")
    issued_at = Timestamptz(default=TimestamptzNow())
    status_changed_at = Timestamptz(null=True, default=None)


class WebhookEndpoint(Table, tablename="results_webhook_endpoint"):
    """A receiver of an edition's events (module docstring)."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    url = Varchar(length=500)
    description = Varchar(length=200, default="")
    secret = Text()
    previous_secret = Text(default="")
    event_types = JSON(default=[])
    enabled = Boolean(default=True)
    disabled_reason = Text(default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class OutboxEvent(Table, tablename="results_outbox_event"):
    """An event to send from ``not_before`` on (module docstring); ``body`` is the JSON
    payload serialized once, so every attempt signs the same bytes."""

    event_id = Varchar(length=26, unique=True)
    edition = ForeignKey(references=Edition, null=False, index=True)
    type = Varchar(length=60)
    body = Text()
    dedupe_key = Varchar(length=200, unique=True)
    not_before = Timestamptz(index=True)
    dispatched_at = Timestamptz(null=True, default=None, index=True)
    cancelled_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class WebhookDelivery(Table, tablename="results_webhook_delivery"):
    """One event to one endpoint (module docstring)."""

    event = ForeignKey(references=OutboxEvent, null=False, index=True)
    endpoint = ForeignKey(references=WebhookEndpoint, null=False, index=True)
    state = Varchar(length=10, default=DeliveryState.pending.value, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    lease_until = Timestamptz(null=True, default=None)
    lease_owner = Varchar(length=64, default="")
    last_status = Integer(null=True, default=None)
    last_error = Text(default="")
    delivered_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class WebhookAttempt(Table, tablename="results_webhook_attempt"):
    """One HTTP attempt of a delivery: number, when, how long, status code or error."""

    delivery = ForeignKey(references=WebhookDelivery, null=False, index=True)
    number = Integer()
    started_at = Timestamptz(default=TimestamptzNow())
    duration_ms = Integer(default=0)
    status_code = Integer(null=True, default=None)
    error = Text(default="")
    response_excerpt = Text(default="")
