"""The organizer's set-up pages (judges, a judge's profile, conflicts, invitations, new round,
round set-up) cost the same number of queries whatever the number of entries, judges,
conflicts and invitations (``tests/awards/querycount.py``): no query per row."""

from __future__ import annotations

from awards.scoring.tables import Conflict
from tests.awards.helpers import login, post_form
from tests.awards.querycount import page_query_counts
from tests.awards.scoring import support

ORG = "/organizer/scoring"


def _counts(client, run, n_entries, n_judges, prefix):
    """Query count of each set-up page for an edition of this size (fresh users by prefix)."""
    original = support.quick_user

    def renamed(run_, email, *roles):
        return original(run_, prefix + email, *roles)

    support.quick_user = renamed
    try:
        world = support.build_world(
            run, n_entries=n_entries, n_judges=n_judges, k=2, open_round=False, assign=False
        )
    finally:
        support.quick_user = original
    run(
        Conflict.insert(
            *[
                Conflict(
                    edition=world.edition_id,
                    judge=judge.id,
                    business=business,
                    reason="Kerabat",
                    created_by=world.organizer.id,
                )
                for judge, business in zip(world.judges, world.businesses, strict=False)
            ]
        )
    )
    login(client, world.organizer.email)
    invited = post_form(
        client,
        f"{ORG}/editions/{world.edition_id}/invitations/",
        {"emails": ", ".join(f"{prefix}calon{i}@example.com" for i in range(n_judges))},
    )
    assert invited.status_code == 303, invited.text
    edition = f"{ORG}/editions/{world.edition_id}"
    pages = {
        "judges": f"{edition}/judges",
        "judge": f"{edition}/judges/{world.judges[0].id}",
        "conflicts": f"{edition}/conflicts",
        "invitations": f"{edition}/invitations/",
        "new round": f"{edition}/rounds/new",
        "round setup": f"{ORG}/rounds/{world.round_id}/setup",
    }
    counts = page_query_counts(client, pages.values())
    client.cookies.clear()
    return {name: counts[url] for name, url in pages.items()}


def test_setup_pages_queries_do_not_grow_with_entries_and_judges(client, run):
    """3 entries and 2 judges, then 12 entries and 6 judges (with as many conflicts and
    invitations as judges): every set-up page makes the same number of queries."""
    small = _counts(client, run, 3, 2, "s-")
    large = _counts(client, run, 12, 6, "l-")
    assert small == large, (small, large)
    assert min(small.values()) > 1, small
