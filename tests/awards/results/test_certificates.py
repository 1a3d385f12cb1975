"""Certificates: issued only once results are public, kept in step with corrections (valid,
superseded with a link to the replacement, revoked), verified at /v/{code}, rendered as PDF."""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime, timedelta

from awards.intake.editions.status import EditionLifecycle
from awards.intake.tables import Entry
from awards.results import certificates, publishing, snapshots, visibility
from awards.results.certificate_render import render_pdf
from awards.results.codes import ALPHABET, format_code, normalize_code
from awards.results.delivery_tables import Certificate
from awards.scoring.tables import ScoreSheet
from tests.awards.results.support import scored_world


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (metadata lives in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _published(run, **kwargs):
    world = scored_world(run, **kwargs)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    return world, frozen


def _by_entry(run, category_id):
    rows = run(Certificate.select().where(Certificate.category == category_id))
    return {row["entry"]: row for row in rows}


def test_certificates_not_issued_under_embargo(run):
    """A scheduled result issues nothing before publish_at, everything after."""
    world, frozen = _published(run)
    now = datetime.now(UTC)
    run(
        publishing.publish(
            world.organizer, frozen.snapshot_id, publish_at=now + timedelta(hours=1), now=now
        )
    )
    assert run(certificates.sync_category(world.category_id, now))["issued"] == 0
    assert run(certificates.certificate_for_entry(world.entries[0], now)) is None
    later = now + timedelta(hours=2)
    counts = run(certificates.sync_category(world.category_id, later))
    assert counts["issued"] == len(world.entries)


def test_winners_and_participants_get_their_kind(run):
    """Entries with a tier get a winner certificate, the others a participation one."""
    world, frozen = _published(run)
    run(publishing.publish(world.organizer, frozen.snapshot_id))
    run(certificates.sync_category(world.category_id))
    placements = {p["entry"]: p for p in run(visibility.visible_placements(world.category_id))}
    for entry, cert in _by_entry(run, world.category_id).items():
        expected = "winner" if placements[entry]["tier"] else "participation"
        assert cert["kind"] == expected
        if expected == "winner":  # the tier's label is printed, not its code
            printed = (
                json.loads(cert["printed"]) if isinstance(cert["printed"], str) else cert["printed"]
            )
            assert printed["id"]["award"] not in ("", cert["tier"])
        assert len(cert["code"]) == 12
        assert set(cert["code"]) <= set(ALPHABET)
    again = run(certificates.sync_category(world.category_id))
    assert again == {"issued": 0, "superseded": 0, "revoked": 0, "kept": len(world.entries)}


def test_verification_valid_shows_printed_text(run):
    """A valid code verifies with its printed text, however it is typed."""
    world, frozen = _published(run)
    run(publishing.publish(world.organizer, frozen.snapshot_id))
    cert = run(certificates.certificate_for_entry(world.entries[0]))
    typed = format_code(cert["code"]).lower().replace("0", "o")
    shown = run(certificates.verification(typed))
    assert shown["status"] == "valid"
    assert shown["printed"]["id"]["recipient"] == cert["printed"]["id"]["recipient"]
    assert run(certificates.verification("0000-0000-0000")) is None
    assert normalize_code("too-short") is None


def _correct(run, world, first, change):
    run(EditionLifecycle().change(world.organizer, world.edition_id, "correcting", "Koreksi"))
    change()
    second = run(snapshots.freeze(world.organizer, world.category_id))
    run(publishing.publish(world.organizer, second.snapshot_id, public_reason="Nilai salah ketik"))
    return second


def test_correction_supersedes_changed_and_keeps_unchanged(run):
    """After a correction the old winner's certificate is superseded and points to its
    replacement; entries whose award is unchanged keep their valid certificate."""
    world, first = _published(run)
    run(publishing.publish(world.organizer, first.snapshot_id))
    run(certificates.sync_category(world.category_id))
    before = _by_entry(run, world.category_id)
    winner = run(visibility.visible_placements(world.category_id))[0]["entry"]
    scores = run(ScoreSheet.select(ScoreSheet.scores).output(load_json=True).first())["scores"]

    def lower_winner():
        run(
            ScoreSheet.update({ScoreSheet.scores: dict.fromkeys(scores, 1)}).where(
                ScoreSheet.entry == winner
            )
        )

    _correct(run, world, first, lower_winner)
    counts = run(certificates.sync_category(world.category_id))
    old = run(certificates.verification(before[winner]["code"]))

    assert counts["superseded"] == 0  # done in the publish transaction already
    assert old["status"] == "superseded"
    assert old["reason"] == "Nilai salah ketik"
    assert old["replacement"]["status"] == "valid"
    new = run(certificates.verification(old["replacement"]["code"]))
    assert new["status"] == "valid"
    assert new["kind"] == "participation"
    unchanged = [
        e
        for e, c in before.items()
        if run(certificates.verification(c["code"]))["status"] == "valid"
    ]
    assert unchanged, "some certificates kept their award and stay valid"
    assert counts["kept"] == len(world.entries)


def test_correction_revokes_disqualified_entry(run):
    """An entry disqualified by a correction has its certificate revoked with the reason."""
    world, first = _published(run)
    run(publishing.publish(world.organizer, first.snapshot_id))
    run(certificates.sync_category(world.category_id))
    victim = world.entries[-1]
    code = _by_entry(run, world.category_id)[victim]["code"]

    def disqualify():
        run(Entry.update({Entry.screening: "ineligible"}).where(Entry.id == victim))

    _correct(run, world, first, disqualify)
    run(certificates.sync_category(world.category_id))
    shown = run(certificates.verification(code))
    assert shown["status"] == "revoked"
    assert shown["reason"] == "Nilai salah ketik"
    assert run(certificates.certificate_for_entry(victim)) is None


def test_pdf_renders_with_code(run):
    """The PDF starts with %PDF and carries its verification code, in both languages."""
    world, frozen = _published(run)
    run(publishing.publish(world.organizer, frozen.snapshot_id))
    cert = run(certificates.certificate_for_entry(world.entries[0]))
    for language in ("id", "en"):
        pdf = render_pdf(cert["printed"], language, f"https://x.test/v/{cert['code']}")
        assert pdf.startswith(b"%PDF")
        assert format_code(cert["code"]).encode() in _pdf_text(pdf)


def test_publish_writes_outbox_event_and_worker_issues_at_publish_time(run):
    """Publishing writes one outbox event with not_before = publish_at in the same
    transaction; the worker's dispatch at that time issues the certificates."""
    from awards.results.delivery_tables import OutboxEvent
    from awards.results.webhooks.endpoints import SecretBox
    from awards.results.webhooks.worker import Worker
    from tests.awards.helpers import TEST_SECRET

    world, frozen = _published(run)
    now = datetime.now(UTC)
    at = now + timedelta(hours=1)
    result = run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=at, now=now))
    event = run(OutboxEvent.select().first())
    assert event["dedupe_key"] == f"publication:{result['publication_id']}"
    assert event["not_before"] == at
    worker = Worker(SecretBox(TEST_SECRET))
    assert run(worker.run_once(now)).dispatched == 0
    assert run(Certificate.count()) == 0
    assert run(worker.run_once(at + timedelta(seconds=1))).dispatched == 1
    assert run(Certificate.count()) == len(world.entries)


