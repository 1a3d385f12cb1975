"""Scoring's preconditions on the edition life cycle: no way back under scores, no publishing
while a round is open."""

from __future__ import annotations

import pytest

from awards.errors import ValidationError
from awards.intake.editions.status import EditionLifecycle
from awards.intake.tables import Edition
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import service as rounds
from tests.awards.scoring.support import assigned_entries, build_world, full_scores, quick_user


def _status(run, edition_id: int) -> str:
    row = run(Edition.select(Edition.status).where(Edition.id == edition_id).first())
    return row["status"]


def _submit_one(run, world) -> None:
    judge = world.judges[0]
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    run(conflicts.declare(judge, world.round_id, entry, conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, entry, SheetInput(scores=full_scores()), version=0, submit=True
        )
    )


def test_judging_returns_to_screening_while_nothing_is_submitted(run):
    """With no submitted sheet, judging can go back to screening (with a reason)."""
    world = build_world(run)
    admin = quick_user(run, "admin@example.com", "admin")
    run(EditionLifecycle().change(admin, world.edition_id, "closed", reason="wrong rubric"))
    assert _status(run, world.edition_id) == "closed"


def test_judging_cannot_return_to_screening_after_a_submitted_sheet(run):
    """Once a sheet is submitted, judging -> closed is refused and the status is unchanged."""
    world = build_world(run)
    _submit_one(run, world)
    admin = quick_user(run, "admin@example.com", "admin")
    with pytest.raises(ValidationError) as refused:
        run(EditionLifecycle().change(admin, world.edition_id, "closed", reason="oops"))
    assert "1 lembar nilai sudah dikirim." in refused.value.errors["status"]
    assert _status(run, world.edition_id) == "judging"


def test_results_cannot_be_published_while_a_round_is_open(run):
    """judging -> published is refused while a round is open; once closed, the results
    publisher's own precondition (every category published) remains."""
    world = build_world(run)
    admin = quick_user(run, "admin@example.com", "admin")
    with pytest.raises(ValidationError) as refused:
        run(EditionLifecycle().change(admin, world.edition_id, "published"))
    assert "1 babak penilaian masih dibuka; tutup dulu." in refused.value.errors["status"]
    run(rounds.close_round(world.organizer, world.round_id))
    with pytest.raises(ValidationError) as refused:
        run(EditionLifecycle().change(admin, world.edition_id, "published"))
    assert "babak penilaian" not in refused.value.errors["status"]
    assert "belum punya hasil" in refused.value.errors["status"]
    assert _status(run, world.edition_id) == "judging"
