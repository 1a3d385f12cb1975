"""Query budgets of every page, checked by ``tests/awards/test_route_matrix.py`` and
``tests/awards/test_growth_matrix.py``.

Each GET of the route matrix that a persona is served (200) may make at most :data:`BUDGET`
statements (the session's user included), or the count declared for its path in
:data:`OVER_BUDGET`, the pages that make more today; lower an entry when its page gets cheaper
and remove it once the page is within :data:`BUDGET`. The route matrix checks it on a world
with one entry, round and judge of each kind; the growth matrix on that world grown (more of
every row, a moderation case under review), where it also checks that no page's count grows
with the rows. Pages with their own growth tests have them in
``tests/awards/web/test_query_counts.py`` and beside each capability's pages.
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
    # Public results, the first render for an ETag with nothing in memory (counted by
    # tests/awards/results/public/test_query_counts.py); the page is then kept rendered, so a
    # repeat visit makes only the ETag's statements (edition and publications, 2), and the
    # edition, the category's ranking choice and the frozen placements are kept in memory.
    # The category page: the edition; its visible publications; the ranking choice; the
    # categories; the placements; the tiers; the entries shown; their photos; the category's
    # versions and their corrections.
    "/results/{edition_slug:str}/{category_slug:str}": 10,
    "/en/results/{edition_slug:str}/{category_slug:str}": 10,
    # The edition page: the edition; its publications; categories; tiers; the winners'
    # placements, entries and photos (one statement each however many categories).
    "/results/{edition_slug:str}": 7,
    "/en/results/{edition_slug:str}": 7,
    # The feed: every visible publication; the editions; then as the edition page.
    "/results/feed.xml": 7,
    "/en/results/feed.xml": 7,
    # The open data: the edition; publications; ranking choices; categories; tiers;
    # placements; entries.
    "/results/{edition_slug:str}/data/{fmt:str}": 7,
}


def page_budget(path: str) -> int:
    """The most statements a GET of ``path`` (a route path with its parameters) may make."""
    return OVER_BUDGET.get(path, BUDGET)