def test_withdrawn_publication_cancels_its_event(run):
    """Withdrawing a scheduled publication cancels its outbox event."""
    from awards.results.delivery_tables import OutboxEvent

    world, frozen = _published(run)
    now = datetime.now(UTC)
    result = run(
        publishing.publish(
            world.organizer, frozen.snapshot_id, publish_at=now + timedelta(days=1), now=now
        )
    )
    run(EditionLifecycle().change(world.organizer, world.edition_id, "correcting", "Jadwal"))
    run(publishing.withdraw(world.organizer, result["publication_id"], "Ditunda", now=now))
    assert run(OutboxEvent.select(OutboxEvent.cancelled_at).first())["cancelled_at"] is not None


def test_immediate_correction_updates_certificates_in_publish_transaction(run):
    """A correction public at once supersedes the changed certificates while publishing."""
    world, first = _published(run)
    run(publishing.publish(world.organizer, first.snapshot_id))
    run(certificates.sync_category(world.category_id))
    winner = run(visibility.visible_placements(world.category_id))[0]["entry"]
    code = _by_entry(run, world.category_id)[winner]["code"]
    scores = run(ScoreSheet.select(ScoreSheet.scores).output(load_json=True).first())["scores"]

    def lower_winner():
        run(
            ScoreSheet.update({ScoreSheet.scores: dict.fromkeys(scores, 1)}).where(
                ScoreSheet.entry == winner
            )
        )

    _correct(run, world, first, lower_winner)
    assert run(certificates.verification(code))["status"] == "superseded"
