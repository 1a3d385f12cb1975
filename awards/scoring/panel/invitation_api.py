"""Judge invitations in the JSON API under ``/api/v1/scoring``, with the same services and
guards as the organizer's invitation page (:mod:`awards.scoring.panel.invitation_pages`).

* ``GET /editions/{edition_id}/invitations``: the edition's invitations, newest first, each with
  its ``status`` (pending/used/expired/revoked); token hashes are never returned.
* ``POST /editions/{edition_id}/invitations`` ``{"emails": [...]}``: invite (the page's
  validation and throttle: at most 50 addresses, 200 mails per edition and hour); 201
  ``{"invited", "renewed", "skipped"}`` (new invitations, existing ones given a new link,
  people already judging the edition: nothing sent). The mails go out after the response.
* ``POST /editions/{edition_id}/invitations/{invitation_id}/revoke``: revoke an unused
  invitation; 200 ``{"revoked": email}``.

Organizers of the edition and admins only: another edition's organizer gets 404, other roles
403. An invitation id that is not the edition's (or does not exist) answers 404. Bad input (an
invalid address, too many, over the hour's budget, an invitation already accepted or already
revoked) answers 422 ``{"detail", "errors"}``. POSTs need the ``x-csrftoken`` header like every
unsafe API method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath, JSONBody
from litestar.response import Response
from msgspec import Struct

from awards.scoring.panel import invitations
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role

__all__ = ["InvitationApi"]

Req = Request[Any, Any, Any]


class InvitationOut(Struct):
    """An invitation as organizers see it (never its token or the token's hash)."""

    id: int
    email: str
    status: str
    expires_at: datetime
    created_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    invited_by_email: str | None
    revoked_by_email: str | None


class InvitationsIn(Struct):
    """Addresses to invite (at most 50)."""

    emails: list[str]


class InvitationsOut(Struct):
    invited: list[str]
    renewed: list[str]
    skipped: list[str]


class RevokedOut(Struct):
    revoked: str


class InvitationApi(Controller):
    """``/api/v1/scoring``: an edition's judge invitations."""

    path = "/api/v1/scoring/editions/{edition_id:int}/invitations"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    tags = ["scoring: organizer"]  # noqa: RUF012
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/", name="api_scoring_invitations")
    async def index(self, request: Req, edition_id: FromPath[int]) -> list[InvitationOut]:
        """The edition's invitations, newest first, with their status."""
        rows = await invitations.list_invitations(authenticated_user(request), edition_id)
        return [
            InvitationOut(
                id=row["id"],
                email=row["email"],
                status=row["status"],
                expires_at=row["expires_at"],
                created_at=row["created_at"],
                used_at=row["used_at"],
                revoked_at=row["revoked_at"],
                invited_by_email=row["invited_by_email"],
                revoked_by_email=row["revoked_by_email"],
            )
            for row in rows
        ]

    @post("/", name="api_scoring_invite", status_code=201)
    async def invite(
        self, request: Req, edition_id: FromPath[int], data: JSONBody[InvitationsIn]
    ) -> Response[InvitationsOut]:
        """Invite every address (a new link for one already invited); the mails are sent
        after the response."""
        done, send = await invitations.prepare_invitations(
            authenticated_user(request),
            edition_id,
            data.emails,
            request.app.state.scoring_mailer,
            request.app.state.settings.base_url,
        )
        return Response(
            InvitationsOut(done["invited"], done["renewed"], done["skipped"]),
            status_code=201,
            background=BackgroundTask(send),
        )

    @post("/{invitation_id:int}/revoke", name="api_scoring_invitation_revoke", status_code=200)
    async def revoke(
        self, request: Req, edition_id: FromPath[int], invitation_id: FromPath[int]
    ) -> RevokedOut:
        """Revoke an unused invitation: its link stops working (the invitation is kept)."""
        email = await invitations.revoke(authenticated_user(request), edition_id, invitation_id)
        return RevokedOut(email)
