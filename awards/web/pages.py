"""Public pages: landing, health check, language switch."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from awards import db
from awards.settings import LANGUAGES
from awards.web.auth import current_user, remember_language
from awards.web.dependencies import Accounts
from awards.web.navigation import safe_next

__all__ = ["LanguageForm", "PublicPages"]


class LanguageForm(Struct):
    language: str = ""
    next: str = "/"


class PublicPages(Controller):
    """Pages anyone may open."""

    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    @get("/", name="landing")
    async def landing(self) -> Template:
        return Template(template_name="landing.html")

    @get("/healthz", name="healthz")
    async def healthz(self) -> Response[dict[str, str]]:
        """200 with ``{"status": "ok", "database": "ok"}``; 503 when the database fails."""
        if await db.check():
            return Response({"status": "ok", "database": "ok"}, status_code=200)
        return Response({"status": "error", "database": "unreachable"}, status_code=503)

    @post("/language", name="language")
    async def set_language(
        self,
        request: Request[Any, Any, Any],
        accounts: Accounts,
        data: URLEncodedBody[LanguageForm],
    ) -> Redirect:
        """Remember the chosen language in the session (and the account) and go back."""
        if data.language in LANGUAGES:
            remember_language(request, data.language)
            user = current_user(request)
            if user is not None:
                await accounts.set_language(user.id, data.language)
        return Redirect(safe_next(data.next), status_code=303)
