"""The judge's walk in a real browser (Indonesian UI, at 360 and 1280 px): log in, open the
scoring desk, continue where they left off, answer "no conflict", score every criterion with
the buttons, "submit and next" lands on the next entry; the sheet is stored submitted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from awards.scoring.tables import ScoreSheet
from tests.awards.scoring.support import CRITERIA, PASSWORD, assigned_entries, build_world
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser


def test_judge_journey_scores_and_moves_to_next(tab: Tab, live_server: LiveServer):
    """A judge scores an entry on the phone-sized desk and moves on to the next one."""
    world = build_world(live_server.run, n_entries=4, n_judges=2, k=2)
    judge = world.judges[0]
    mine = live_server.run(assigned_entries(world.round_id, judge.id))
    page = tab.page

    tab.goto("/login")
    page.get_by_label(t("Email")).fill(judge.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Log in")))
    tab.follow(page.get_by_role("navigation").get_by_role("link", name=t("Scoring desk")))
    expect(page.locator("progress")).to_have_count(1)
    tab.follow(page.get_by_role("link", name=t("Continue where I left off")))
    page.get_by_label(t("No conflict")).check()
    tab.follow(page.get_by_role("button", name=t("Send answer")))
    for key in CRITERIA:
        page.locator(f"#criterion-{key} label.score-option", has_text="8").first.click()
    page.get_by_label(t("Very sure")).check()
    tab.follow(page.get_by_role("button", name=t("Submit and next")))

    assert tab.path == f"/judge/rounds/{world.round_id}/entries/{mine[1]}"
    stored = live_server.run(
        ScoreSheet.select(ScoreSheet.entry, ScoreSheet.status, ScoreSheet.confidence)
        .where(ScoreSheet.judge == judge.id)
        .first()
    )
    assert stored == {"entry": mine[0], "status": "submitted", "confidence": "high"}
