"""The webhook worker against a real HTTP receiver on 127.0.0.1: signed requests, retries with
backoff, each attempt logged, the embargo respected, and leases that survive a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from awards.results.delivery_tables import (
    DeliveryState,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from awards.results.webhooks import outbox
from awards.results.webhooks.endpoints import SecretBox, create_endpoint
from awards.results.webhooks.signing import verify
from awards.results.webhooks.worker import RetryPolicy, Worker
from tests.awards.helpers import TEST_SECRET
from tests.awards.results.receiver import receiver
from tests.awards.scoring.support import make_edition, quick_user

BOX = SecretBox(TEST_SECRET)
FAST = RetryPolicy(base_seconds=10, factor=2, cap_seconds=60, max_attempts=4, jitter=0)


def _setup(run, url, publish_at):
    admin = quick_user(run, "admin-hooks@example.org", "admin")
    edition_id, category_id = run(make_edition(status="judging"))
    endpoint_id, secret = run(create_endpoint(admin, edition_id, url, BOX, production=False))
    run(
        outbox.enqueue(
            edition_id=edition_id,
            type="results.published",
            data={"edition": edition_id, "category": category_id},
            not_before=publish_at,
            dedupe_key=f"publication:test:{category_id}",
        )
    )
    return edition_id, endpoint_id, secret


def _worker(**kwargs):
    return Worker(BOX, handlers={}, policy=FAST, **kwargs)


def test_worker_sends_nothing_before_not_before(client, run):
    """An event scheduled later is neither dispatched nor sent before its time."""
    now = datetime.now(UTC)
    with receiver([]) as hook:
        _setup(run, hook.url, now + timedelta(hours=1))
        report = run(_worker().run_once(now))
        assert (report.dispatched, report.attempts, hook.requests) == (0, 0, [])
        report = run(_worker().run_once(now + timedelta(hours=1, seconds=1)))
    assert (report.dispatched, report.delivered, len(hook.requests)) == (1, 1, 1)


def test_worker_retries_with_backoff_until_delivered(client, run):
    """500, then 503, then 200: three signed attempts with the same webhook-id, logged; the
    second waits the backoff's 10 s, the third 20 s."""
    now = datetime.now(UTC)
    with receiver([500, 503]) as hook:
        _, endpoint_id, secret = _setup(run, hook.url, now)
        worker = _worker()
        first = run(worker.run_once(now))
        assert (first.attempts, first.delivered) == (1, 0)
        assert run(worker.run_once(now + timedelta(seconds=9))).attempts == 0
        assert run(worker.run_once(now + timedelta(seconds=10))).attempts == 1
        assert run(worker.run_once(now + timedelta(seconds=29))).attempts == 0
        last = run(worker.run_once(now + timedelta(seconds=30)))
    assert last.delivered == 1
    assert len(hook.requests) == 3
    assert len({r.headers["webhook-id"] for r in hook.requests}) == 1
    for request in hook.requests:
        verify(secret, request.headers, request.body)
    body = json.loads(hook.requests[0].body)
    assert body["type"] == "results.published"
    delivery = run(WebhookDelivery.select().where(WebhookDelivery.endpoint == endpoint_id).first())
    assert (delivery["state"], delivery["attempts"], delivery["last_status"]) == (
        DeliveryState.delivered.value,
        3,
        200,
    )
    log = run(WebhookAttempt.select().order_by(WebhookAttempt.number))
    assert [a["status_code"] for a in log] == [500, 503, 200]


def test_worker_gives_up_after_max_attempts(client, run):
    """A receiver that always fails gets max_attempts attempts, then the delivery fails."""
    now = datetime.now(UTC)
    with receiver([], default=500) as hook:
        _setup(run, hook.url, now)
        worker = _worker()
        for step in range(10):
            run(worker.run_once(now + timedelta(seconds=60 * step)))
    assert len(hook.requests) == 4
    delivery = run(WebhookDelivery.select().first())
    assert delivery["state"] == DeliveryState.failed.value


def test_worker_disables_endpoint_on_410(client, run):
    """410 Gone disables the endpoint and fails the delivery at once."""
    now = datetime.now(UTC)
    with receiver([410]) as hook:
        _, endpoint_id, _ = _setup(run, hook.url, now)
        run(_worker().run_once(now))
    endpoint = run(WebhookEndpoint.select().where(WebhookEndpoint.id == endpoint_id).first())
    assert (endpoint["enabled"], endpoint["disabled_reason"]) == (False, "410 Gone")


