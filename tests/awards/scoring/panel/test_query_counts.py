"""The round's panel page costs the same number of queries whatever the number of entries,
judges, sheets and moderation cases (``tests/awards/querycount.py``), within its budget."""

from __future__ import annotations

from awards.scoring.moderation import service as moderation
from tests.awards.helpers import login
from tests.awards.page_budgets import BUDGET
from tests.awards.querycount import count_queries, page_query_counts
from tests.awards.scoring.support import build_world, panel, score_round

#: Queries of the round's panel before anyone is assigned (the engine's preview shown): the
#: six of :func:`awards.scoring.panel.service.round_panel` less the cases' actions (no case),
#: plus the preview's entrants, judge profiles, conflicts and the judges' loads in the
#: edition's other rounds.
PREVIEW_BUDGET = 9


def _scored_round(client, run, n_entries, n_judges, prefix):
    """A round of ``n_entries`` entries and ``n_judges`` judges (two per entry), every sheet
    submitted; every other entry's judges disagree (2 and 9), which opens a case on the first
    panel view; the first case is under review and the second accepted."""
    world = build_world(run, n_entries=n_entries, n_judges=n_judges, k=2, prefix=prefix)
    split = world.entries[::2]
    harsh = {entry: run(panel(world.round_id, entry))[0] for entry in split}
    score_round(
        run,
        world,
        lambda j, e: (2 if world.judges[j].id == harsh[e] else 9) if e in split else 6,
    )
    login(client, world.organizer.email)
    url = f"/organizer/scoring/rounds/{world.round_id}"
    assert client.get(url).status_code == 200  # opens the cases
    cases = run(moderation.moderation_queue(world.organizer, world.round_id))
    assert len(cases) == len(split)
    run(moderation.act_on_case(world.organizer, cases[0]["id"], "review", "Tolong dicek"))
    run(moderation.act_on_case(world.organizer, cases[1]["id"], "accept"))
    return world, url


def test_round_panel_queries_do_not_grow_with_entries_judges_and_cases(client, run):
    """4 entries, 3 judges and 2 cases, then 12 entries, 6 judges and 6 cases, all sheets
    submitted: the panel page and the cases API make the same number of queries, each within
    the budget, and the page shows every case."""
    costs = []
    for n_entries, n_judges, prefix in ((4, 3, "s-"), (12, 6, "l-")):
        world, url = _scored_round(client, run, n_entries, n_judges, prefix)
        api = f"/api/v1/scoring/rounds/{world.round_id}/cases"
        with count_queries() as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert page.text.count('<h3><a href="/organizer/scoring/cases/') == len(world.entries[::2])
        costs.append((len(queries), page_query_counts(client, [api])[api]))
        client.cookies.clear()
    assert costs[0] == costs[1], costs
    assert costs[0][0] <= BUDGET, queries
    assert costs[0][1] <= BUDGET, costs


def test_round_panel_preview_queries_do_not_grow_with_entries_and_judges(client, run):
    """Before any assignment the panel shows the engine's preview: the same number of queries
    for 3 entries and 2 judges as for 12 entries and 6 judges, within PREVIEW_BUDGET."""
    costs = []
    for n_entries, n_judges, prefix in ((3, 2, "s-"), (12, 6, "l-")):
        world = build_world(
            run, n_entries=n_entries, n_judges=n_judges, k=2, assign=False, prefix=prefix
        )
        login(client, world.organizer.email)
        url = f"/organizer/scoring/rounds/{world.round_id}"
        with count_queries() as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert f"/organizer/scoring/rounds/{world.round_id}/assign" in page.text
        costs.append(len(queries))
        client.cookies.clear()
    assert costs[0] == costs[1], costs
    assert costs[0] <= PREVIEW_BUDGET, queries
