"""Grants made outside the administration pages (command line, demo) are in the audit log."""

from __future__ import annotations

import asyncio

from awards.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from awards.accounts.tables import AccountChange, RoleGrant


def _audit() -> list[tuple[str, str, object]]:
    async def read() -> list[tuple[str, str, object]]:
        rows = await AccountChange.select(
            AccountChange.event, AccountChange.role, AccountChange.actor
        ).order_by(AccountChange.id)
        return [(row["event"], row["role"], row["actor"]) for row in rows]

    return asyncio.run(read())


def test_demo_account_grants_are_logged_once_with_no_actor(settings):
    """Each demo role is one audited grant by the system; loading again logs nothing more."""
    asyncio.run(load_demo_accounts(settings))
    first = _audit()
    asyncio.run(load_demo_accounts(settings))
    assert first == [("grant", demo.role, None) for demo in DEMO_ACCOUNTS]
    assert _audit() == first
    assert asyncio.run(RoleGrant.count().run()) == len(DEMO_ACCOUNTS)


def test_audit_page_names_the_system_for_grants_without_an_actor(app, client, run, make_user):
    """A grant by the command line reads "(sistem) memberikan ..." on the audit page."""
    from tests.awards.helpers import login

    admin = make_user("admin@malang.example.org", "correct-horse-42", "admin")
    target = make_user("baru@malang.example.org")
    run(app.state.accounts.grant_role(target.id, "admin"))
    login(client, admin.email)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "(sistem)" in page.text
