"""Delivery over HTTP: /v/{code} says valid, corrected or revoked; exports are organizers'
only before publication; entrants download only their own certificate; organizers configure
webhooks and read the fairness audit."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from awards.intake.editions.status import EditionLifecycle
from awards.intake.tables import BusinessMember, Edition, Entry
from awards.results import certificates, publishing, snapshots, visibility
from awards.results.delivery_tables import WebhookEndpoint
from awards.scoring.tables import ScoreSheet
from tests.awards.helpers import login, post_form
from tests.awards.results.support import scored_world
from tests.awards.scoring.support import quick_user


def _publish(run, world, **kwargs):
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    run(publishing.publish(world.organizer, frozen.snapshot_id, **kwargs))
    return frozen


def _slug(run, world):
    return run(Edition.select(Edition.slug).where(Edition.id == world.edition_id).first())["slug"]


def test_verify_page_says_valid_corrected_revoked(client, run):
    """The public page shows each status in words, links the replacement, and 404s unknown
    codes."""
    world = scored_world(run)
    _publish(run, world)
    run(certificates.sync_category(world.category_id))
    winner = run(visibility.visible_placements(world.category_id))[0]["entry"]
    victim = world.entries[-1] if world.entries[-1] != winner else world.entries[-2]
    codes = {e: run(certificates.certificate_for_entry(e))["code"] for e in (winner, victim)}
    page = client.get(f"/v/{codes[winner]}")
    assert page.status_code == 200
    assert "Sah." in page.text
    run(EditionLifecycle().change(world.organizer, world.edition_id, "correcting", "Koreksi"))
    scores = run(ScoreSheet.select(ScoreSheet.scores).output(load_json=True).first())["scores"]
    run(
        ScoreSheet.update({ScoreSheet.scores: dict.fromkeys(scores, 1)}).where(
            ScoreSheet.entry == winner
        )
    )
    run(Entry.update({Entry.screening: "ineligible"}).where(Entry.id == victim))
    _publish(run, world, public_reason="Salah hitung")

    corrected = client.get(f"/v/{codes[winner]}")
    revoked = client.get(f"/v/{codes[victim]}")
    unknown = client.get("/v/ZZZZ-ZZZZ-ZZZZ")

    assert "Dikoreksi." in corrected.text
    assert "Salah hitung" in corrected.text
    replacement = run(certificates.verification(codes[winner]))["replacement"]["code"]
    assert f"/v/{replacement}" in corrected.text
    assert "Dicabut." in revoked.text
    assert unknown.status_code == 404
    assert (
        client.get(f"/v/?code={codes[winner].lower()}", follow_redirects=False).headers["location"]
        == f"/v/{codes[winner]}"
    )


def test_exports_are_organizers_only_before_publication(client, run):
    """Before publication the organizer exports CSV/XLSX/JSON (private) and the public export
    is 404; after publication the public export works too."""
    world = scored_world(run)
    now = datetime.now(UTC)
    _publish(run, world, publish_at=now + timedelta(days=1), now=now)
    slug = _slug(run, world)
    assert client.get(f"/results/{slug}/data/csv").status_code == 404
    anonymous = client.get(
        f"/organizer/results/editions/{world.edition_id}/export/csv", follow_redirects=False
    )
    assert anonymous.status_code in (302, 303, 401)
    assert login(client, world.organizer.email).status_code == 303
    csv_response = client.get(f"/organizer/results/editions/{world.edition_id}/export/csv")
    xlsx_response = client.get(f"/organizer/results/editions/{world.edition_id}/export/xlsx")
    json_response = client.get(f"/organizer/results/editions/{world.edition_id}/export/json")

    assert csv_response.status_code == 200
    assert "no-store" in csv_response.headers["cache-control"]
    assert csv_response.content.startswith(b"\xef\xbb\xbfcategory,place,tier")
    assert len(csv_response.text.strip().splitlines()) == 1 + len(world.entries)
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:S{1 + len(world.entries)}"
    assert len(json.loads(json_response.content)["rows"]) == len(world.entries)
    assert client.get(f"/results/{slug}/data/csv").status_code == 404


def test_public_export_after_publication_shows_awarded_only(client, run):
    """Once public, anyone exports the awarded entries (the full ranking is not shown)."""
    world = scored_world(run)
    _publish(run, world)
    response = client.get(f"/results/{_slug(run, world)}/data/json")
    assert response.status_code == 200
    rows = json.loads(response.content)["rows"]
    assert rows
    assert all(r["tier"] or r["special_award"] for r in rows)


def test_entrant_downloads_own_certificate_only(client, run):
    """The business's member gets the PDF; another entrant gets 404."""
    world = scored_world(run)
    owner = quick_user(run, "owner@example.org", "entrant")
    quick_user(run, "someone@example.org", "entrant")
    entry = world.entries[0]
    business = run(Entry.select(Entry.business).where(Entry.id == entry).first())["business"]
    run(BusinessMember.insert(BusinessMember(business=business, user=owner.id)))
    assert login(client, "owner@example.org").status_code == 303
    assert client.get(f"/entries/{entry}/certificate.pdf").status_code == 404  # not public yet
    _publish(run, world)
    pdf = client.get(f"/entries/{entry}/certificate.pdf?lang=en")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    client.cookies.clear()
    assert login(client, "someone@example.org").status_code == 303
    assert client.get(f"/entries/{entry}/certificate.pdf").status_code == 404


def test_organizer_adds_webhook_and_reads_fairness(client, run):
    """An http:// address off the loopback is refused next to the field; an https one is
    stored with its secret shown once; the fairness page renders."""
    world = scored_world(run)
    assert login(client, world.organizer.email).status_code == 303
    base = f"/organizer/results/editions/{world.edition_id}/webhooks"
    refused = post_form(client, base, {"url": "http://example.org/hook"})
    assert refused.status_code == 422
    assert "https://" in refused.text
    added = post_form(client, base, {"url": "https://example.org/hook", "description": "Kota"})
    assert added.status_code == 303
    page = client.get(base)
    assert "whsec_" in page.text
    assert "whsec_" not in client.get(base).text
    endpoint = run(WebhookEndpoint.select().first())
    assert endpoint["url"] == "https://example.org/hook"
    assert not endpoint["secret"].startswith("whsec_")  # encrypted at rest
    assert client.get(f"/organizer/results/webhooks/{endpoint['id']}").status_code == 200
    disabled = post_form(client, f"/organizer/results/webhooks/{endpoint['id']}/disable", {})
    assert disabled.status_code == 303
    assert run(WebhookEndpoint.select().first())["enabled"] is False
    fairness = client.get(f"/organizer/results/editions/{world.edition_id}/fairness")
    assert fairness.status_code == 200
    assert "Audit keadilan" in fairness.text
    hub = client.get(f"/organizer/results/editions/{world.edition_id}/delivery")
    assert hub.status_code == 200


def test_organizer_hub_counts_and_zips_a_category(client, run):
    """The hub counts certificates per category; the category's ZIP holds one PDF each."""
    import zipfile

    world = scored_world(run)
    _publish(run, world)
    assert login(client, world.organizer.email).status_code == 303
    hub = client.get(f"/organizer/results/editions/{world.edition_id}/delivery")
    assert hub.status_code == 200
    assert hub.text.count("/organizer/results/certificates/") == 2 * len(world.entries)
    archive = client.get(
        f"/organizer/results/editions/{world.edition_id}/certificates.zip"
        f"?category={world.category_id}&lang=en"
    )
    assert archive.status_code == 200, archive.text[:500]
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert len(names) == len(world.entries)
    assert all(name.endswith("-en.pdf") for name in names)
