"""The public pages on a result frozen and published by the real results core."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from awards.intake.tables import Edition
from awards.results import publishing, snapshots
from awards.results.public.static_export import export_edition
from tests.awards.querycount import count_queries
from tests.awards.results.support import scored_world


def test_real_snapshot_pages_methodology_and_export(client, run, app, settings, tmp_path):
    """Freeze and publish through the core: the winners, methodology numbers and the static
    export come out of its manifest and placements, without reading score tables."""
    world = scored_world(run, n_entries=8, n_judges=4, k=3)
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    later = datetime.now(UTC) + timedelta(seconds=3)
    run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=later))
    edition = run(Edition.select(Edition.slug).where(Edition.id == world.edition_id).first())
    base = f"/results/{edition['slug']}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/kuliner").status_code == 404

    time.sleep(max(0.0, (later - datetime.now(UTC)).total_seconds()) + 0.2)
    with count_queries() as queries:
        page = client.get(f"/en{base}/kuliner")
        method = client.get(f"/en{base}/methodology")
    assert page.status_code == 200
    assert "Usaha" in page.text
    assert [sql for sql in queries if "scoring_" in sql] == []
    assert method.status_code == 200
    assert "<strong>8</strong> entries scored" in method.text
    assert "<strong>4</strong> judges" in method.text
    assert "probability of being in the top 3" in method.text
    result = run(export_edition(settings, edition["slug"], tmp_path / "site", app=app))
    exported = result.pages[f"/en{base}/kuliner"].read_bytes()
    assert exported == client.get(f"/en{base}/kuliner").content
