"""Public pages: landing, health check, favicon, language switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody
from litestar.response import File, Redirect, Template
from msgspec import Struct

from awards import db
from awards.settings import LANGUAGES
from awards.web.auth import current_user, remember_language
from awards.web.dependencies import Accounts
from awards.web.navigation import safe_next

__all__ = ["FAVICON", "LanguageForm", "PublicPages"]

FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"


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

    @get("/favicon.ico", name="favicon", opt={"skip_current_user": True})
    async def favicon(self) -> File:
        """The site icon browsers ask for at the root (the pages also link the SVG)."""
        return File(
            FAVICON,
            media_type="image/x-icon",
            content_disposition_type="inline",
            headers={"Cache-Control": "public, max-age=604800"},
        )

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
