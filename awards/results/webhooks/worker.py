"""The delivery worker: dispatch due outbox events, then send webhook deliveries with retries.

One pass (:meth:`Worker.run_once`):

1. **Dispatch.** Each event with ``not_before <= now``, not dispatched nor cancelled, is fanned
   out in one transaction: a :class:`WebhookDelivery` per enabled endpoint of its edition that
   takes its type (unique per event and endpoint), the event's handlers run (certificate
   issuance for a publication), and ``dispatched_at`` is set by a conditional update, so two
   workers never dispatch the same event twice.
2. **Claim.** Deliveries due (``next_attempt_at <= now``, pending, or sending with an expired
   lease) to enabled endpoints are claimed one by one with a conditional update that sets
   ``lease_until = now + lease`` and the worker's ``lease_owner``; the claim commits before
   any HTTP request. A worker that dies mid-send leaves a lease that expires, and the next
   pass of any worker takes the delivery over: retries survive a restart.
3. **Send.** A POST of the event's body with the Standard Webhooks headers (:mod:`.signing`),
   no redirects followed, :data:`TIMEOUT_SECONDS` timeout. Each attempt is logged
   (:class:`WebhookAttempt`). A 2xx delivers; a 410 disables the endpoint and fails the
   delivery; anything else (or a network error) schedules attempt n+1 after the backoff

       delay(n) = min(cap, base * factor^(n-1)) * (1 + jitter * u),   u uniform in [-1, 1]

   (or the response's ``Retry-After`` seconds, within the cap) until ``max_attempts``.

``attempts`` counts the attempts of the current series (an organizer's "retry" starts a new
one); the log numbers every attempt of the delivery in order.

Delivery is at-least-once: a receiver may see an event twice and deduplicates on
``webhook-id``. :func:`run_forever` loops passes every ``interval`` seconds until stopped; it
runs inside ``anugerah serve`` (:func:`attach`) and as ``anugerah worker``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from awards import db
from awards.results.delivery_tables import (
    DeliveryState,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from awards.results.webhooks.endpoints import SecretBox, endpoint_secrets
from awards.results.webhooks.signing import signature_headers

__all__ = ["TIMEOUT_SECONDS", "PassReport", "RetryPolicy", "Worker", "attach", "run_forever"]

log = logging.getLogger("awards.results.webhooks")

TIMEOUT_SECONDS = 10.0
EXCERPT_CHARS = 500
Handler = Callable[[dict[str, Any], datetime], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff (module docstring): 5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h,
    then 10 h, for at most ``max_attempts`` attempts (about a day and a half in total)."""

    base_seconds: float = 5.0
    factor: float = 4.0
    cap_seconds: float = 10 * 3600.0
    max_attempts: int = 9
    jitter: float = 0.1

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None and retry_after >= 0:
            return min(self.cap_seconds, retry_after)
        raw = min(self.cap_seconds, self.base_seconds * self.factor ** (attempt - 1))
        return raw * (1 + self.jitter * random.uniform(-1.0, 1.0))


@dataclass
class PassReport:
    """What one pass did: events dispatched, attempts made, deliveries delivered and failed."""

    dispatched: int = 0
    attempts: int = 0
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


