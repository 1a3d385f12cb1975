"""Query budgets of the organizer's results pages: each makes a fixed number of statements
(within its budget, ``tests/awards/page_budgets.py``) however many editions, categories,
rounds, entries, judges and frozen versions there are (no query per row)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awards.intake.tables import Category
from awards.results import publishing, snapshots
from awards.results.tables import ResultSnapshot
from awards.scoring.tables import ScoringRound
from tests.awards.helpers import login
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import page_query_counts
from tests.awards.results.support import (
    copy_round,
    copy_scored_category,
    copy_scored_entries,
    scored_world,
)
from tests.awards.scoring.support import PASSWORD, make_edition


def test_results_index_makes_the_same_queries_as_editions_and_categories_grow(client, run):
    """The results index makes the same statements, within its budget, with a second scored
    category, a frozen and published version, and a second edition with a round."""
    world = scored_world(run, n_entries=4, n_judges=3)
    login(client, world.organizer.email, PASSWORD)
    url = "/organizer/results"
    before = page_query_counts(client, [url])

    run(copy_scored_category(world, "KRA"))
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    later = datetime.now(UTC) + timedelta(days=3)
    run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=later))
    edition_id, category_id = run(make_edition())
    run(copy_round(world.round_id, edition=edition_id, category=category_id))
    after = page_query_counts(client, [url])
    page = client.get(url)

    assert page.text.count("/fairness") == 2
    assert page.text.count("/organizer/results/categories/") == 3
    assert after == before
    assert after[url] <= page_budget(url)


def test_category_review_makes_the_same_queries_as_entries_rounds_and_versions_grow(client, run):
    """A category's review page makes the same statements, within its budget, with twice
    the scored entries, a second round and two frozen versions, one of them scheduled."""
    world = scored_world(run, n_entries=4, n_judges=3)
    final = {ScoringRound.kind: "final"}
    run(ScoringRound.update(final).where(ScoringRound.id == world.round_id))
    login(client, world.organizer.email, PASSWORD)
    url = f"/organizer/results/categories/{world.category_id}"
    before = page_query_counts(client, [url])

    added = run(copy_scored_entries(world.round_id, world.category_id, world.round_id))
    run(copy_round(world.round_id, kind="shortlist", name="Seleksi"))
    run(snapshots.freeze(world.organizer, world.category_id))
    frozen = run(snapshots.freeze(world.organizer, world.category_id))
    later = datetime.now(UTC) + timedelta(days=3)
    run(publishing.publish(world.organizer, frozen.snapshot_id, publish_at=later))
    after = page_query_counts(client, [url])
    page = client.get(url)

    assert len(added) == 4
    assert run(ResultSnapshot.count().where(ResultSnapshot.category == world.category_id)) == 2
    assert "Seleksi" in page.text
    assert after == before
    assert after[url] <= page_budget("/organizer/results/categories/{category_id:int}")


def test_fairness_audit_makes_the_same_queries_as_categories_grow(client, run):
    """The fairness audit makes the same statements, within its budget, with two more scored
    categories and one without a round."""
    world = scored_world(run, n_entries=4, n_judges=3)
    login(client, world.organizer.email, PASSWORD)
    url = f"/organizer/results/editions/{world.edition_id}/fairness"
    before = page_query_counts(client, [url])

    run(copy_scored_category(world, "KRA"))
    run(copy_scored_category(world, "KRB"))
    run(
        Category.insert(
            Category(edition=world.edition_id, slug="jasa", code="JAS", name_id="Kategori JAS")
        )
    )
    after = page_query_counts(client, [url])
    page = client.get(url)

    assert "Kategori KRB" in page.text
    assert "Kategori JAS" in page.text
    assert after == before
    assert after[url] <= page_budget("/organizer/results/editions/{edition_id:int}/fairness")
