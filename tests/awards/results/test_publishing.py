"""Publishing: the embargo gate, corrections and their history, the edition's announcement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awards.errors import ValidationError
from awards.intake.editions.status import EditionLifecycle
from awards.intake.tables import Edition
from awards.results import publishing, snapshots, visibility
from awards.results.tables import Correction
from awards.scoring.tables import ScoreSheet
from tests.awards.results.support import scored_world


def _status(run, edition_id):
    return run(Edition.select(Edition.status).where(Edition.id == edition_id).first())["status"]


def test_scheduled_publication_is_invisible_before_and_visible_after(run):
    """Embargo: nothing is visible before publish_at, the placements are after."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    now = datetime.now(UTC)
    at = now + timedelta(hours=2)
    run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=at, now=now))
    before, after = now + timedelta(hours=1), now + timedelta(hours=3)

    assert run(visibility.visible_publication(world.category_id, before)) is None
    assert run(visibility.visible_placements(world.category_id, before)) == []
    assert run(visibility.published_categories(world.edition_id, before)) == []
    assert run(visibility.entry_placements(world.entries, before)) == {}
    assert run(visibility.next_publication_at(world.edition_id, before)) == at
    assert run(visibility.visible_publication(world.category_id, after))["version"] == 1
    assert len(run(visibility.visible_placements(world.category_id, after))) == 8
    assert len(run(visibility.visible_placements(world.category_id, after, awarded_only=True))) == 6
    assert set(run(visibility.entry_placements(world.entries, after))) == set(world.entries)


def test_naive_schedule_is_read_in_edition_time_zone(run):
    """A wall-clock 19:00 in Asia/Jakarta is stored as 12:00 UTC."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    result = run(
        publishing.publish(
            world.organizer, frozen.snapshot_id, publish_at=datetime(2026, 1, 2, 19, 0), now=now
        )
    )
    assert result["publish_at"] == datetime(2026, 1, 2, 12, 0, tzinfo=UTC)


def test_last_category_published_announces_edition(run):
    """Publishing the only category moves the edition from judging to published."""
    world = scored_world(run)
    with pytest.raises(ValidationError):
        run(EditionLifecycle().change(world.organizer, world.edition_id, "published"))
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    result = run(publishing.publish(world.organizer, frozen.snapshot_id))
    assert result["edition_status"] == "published"
    assert _status(run, world.edition_id) == "published"


def test_correction_makes_new_version_with_reason_and_history(run):
    """A correction needs a public reason, keeps the old version in the history with a diff."""
    world = scored_world(run)
    first = run(snapshots.freeze(world.organizer, world.category_id))
    run(publishing.publish(world.organizer, first.snapshot_id))
    run(EditionLifecycle().change(world.organizer, world.edition_id, "correcting", "Salah input"))
    winner = run(visibility.visible_placements(world.category_id))[0]["entry"]
    run(
        ScoreSheet.update({ScoreSheet.scores: dict.fromkeys(
            run(ScoreSheet.select(ScoreSheet.scores).output(load_json=True).first())["scores"], 1
        )}).where(ScoreSheet.entry == winner)
    )  # fmt: skip
    second = run(snapshots.freeze(world.organizer, world.category_id))
    with pytest.raises(ValidationError) as refused:
        run(publishing.publish(world.organizer, second.snapshot_id))
    assert "public_reason" in refused.value.errors
    result = run(
        publishing.publish(
            world.organizer, second.snapshot_id, public_reason="Nilai juri salah ketik"
        )
    )
    history = run(visibility.category_history(world.category_id))
    public = run(visibility.visible_publication(world.category_id))

    assert result["correction_id"] is not None
    assert result["edition_status"] == "published"
    assert public["version"] == 2
    assert public["corrected"]
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["public_reason"] == "Nilai juri salah ketik"
    assert any(d["entry"] == winner for d in history[1]["diff"])
    assert run(Correction.count()) == 1
    assert run(snapshots.verify(first.snapshot_id)).ok  # rebuilt from the sheets' history


def test_withdraw_cancels_embargo_but_not_public_results(run):
    """A scheduled publication can be withdrawn before its time; a visible one cannot."""
    world = scored_world(run)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    now = datetime.now(UTC)
    result = run(
        publishing.publish(
            world.organizer, frozen.snapshot_id, publish_at=now + timedelta(days=1), now=now
        )
    )
    run(EditionLifecycle().change(world.organizer, world.edition_id, "correcting", "Jadwal"))
    run(publishing.withdraw(world.organizer, result["publication_id"], "Ditunda", now=now))
    assert run(visibility.visible_publication(world.category_id, now + timedelta(days=2))) is None
