"""The page of an entry's judges and a moderation case's page and API cost the same number of
queries whatever the number of entries, judges, assignments, sheets and conflicts
(``tests/awards/querycount.py``), within the budget. The cases API is counted with the round's panel
(``tests/awards/scoring/panel/test_query_counts.py``)."""

from __future__ import annotations

from awards.scoring.common import REVIEW_ACTION
from awards.scoring.moderation import service as moderation
from awards.scoring.panel import conflicts
from awards.scoring.tables import Conflict, ModerationAction
from tests.awards.helpers import login
from tests.awards.page_budgets import BUDGET
from tests.awards.querycount import count_queries
from tests.awards.scoring.support import build_world, panel, score_round


def _entry_judges_cost(client, run, n_entries, n_judges, prefix):
    """Queries of the judges page of the first entry in a round of this size: its first judge
    abstained (the entry went to another judge), every sheet submitted, and every judge off
    the entry but one in conflict with a business (the entry's for half of them)."""
    world = build_world(run, n_entries=n_entries, n_judges=n_judges, k=2, prefix=prefix)
    entry = world.entries[0]
    first = run(panel(world.round_id, entry))[0]
    run(conflicts.abstain(world.judge(first), world.round_id, entry, "Kenal pemiliknya"))
    score_round(run, world, lambda j, e: 7)
    on_entry = set(run(panel(world.round_id, entry))) | {first}
    others = [j for j in world.judges if j.id not in on_entry][1:]
    run(
        Conflict.insert(
            *[
                Conflict(
                    edition=world.edition_id,
                    judge=judge.id,
                    business=world.businesses[0 if i % 2 else 1 + i % (n_entries - 1)],
                    reason="Kerabat",
                    created_by=world.organizer.id,
                )
                for i, judge in enumerate(others)
            ]
        )
    )
    login(client, world.organizer.email)
    url = f"/organizer/scoring/rounds/{world.round_id}/entries/{entry}/judges"
    with count_queries() as queries:
        page = client.get(url)
    client.cookies.clear()
    assert page.status_code == 200
    eligible = n_judges - len(on_entry) - len(others) // 2
    choices = page.text.split('id="add-judge"')[1].split("</select>")[0]
    assert choices.count("<option") == eligible, choices
    return queries


def test_entry_judges_queries_do_not_grow_with_round(client, run):
    """4 entries and 6 judges, then 16 entries and 12 judges (with an abstention, submitted
    sheets and conflicts): the entry's judges page makes the same number of queries, within
    the budget."""
    small = _entry_judges_cost(client, run, 4, 6, "s-")
    large = _entry_judges_cost(client, run, 16, 12, "l-")
    assert len(small) == len(large), (str(small), str(large))
    assert len(small) <= BUDGET, small


def _case_cost(client, run, n_entries, n_judges, prefix):
    """Queries of the first entry's case, as a page and from the API, in a round of this size
    where every sheet is submitted and only that entry's judges disagree; the panel was asked
    to review it. Checks what both show: the entry's two judges with their engine residuals,
    the review, and every other judge as a candidate to add."""
    world = build_world(run, n_entries=n_entries, n_judges=n_judges, k=2, prefix=prefix)
    entry = world.entries[0]
    first = run(panel(world.round_id, entry))[0]
    score_round(run, world, lambda j, e: 2 if (e, world.judges[j].id) == (entry, first) else 8)
    cases = run(moderation.moderation_queue(world.organizer, world.round_id))
    assert [c["entry"] for c in cases] == [entry]
    run(
        ModerationAction.insert(
            ModerationAction(
                moderation_case=cases[0]["id"],
                action=REVIEW_ACTION,
                note="Mohon dilihat lagi",
                actor=world.organizer.id,
            )
        )
    )
    login(client, world.organizer.email)
    with count_queries() as page_queries:
        page = client.get(f"/organizer/scoring/cases/{cases[0]['id']}")
    with count_queries() as api_queries:
        api = client.get(f"/api/v1/scoring/cases/{cases[0]['id']}")
    client.cookies.clear()
    assert page.status_code == 200
    assert api.status_code == 200
    detail = api.json()
    assert detail["in_review"] is True
    assert "Mohon dilihat lagi" in page.text
    assert sorted(j["judge"] for j in detail["judges"]) == sorted(run(panel(world.round_id, entry)))
    assert all(j["status"] == "submitted" and j["residual"] is not None for j in detail["judges"])
    assert len(detail["eligible"]) == n_judges - 2
    return page_queries, api_queries


def test_case_queries_do_not_grow_with_round(client, run):
    """4 entries and 4 judges, then 16 entries and 10 judges: a case's page and its API make
    the same number of queries, within the budget."""
    small = _case_cost(client, run, 4, 4, "s-")
    large = _case_cost(client, run, 16, 10, "l-")
    for few, many in zip(small, large, strict=True):
        assert len(few) == len(many), (str(few), str(many))
        assert len(few) <= BUDGET, few
