"""The results journey in a real browser (Indonesian UI): the organizer freezes and publishes a
scored category; then an anonymous visitor (at 360 and 1280 px) opens the winners page and
checks a winner's certificate by typing its code at /v."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from awards.intake.tables import Category, Edition
from awards.results import certificates, visibility
from awards.results.codes import format_code
from tests.awards.results.support import scored_world
from tests.awards.scoring.support import PASSWORD
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser


def test_results_journey_publish_then_visitor_checks_certificate(tab: Tab, live_server: LiveServer):
    """Freeze and publish as the organizer; as a visitor read the winners and verify a code."""
    world = scored_world(live_server.run)
    run = live_server.run
    edition = run(Edition.select(Edition.slug).where(Edition.id == world.edition_id).first())
    category = run(Category.select(Category.slug).where(Category.id == world.category_id).first())
    page = tab.page

    tab.goto("/login")
    page.get_by_label(t("Email")).fill(world.organizer.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Log in")))
    tab.goto(f"/organizer/results/categories/{world.category_id}")
    tab.follow(page.get_by_role("button", name=t("Freeze a new version")))
    page.get_by_label(t("I have checked the ranking and the awards.")).check()
    tab.follow(page.get_by_role("button", name=t("Publish")))
    assert run(visibility.visible_publication(world.category_id)) is not None

    page.context.clear_cookies()
    winner = run(visibility.visible_placements(world.category_id, awarded_only=True))[0]
    cert = run(certificates.certificate_for_entry(winner["entry"]))
    tab.goto(f"/results/{edition['slug']}/{category['slug']}")
    expect(page.get_by_role("main")).to_contain_text(cert["printed"]["id"]["recipient"])

    tab.goto("/v/")
    page.get_by_label(t("Verification code")).fill(format_code(cert["code"]).lower())
    tab.follow(page.get_by_role("button", name=t("Check")))
    assert tab.path == f"/v/{cert['code']}"
    expect(page.get_by_role("main")).to_contain_text(t("Valid."))
    expect(page.get_by_role("main")).to_contain_text(cert["printed"]["id"]["recipient"])
