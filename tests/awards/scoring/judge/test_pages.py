"""The judge's scoring desk over HTTP: dashboard, declaration, scoring form, autosave,
submit and next, isolation (404), blind pages, errors beside fields with input kept."""

from __future__ import annotations

import re

from awards.scoring.tables import ScoreSheet
from tests.awards.helpers import login, post_form
from tests.awards.scoring.judge.test_queries import _attach
from tests.awards.scoring.support import assigned_entries, build_world, full_scores


def _judge_client(client, run, world, index=0):
    judge = world.judges[index]
    assert login(client, judge.email).status_code == 303
    return judge, run(assigned_entries(world.round_id, judge.id))


def _sheet_form(scores, action, version="0", key="k-1", **extra):
    form = {f"score.{k}": str(v) for k, v in scores.items()}
    return {**form, "action": action, "version": version, "key": key, "confidence": "high", **extra}


def test_dashboard_lists_assigned_entries_with_progress(client, run):
    """The dashboard lists the judge's entries with a progress bar and the local deadline."""
    world = build_world(run)
    _judge, mine = _judge_client(client, run, world)
    page = client.get("/judge/")
    assert page.status_code == 200
    assert page.text.count('class="queue-item') == len(mine)
    assert "<progress" in page.text
    assert "WIB" in page.text
    for entry in mine:
        assert f"/judge/rounds/{world.round_id}/entries/{entry}" in page.text


def test_entry_asks_declaration_then_shows_form(client, run):
    """First the conflict question with name and owner; after "no conflict" the scoring form
    with one radio per scale value and the level descriptors."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    first = client.get(url)
    answered = post_form(client, f"{url}/declaration", {"answer": "clear"})
    form = client.get(url)
    assert "Pemilik" in first.text
    assert 'name="score.' not in first.text
    assert answered.status_code == 303
    assert form.text.count('name="score.kemasan"') == 10
    assert "Kemasan seadanya tanpa label." in form.text


def test_save_out_of_range_keeps_input_and_shows_error_beside_field(client, run):
    """A refused save answers 422, keeps every typed value and puts the message by the field."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    data = _sheet_form({"kemasan": 12, "inovasi": 4}, "save", comment_to_entrant="Bagus sekali")
    page = post_form(client, f"{url}/sheet", data)
    assert page.status_code == 422
    assert 'id="error-kemasan"' in page.text
    assert "Pilih nilai dari 1 sampai 10." in page.text
    assert re.search(r'name="score.inovasi" value="4"\s+checked', page.text)
    assert "Bagus sekali" in page.text
    assert run(ScoreSheet.count()) == 0


def test_submit_and_next_goes_to_next_entry_and_double_submit_is_one_sheet(client, run):
    """Submit and next redirects to the next unscored entry; the same post again (double tap)
    makes no second sheet and no second version."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    data = _sheet_form(full_scores(8), "submit_next", key="tap-tap")
    first = post_form(client, f"{url}/sheet", data)
    second = post_form(client, f"{url}/sheet", data)
    sheets = run(ScoreSheet.select(ScoreSheet.status, ScoreSheet.version))
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == f"/judge/rounds/{world.round_id}/entries/{mine[1]}"
    assert sheets == [{"status": "submitted", "version": 1}]


def test_stale_save_from_second_tab_is_told_and_keeps_input(client, run):
    """A save based on an old version answers 409 with the message and the typed input."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    post_form(client, f"{url}/sheet", _sheet_form(full_scores(8), "submit", key="a"))
    page = post_form(client, f"{url}/sheet", _sheet_form({"kemasan": 2}, "save", key="b"))
    assert page.status_code == 409
    assert "diubah di tempat lain" in page.text
    assert re.search(r'name="score.kemasan" value="2"\s+checked', page.text)


def test_autosave_answers_fragment_with_new_version(client, run):
    """The htmx autosave stores the draft and answers the status with version and new key."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    answer = post_form(client, f"{url}/autosave", _sheet_form({"inovasi": 6}, "save", key="x"))
    assert answer.status_code == 200
    assert 'id="sheet-version" name="version" value="1" hx-swap-oob="true"' in answer.text
    assert run(ScoreSheet.select(ScoreSheet.scores).output(load_json=True)) == [
        {"scores": {"inovasi": 6}}
    ]


def test_skip_for_now_moves_on_without_saving(client, run):
    """Skip for now goes to the next entry and stores nothing."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    answer = post_form(client, f"{url}/sheet", _sheet_form({"kemasan": 3}, "skip"))
    assert answer.headers["location"] == f"/judge/rounds/{world.round_id}/entries/{mine[1]}"
    assert run(ScoreSheet.count()) == 0


def test_unassigned_entry_page_and_attachment_answer_404(client, run):
    """Pages and attachment URLs of entries not assigned to the judge answer 404."""
    world = build_world(run, n_entries=6, n_judges=4, k=2)
    _, mine = _judge_client(client, run, world)
    other = next(e for e in world.entries if e not in mine)
    attachment = _attach(run, world, other)
    base = f"/judge/rounds/{world.round_id}/entries/{other}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/attachments/{attachment}").status_code == 404
    assert (
        post_form(client, f"{base}/sheet", _sheet_form({"kemasan": 3}, "save")).status_code == 404
    )


def test_blind_entry_page_hides_business_identity(client, run):
    """In a blind round the page shows neither the business name nor the file name."""
    world = build_world(run, blind=True)
    _, mine = _judge_client(client, run, world)
    _attach(run, world, mine[0], name="usaha-rahasia.jpg")
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    page = client.get(url)
    dashboard = client.get("/judge/")
    for secret in ("Usaha 0", "usaha-rahasia", "081234567890"):
        assert secret not in page.text
        assert secret not in dashboard.text
    assert f"Entri #{mine[0]}" in page.text


def test_entrant_cannot_open_scoring_desk(client, run):
    """A user without the judge role is refused the desk."""
    from tests.awards.scoring.support import quick_user

    quick_user(run, "entrant@example.com", "entrant")
    login(client, "entrant@example.com")
    assert client.get("/judge/").status_code == 403


def test_submit_after_autosave_is_not_mistaken_for_a_replay(client, run):
    """The autosave carries its own key, so the form's submit key is still unused: a submit
    after an autosave (with the version it returned) is stored as a submission."""
    world = build_world(run)
    _, mine = _judge_client(client, run, world)
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    page = client.get(url).text
    form_key = re.search(r'id="sheet-key" name="key" value="([^"]+)"', page).group(1)
    autosave_key = re.search(r"hx-vals='\{\"key\": \"([^\"]+)\"\}'", page).group(1)
    post_form(client, f"{url}/autosave", _sheet_form({"inovasi": 6}, "save", key=autosave_key))
    done = post_form(client, f"{url}/sheet", _sheet_form(full_scores(7), "submit", "1", form_key))
    assert autosave_key != form_key
    assert done.status_code == 303
    assert run(ScoreSheet.select(ScoreSheet.status, ScoreSheet.version)) == [
        {"status": "submitted", "version": 2}
    ]
