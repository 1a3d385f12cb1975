"""Moderation pages and API: the case page with its record, the panel discussion page (only
the entry's judges), manual assignment edits with the disconnection warning, round rules."""

from __future__ import annotations

from awards.scoring.tables import Assignment, ModerationAction, ScoringRound
from tests.awards.helpers import api_post, csrf_token, login, post_form
from tests.awards.scoring.judge.test_discussion import _case_in_review
from tests.awards.scoring.rounds.test_assignment_edits import _bridge_world
from tests.awards.scoring.support import assigned_entries, build_world, panel


def _logout(client):
    post_form(client, "/logout", {})
    client.cookies.clear()


def test_case_page_review_recorded_and_shown(client, run):
    """Asking for a review from the case page records who and the note, and the page shows
    the record; a review without a note answers 422 with the message beside the note."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    case, *_ = _case_in_review(run, world, review=False)
    login(client, world.organizer.email)
    url = f"/organizer/scoring/cases/{case['id']}"
    refused = post_form(client, f"{url}/resolve", {"resolution": "review", "note": ""})
    done = post_form(client, f"{url}/resolve", {"resolution": "review", "note": "Cek kemasan"})
    page = client.get(url)
    panel_page = client.get(f"/organizer/scoring/rounds/{world.round_id}")
    assert refused.status_code == 422
    assert 'class="field-error"' in refused.text
    assert done.status_code == 303
    assert run(ModerationAction.select(ModerationAction.actor, ModerationAction.note).first()) == {
        "actor": world.organizer.id,
        "note": "Cek kemasan",
    }
    assert "Cek kemasan" in page.text
    assert world.organizer.email in page.text
    assert "Terbuka, panel sedang meninjau" in panel_page.text


def test_discussion_page_only_for_the_entry_panel(client, run):
    """The entry's judge sees the other judge's comment on the discussion page and in the
    API; a judge of the round not on the entry gets 404 on both; no private note appears."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _case, first, _second, entry = _case_in_review(run, world)
    outsider = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    path = f"/rounds/{world.round_id}/entries/{entry}/discussion"
    login(client, first.email)
    page = client.get(f"/judge{path}")
    api = client.get(f"/api/v1/judge{path}")
    entry_page = client.get(f"/judge/rounds/{world.round_id}/entries/{entry}")
    _logout(client)
    login(client, outsider.email)
    hidden_page = client.get(f"/judge{path}")
    hidden_api = client.get(f"/api/v1/judge{path}")
    outsider_views = [client.get("/judge/").text, client.get("/api/v1/judge/queue").text]
    for own in run(assigned_entries(world.round_id, outsider.id)):
        outsider_views.append(client.get(f"/judge/rounds/{world.round_id}/entries/{own}").text)
        outsider_views.append(
            client.get(f"/api/v1/judge/rounds/{world.round_id}/entries/{own}").text
        )
    assert page.status_code == 200
    assert "sangat baik" in page.text
    assert "Mohon cek ulang" in page.text
    assert "rahasia" not in page.text
    assert api.status_code == 200
    assert {m["judge"] for m in api.json()["members"]} == {"you", "A"}
    assert f"{path}" in entry_page.text
    assert (hidden_page.status_code, hidden_api.status_code) == (404, 404)
    assert "sangat baik" not in hidden_page.text
    assert not any("sangat baik" in text or "kurang rapi" in text for text in outsider_views)


def test_entry_judges_page_disconnect_warning_then_confirm(client, run):
    """Removing the bridging judge shows the warning and a confirm button, changes nothing;
    confirming withdraws the assignment."""
    world = _bridge_world(run)
    j1, e1 = world.judges[1].id, world.entries[1]
    login(client, world.organizer.email)
    url = f"/organizer/scoring/rounds/{world.round_id}/entries/{e1}/judges"
    page = client.get(url)
    form = {"action": "remove", "judge": str(j1), "reason": "sakit"}
    warned = post_form(client, url, form)
    unchanged = run(panel(world.round_id, e1))
    confirmed = post_form(client, url, {**form, "confirm": "1"})
    assert page.status_code == 200
    assert warned.status_code == 200
    assert "memecah juri menjadi 2 kelompok" in warned.text
    assert 'name="confirm" value="1"' in warned.text
    assert j1 in unchanged
    assert confirmed.status_code == 303
    assert run(panel(world.round_id, e1)) == [world.judges[2].id]


