"""The organizer's review pages: ranking with the engine's figures, freeze, publish, tiers."""

from __future__ import annotations

from awards.intake.tables import Edition
from awards.results import visibility
from awards.results.tables import AwardTier, ResultSnapshot
from tests.awards.helpers import login, post_form
from tests.awards.results.support import scored_world
from tests.awards.scoring.support import PASSWORD


def _organizer_client(client, world):
    login(client, world.organizer.email, PASSWORD)
    return client


def test_review_page_shows_ranking_leniency_and_reliability(client, run):
    """The category page shows places with score ± SE, P(top 3), leniency and alpha, no-store."""
    world = scored_world(run)
    _organizer_client(client, world)
    page = client.get(f"/organizer/results/categories/{world.category_id}")
    assert page.status_code == 200
    assert "no-store" in page.headers["cache-control"]
    assert "Juara 1" in page.text
    assert "P(top 3)" in page.text
    assert "Krippendorff" in page.text
    assert "Usaha" in page.text


def test_freeze_then_publish_from_the_page_announces_edition(client, run):
    """Freeze and publish (confirmed) through the forms; the edition becomes published."""
    world = scored_world(run)
    _organizer_client(client, world)
    base = f"/organizer/results/categories/{world.category_id}"
    assert post_form(client, f"{base}/freeze", {}).status_code in (200, 303)
    refused = post_form(client, f"{base}/publish", {"when": "now"})
    assert refused.status_code == 422
    post_form(client, f"{base}/publish", {"when": "now", "confirm": "yes"})
    status = run(Edition.select(Edition.status).where(Edition.id == world.edition_id).first())
    assert run(ResultSnapshot.count()) == 1
    assert run(visibility.visible_publication(world.category_id)) is not None
    assert status["status"] == "published"


def test_rule_form_rejects_bad_minimum_beside_field(client, run):
    """A minimum standard that is not a number comes back as 422 with the field's message."""
    world = scored_world(run)
    _organizer_client(client, world)
    response = post_form(
        client,
        f"/organizer/results/categories/{world.category_id}/rule",
        {"policy": "cascade", "min_score": "tinggi"},
    )
    assert response.status_code == 422
    assert "Isi dengan angka." in response.text


def test_tiers_form_saves_a_special_award(client, run):
    """The tiers page keeps the defaults and adds a special award."""
    world = scored_world(run)
    _organizer_client(client, world)
    url = f"/organizer/results/editions/{world.edition_id}/tiers"
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    for i, (code, label, kind) in enumerate(
        [("juara-1", "Juara 1", "ranked"), ("juara-2", "Juara 2", "ranked"),
         ("favorit", "Favorit Juri", "special")]
    ):  # fmt: skip
        data.update({f"tiers.{i}.code": code, f"tiers.{i}.label_id": label,
                     f"tiers.{i}.kind": kind, f"tiers.{i}.max_recipients": "1"})  # fmt: skip
    post_form(client, url, data)
    codes = run(AwardTier.select(AwardTier.code).where(AwardTier.edition == world.edition_id))
    assert sorted(c["code"] for c in codes) == ["favorit", "juara-1", "juara-2"]


def test_review_page_refused_to_judges(client, run):
    """A judge cannot open the results review."""
    world = scored_world(run)
    login(client, world.judges[0].email, PASSWORD)
    response = client.get(
        f"/organizer/results/categories/{world.category_id}", follow_redirects=False
    )
    assert response.status_code in (403, 404)
