"""Creating accounts outside the web: ``anugerah createadmin``."""

from __future__ import annotations

from awards import db
from awards.accounts.services import AccountService
from awards.accounts.tables import Role
from awards.mail import Mailer
from awards.settings import Settings

__all__ = ["create_admin"]


async def create_admin(settings: Settings, email: str, password: str, name: str = "") -> bool:
    """Create an admin account; an existing account gets the admin role (password unchanged).

    Returns True when an account was created. Raises :class:`ValidationError` on bad input.
    """
    db.configure(settings.database_url)
    accounts = AccountService(settings, Mailer(settings))
    existing = await accounts.find_by_email(email)
    if existing is not None:
        await accounts.grant_role(existing.id, Role.admin.value)
        return False
    user = await accounts.sign_up(email, password, name, roles=())
    await accounts.grant_role(user.id, Role.admin.value)  # logged in the audit log
    return True
