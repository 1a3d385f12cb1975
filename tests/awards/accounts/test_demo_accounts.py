"""The demo account loader used by ``anugerah demo``."""

from __future__ import annotations

import asyncio

from awards.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from awards.accounts.services import AccountService
from awards.mail import Mailer


def test_demo_accounts_load_once_one_per_role(settings):
    """Loading twice creates the four accounts once; each holds its role and can log in."""
    assert asyncio.run(load_demo_accounts(settings)) == len(DEMO_ACCOUNTS)
    assert asyncio.run(load_demo_accounts(settings)) == 0
    accounts = AccountService(settings, Mailer(settings))
    for demo in DEMO_ACCOUNTS:
        user = asyncio.run(accounts.authenticate(demo.email, demo.password, "127.0.0.1"))
        assert user.roles == frozenset({demo.role})
    assert {demo.role for demo in DEMO_ACCOUNTS} == {"admin", "organizer", "judge", "entrant"}


def test_demo_accounts_use_reserved_example_domain():
    """Demo addresses live under a domain reserved by RFC 2606, so no real mailbox receives mail."""
    reserved = ("example.org", "example.com", "example.net")
    for demo in DEMO_ACCOUNTS:
        domain = demo.email.rpartition("@")[2]
        assert domain in reserved or domain.endswith(tuple(f".{name}" for name in reserved))
