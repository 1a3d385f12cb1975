"""The organizer's scoring API lists (rounds, assignments, conflicts, invitations, the export
and a sheet's history) cost the same number of queries whatever the number of entries, judges,
assignments and sheets (``tests/awards/querycount.py``), each within the page budget."""

from __future__ import annotations

from awards.scoring.tables import Conflict, ScoreSheet
from tests.awards.helpers import login
from tests.awards.page_budgets import BUDGET
from tests.awards.querycount import page_query_counts
from tests.awards.scoring.support import build_world, score_round


def _api_costs(client, run, n_entries: int, n_judges: int, prefix: str) -> dict[str, int]:
    """A round of ``n_entries`` entries and ``n_judges`` judges (two per entry), every sheet
    submitted, and a recorded conflict per judge (with a business of the edition, written
    directly: no reassignment); the organizer's count of queries for each API list, by name."""
    world = build_world(run, n_entries=n_entries, n_judges=n_judges, k=2, prefix=prefix)
    score_round(run, world, lambda judge, entry: 4 + (judge + entry) % 5)
    run(
        Conflict.insert(
            *(
                Conflict(edition=world.edition_id, judge=judge.id, business=business)
                for judge, business in zip(world.judges, world.businesses, strict=False)
            )
        )
    )
    sheet = run(ScoreSheet.select(ScoreSheet.id).where(ScoreSheet.round == world.round_id).first())
    edition, round_id = world.edition_id, world.round_id
    urls = {
        "rounds": f"/api/v1/scoring/editions/{edition}/rounds",
        "assignments": f"/api/v1/scoring/rounds/{round_id}/assignments",
        "conflicts": f"/api/v1/scoring/editions/{edition}/conflicts",
        "invitations": f"/api/v1/scoring/editions/{edition}/invitations",
        "export": f"/api/v1/scoring/rounds/{round_id}/export.csv",
        "history": f"/api/v1/scoring/sheets/{sheet['id']}/history",
    }
    login(client, world.organizer.email)
    counts = page_query_counts(client, urls.values())
    assignments = client.get(urls["assignments"]).json()
    conflicts = client.get(urls["conflicts"]).json()
    export = client.get(urls["export"]).text
    client.cookies.clear()
    assert len(assignments) == 2 * n_entries, assignments
    assert len(conflicts) == min(n_judges, len(world.businesses)), conflicts
    assert len(export.strip().splitlines()) > 2 * n_entries  # a line per criterion and sheet
    return {name: counts[url] for name, url in urls.items()}


def test_scoring_api_lists_do_not_grow_with_entries_and_judges(client, run):
    """4 entries and 3 judges, then 12 entries and 6 judges (3, then 6 conflicts), every sheet
    submitted: each of the organizer's scoring API lists makes the same number of queries,
    within the budget."""
    small = _api_costs(client, run, 4, 3, "s-")
    large = _api_costs(client, run, 12, 6, "l-")

    assert large == small
    assert {name: n for name, n in large.items() if n > BUDGET} == {}
