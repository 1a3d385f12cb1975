"""The application factory: ``create_app(settings) -> Litestar``. Nothing happens at import.

Adding a capability: put its controllers in ``ROUTE_HANDLERS`` below; every route is private by
default (the app-level :func:`awards.web.auth.default_deny` guard) unless marked
``opt={"public": True}``; controllers narrow access with ``guards=[requires_role(...)]``.
Services are created here and injected into handlers by parameter name (``accounts``).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.types import Message, Scope

from awards import db
from awards.accounts.admin import AdminPages
from awards.accounts.administration import AccountAdministration
from awards.accounts.api import AccountApi, PublicAccountApi
from awards.accounts.controllers import AccountPages, PublicAccountPages
from awards.accounts.registration import Registration
from awards.accounts.services import AccountService
from awards.accounts.signup_pages import SignupPages
from awards.intake.entrant.routes import ENTRANT_ROUTE_HANDLERS, entrant_dependencies
from awards.intake.organizer.routes import ORGANIZER_ROUTE_HANDLERS, organizer_dependencies
from awards.mail import Mailer
from awards.results.delivery_pages import DELIVERY_ROUTE_HANDLERS
from awards.results.public.routes import PUBLIC_RESULTS_ROUTE_HANDLERS
from awards.results.review.routes import REVIEW_ROUTE_HANDLERS
from awards.scoring.routes import SCORING_ROUTE_HANDLERS
from awards.settings import Settings
from awards.web.api_docs import openapi_config
from awards.web.auth import (
    SESSION_MAX_AGE,
    CurrentUserMiddleware,
    default_deny,
    guard_without_copies,
    issue_csrf_cookie,
)
from awards.web.error_context import visitor_context_hook
from awards.web.errors import exception_handlers
from awards.web.headers import add_security_headers
from awards.web.limits import STORAGE_ERROR_HANDLERS, check_input
from awards.web.pages import PublicPages
from awards.web.session_cookie import SessionCookieConfig
from awards.web.templating import template_config

__all__ = ["ROUTE_HANDLERS", "STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"

ROUTE_HANDLERS = [
    PublicPages,
    PublicAccountPages,
    SignupPages,
    AccountPages,
    AdminPages,
    PublicAccountApi,
    AccountApi,
    *ENTRANT_ROUTE_HANDLERS,
    *ORGANIZER_ROUTE_HANDLERS,
    *SCORING_ROUTE_HANDLERS,
    *REVIEW_ROUTE_HANDLERS,
    *DELIVERY_ROUTE_HANDLERS,
    *PUBLIC_RESULTS_ROUTE_HANDLERS,
]


def _derive(secret: str, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` derived from the secret key (SHA-256)."""
    return hashlib.sha256(f"anugerah:{purpose}:{secret}".encode()).digest()


async def _before_send(message: Message, scope: Scope) -> None:
    """The one ``before_send`` hook: security headers, then the CSRF cookie of a token issued
    during the request, on a response's start message (Litestar awaits each hook for every
    message, the body's too)."""
    if message["type"] == "http.response.start":
        await add_security_headers(message, scope)
        await issue_csrf_cookie(message, scope)


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the web application for ``settings`` (read from the environment if omitted)."""
    settings = settings or Settings.from_env()
    db.configure(settings.database_url)
    accounts = AccountService(settings, Mailer(settings))
    signups = Registration(accounts)
    administration = AccountAdministration()

    session = SessionCookieConfig(
        secret=_derive(settings.secret_key, "session"),
        key="anugerah_session",
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    csrf = CSRFConfig(
        secret=_derive(settings.secret_key, "csrf").hex(),
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.secure_cookies,
        cookie_samesite="lax",
    )
    templates = template_config()

    async def on_startup() -> None:
        await db.start(settings.db_pool_size, settings.db_pool_min)

    async def on_shutdown() -> None:
        await db.stop()

    static = create_static_files_router(
        path="/static",
        directories=[STATIC_DIR],
        opt={"public": True, "skip_current_user": True},
        include_in_schema=False,
        name="static",
    )

    app = Litestar(
        route_handlers=[static, *ROUTE_HANDLERS],
        guards=[default_deny],
        dependencies={
            "accounts": Provide(lambda: accounts, sync_to_thread=False),
            "signups": Provide(lambda: signups, sync_to_thread=False),
            "administration": Provide(lambda: administration, sync_to_thread=False),
            **entrant_dependencies(settings, accounts.mailer),
            **organizer_dependencies(settings, accounts.mailer),
        },
        middleware=[session.middleware, CurrentUserMiddleware(settings.default_language)],
        csrf_config=csrf,
        template_config=templates,
        exception_handlers={**STORAGE_ERROR_HANDLERS, **exception_handlers},
        before_request=check_input,
        after_exception=[visitor_context_hook(session)],
        openapi_config=openapi_config(),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        before_send=[_before_send],
        debug=False,
        logging_config=None,
    )
    guard_without_copies(app)
    app.state.settings = settings
    app.state.accounts = accounts
    app.state.scoring_mailer = accounts.mailer
    logging.getLogger("awards").setLevel(logging.INFO)
    return app
