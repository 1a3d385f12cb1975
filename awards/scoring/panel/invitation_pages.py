"""Judge invitation pages.

* ``/organizer/scoring/editions/{edition_id}/invitations`` (organizers of the edition): invite
  by email, list with status, send again, revoke (after a confirmation).
* ``/judge-invitation?token=...`` (public): what the link leads to; accept with a new account
  (choose a password) or with the account one is logged in with.

Thin: parse, call one service of :mod:`awards.scoring.panel.invitations`, render or redirect (303).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.scoring.common import NotFoundError, edition_of, require_manager
from awards.scoring.panel import invitations
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, current_user, requires_role, start_session
from awards.web.flash import flash
from awards.web.forms import form_fields

__all__ = ["InvitationPages", "PublicInvitationPages"]

Req = Request[Any, Any, Any]


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


class InvitationPages(Controller):
    """Organizers invite judges of an edition by email."""

    path = "/organizer/scoring/editions/{edition_id:int}/invitations"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    async def _page(
        self, request: Req, edition_id: int, errors: dict[str, str], emails: str = ""
    ) -> Template:
        user = authenticated_user(request)
        rows = await invitations.list_invitations(user, edition_id)
        return Template(
            template_name="scoring/panel/invitations.html",
            context={
                "edition": await edition_of(edition_id),
                "invitations": rows,
                "errors": errors,
                "emails": emails,
                "max_emails": invitations.MAX_PER_REQUEST,
                "lifetime_days": invitations.LIFETIME.days,
            },
            status_code=422 if errors else 200,
        )

    @get("/", name="scoring_invitations")
    async def index(self, request: Req, edition_id: FromPath[int]) -> Template:
        return await self._page(request, edition_id, {})

    @post("/", name="scoring_invite")
    async def invite(self, request: Req, edition_id: FromPath[int]) -> Template | Redirect:
        form = await form_fields(request, as_text=True)
        try:
            done, send = await invitations.prepare_invitations(
                authenticated_user(request),
                edition_id,
                form.get("emails", ""),
                request.app.state.scoring_mailer,
                request.app.state.settings.base_url,
            )
        except ValidationError as exc:
            return await self._page(request, edition_id, exc.errors, form.get("emails", ""))
        sent = len(done["invited"]) + len(done["renewed"])
        flash(request, _("Invitations sent: %(n)s.") % {"n": sent}, "success")
        if done["skipped"]:
            flash(
                request,
                _("Already judging this edition (nothing sent): %(list)s")
                % {"list": ", ".join(done["skipped"])},
                "info",
            )
        return Redirect(
            f"/organizer/scoring/editions/{edition_id}/invitations",
            status_code=303,
            background=BackgroundTask(send),
        )

    @post("/resend", name="scoring_invitation_resend")
    async def resend(self, request: Req, edition_id: FromPath[int]) -> Redirect:
        form = await form_fields(request, as_text=True)
        user = authenticated_user(request)
        require_manager(user, edition_id)  # another edition's organizer: 404, not a message
        try:
            email = await invitations.reinvite(
                user,
                edition_id,
                _int(form.get("invitation", "")),
                request.app.state.scoring_mailer,
                request.app.state.settings.base_url,
            )
            flash(request, _("A new link was sent to %(email)s.") % {"email": email}, "success")
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        except NotFoundError:  # a blank or tampered form field
            flash(request, _("This invitation no longer exists."), "error")
        return Redirect(f"/organizer/scoring/editions/{edition_id}/invitations", status_code=303)

    @post("/revoke", name="scoring_invitation_revoke")
    async def revoke(self, request: Req, edition_id: FromPath[int]) -> Redirect:
        form = await form_fields(request, as_text=True)
        user = authenticated_user(request)
        require_manager(user, edition_id)
        if form.get("confirm") != "yes":
            flash(request, _("Confirm to revoke the invitation."), "error")
        else:
            try:
                email = await invitations.revoke(user, edition_id, _int(form.get("invitation", "")))
                flash(
                    request,
                    _("The invitation to %(email)s was revoked.") % {"email": email},
                    "success",
                )
            except ValidationError as exc:
                flash(request, " ".join(exc.errors.values()), "error")
            except NotFoundError:  # a blank or tampered form field
                flash(request, _("This invitation no longer exists."), "error")
        return Redirect(f"/organizer/scoring/editions/{edition_id}/invitations", status_code=303)


class PublicInvitationPages(Controller):
    """The invitation link: anyone holding it may open it."""

    path = "/judge-invitation"
    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    def _page(
        self,
        request: Req,
        token: str,
        state: invitations.InvitationState,
        errors: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return Template(
            template_name="scoring/panel/accept.html",
            context={
                "token": token,
                "state": state,
                "errors": errors or {},
                "form": form or {},
                "login_url": "/login?next=" + quote(f"/judge-invitation?token={token}", safe=""),
            },
            status_code=status_code,
        )

    @get("/", name="judge_invitation")
    async def show(self, request: Req) -> Template:
        token = request.query_params.get("token", "")
        return self._page(request, token, await invitations.invitation_state(token))

    @post("/", name="judge_invitation_accept")
    async def accept(self, request: Req) -> Template | Redirect:
        form = await form_fields(request, as_text=True)
        token = form.get("token", "")
        user = current_user(request)
        try:
            if form.get("action") == "existing":
                if user is None:
                    return Redirect(
                        "/login?next=" + quote(f"/judge-invitation?token={token}", safe=""),
                        status_code=303,
                    )
                await invitations.accept_existing(token, user)
            else:
                user_id = await invitations.accept_new(
                    token,
                    form.get("password", ""),
                    form.get("display_name", ""),
                    current_language(),
                )
                new_user = await request.app.state.accounts.load(user_id)
                start_session(request, new_user)
        except ValidationError as exc:
            state = await invitations.invitation_state(token)
            form.pop("password", None)
            return self._page(request, token, state, exc.errors, form, status_code=422)
        flash(request, _("Welcome to the panel! You are now a judge of this edition."), "success")
        return Redirect("/judge", status_code=303)