class Worker:
    """Dispatches and sends (module docstring). ``owner`` names this worker in leases."""

    def __init__(
        self,
        box: SecretBox,
        *,
        handlers: dict[str, list[Handler]] | None = None,
        policy: RetryPolicy | None = None,
        lease_seconds: float = 60.0,
        batch: int = 20,
        owner: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.box = box
        self.handlers = handlers if handlers is not None else default_handlers()
        self.policy = policy or RetryPolicy()
        self.lease = timedelta(seconds=lease_seconds)
        self.batch = batch
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:64]
        self.transport = transport

    async def run_once(self, now: datetime | None = None) -> PassReport:
        """One pass: dispatch due events, then claim and send due deliveries."""
        moment = now or datetime.now(UTC)
        report = PassReport()
        report.dispatched = await self.dispatch(moment)
        claimed = await self.claim(moment)
        if claimed:
            async with httpx.AsyncClient(
                timeout=TIMEOUT_SECONDS, follow_redirects=False, transport=self.transport
            ) as client:
                for delivery in claimed:
                    await self.send(client, delivery, moment, report)
        return report

    async def dispatch(self, now: datetime) -> int:
        """Fan out every due event (step 1); return how many this worker dispatched."""
        due = (
            await OutboxEvent.select()
            .where(
                (OutboxEvent.not_before <= now)
                & OutboxEvent.dispatched_at.is_null()
                & OutboxEvent.cancelled_at.is_null()
            )
            .order_by(OutboxEvent.not_before)
            .limit(self.batch)
        )
        done = 0
        for event in due:
            async with db.write_transaction():
                taken = (
                    await OutboxEvent.update({OutboxEvent.dispatched_at: now})
                    .where(
                        (OutboxEvent.id == event["id"])
                        & OutboxEvent.dispatched_at.is_null()
                        & OutboxEvent.cancelled_at.is_null()
                        & (OutboxEvent.not_before <= now)
                    )
                    .returning(OutboxEvent.id)
                )
                if not taken:
                    continue
                endpoints = (
                    await WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.event_types)
                    .where(
                        (WebhookEndpoint.edition == event["edition"])
                        & (WebhookEndpoint.enabled == True)  # noqa: E712
                    )
                    .output(load_json=True)
                )
                for endpoint in endpoints:
                    types = endpoint["event_types"] or []
                    if types and event["type"] not in types:
                        continue
                    await WebhookDelivery.insert(
                        WebhookDelivery(
                            event=event["id"],
                            endpoint=endpoint["id"],
                            next_attempt_at=event["not_before"],
                        )
                    )
                for handler in self.handlers.get(event["type"], []):
                    await handler(event, now)
            done += 1
        return done

    async def claim(self, now: datetime) -> list[dict[str, Any]]:
        """Lease up to ``batch`` due deliveries (step 2); return them with event and endpoint."""
        free = WebhookDelivery.lease_until.is_null() | (WebhookDelivery.lease_until < now)
        due = (
            await WebhookDelivery.select(WebhookDelivery.id)
            .where(
                WebhookDelivery.state.is_in(
                    [DeliveryState.pending.value, DeliveryState.sending.value]
                )
                & (WebhookDelivery.next_attempt_at <= now)
                & free
                & (WebhookDelivery.endpoint.enabled == True)  # noqa: E712
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(self.batch)
        )
        claimed: list[dict[str, Any]] = []
        for row in due:
            async with db.write_transaction():
                got = (
                    await WebhookDelivery.update(
                        {
                            WebhookDelivery.lease_until: now + self.lease,
                            WebhookDelivery.lease_owner: self.owner,
                            WebhookDelivery.state: DeliveryState.sending.value,
                        }
                    )
                    .where(
                        (WebhookDelivery.id == row["id"])
                        & free
                        & WebhookDelivery.state.is_in(
                            [DeliveryState.pending.value, DeliveryState.sending.value]
                        )
                    )
                    .returning(WebhookDelivery.id)
                )
            if got:
                claimed.append(row["id"])
        if not claimed:
            return []
        return await WebhookDelivery.select(
            WebhookDelivery.id,
            WebhookDelivery.attempts,
            WebhookDelivery.endpoint,
            WebhookDelivery.event.event_id.as_alias("event_id"),
            WebhookDelivery.event.body.as_alias("body"),
            WebhookDelivery.endpoint.url.as_alias("url"),
            WebhookDelivery.endpoint.secret.as_alias("secret"),
            WebhookDelivery.endpoint.previous_secret.as_alias("previous_secret"),
        ).where(WebhookDelivery.id.is_in(claimed))

    async def send(
        self, client: httpx.AsyncClient, delivery: dict[str, Any], now: datetime, report: PassReport
    ) -> None:
        """One attempt of a claimed delivery (step 3), logged, and the delivery's new state."""
        body = delivery["body"].encode()
        headers = {
            "content-type": "application/json",
            "user-agent": "Anugerah-Webhooks/1",
            **signature_headers(endpoint_secrets(delivery, self.box), delivery["event_id"], body),
        }
        number = delivery["attempts"] + 1
        started = time.perf_counter()
        status: int | None = None
        error = ""
        excerpt = ""
        retry_after: float | None = None
        try:
            response = await client.post(delivery["url"], content=body, headers=headers)
            status = response.status_code
            excerpt = response.text[:EXCERPT_CHARS]
            retry_after = _retry_after(response)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS]
        duration = int((time.perf_counter() - started) * 1000)
        report.attempts += 1
        ok = status is not None and 200 <= status < 300
        gone = status == 410
        values: dict[Any, Any] = {
            WebhookDelivery.attempts: number,
            WebhookDelivery.last_status: status,
            WebhookDelivery.last_error: error,
            WebhookDelivery.lease_until: None,
            WebhookDelivery.lease_owner: "",
        }
        if ok:
            values[WebhookDelivery.state] = DeliveryState.delivered.value
            values[WebhookDelivery.delivered_at] = datetime.now(UTC)
            report.delivered += 1
        elif gone or number >= self.policy.max_attempts:
            values[WebhookDelivery.state] = DeliveryState.failed.value
            report.failed += 1
        else:
            delay = self.policy.delay(number, retry_after)
            values[WebhookDelivery.state] = DeliveryState.pending.value
            values[WebhookDelivery.next_attempt_at] = now + timedelta(seconds=delay)
        if error:
            report.errors.append(error)
        async with db.write_transaction():
            last = (
                await WebhookAttempt.select(WebhookAttempt.number)
                .where(WebhookAttempt.delivery == delivery["id"])
                .order_by(WebhookAttempt.number, ascending=False)
                .first()
            )
            await WebhookAttempt.insert(
                WebhookAttempt(
                    delivery=delivery["id"],
                    number=(last["number"] if last else 0) + 1,
                    started_at=now,
                    duration_ms=duration,
                    status_code=status,
                    error=error,
                    response_excerpt=excerpt,
                )
            )
            await WebhookDelivery.update(values).where(WebhookDelivery.id == delivery["id"])
            if gone:
                await WebhookEndpoint.update(
                    {
                        WebhookEndpoint.enabled: False,
                        WebhookEndpoint.disabled_reason: "410 Gone",
                        WebhookEndpoint.updated_at: datetime.now(UTC),
                    }
                ).where(WebhookEndpoint.id == delivery["endpoint"])


