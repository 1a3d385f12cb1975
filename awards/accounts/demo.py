"""Demo accounts, one per role, loaded idempotently by ``anugerah demo``.

Addresses use ``demo.example.org`` (RFC 2606 reserved), so no real mailbox is ever written to.

The passwords are fixed and printed: they exist for the local demo only.
"""

from __future__ import annotations

from dataclasses import dataclass

from awards import db
from awards.accounts.services import AccountService
from awards.mail import Mailer
from awards.settings import Settings

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "load_demo_accounts"]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin@demo.example.org", "demo-admin-2026", "Admin Demo"),
    DemoAccount("organizer", "panitia@demo.example.org", "demo-panitia-2026", "Panitia Demo"),
    DemoAccount("judge", "juri@demo.example.org", "demo-juri-2026", "Juri Demo"),
    DemoAccount("entrant", "umkm@demo.example.org", "demo-umkm-2026", "UMKM Demo"),
)


async def load_demo_accounts(settings: Settings) -> int:
    """Create the missing demo accounts and grant their roles through the audited grant;
    return how many accounts were created."""
    db.configure(settings.database_url)
    accounts = AccountService(settings, Mailer(settings))
    created = 0
    for demo in DEMO_ACCOUNTS:
        existing = await accounts.find_by_email(demo.email)
        if existing is None:
            existing = await accounts.sign_up(demo.email, demo.password, demo.name, roles=())
            created += 1
        await accounts.grant_role(existing.id, demo.role)  # logged in the audit log
    return created