def test_worker_network_error_is_logged_and_retried(client, run):
    """Nobody listening: the attempt logs the connection error and is retried later."""
    now = datetime.now(UTC)
    with receiver([]) as hook:
        url = hook.url
    _setup(run, url, now)
    report = run(_worker().run_once(now))
    assert report.attempts == 1
    assert report.errors
    attempt = run(WebhookAttempt.select().first())
    assert attempt["status_code"] is None
    assert "Connect" in attempt["error"]
    delivery = run(WebhookDelivery.select().first())
    assert delivery["state"] == DeliveryState.pending.value


def test_lease_survives_restart_after_expiry(client, run):
    """A worker that claimed a delivery and died holds it only until its lease expires; then
    another worker sends it."""
    now = datetime.now(UTC)
    with receiver([]) as hook:
        _setup(run, hook.url, now)
        dead = _worker(owner="dead", lease_seconds=30)
        run(dead.dispatch(now))
        claimed = run(dead.claim(now))
        assert len(claimed) == 1  # ... and the process dies before sending
        survivor = _worker(owner="survivor", lease_seconds=30)
        assert run(survivor.run_once(now + timedelta(seconds=29))).attempts == 0
        report = run(survivor.run_once(now + timedelta(seconds=31)))
    assert report.delivered == 1
    assert len(hook.requests) == 1


def test_outbox_dedupe_key_enqueues_once(client, run):
    """Enqueueing the same dedupe key twice keeps one event with one id."""
    edition_id, _ = run(make_edition())
    kwargs = {
        "edition_id": edition_id,
        "type": "results.published",
        "data": {},
        "not_before": datetime.now(UTC),
        "dedupe_key": "publication:dup",
    }
    first = run(outbox.enqueue(**kwargs))
    second = run(outbox.enqueue(**kwargs))
    assert first == second
    assert run(OutboxEvent.count().where(OutboxEvent.dedupe_key == "publication:dup")) == 1


def test_outbox_reschedule_moves_not_before(client, run):
    """Rescheduling before dispatch moves the event; a cancelled one is never dispatched."""
    now = datetime.now(UTC)
    edition_id, _ = run(make_edition())
    for key in ("a", "b"):
        run(
            outbox.enqueue(
                edition_id=edition_id,
                type="results.published",
                data={},
                not_before=now,
                dedupe_key=key,
            )
        )
    assert run(outbox.reschedule("a", now + timedelta(days=1)))
    assert run(outbox.cancel("b"))
    assert run(_worker().dispatch(now + timedelta(hours=1))) == 0
    assert run(_worker().dispatch(now + timedelta(days=1))) == 1


def test_publishing_sends_signed_webhook_and_issues_certificates(client, run):
    """Publish a category with an endpoint configured: at the publication time the worker
    sends one signed results.published message naming the category, and issues the
    certificates; nothing goes out before."""
    from awards.results import publishing, snapshots
    from awards.results.delivery_tables import Certificate
    from tests.awards.results.support import scored_world

    world = scored_world(run)
    now = datetime.now(UTC)
    at = now + timedelta(minutes=30)
    with receiver([]) as hook:
        _, secret = run(
            create_endpoint(world.organizer, world.edition_id, hook.url, BOX, production=False)
        )
        frozen = run(snapshots.freeze(world.organizer, world.category_id))
        run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=at, now=now))
        worker = Worker(BOX, policy=FAST)  # with the certificate handlers
        assert run(worker.run_once(now)).attempts == 0
        report = run(worker.run_once(at + timedelta(seconds=1)))
    assert (report.dispatched, report.delivered) == (1, 1)
    (request,) = hook.requests
    verify(secret, request.headers, request.body)
    body = json.loads(request.body)
    assert body["type"] == "results.published"
    assert body["data"]["category"] == world.category_id
    assert body["data"]["snapshot"] == frozen.snapshot_id
    assert run(Certificate.count()) == len(world.entries)


def test_retry_failed_starts_a_new_series_and_keeps_the_log(client, run):
    """After giving up, the organizer's retry sends again; the log numbers on (1..5)."""
    from awards.results.webhooks.endpoints import retry_failed

    now = datetime.now(UTC)
    with receiver([500, 500, 500, 500]) as hook:
        _, endpoint_id, _ = _setup(run, hook.url, now)
        worker = _worker()
        for step in range(6):
            run(worker.run_once(now + timedelta(seconds=60 * step)))
        assert run(WebhookDelivery.select().first())["state"] == DeliveryState.failed.value
        admin = quick_user(run, "retry-admin@example.org", "admin")
        assert run(retry_failed(admin, endpoint_id)) == 1
        report = run(worker.run_once(datetime.now(UTC) + timedelta(seconds=1)))
    assert report.delivered == 1
    log = run(WebhookAttempt.select(WebhookAttempt.number).order_by(WebhookAttempt.number))
    assert [a["number"] for a in log] == [1, 2, 3, 4, 5]
