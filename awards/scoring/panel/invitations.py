"""Judge invitations: an organizer invites people by email to judge an edition.

* Each invitation carries a random token (``secrets.token_urlsafe(32)``); only its SHA-256 hex
  digest is stored, so a copy of the database cannot be turned into working links.
* A link works once and for :data:`LIFETIME` (7 days). Status: ``used`` once accepted,
  ``revoked`` once withdrawn, ``expired`` after ``expires_at``, else ``pending``.
* Revoking keeps the invitation: it sets ``revoked_at`` and ``revoked_by`` (in one
  transaction; refused for an invitation already accepted or already revoked). Its link then
  says the invitation was withdrawn, and accepting it fails.
* Re-inviting (sending again, or inviting the same address again) gives the same row a new
  token and a new expiry (the old link stops working) and mails it again. A revoked
  invitation is re-opened that way: ``revoked_at``/``revoked_by`` are cleared, so the organizer
  can change their mind without a second row for the address.
* Accepting: with a new account (the invitation's email and a password chosen on the page), or
  with the account the invitee is logged in with. Either way, in one transaction, the token is
  claimed (``UPDATE ... WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > now``: a
  second use, or a use after revoking, finds nothing), the judge role for the edition is
  granted through :class:`awards.accounts.administration.AccountAdministration` (so the audit
  log shows who invited whom) and a judge profile is created.
* Refused: someone who manages a business with an entry in the edition (they cannot judge it).
* Throttle: at most :data:`MAX_PER_REQUEST` (50) addresses per form and :data:`MAILS_PER_HOUR`
  (200) invitation mails per edition per hour, counted in ``accounts_login_attempt`` under
  ``judge-invite:<edition>``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from awards import db
from awards.accounts.administration import AccountAdministration
from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import hash_password, password_problem
from awards.accounts.services import normalize_email
from awards.accounts.tables import LoginAttempt, RoleGrant, User
from awards.errors import ValidationError
from awards.i18n import _, use_language
from awards.intake.editions.service import can_manage
from awards.intake.tables import Edition
from awards.mail import Mailer
from awards.scoring.common import NotFoundError, edition_of, now_utc, require_manager
from awards.scoring.panel.judges import holds_entry
from awards.scoring.tables import JudgeInvitation, JudgeProfile

__all__ = [
    "LIFETIME",
    "MAILS_PER_HOUR",
    "MAX_PER_REQUEST",
    "InvitationState",
    "accept_existing",
    "accept_new",
    "command_line_invite",
    "invitation_state",
    "invite",
    "list_invitations",
    "prepare_invitations",
    "reinvite",
    "revoke",
    "token_hash",
]

LIFETIME = timedelta(days=7)
MAX_PER_REQUEST = 50
MAILS_PER_HOUR = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def token_hash(token: str) -> str:
    """SHA-256 hex digest of the token: the only form in which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _status(row: dict[str, Any], now: datetime) -> str:
    if row["used_at"] is not None:
        return "used"
    if row.get("revoked_at") is not None:
        return "revoked"
    if row["expires_at"] <= now:
        return "expired"
    return "pending"


