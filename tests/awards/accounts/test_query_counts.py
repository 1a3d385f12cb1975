"""Query budget of the admin's account page: a fixed number of statements (within the budget
of ``tests/awards/page_budgets.py``) however many grants, editions and recorded changes."""

from __future__ import annotations

from awards.accounts.administration import AccountAdministration
from tests.awards.helpers import PASSWORD, login
from tests.awards.intake.organizer_support import make_edition
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import page_query_counts


def test_account_page_makes_the_same_queries_as_grants_and_history_grow(
    app, client, run, make_user
):
    """The account page reads the account, the editions, its grants and its latest changes
    once each: the same statements, within budget, with three editions, six grants and
    nine recorded changes."""
    first = make_edition(run, "malang-2026")
    actor = make_user("admin@malang.example.org", PASSWORD, "admin")
    target = make_user("panitia@malang.example.org")
    login(client, actor.email)
    admin = AccountAdministration()
    run(admin.grant(actor, target.id, "judge", first["id"]))
    url = f"/admin/users/{target.id}"
    before = page_query_counts(client, [url])

    editions = [first, make_edition(run, "batu-2026"), make_edition(run, "kediri-2026")]
    for edition in editions[1:]:
        run(admin.grant(actor, target.id, "judge", edition["id"]))
        run(admin.grant(actor, target.id, "organizer", edition["id"]))
    run(admin.revoke(actor, target.id, "judge", first["id"]))
    run(admin.grant(actor, target.id, "judge", first["id"]))
    run(admin.set_active(actor, target.id, False))
    run(admin.set_active(actor, target.id, True))
    after = page_query_counts(client, [url])
    page = client.get(url)

    assert page.text.count("/roles/revoke") == 6
    assert page.text.count('<li class="card">') == 9
    assert "Anugerah UMKM kediri-2026" in page.text
    assert after == before
    assert after[url] <= page_budget("/admin/users/{user_id:int}")
