"""Scoring API under /api/v1: the judge's queue and sheets (GET, PUT with version), conflicts,
organizer assignment preview/apply and export; the same guards as the pages; OpenAPI."""

from __future__ import annotations

from tests.awards.helpers import api_post, csrf_token, login
from tests.awards.scoring.support import assigned_entries, build_world, full_scores


def _put(client, url, body, key=None):
    headers = {"x-csrftoken": csrf_token(client)}
    if key:
        headers["Idempotency-Key"] = key
    return client.put(url, json=body, headers=headers)


def test_judge_api_queue_and_versioned_sheet(client, run):
    """PUT with version 0 creates, a stale PUT is 409 with the stored sheet, a fresh one
    submits; GET returns it."""
    world = build_world(run)
    judge = world.judges[0]
    login(client, judge.email)
    mine = run(assigned_entries(world.round_id, judge.id))
    base = f"/api/v1/judge/rounds/{world.round_id}/entries/{mine[0]}"
    queue = client.get("/api/v1/judge/queue").json()
    declared = api_post(client, f"{base}/declaration", {"conflict": False})
    first = _put(client, f"{base}/sheet", {"version": 0, "scores": {"kemasan": 5}})
    stale = _put(client, f"{base}/sheet", {"version": 0, "scores": {"kemasan": 6}})
    done = _put(client, f"{base}/sheet", {"version": 1, "scores": full_scores(9), "submit": True})
    got = client.get(f"{base}/sheet").json()
    assert [i["entry"] for i in queue[0]["items"]] == mine
    assert declared.status_code == 200
    assert (first.status_code, first.json()["version"]) == (200, 1)
    assert stale.status_code == 409
    assert stale.json()["current"]["scores"] == {"kemasan": 5}
    assert (done.status_code, done.json()["status"]) == (200, "submitted")
    assert (got["version"], got["total"]) == (2, 100 * 8 / 9)


def test_judge_api_idempotency_key_replays(client, run):
    """The same Idempotency-Key twice gives the same answer and one version."""
    world = build_world(run)
    judge = world.judges[0]
    login(client, judge.email)
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    base = f"/api/v1/judge/rounds/{world.round_id}/entries/{entry}"
    api_post(client, f"{base}/declaration", {"conflict": False})
    body = {"version": 0, "scores": full_scores(7), "submit": True}
    one = _put(client, f"{base}/sheet", body, key="retry-1")
    two = _put(client, f"{base}/sheet", body, key="retry-1")
    assert one.json() == two.json()
    assert two.json()["version"] == 1


def test_judge_api_unassigned_is_404_and_bad_scores_422(client, run):
    """An entry not assigned answers 404 (entry, sheet, PUT); a bad score 422 naming it."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    judge = world.judges[0]
    login(client, judge.email)
    mine = run(assigned_entries(world.round_id, judge.id))
    other = next(e for e in world.entries if e not in mine)
    base = f"/api/v1/judge/rounds/{world.round_id}/entries"
    assert client.get(f"{base}/{other}").status_code == 404
    assert client.get(f"{base}/{other}/sheet").status_code == 404
    assert _put(client, f"{base}/{other}/sheet", {"version": 0}).status_code == 404
    api_post(client, f"{base}/{mine[0]}/declaration", {"conflict": False})
    bad = _put(client, f"{base}/{mine[0]}/sheet", {"version": 0, "scores": {"inovasi": 0}})
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["scores.inovasi"]


def test_organizer_api_preview_apply_and_export(client, run):
    """Organizers preview and apply the engine's assignment; judges cannot (403)."""
    world = build_world(run, assign=False)
    login(client, world.organizer.email)
    preview = client.get(f"/api/v1/scoring/rounds/{world.round_id}/assignment-preview").json()
    applied = api_post(client, f"/api/v1/scoring/rounds/{world.round_id}/assignments")
    listed = client.get(f"/api/v1/scoring/rounds/{world.round_id}/assignments").json()
    export = client.get(f"/api/v1/scoring/rounds/{world.round_id}/export.csv")
    assert applied.status_code == 201
    assert len(listed) == len(preview["pairs"]) == 12
    assert export.text.splitlines() == ["entry,judge,criterion,score,confidence,category"]
    client.post("/logout", headers={"x-csrftoken": csrf_token(client)})
    login(client, world.judges[0].email)
    assert client.get(f"/api/v1/scoring/rounds/{world.round_id}/assignments").status_code == 403


def test_scoring_api_in_openapi_schema(client):
    """The OpenAPI schema documents the judge's sheet PUT and the organizer endpoints."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    sheet = "/api/v1/judge/rounds/{round_id}/entries/{entry_id}/sheet"
    assert set(paths[sheet]) >= {"get", "put"}
    assert "/api/v1/scoring/rounds/{round_id}/assignment-preview" in paths
