"""The fairness audit: the engine's affinity audit per category, grouped by district and by
the judge's affiliation, organizers only."""

from __future__ import annotations

import pytest

from awards.intake.common import NotFoundError
from awards.intake.tables import Entry
from awards.results import fairness
from awards.scoring.tables import JudgeProfile, ScoreSheet
from tests.awards.results.support import scored_world
from tests.awards.scoring.support import quick_user


def _districts(run, world):
    for i, entry in enumerate(world.entries):
        district = "Lowokwaru" if i % 2 else "Klojen"
        run(Entry.update({Entry.district: district}).where(Entry.id == entry))


def test_fairness_flags_judge_favouring_own_district(run):
    """A judge affiliated with Klojen who adds 3 points to every Klojen entry is flagged, and
    the pooled affiliation effect is positive."""
    world = scored_world(run, n_entries=16, n_judges=5, k=4)
    _districts(run, world)
    partial = world.judges[0]
    run(
        JudgeProfile.update({JudgeProfile.affiliation: "Klojen"}).where(
            JudgeProfile.user == partial.id
        )
    )
    sheets = run(
        ScoreSheet.select(ScoreSheet.id, ScoreSheet.scores, ScoreSheet.entry)
        .where(ScoreSheet.judge == partial.id)
        .output(load_json=True)
    )
    klojen_ids = {r["id"] for r in run(Entry.select(Entry.id).where(Entry.district == "Klojen"))}
    for sheet in sheets:
        if sheet["entry"] in klojen_ids:
            bumped = {k: min(10, v + 3) for k, v in sheet["scores"].items()}
            run(ScoreSheet.update({ScoreSheet.scores: bumped}).where(ScoreSheet.id == sheet["id"]))
    _, audits = run(fairness.edition_audit(world.organizer, world.edition_id))
    audit = audits[0]
    assert audit.entries == 16
    assert audit.affiliation is not None
    assert audit.affiliation.pooled > 0
    district = {g.group: g for g in audit.groups["district"]}
    assert set(district) == {"Klojen", "Lowokwaru"}
    top = district["Klojen"].findings[0]
    assert top.judge == partial.display_name
    assert top.estimate > 0


def test_fairness_refused_to_other_users(run):
    """Someone who does not manage the edition gets NotFoundError."""
    world = scored_world(run)
    stranger = quick_user(run, "stranger@example.org", "entrant")
    with pytest.raises(NotFoundError):
        run(fairness.edition_audit(stranger, world.edition_id))
