"""A round's integrity rules: required comments at thresholds (submit refused, drafts saved),
the edition's status and the round's clock read on every save."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awards.errors import ValidationError
from awards.i18n import use_language
from awards.intake.tables import Edition
from awards.scoring.common import RoundClosedError
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import rules as round_rules
from awards.scoring.tables import ScoreSheet, ScoringRound
from tests.awards.scoring.support import CRITERIA, assigned_entries, build_world, full_scores

RULES = {"spread_threshold": "25", "residual_threshold": "2.5"}


def _ready(run, world):
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    return judge, entry


def _require(run, world, below="3", above="9"):
    run(
        round_rules.set_round_rules(
            world.organizer,
            world.round_id,
            {**RULES, "comment_below": below, "comment_above": above},
        )
    )


def test_required_comment_submit_refused_beside_field(run):
    """A score below the lower threshold without a comment refuses the submit, with the error
    on that criterion's comment, in Indonesian and in English."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    _require(run, world)
    scores = {**full_scores(7), CRITERIA[0]: 2, CRITERIA[1]: 10}
    messages = {}
    for language in ("id", "en"):
        with use_language(language), pytest.raises(ValidationError) as refused:
            run(
                sheets.save_sheet(
                    judge, world.round_id, entry, SheetInput(scores=scores), version=0, submit=True
                )
            )
        messages[language] = refused.value.errors
    assert set(messages["en"]) == {f"comments.{CRITERIA[0]}", f"comments.{CRITERIA[1]}"}
    assert "below 3" in messages["en"][f"comments.{CRITERIA[0]}"]
    assert "above 9" in messages["en"][f"comments.{CRITERIA[1]}"]
    assert "di bawah 3" in messages["id"][f"comments.{CRITERIA[0]}"]
    assert run(ScoreSheet.count()) == 0


def test_required_comment_draft_saves_without(run):
    """A draft with the same scores and no comment is saved; submitting with comments works."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    _require(run, world)
    scores = {**full_scores(7), CRITERIA[0]: 2}
    draft = run(
        sheets.save_sheet(judge, world.round_id, entry, SheetInput(scores=scores), version=0)
    )
    done = run(
        sheets.save_sheet(
            judge,
            world.round_id,
            entry,
            SheetInput(scores=scores, comments={CRITERIA[0]: "Kemasan rusak"}),
            version=1,
            submit=True,
        )
    )
    assert (draft.status, done.status) == ("draft", "submitted")


def test_required_comment_none_when_thresholds_empty(run):
    """Without thresholds any score submits without comments."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    _require(run, world, below="", above="")
    done = run(
        sheets.save_sheet(
            judge,
            world.round_id,
            entry,
            SheetInput(scores={**full_scores(1), CRITERIA[0]: 10}),
            version=0,
            submit=True,
        )
    )
    assert done.status == "submitted"


def test_round_rules_bad_values_named_per_field(run):
    """Non-numbers, non-positive thresholds and a lower bound above the upper are refused per
    field; nothing is stored."""
    world = build_world(run)
    with pytest.raises(ValidationError) as refused:
        run(
            round_rules.set_round_rules(
                world.organizer,
                world.round_id,
                {
                    "spread_threshold": "abc",
                    "residual_threshold": "0",
                    "comment_below": "8",
                    "comment_above": "3",
                },
            )
        )
    stored = run(ScoringRound.select(ScoringRound.comment_below).first())
    assert set(refused.value.errors) == {"spread_threshold", "residual_threshold", "comment_above"}
    assert stored["comment_below"] is None


@pytest.mark.parametrize("status", ["closed", "published", "correcting"])
def test_save_sheet_edition_not_judging_refused(run, status):
    """A save is refused when the edition has left judging, even with the round open."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    run(Edition.update({Edition.status: status}).where(Edition.id == world.edition_id))
    with pytest.raises(RoundClosedError) as refused:
        run(
            sheets.save_sheet(
                judge, world.round_id, entry, SheetInput(scores={CRITERIA[0]: 5}), version=0
            )
        )
    assert "judging" in refused.value.message or "penjurian" in refused.value.message
    assert run(ScoreSheet.count()) == 0


def test_save_sheet_after_close_time_names_local_time(run):
    """After the round's close time (server clock) the refusal gives the close time in the
    edition's time zone (WIB for Asia/Jakarta)."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    later = datetime.now(UTC) + timedelta(days=2)
    with use_language("en"), pytest.raises(RoundClosedError) as refused:
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                entry,
                SheetInput(scores={CRITERIA[0]: 5}),
                version=0,
                now=later,
            )
        )
    assert "closed on" in refused.value.message
    assert "WIB" in refused.value.message


def test_save_sheet_before_open_time_refused(run):
    """Before the round's open time the save is refused and names the opening time."""
    world = build_world(run)
    judge, entry = _ready(run, world)
    earlier = datetime.now(UTC) - timedelta(hours=2)
    with use_language("en"), pytest.raises(RoundClosedError) as refused:
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                entry,
                SheetInput(scores={CRITERIA[0]: 5}),
                version=0,
                now=earlier,
            )
        )
    assert "opens on" in refused.value.message


def test_required_comment_page_shows_error_beside_comment(client, run):
    """On the scoring page a submit without the required comment answers 422 with the message
    in the criterion's comment box (Indonesian by default) and keeps the input."""
    from tests.awards.helpers import login, post_form

    world = build_world(run)
    judge, entry = _ready(run, world)
    _require(run, world)
    login(client, judge.email)
    url = f"/judge/rounds/{world.round_id}/entries/{entry}"
    page = client.get(url)
    data = {f"score.{k}": "7" for k in CRITERIA} | {f"score.{CRITERIA[0]}": "1"}
    refused = post_form(client, f"{url}/sheet", {**data, "version": "0", "action": "submit"})
    assert "di bawah 3" in page.text  # the hint
    assert refused.status_code == 422
    assert "komentar wajib untuk nilai di bawah 3" in refused.text
    assert 'value="1" checked' in refused.text
    assert run(ScoreSheet.count()) == 0


def test_api_sheet_put_refused_outside_judging_and_without_required_comment(client, run):
    """Through the API: a submit missing a required comment answers 422 naming
    ``comments.<key>``; once the edition leaves judging a save answers 409."""
    from tests.awards.helpers import csrf_token, login

    world = build_world(run)
    judge, entry = _ready(run, world)
    _require(run, world)
    login(client, judge.email)
    url = f"/api/v1/judge/rounds/{world.round_id}/entries/{entry}/sheet"
    headers = {"x-csrftoken": csrf_token(client)}
    body = {"version": 0, "scores": {**full_scores(7), CRITERIA[0]: 1}, "submit": True}
    missing = client.put(url, json=body, headers=headers)
    run(Edition.update({Edition.status: "closed"}).where(Edition.id == world.edition_id))
    closed = client.put(url, json={**body, "submit": False}, headers=headers)
    assert missing.status_code == 422
    assert f"comments.{CRITERIA[0]}" in missing.json()["errors"]
    assert closed.status_code == 409
    assert run(ScoreSheet.count()) == 0
