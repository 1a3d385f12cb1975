"""The organizer sets up a panel in a real browser (Indonesian UI, at 360 and 1280 px): the
judges, invitations and conflicts pages open without sideways scrolling; a final round is
created from the form, takes every eligible entry and gets an anchor entry."""

from __future__ import annotations

import pytest

from awards.scoring.rules import DEFAULT_BLIND_FIELDS
from awards.scoring.tables import RoundEntry, ScoringRound
from tests.awards.scoring.support import PASSWORD, build_world
from tests.browser.support import LiveServer, Tab, t

pytestmark = pytest.mark.browser


def test_organizer_creates_a_round_with_entrants_and_an_anchor(tab: Tab, live_server: LiveServer):
    """From the panels page the organizer creates a final round, sets its entries to every
    eligible entry and marks the first as an anchor excluded from awards."""
    world = build_world(
        live_server.run, n_entries=3, n_judges=2, k=1, open_round=False, assign=False
    )
    page = tab.page
    first = world.entries[0]

    tab.goto("/login")
    page.get_by_label(t("Email")).fill(world.organizer.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    tab.follow(page.get_by_role("main").get_by_role("button", name=t("Log in")))
    tab.goto("/organizer/scoring/")
    tab.follow(page.get_by_role("link", name=t("Judges"), exact=True).first)
    tab.follow(page.get_by_role("link", name=t("Invitations"), exact=True).first)
    tab.follow(page.get_by_role("link", name=t("Conflicts of interest"), exact=True).first)
    tab.follow(page.get_by_role("link", name=t("New round"), exact=True).first)
    page.get_by_label(t("Kind of round")).select_option("final")
    page.get_by_label(t("Name (optional)")).fill("Final kuliner")
    page.get_by_label(t("Opens at")).fill("2026-12-01T08:00")
    page.get_by_label(t("Closes at")).fill("2026-12-10T17:00")
    page.get_by_label(t("Judges per entry (k)")).fill("2")
    tab.follow(page.get_by_role("button", name=t("Create the round")))
    tab.follow(page.get_by_role("button", name=t("Set the entries")))
    page.locator(f'input[name="anchors"][value="{first}"]').check()
    page.get_by_label(t("Exclude the anchor entries from awards")).check()
    tab.follow(page.get_by_role("button", name=t("Save the anchors")))

    final = live_server.run(
        ScoringRound.select(
            ScoringRound.id, ScoringRound.judges_per_entry, ScoringRound.blind_fields
        )
        .output(load_json=True)
        .where(ScoringRound.kind == "final")
        .first()
    )
    rows = live_server.run(
        RoundEntry.select(RoundEntry.entry, RoundEntry.anchor, RoundEntry.anchor_excluded)
        .where(RoundEntry.round == final["id"])
        .order_by(RoundEntry.entry)
    )
    assert tab.path.startswith(f"/organizer/scoring/rounds/{final['id']}/setup")
    assert final["judges_per_entry"] == 2
    assert final["blind_fields"] == list(DEFAULT_BLIND_FIELDS)
    assert [(r["entry"], r["anchor"], r["anchor_excluded"]) for r in rows] == [
        (first, True, True),
        (world.entries[1], False, False),
        (world.entries[2], False, False),
    ]
