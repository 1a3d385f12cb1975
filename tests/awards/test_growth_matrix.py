"""No page makes a query per row: every GET of the route matrix, served to a persona, makes as
many statements on a grown world as on a small one, within its budget
(``tests/awards/page_budgets.py``).

The world is the route matrix's (``tests/awards/route_world.py``), grown once
(:func:`~tests.awards.route_world.grow_route_world` with ``size=1``: 4 businesses and entries,
all in the round with 2 judges each, one review note on the world entry's moderation case)
and counted, then grown again (``size=3``: 16 businesses and entries, the 12 new ones with 4
judges each, the world's entry with 5, 4 review notes, 3 more conflicts, invitations, notes,
photos, categories and tiers) and counted again. Every URL is requested once before the
counted pass, so work a page does once (the round panel opening moderation cases for new
disagreements) is not mistaken for a query per row. The grown world also serves pages the
route matrix's cannot (a moderation case, the judges' discussion of it), so their budget is
checked here.
"""

from __future__ import annotations

from typing import Any

import pytest

from awards.intake.tables import Entry
from awards.scoring.tables import ScoreSheet
from tests.awards.helpers import login
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import count_queries
from tests.awards.route_access import ROUTES
from tests.awards.route_world import EMAILS, grow_route_world, route_url, route_world

#: The personas whose pages are counted (the others see the same pages with other ids).
PERSONAS = ("anonymous", "entrant", "judge", "organizer", "admin")


def _served_counts(client: Any, world: dict[str, Any]) -> dict[str, int]:
    """``{path: statements of its GET}`` for every GET route served (200), counted on a second
    pass over all of them."""
    urls = {
        path: route_url(path, world, ROUTES[(method, path)].params)
        for method, path in sorted(ROUTES)
        if method == "GET"
    }
    for url in urls.values():
        client.get(url, follow_redirects=False)
    counts = {}
    for path, url in urls.items():
        with count_queries() as queries:
            response = client.get(url, follow_redirects=False)
        if response.status_code == 200:
            counts[path] = len(queries)
    return counts


def _rows(run: Any, world: dict[str, Any]) -> tuple[int, int]:
    entries = run(Entry.count().where(Entry.edition == world["edition_id"]))
    sheets = run(ScoreSheet.count().where(ScoreSheet.round == world["round_id"]))
    return entries, sheets


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_counts_stay_put_as_the_world_grows(app, client, make_user, run, persona):
    """Every page this persona is served makes the same number of statements on the world
    grown three times over as on the world grown once."""
    world = route_world(app, client, make_user, run)
    if persona != "anonymous":
        assert login(client, EMAILS[persona]).status_code == 303
    grow_route_world(run, world, size=1)
    small_rows = _rows(run, world)
    small = _served_counts(client, world)
    grow_route_world(run, world, size=3)
    large_rows = _rows(run, world)
    large = _served_counts(client, world)
    assert large_rows[0] >= 4 * small_rows[0]
    assert large_rows[1] > 2 * small_rows[1]
    assert sorted(small) == sorted(large), "the same pages are served on both worlds"
    grew = {path: (small[path], large[path]) for path in small if large[path] != small[path]}
    assert grew == {}, "statements (small world, grown world) of pages that grew with the rows"
    heavy = {path: count for path, count in large.items() if count > page_budget(path)}
    assert heavy == {}, "pages over their budget (page_budgets.py)"
