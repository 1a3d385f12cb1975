"""Services injected into handlers by parameter name (registered in ``create_app``).

Write ``accounts: Accounts`` in a handler's signature to receive the app's
:class:`~awards.accounts.services.AccountService`.
"""

from __future__ import annotations

from litestar.di import NamedDependency

from awards.accounts.services import AccountService

__all__ = ["Accounts"]

Accounts = NamedDependency[AccountService]
