"""Members of a business: the list, email invitations with a single-use token, removal.

The owner invites by email: a random token (``secrets.token_urlsafe(32)``) is mailed, only its
SHA-256 is stored; it expires after ``INVITATION_LIFETIME`` and can be used once, by a
logged-in user whose account email is the invited address. Only the owner invites and removes;
the owner cannot be removed. Mixed into
:class:`awards.intake.businesses.service.BusinessService`, which provides ``settings`` and
``mailer``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.intake.businesses import identity
from awards.intake.common import (
    NotFoundError,
    is_member,
    managed_business,
    now_utc,
    to_validation_error,
)
from awards.intake.tables import BusinessInvitation, BusinessMember, MemberRole
from awards.intake.validators import InvalidValue, ValidationErrors

__all__ = ["INVITATION_LIFETIME", "MemberRules", "Members"]

INVITATION_LIFETIME = timedelta(days=7)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Members:
    """A business's members page: the business, the viewer's role, the members (user id,
    email, name, role; oldest first) and the open invitations."""

    business: dict[str, Any]
    role: str
    people: list[dict[str, Any]]
    invitations: list[dict[str, Any]]


class MemberRules:
    """Member operations; expects ``settings`` and ``mailer`` on ``self``."""

    settings: Any
    mailer: Any

    async def members(self, user: CurrentUser, business_id: int) -> Members:
        """The members and open invitations of a business the user manages, in three
        statements (the business with the user's role, the members, the invitations)."""
        business, role = await managed_business(user.id, business_id)
        rows = (
            await BusinessMember.select(
                BusinessMember.user,
                BusinessMember.user.email,
                BusinessMember.user.display_name,
                BusinessMember.role,
            )
            .where(BusinessMember.business == business_id)
            .order_by(BusinessMember.id)
        )
        people = [
            {
                "user_id": r["user"],
                "email": r["user.email"],
                "name": r["user.display_name"] or r["user.email"],
                "role": r["role"],
            }
            for r in rows
        ]
        invitations = (
            await BusinessInvitation.select(
                BusinessInvitation.id, BusinessInvitation.email, BusinessInvitation.expires_at
            )
            .where(
                (BusinessInvitation.business == business_id)
                & BusinessInvitation.accepted_at.is_null()
                & (BusinessInvitation.expires_at > now_utc())
            )
            .order_by(BusinessInvitation.id)
        )
        return Members(business, role, people, invitations)

    async def _require_owner(self, user: CurrentUser, business_id: int) -> dict[str, Any]:
        business, role = await managed_business(user.id, business_id)
        if role != MemberRole.owner.value:
            raise ValidationError({"email": _("Only the owner can manage members.")})
        return business

    async def invite(self, user: CurrentUser, business_id: int, email: str) -> None:
        """Email a single-use invitation link to ``email`` (owner only)."""
        business = await self._require_owner(user, business_id)
        try:
            address = identity.normalize_email(email)
        except InvalidValue as exc:
            raise to_validation_error(ValidationErrors([exc.at("email")])) from None
        already = await BusinessMember.exists().where(
            (BusinessMember.business == business_id) & (BusinessMember.user.email == address)
        )
        if already:
            raise ValidationError({"email": _("This person already manages the business.")})
        token = secrets.token_urlsafe(32)
        async with db.write_transaction():
            await BusinessInvitation.insert(
                BusinessInvitation(
                    business=business_id,
                    email=address,
                    token_hash=_token_hash(token),
                    invited_by=user.id,
                    expires_at=now_utc() + INVITATION_LIFETIME,
                )
            )
        link = f"{self.settings.base_url}/invitations/accept?token={token}"
        invitee = await User.select(User.language).where(User.email == address).first()
        with use_language(invitee["language"] if invitee else self.settings.default_language):
            subject = _("You are invited to manage %(business)s on Anugerah") % {
                "business": business["name"]
            }
            body = _(
                "%(inviter)s invites you to manage the business %(business)s on Anugerah.\n\n"
                "Open this link within 7 days and log in (or sign up) with this email address:\n"
                "%(link)s\n\nIf you do not know this business, ignore this message."
            ) % {"inviter": user.name, "business": business["name"], "link": link}
        await self.mailer.send(address, subject, body)

    async def invitation(self, token: str) -> dict[str, Any]:
        """The valid invitation for ``token`` (with ``business.name``); ``ValidationError``
        when it is unknown, used or expired."""
        row = (
            await BusinessInvitation.select(
                BusinessInvitation.id,
                BusinessInvitation.email,
                BusinessInvitation.business,
                BusinessInvitation.business.name,
            )
            .where(
                (BusinessInvitation.token_hash == _token_hash(token))
                & BusinessInvitation.accepted_at.is_null()
                & (BusinessInvitation.expires_at > now_utc())
            )
            .first()
        )
        if row is None:
            raise ValidationError({"token": _("This invitation is invalid or has expired.")})
        return row

    async def accept(self, user: CurrentUser, token: str) -> int:
        """Make ``user`` a staff member with a valid token sent to the user's email."""
        invitation = await self.invitation(token)
        if invitation["email"] != user.email.lower():
            raise ValidationError(
                {
                    "token": _("This invitation was sent to %(email)s. Log in with that address.")
                    % {"email": invitation["email"]}
                }
            )
        business_id = invitation["business"]
        async with db.write_transaction():
            used = (
                await BusinessInvitation.update({BusinessInvitation.accepted_at: now_utc()})
                .where(
                    (BusinessInvitation.id == invitation["id"])
                    & BusinessInvitation.accepted_at.is_null()
                )
                .returning(BusinessInvitation.id)
            )
            if not used:
                raise ValidationError({"token": _("This invitation is invalid or has expired.")})
            if not await is_member(user.id, business_id):
                await BusinessMember.insert(
                    BusinessMember(business=business_id, user=user.id, role=MemberRole.staff.value)
                )
        return business_id

    async def remove_member(self, user: CurrentUser, business_id: int, member_id: int) -> None:
        """Remove a staff member (owner only; the owner cannot be removed)."""
        await self._require_owner(user, business_id)
        async with db.write_transaction():
            removed = (
                await BusinessMember.delete()
                .where(
                    (BusinessMember.business == business_id)
                    & (BusinessMember.user == member_id)
                    & (BusinessMember.role == MemberRole.staff.value)
                )
                .returning(BusinessMember.id)
            )
        if not removed:
            raise NotFoundError(member_id)
