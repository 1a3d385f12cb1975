"""Services injected into handlers by parameter name (registered in ``create_app``).

Write ``accounts: Accounts`` in a handler's signature to receive the app's
:class:`~awards.accounts.services.AccountService` (``signups: Signups`` for its
:class:`~awards.accounts.registration.Registration`).
"""

from __future__ import annotations

from litestar.di import NamedDependency

from awards.accounts.registration import Registration
from awards.accounts.services import AccountService

__all__ = ["Accounts", "Signups"]

Accounts = NamedDependency[AccountService]
Signups = NamedDependency[Registration]
"""``signups: Signups``: the visitor sign-up with email confirmation."""
