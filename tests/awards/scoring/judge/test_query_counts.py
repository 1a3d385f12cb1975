"""The judge's dashboard and entry page cost the same number of queries whatever the number of
entries (``tests/awards/querycount.py``), within stated budgets."""

from __future__ import annotations

from tests.awards.helpers import login, post_form
from tests.awards.querycount import count_queries
from tests.awards.scoring.support import assigned_entries, build_world
from tests.conftest import is_postgres_run

#: Queries of the judge's dashboard (and queue API), entry page and sheet GET (the session's
#: user, 1 query, included). The queue: user, assignments joined with rounds, sheets, conflicts
#: and reviews. The entry page: user, access with entry, business, form, sheet and next entry,
#: attachments. The sheet: user, access with the sheet.
DASHBOARD_BUDGET = 2
ENTRY_BUDGET = 3
SHEET_BUDGET = 2


def _costs(client, run, n_entries):
    world = build_world(run, n_entries=n_entries, n_judges=3, k=2)
    judge = world.judges[0]
    login(client, judge.email)
    mine = run(assigned_entries(world.round_id, judge.id))
    url = f"/judge/rounds/{world.round_id}/entries/{mine[0]}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    with count_queries() as dashboard:
        assert client.get("/judge/").status_code == 200
    with count_queries() as entry:
        assert client.get(url).status_code == 200
    with count_queries() as queue:
        assert client.get("/api/v1/judge/queue").status_code == 200
    api = f"/api/v1/judge/rounds/{world.round_id}/entries/{mine[0]}/sheet"
    with count_queries() as sheet:
        assert client.get(api).status_code == 200
    return len(dashboard), len(entry), len(queue), len(sheet), len(mine)


def test_dashboard_and_entry_queries_do_not_grow_with_entries(client, run):
    """4 and 16 entries: the same number of queries for the dashboard, the entry page, the
    queue API and the sheet GET, each within its budget."""
    small = _costs(client, run, 4)
    client.cookies.clear()
    large = _costs_second_edition(client, run)
    assert small[4] < large[4]
    assert small[:4] == large[:4]
    assert small[0] <= DASHBOARD_BUDGET, small
    assert small[1] <= ENTRY_BUDGET, small
    assert small[2] <= DASHBOARD_BUDGET, small
    assert small[3] <= SHEET_BUDGET, small


def _costs_second_edition(client, run):
    """A second, larger world in the same database (fresh users and edition)."""
    from tests.awards.scoring import support

    original = support.quick_user

    def renamed(run_, email, *roles):
        return original(run_, "big-" + email, *roles)

    support.quick_user = renamed
    try:
        return _costs(client, run, 16)
    finally:
        support.quick_user = original


#: Statements of a score save (the session's user included; transaction control not counted):
#: user, access with the sheet, then on SQLite the write returning the row and the history row
#: (in a transaction); on PostgreSQL both in one statement
#: (``awards.scoring.judge.sql._logged``), with no transaction at all.
SAVE_BUDGET = 3 if is_postgres_run() else 4


def test_score_save_queries_within_budget(client, run):
    """A first save (insert) and a later one (compare-and-swap update) each stay within budget:
    user, access with the round, conflict check and sheet, write returning the row, history."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    judge = world.judges[0]
    login(client, judge.email)
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    url = f"/judge/rounds/{world.round_id}/entries/{entry}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    api = f"/api/v1/judge/rounds/{world.round_id}/entries/{entry}/sheet"
    headers = {"x-csrftoken": client.cookies["csrftoken"]}
    costs = []
    for version, score in ((0, 4), (1, 5)):
        with count_queries() as queries:
            answer = client.put(
                api, json={"version": version, "scores": {"kemasan": score}}, headers=headers
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["version"] == version + 1
        assert answer.json()["scores"] == {"kemasan": score}
        costs.append(queries)
    assert [len(q) for q in costs] == [SAVE_BUDGET, SAVE_BUDGET], [str(q) for q in costs]