def test_entry_judges_page_missing_reason_beside_field(client, run):
    """Adding a judge without a reason answers 422 with the message."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    entry = world.entries[0]
    newcomer = next(j for j in world.judges if j.id not in run(panel(world.round_id, entry)))
    login(client, world.organizer.email)
    url = f"/organizer/scoring/rounds/{world.round_id}/entries/{entry}/judges"
    refused = post_form(client, url, {"action": "add", "judge": str(newcomer.id), "reason": ""})
    assert refused.status_code == 422
    assert "Berikan alasan" in refused.text or 'class="field-error"' in refused.text
    assert newcomer.id not in run(panel(world.round_id, entry))


def test_api_assignment_edit_409_until_confirmed(client, run):
    """The API answers 409 with the warnings and component counts, then applies on confirm."""
    world = _bridge_world(run)
    j1, e1 = world.judges[1].id, world.entries[1]
    login(client, world.organizer.email)
    url = f"/api/v1/scoring/rounds/{world.round_id}/entries/{e1}/judges"
    body = {"action": "remove", "judge": j1, "reason": "sakit"}
    warned = api_post(client, url, body)
    done = api_post(client, url, {**body, "confirm": True})
    assert warned.status_code == 409
    assert (warned.json()["components_before"], warned.json()["components_after"]) == (1, 2)
    assert warned.json()["warnings"]
    assert done.status_code == 200
    status = run(
        Assignment.select(Assignment.status)
        .where((Assignment.entry == e1) & (Assignment.judge == j1))
        .first()
    )
    assert status == {"status": "withdrawn"}


def test_api_case_actions_and_record(client, run):
    """The API lists the round's cases, records an accept, and shows the record."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    case, *_ = _case_in_review(run, world, review=False)
    login(client, world.organizer.email)
    listed = client.get(f"/api/v1/scoring/rounds/{world.round_id}/cases")
    acted = api_post(
        client, f"/api/v1/scoring/cases/{case['id']}/actions", {"action": "accept", "note": "ok"}
    )
    detail = client.get(f"/api/v1/scoring/cases/{case['id']}")
    assert [c["id"] for c in listed.json()] == [case["id"]]
    assert acted.status_code == 201
    assert detail.json()["case"]["status"] == "resolved"
    assert [(a["action"], a["actor_email"]) for a in detail.json()["actions"]] == [
        ("accept", world.organizer.email)
    ]


def test_round_rules_form_and_api_store(client, run):
    """The round's rules save from the panel form and through the API."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    login(client, world.organizer.email)
    saved = post_form(
        client,
        f"/organizer/scoring/rounds/{world.round_id}/rules",
        {"spread_threshold": "30", "residual_threshold": "3", "comment_below": "3"},
    )
    stored = run(
        ScoringRound.select(
            ScoringRound.spread_threshold,
            ScoringRound.residual_threshold,
            ScoringRound.comment_below,
            ScoringRound.comment_above,
        ).first()
    )
    api = client.put(
        f"/api/v1/scoring/rounds/{world.round_id}/rules",
        json={"spread_threshold": 20, "residual_threshold": 2, "comment_above": 9},
        headers={"x-csrftoken": csrf_token(client)},
    )
    assert saved.status_code == 303
    assert stored == {
        "spread_threshold": 30.0,
        "residual_threshold": 3.0,
        "comment_below": 3,
        "comment_above": None,
    }
    assert api.status_code == 200
    assert api.json()["comment_above"] == 9


def test_reopened_case_shown_in_queue_and_record(client, run):
    """A case reopened after the acceptance is listed open and marked reopened on the round
    page; its record names the system as the actor."""
    from tests.awards.scoring.moderation.test_service import _accepted_case, _revise

    world = build_world(run, n_entries=4, n_judges=2, k=2)
    case = _accepted_case(run, world)
    _revise(run, world, world.entries[0], world.judges[0].id, 4)
    login(client, world.organizer.email)
    round_page = client.get(f"/organizer/scoring/rounds/{world.round_id}")
    case_page = client.get(f"/organizer/scoring/cases/{case['id']}")
    assert "Dibuka kembali: nilai berubah setelah diterima" in round_page.text
    assert "Dibuka kembali: nilai berubah setelah diterima" in case_page.text
    assert "sistem" in case_page.text