def default_handlers() -> dict[str, list[Handler]]:
    """The handlers run when an event is dispatched: certificate issuance on publication."""
    from awards.results.delivery_hooks import EVENT_HANDLERS

    return EVENT_HANDLERS


async def run_forever(worker: Worker, stop: asyncio.Event, interval: float = 2.0) -> None:
    """Run passes every ``interval`` seconds until ``stop`` is set; errors are logged and the
    loop goes on (the next pass retries)."""
    while not stop.is_set():
        try:
            report = await worker.run_once()
            if report.dispatched or report.attempts:
                log.info(
                    "webhooks: %s event(s) dispatched, %s attempt(s), %s delivered, %s failed",
                    report.dispatched,
                    report.attempts,
                    report.delivered,
                    report.failed,
                )
        except Exception:
            log.exception("webhook worker pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def attach(app: Any, box: SecretBox, interval: float = 2.0) -> None:
    """Run a :class:`Worker` as a background task of ``app`` (started and stopped with it)."""
    state: dict[str, Any] = {}

    async def start() -> None:
        stop = asyncio.Event()
        state["stop"] = stop
        state["task"] = asyncio.create_task(run_forever(Worker(box), stop, interval))

    async def finish() -> None:
        if "stop" in state:
            state["stop"].set()
            await state["task"]

    app.on_startup.append(start)
    app.on_shutdown.insert(0, finish)
