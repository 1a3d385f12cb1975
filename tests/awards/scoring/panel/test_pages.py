"""Organizer panel pages: the rounds list, the round's panel (progress, leniency, moderation,
assignment preview), resolving a case, and the guards."""

from __future__ import annotations

from awards.scoring.tables import Assignment, ModerationCase
from tests.awards.helpers import login, post_form
from tests.awards.scoring.support import build_world, score_round


def test_panel_shows_progress_leniency_and_moderation(client, run):
    """The round's panel lists judges' progress, the leniency table and an open case, and
    resolving the case is recorded."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    score_round(run, world, lambda j, e: 2 if (j == 0 and e == world.entries[0]) else 9)
    login(client, world.organizer.email)
    index = client.get("/organizer/scoring/")
    page = client.get(f"/organizer/scoring/rounds/{world.round_id}")
    case = run(ModerationCase.select().first())
    resolved = post_form(
        client,
        f"/organizer/scoring/cases/{case['id']}/resolve",
        {"round": str(world.round_id), "resolution": "accept", "note": "sudah dicek"},
    )
    assert f"/organizer/scoring/rounds/{world.round_id}" in index.text
    assert page.status_code == 200
    for text in ("judge0@example.com", "Bias", "<progress", f"#{world.entries[0]}"):
        assert text in page.text
    assert resolved.status_code == 303
    assert run(ModerationCase.select(ModerationCase.resolution, ModerationCase.note).first()) == {
        "resolution": "accept",
        "note": "sudah dicek",
    }


def test_panel_preview_then_apply(client, run):
    """Before assignment the panel shows the engine's preview; applying stores it."""
    world = build_world(run, assign=False)
    login(client, world.organizer.email)
    page = client.get(f"/organizer/scoring/rounds/{world.round_id}")
    applied = post_form(client, f"/organizer/scoring/rounds/{world.round_id}/assign", {})
    assert 'action="/organizer/scoring/rounds/' in page.text
    assert applied.status_code == 303
    assert run(Assignment.count()) == 12


def test_panel_refused_to_judges(client, run):
    """A judge gets 403 on the panel pages."""
    world = build_world(run)
    login(client, world.judges[0].email)
    assert client.get("/organizer/scoring/").status_code == 403
    assert client.get(f"/organizer/scoring/rounds/{world.round_id}").status_code == 403
