"""Query budgets of every page, checked by ``tests/awards/test_route_matrix.py``.

Each GET of the route matrix that a persona is served (200) may make at most :data:`BUDGET`
statements (the session's user included), or the count declared for its path in
:data:`OVER_BUDGET`, the pages that make more today; lower an entry when its page gets cheaper
and remove it once the page is within :data:`BUDGET`. The matrix's world holds one entry, one
round and one judge of each kind, so this checks the budget, not growth with the rows: the
growth checks (no query per row) are in ``tests/awards/web/test_query_counts.py`` and beside
each capability's pages.
"""

from __future__ import annotations

__all__ = ["BUDGET", "OVER_BUDGET", "page_budget"]

BUDGET = 6

#: Pages over :data:`BUDGET` today (the most any persona's request made).
OVER_BUDGET = {
    # The session's user; the category with its edition; its rounds; the edition's tiers; the
    # category's rule; its panel decisions; its snapshots, their publications and corrections
    # (three tables Piccolo cannot join from the snapshot side); the round's sheets with their
    # judges' and entries' names.
    "/organizer/results/categories/{category_id:int}": 10,
    # The session's user; the edition; its rounds; its conflicts; its abstentions and
    # recusals; its judge profiles; for the suggestions, the entrants and the businesses the
    # judges manage (one read per section of the page).
    "/organizer/scoring/editions/{edition_id:int}/conflicts": 8,
}


def page_budget(path: str) -> int:
    """The most statements a GET of ``path`` (a route path with its parameters) may make."""
    return OVER_BUDGET.get(path, BUDGET)
