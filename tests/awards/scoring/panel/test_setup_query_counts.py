"""The organizer's set-up pages (judges, a judge's profile, conflicts, invitations, new round,
round set-up) cost the same number of queries whatever the number of entries, judges,
conflicts, abstentions, suggestions and invitations (``tests/awards/querycount.py``): no query
per row; the conflicts page and the round set-up (searched or not) within their budgets."""

from __future__ import annotations

from awards.intake.tables import BusinessMember
from awards.scoring.tables import Conflict, ScoreSheet
from tests.awards.helpers import login, post_form
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import page_query_counts
from tests.awards.scoring import support

ORG = "/organizer/scoring"


def _counts(client, run, n_entries, n_judges, prefix):
    """Query count of each set-up page for an edition of this size (fresh users by prefix):
    as many conflicts, abstentions and managed businesses (hence suggestions) as judges."""
    world = support.build_world(
        run,
        n_entries=n_entries,
        n_judges=n_judges,
        k=2,
        open_round=False,
        assign=False,
        prefix=prefix,
    )
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
    pairs = list(zip(world.judges, reversed(world.businesses), strict=False))
    run(
        BusinessMember.insert(
            *[
                BusinessMember(business=business, user=judge.id, role="staff")
                for judge, business in pairs
            ]
        )
    )
    run(
        ScoreSheet.insert(
            *[
                ScoreSheet(
                    round=world.round_id,
                    entry=entry,
                    judge=judge.id,
                    status="abstained",
                    reason="Kenal pemiliknya",
                )
                for judge, entry in zip(world.judges, world.entries, strict=False)
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
        "round setup search": f"{ORG}/rounds/{world.round_id}/setup?q=Usaha",
    }
    counts = page_query_counts(client, pages.values())
    shown = client.get(pages["conflicts"]).text
    assert shown.count("Kenal pemiliknya") == n_judges  # the abstentions
    assert shown.count("badge-warn") > n_judges  # suggestions (same district, same sector)
    client.cookies.clear()
    return {name: counts[url] for name, url in pages.items()}


def test_setup_pages_queries_do_not_grow_with_entries_and_judges(client, run):
    """3 entries and 2 judges, then 12 entries and 6 judges (with as many conflicts and
    invitations as judges): every set-up page makes the same number of queries."""
    small = _counts(client, run, 3, 2, "s-")
    large = _counts(client, run, 12, 6, "l-")
    assert small == large, (small, large)
    assert min(small.values()) > 1, small
    assert small["conflicts"] <= page_budget(f"{ORG}/editions/{{edition_id:int}}/conflicts")
    assert small["round setup"] <= page_budget(f"{ORG}/rounds/{{round_id:int}}/setup")
    assert small["round setup search"] <= page_budget(f"{ORG}/rounds/{{round_id:int}}/setup")