def _parse_emails(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or new lines; duplicates removed."""
    errors: list[str] = []
    found: list[str] = []
    for part in re.split(r"[\s,;]+", text):
        address = normalize_email(part)
        if not address:
            continue
        if len(address) > 254 or not _EMAIL.match(address):
            errors.append(part.strip())
        elif address not in found:
            found.append(address)
    if errors:
        raise ValidationError(
            {"emails": _("Not a valid email address: %(list)s") % {"list": ", ".join(errors)}}
        )
    if not found:
        raise ValidationError({"emails": _("Enter at least one email address.")})
    if len(found) > MAX_PER_REQUEST:
        raise ValidationError(
            {"emails": _("Invite at most %(n)s people at a time.") % {"n": MAX_PER_REQUEST}}
        )
    return found


async def _count_mails(edition_id: int, n: int) -> None:
    """Record ``n`` invitation mails; refuse when the hour's budget would be exceeded."""
    key = f"judge-invite:{edition_id}"
    await db.lock_key(key)
    recent = await LoginAttempt.count().where(
        (LoginAttempt.key == key) & (LoginAttempt.attempted_at > now_utc() - timedelta(hours=1))
    )
    if recent + n > MAILS_PER_HOUR:
        raise ValidationError(
            {
                "emails": _(
                    "Too many invitations this hour (at most %(n)s per edition). Try again later."
                )
                % {"n": MAILS_PER_HOUR}
            }
        )
    for _i in range(n):
        await LoginAttempt.insert(LoginAttempt(key=key, success=True))


@dataclass(frozen=True)
class _Mail:
    email: str
    token: str


async def _send(mailer: Mailer, base_url: str, edition: dict[str, Any], mails: list[_Mail]) -> None:
    """One message per invitation, Indonesian first then English."""
    expires = (now_utc() + LIFETIME).date().isoformat()
    for mail in mails:
        link = f"{base_url}/judge-invitation?token={mail.token}"
        parts = []
        for language, name in (("id", edition["name_id"]), ("en", edition.get("name_en"))):
            with use_language(language):
                parts.append(
                    _(
                        "You are invited to judge %(edition)s on Anugerah.\n\n"
                        "Open this link to accept (it works once, until %(date)s):\n%(link)s\n\n"
                        "If you do not expect this invitation, ignore this message."
                    )
                    % {"edition": name or edition["name_id"], "date": expires, "link": link}
                )
        with use_language("id"):
            subject = _("Invitation to judge %(edition)s") % {"edition": edition["name_id"]}
        await mailer.send(mail.email, subject, "\n\n---\n\n".join(parts))


async def invite(
    actor: CurrentUser, edition_id: int, emails: str | Sequence[str], mailer: Mailer, base_url: str
) -> dict[str, list[str]]:
    """:func:`prepare_invitations`, then send the mails at once."""
    result, send = await prepare_invitations(actor, edition_id, emails, mailer, base_url)
    await send()
    return result


async def prepare_invitations(
    actor: CurrentUser,
    edition_id: int,
    emails: str | Sequence[str],
    mailer: Mailer,
    base_url: str,
) -> tuple[dict[str, list[str]], Callable[[], Awaitable[None]]]:
    """Store an invitation for every address in ``emails`` (a text of addresses, or a list of
    them); return what was done and the mailing to run (after the response, so a long list
    does not hold the page).

    The result is ``{"invited": [...], "renewed": [...], "skipped": [...]}``: new invitations,
    pending, expired or revoked ones given a new link (a revoked one is re-opened), and people
    already judging the edition (nothing sent).
    """
    require_manager(actor, edition_id)
    return await _prepare(edition_id, emails, actor.id, mailer, base_url)


async def command_line_invite(
    edition_slug: str,
    emails: Sequence[str],
    mailer: Mailer,
    base_url: str,
    as_email: str | None = None,
) -> dict[str, list[str]]:
    """``anugerah invite``: invite ``emails`` to judge the edition ``edition_slug`` and send
    the mails at once; the result is that of :func:`prepare_invitations`.

    With ``as_email`` the invitations are sent as that account, which must be an organizer of
    the edition or an admin (else :class:`ValidationError`, also for an unknown or inactive
    account); without it they are sent by the
    command line (no inviter is recorded, as ``anugerah createadmin`` records no actor).
    Unknown edition: :class:`NotFoundError`."""
    edition = await Edition.select(Edition.id).where(Edition.slug == edition_slug).first()
    if edition is None:
        raise NotFoundError(f"edition {edition_slug}")
    inviter: int | None = None
    if as_email is not None:
        user = (
            await User.select(User.id)
            .where((User.email == normalize_email(as_email)) & (User.is_active == True))  # noqa: E712
            .first()
        )
        grants = (
            []
            if user is None
            else await RoleGrant.select(RoleGrant.role, RoleGrant.edition_id).where(
                RoleGrant.user == user["id"]
            )
        )
        actor = CurrentUser(
            user["id"] if user else 0,
            as_email,
            "",
            "id",
            0,
            frozenset((g["role"], g["edition_id"]) for g in grants),
        )
        if user is None or not can_manage(actor, edition["id"]):
            raise ValidationError(
                {"as": _("%(email)s is not an organizer of this edition.") % {"email": as_email}}
            )
        inviter = user["id"]
    result, send = await _prepare(edition["id"], emails, inviter, mailer, base_url)
    await send()
    return result


async def _prepare(
    edition_id: int,
    emails: str | Sequence[str],
    inviter: int | None,
    mailer: Mailer,
    base_url: str,
) -> tuple[dict[str, list[str]], Callable[[], Awaitable[None]]]:
    """:func:`prepare_invitations` once the inviter is known to manage the edition."""
    addresses = _parse_emails(emails if isinstance(emails, str) else "\n".join(emails))
    edition = await edition_of(edition_id)
    now = now_utc()
    result: dict[str, list[str]] = {"invited": [], "renewed": [], "skipped": []}
    mails: list[_Mail] = []
    async with db.write_transaction():
        judges = await JudgeProfile.select(JudgeProfile.user.email.as_alias("email")).where(
            (JudgeProfile.edition == edition_id) & JudgeProfile.user.email.is_in(addresses)
        )
        judging = {row["email"] for row in judges}
        existing = {
            row["email"]: row
            for row in await JudgeInvitation.select().where(
                (JudgeInvitation.edition == edition_id) & JudgeInvitation.email.is_in(addresses)
            )
        }
        todo = [a for a in addresses if a not in judging]
        result["skipped"] = [a for a in addresses if a in judging]
        await _count_mails(edition_id, len(todo))
        for address in todo:
            token = secrets.token_urlsafe(32)
            row = existing.get(address)
            if row is not None and row["used_at"] is None:
                await JudgeInvitation.update(
                    {
                        JudgeInvitation.token_hash: token_hash(token),
                        JudgeInvitation.expires_at: now + LIFETIME,
                        JudgeInvitation.invited_by: inviter,
                        JudgeInvitation.revoked_at: None,
                        JudgeInvitation.revoked_by: None,
                    }
                ).where(JudgeInvitation.id == row["id"])
                result["renewed"].append(address)
            else:
                if row is not None:  # used, but the person is no longer a judge: a fresh one
                    await JudgeInvitation.delete().where(JudgeInvitation.id == row["id"])
                await JudgeInvitation.insert(
                    JudgeInvitation(
                        edition=edition_id,
                        email=address,
                        token_hash=token_hash(token),
                        invited_by=inviter,
                        expires_at=now + LIFETIME,
                    )
                )
                result["invited"].append(address)
            mails.append(_Mail(address, token))

    async def send() -> None:
        await _send(mailer, base_url, edition, mails)

    return result, send


async def _managed_invitation(actor: CurrentUser, edition_id: int, invitation_id: int) -> dict:
    require_manager(actor, edition_id)
    row = (
        await JudgeInvitation.select()
        .where((JudgeInvitation.id == invitation_id) & (JudgeInvitation.edition == edition_id))
        .first()
    )
    if row is None:  # not this edition's (ids reveal nothing) or never existed
        raise NotFoundError(f"invitation {invitation_id}")
    return row


async def reinvite(
    actor: CurrentUser, edition_id: int, invitation_id: int, mailer: Mailer, base_url: str
) -> str:
    """Send an unused invitation again with a new link and expiry (a revoked one is re-opened);
    return its email."""
    row = await _managed_invitation(actor, edition_id, invitation_id)
    if row["used_at"] is not None:
        raise ValidationError({"invitation": _("This invitation was already accepted.")})
    await invite(actor, edition_id, row["email"], mailer, base_url)
    return row["email"]


async def revoke(actor: CurrentUser, edition_id: int, invitation_id: int) -> str:
    """Withdraw an unused invitation (its link stops working; the row is kept with who revoked
    it and when); return its email. Refused when already accepted or already revoked."""
    async with db.write_transaction():
        row = await _managed_invitation(actor, edition_id, invitation_id)
        if row["used_at"] is not None:
            raise ValidationError({"invitation": _("This invitation was already accepted.")})
        if row["revoked_at"] is not None:
            raise ValidationError({"invitation": _("This invitation was already revoked.")})
        revoked = await (
            JudgeInvitation.update(
                {JudgeInvitation.revoked_at: now_utc(), JudgeInvitation.revoked_by: actor.id}
            )
            .where(
                (JudgeInvitation.id == invitation_id)
                & JudgeInvitation.used_at.is_null()
                & JudgeInvitation.revoked_at.is_null()
            )
            .returning(JudgeInvitation.id)
        )
        if not revoked:
            raise ValidationError(
                {"invitation": _("This invitation was accepted or revoked in the meantime.")}
            )
    return row["email"]


async def list_invitations(actor: CurrentUser, edition_id: int) -> list[dict[str, Any]]:
    """The edition's invitations, newest first, each with ``status``
    (pending/used/expired/revoked) and, when revoked, when and by whom."""
    require_manager(actor, edition_id)
    rows = (
        await JudgeInvitation.select(
            JudgeInvitation.id,
            JudgeInvitation.email,
            JudgeInvitation.expires_at,
            JudgeInvitation.used_at,
            JudgeInvitation.created_at,
            JudgeInvitation.revoked_at,
            JudgeInvitation.invited_by.email.as_alias("invited_by_email"),
            JudgeInvitation.revoked_by.email.as_alias("revoked_by_email"),
        )
        .where(JudgeInvitation.edition == edition_id)
        .order_by(JudgeInvitation.id, ascending=False)
    )
    now = now_utc()
    for row in rows:
        row["status"] = _status(row, now)
    return rows


@dataclass(frozen=True)
class InvitationState:
    """What a link leads to: ``status`` (pending/used/expired/revoked/invalid), the edition's name,
    the invited email and whether an account with that email exists."""

    status: str
    email: str = ""
    edition_name: str = ""
    edition_id: int = 0
    has_account: bool = False


async def invitation_state(token: str) -> InvitationState:
    """The state of the invitation behind ``token`` (``invalid`` when there is none)."""
    if not token or len(token) > 200:
        return InvitationState("invalid")
    row = (
        await JudgeInvitation.select(
            JudgeInvitation.all_columns(),
            JudgeInvitation.edition.name_id.as_alias("edition_name"),
        )
        .where(JudgeInvitation.token_hash == token_hash(token))
        .first()
    )
    if row is None:
        return InvitationState("invalid")
    has_account = await User.exists().where(User.email == row["email"])
    return InvitationState(
        _status(row, now_utc()), row["email"], row["edition_name"], row["edition"], has_account
    )


def _unusable(status: str) -> ValidationError:
    messages = {
        "used": _("This invitation has already been used."),
        "revoked": _("This invitation was withdrawn by the organizer."),
        "expired": _("This invitation has expired. Ask the organizer for a new one."),
    }
    return ValidationError(
        {"token": messages.get(status, _("This invitation link is not valid (any more)."))}
    )


async def _claim(token: str, user_id: int) -> dict[str, Any]:
    """Inside a write transaction: mark the invitation used, grant the judge role (audited,
    actor: the inviter) and create the judge profile. Refused for an entrant of the edition."""
    now = now_utc()
    claimed = (
        await JudgeInvitation.update({JudgeInvitation.used_at: now})
        .where(
            (JudgeInvitation.token_hash == token_hash(token))
            & JudgeInvitation.used_at.is_null()
            & JudgeInvitation.revoked_at.is_null()
            & (JudgeInvitation.expires_at > now)
        )
        .returning(JudgeInvitation.id, JudgeInvitation.edition, JudgeInvitation.invited_by)
    )
    if not claimed:
        raise _unusable((await invitation_state(token)).status)
    row = claimed[0]
    edition_id = row["edition"]
    if await holds_entry(edition_id, user_id):
        raise ValidationError(
            {
                "token": _(
                    "This account manages a business with an entry in this edition, so it "
                    "cannot judge it."
                )
            }
        )
    if not await RoleGrant.exists().where(
        (RoleGrant.user == user_id)
        & (RoleGrant.role == "judge")
        & ((RoleGrant.edition_id == edition_id) | RoleGrant.edition_id.is_null())
    ):
        inviter = CurrentUser(row["invited_by"] or user_id, "", "", "id", 0, frozenset())
        await AccountAdministration().grant(inviter, user_id, "judge", edition_id)
    if not await JudgeProfile.exists().where(
        (JudgeProfile.edition == edition_id) & (JudgeProfile.user == user_id)
    ):
        await JudgeProfile.insert(JudgeProfile(edition=edition_id, user=user_id))
    return row


async def accept_new(
    token: str, password: str, display_name: str = "", language: str = "id"
) -> int:
    """Accept with a new account for the invitation's email; return the new user's id."""
    state = await invitation_state(token)
    if state.status != "pending":
        raise _unusable(state.status)
    errors: dict[str, str] = {}
    if state.has_account:
        errors["token"] = _("An account with this email exists: log in to accept.")
    if problem := password_problem(password, state.email):
        errors["password"] = problem
    if len(display_name) > 120:
        errors["display_name"] = _("Use at most 120 characters.")
    if errors:
        raise ValidationError(errors)
    password_hash = await hash_password(password)
    async with db.write_transaction():
        if await User.exists().where(User.email == state.email):
            raise ValidationError(
                {"token": _("An account with this email exists: log in to accept.")}
            )
        rows = await User.insert(
            User(
                email=state.email,
                password_hash=password_hash,
                display_name=display_name.strip(),
                language=language,
            )
        ).returning(User.id)
        user_id = rows[0]["id"]
        await _claim(token, user_id)
    return user_id


async def accept_existing(token: str, user: CurrentUser) -> int:
    """Accept with the logged-in account; return the edition's id."""
    async with db.write_transaction():
        row = await _claim(token, user.id)
    return row["edition"]
