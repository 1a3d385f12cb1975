"""Judge invitations by email: the organizer's page, the single-use expiring link, accepting
with a new or an existing account, revoking and sending again, and the guards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from awards.accounts.tables import AccountChange, RoleGrant, User
from awards.intake.tables import BusinessMember
from awards.scoring.common import now_utc
from awards.scoring.panel.invitations import token_hash
from awards.scoring.tables import JudgeInvitation, JudgeProfile
from tests.awards.helpers import login, outbox_messages, post_form
from tests.awards.scoring.support import PASSWORD, make_edition, make_entries, quick_user

INVITE = "/organizer/scoring/editions/{}/invitations/"


def _setup(run):
    edition_id, category_id = run(make_edition())
    organizer = quick_user(run, "org@example.com")
    run(RoleGrant.insert(RoleGrant(user=organizer.id, role="organizer", edition_id=edition_id)))
    return edition_id, category_id, organizer


def _tokens(settings) -> list[str]:
    out = []
    for message in outbox_messages(settings.outbox_dir):
        body = message.get_body(preferencelist=("plain",)).get_content()
        out.append(re.search(r"/judge-invitation\?token=([A-Za-z0-9_\-]+)", body).group(1))
    return out


def _invite(client, edition_id, emails):
    return post_form(client, INVITE.format(edition_id), {"emails": emails})


def test_invite_mails_single_use_links_and_stores_only_hashes(client, run, settings):
    """Two addresses get one mail each; the table keeps the SHA-256 of each token, never it."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    response = _invite(client, edition_id, "Ani@Example.com, budi@example.com\nani@example.com")
    tokens = _tokens(settings)
    rows = run(JudgeInvitation.select().order_by(JudgeInvitation.email))
    page = client.get(INVITE.format(edition_id))
    assert response.status_code == 303
    assert [r["email"] for r in rows] == ["ani@example.com", "budi@example.com"]
    assert sorted(token_hash(t) for t in tokens) == sorted(r["token_hash"] for r in rows)
    assert not any(t in str(r) for t in tokens for r in rows)
    assert [m["To"] for m in outbox_messages(settings.outbox_dir)] == [
        "ani@example.com",
        "budi@example.com",
    ]
    assert "ani@example.com" in page.text
    assert "Menunggu" in page.text


def test_invite_refuses_bad_addresses_beside_the_field(client, run):
    """An invalid address is named in an error next to the field (422); nothing is stored."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    response = _invite(client, edition_id, "ani@example.com, bukan-email")
    assert response.status_code == 422
    assert 'id="error-emails"' in response.text
    assert "bukan-email" in response.text
    assert run(JudgeInvitation.count()) == 0


def test_invite_refuses_more_than_fifty_at_once(client, run):
    """More addresses than the per-form limit are refused."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    emails = ", ".join(f"j{i}@example.com" for i in range(51))
    assert _invite(client, edition_id, emails).status_code == 422


def test_accept_with_new_account_makes_a_judge_once(client, run, settings):
    """The link sets a password for a new account, grants judge of the edition (audited, by the
    inviter) with a profile, logs in; the same link then says it was used."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "baru@example.com")
    client.cookies.clear()
    (token,) = _tokens(settings)
    page = client.get(f"/judge-invitation?token={token}")
    accepted = post_form(
        client,
        "/judge-invitation",
        {"token": token, "action": "new", "password": "juri-baru-2026", "display_name": "Baru"},
    )
    user = run(
        User.select(User.id, User.display_name).where(User.email == "baru@example.com").first()
    )
    dashboard = client.get("/judge/")
    client.cookies.clear()
    again = post_form(
        client, "/judge-invitation", {"token": token, "action": "new", "password": "x" * 12}
    )
    reopened = client.get(f"/judge-invitation?token={token}")
    assert "Buat akun" in page.text
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/judge"
    assert dashboard.status_code == 200
    assert user["display_name"] == "Baru"
    assert run(
        RoleGrant.exists().where(
            (RoleGrant.user == user["id"])
            & (RoleGrant.role == "judge")
            & (RoleGrant.edition_id == edition_id)
        )
    )
    assert run(JudgeProfile.count().where(JudgeProfile.user == user["id"])) == 1
    change = run(AccountChange.select().where(AccountChange.user == user["id"]).first())
    assert (change["actor"], change["role"], change["edition_id"]) == (
        organizer.id,
        "judge",
        edition_id,
    )
    assert again.status_code == 422
    assert "sudah digunakan" in again.text
    assert "sudah digunakan" in reopened.text


def test_accept_with_existing_account_after_login(client, run, settings):
    """An invitee with an account is sent to log in, then accepts with that account."""
    edition_id, _c, organizer = _setup(run)
    judge = quick_user(run, "lama@example.com")
    login(client, organizer.email)
    _invite(client, edition_id, "lama@example.com")
    client.cookies.clear()
    (token,) = _tokens(settings)
    anonymous = client.get(f"/judge-invitation?token={token}")
    login(client, judge.email)
    page = client.get(f"/judge-invitation?token={token}")
    accepted = post_form(client, "/judge-invitation", {"token": token, "action": "existing"})
    assert "/login?next=" in anonymous.text
    assert "lama@example.com" in page.text
    assert accepted.status_code == 303
    assert run(JudgeProfile.count().where(JudgeProfile.user == judge.id)) == 1
    assert client.get("/judge/").status_code == 200


def test_accept_existing_requires_login(client, run, settings):
    """Accepting with an existing account while logged out leads to the login page."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "lama@example.com")
    client.cookies.clear()
    (token,) = _tokens(settings)
    response = post_form(client, "/judge-invitation", {"token": token, "action": "existing"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert run(JudgeProfile.count()) == 0


def test_expired_invitation_gives_a_clear_page_and_is_refused(client, run, settings):
    """After its expiry a link shows why it no longer works and accepts nothing."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "telat@example.com")
    client.cookies.clear()
    (token,) = _tokens(settings)
    run(
        JudgeInvitation.update(
            {JudgeInvitation.expires_at: now_utc() - timedelta(minutes=1)}, force=True
        )
    )
    page = client.get(f"/judge-invitation?token={token}")
    refused = post_form(
        client, "/judge-invitation", {"token": token, "action": "new", "password": "juri-baru-2026"}
    )
    assert "kedaluwarsa" in page.text
    assert refused.status_code == 422
    assert not run(User.exists().where(User.email == "telat@example.com"))


def test_revoke_and_resend_change_which_link_works(client, run, settings):
    """Sending again replaces the link (the old one is invalid); revoking ends the new one and
    keeps the invitation, whose link then says it was withdrawn."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "ani@example.com")
    invitation = run(JudgeInvitation.select(JudgeInvitation.id).first())["id"]
    post_form(client, INVITE.format(edition_id) + "resend", {"invitation": str(invitation)})
    first, second = _tokens(settings)
    unconfirmed = post_form(
        client, INVITE.format(edition_id) + "revoke", {"invitation": str(invitation)}
    )
    still_there = run(JudgeInvitation.count())
    post_form(
        client,
        INVITE.format(edition_id) + "revoke",
        {"invitation": str(invitation), "confirm": "yes"},
    )
    client.cookies.clear()
    old_page = client.get(f"/judge-invitation?token={first}")
    new_page = client.get(f"/judge-invitation?token={second}")
    row = run(JudgeInvitation.select().first())
    assert unconfirmed.status_code == 303
    assert still_there == 1
    assert run(JudgeInvitation.count()) == 1
    assert row["revoked_by"] == organizer.id
    assert row["revoked_at"] is not None
    assert "tidak berlaku" in old_page.text
    assert "ditarik oleh penyelenggara" in new_page.text


def test_revoked_invitation_cannot_be_accepted(client, run, settings):
    """Accepting a revoked link fails (422) and makes nobody a judge."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "batal@example.com")
    invitation = run(JudgeInvitation.select(JudgeInvitation.id).first())["id"]
    post_form(
        client,
        INVITE.format(edition_id) + "revoke",
        {"invitation": str(invitation), "confirm": "yes"},
    )
    client.cookies.clear()
    (token,) = _tokens(settings)
    refused = post_form(
        client, "/judge-invitation", {"token": token, "action": "new", "password": "juri-baru-2026"}
    )
    assert refused.status_code == 422
    assert "ditarik oleh penyelenggara" in refused.text
    assert not run(User.exists().where(User.email == "batal@example.com"))
    assert run(JudgeProfile.count()) == 0


def test_revoked_invitation_refused_by_the_claim_itself(run, settings):
    """The claim's UPDATE requires ``revoked_at IS NULL``: a token revoked after the page was
    read is still refused."""
    from awards.accounts.identity import CurrentUser
    from awards.errors import ValidationError
    from awards.scoring.panel import invitations

    edition_id, _c, organizer = _setup(run)
    user = quick_user(run, "telat@example.com")
    run(
        JudgeInvitation.insert(
            JudgeInvitation(
                edition=edition_id,
                email=user.email,
                token_hash=token_hash("t" * 43),
                expires_at=now_utc() + timedelta(days=1),
                revoked_at=now_utc(),
                revoked_by=organizer.id,
            )
        )
    )
    actor = CurrentUser(user.id, user.email, "", "id", 0, frozenset())
    with pytest.raises(ValidationError) as refused:
        run(invitations.accept_existing("t" * 43, actor))
    assert refused.value.errors == {"token": "Undangan ini telah ditarik oleh penyelenggara."}
    assert run(JudgeProfile.count()) == 0


def test_revoke_twice_or_after_acceptance_is_refused(client, run, settings):
    """Revoking a revoked invitation, or an accepted one, is refused with a message."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "dua@example.com, terima@example.com")
    rows = {r["email"]: r["id"] for r in run(JudgeInvitation.select())}
    revoke = INVITE.format(edition_id) + "revoke"
    post_form(client, revoke, {"invitation": str(rows["dua@example.com"]), "confirm": "yes"})
    run(
        JudgeInvitation.update({JudgeInvitation.used_at: now_utc()}).where(
            JudgeInvitation.id == rows["terima@example.com"]
        )
    )
    twice = post_form(
        client, revoke, {"invitation": str(rows["dua@example.com"]), "confirm": "yes"}
    )
    twice_page = client.get(twice.headers["location"])
    accepted = post_form(
        client, revoke, {"invitation": str(rows["terima@example.com"]), "confirm": "yes"}
    )
    accepted_page = client.get(accepted.headers["location"])
    assert "Undangan ini sudah dicabut." in twice_page.text
    assert "Undangan ini sudah diterima." in accepted_page.text
    assert run(JudgeInvitation.count().where(JudgeInvitation.revoked_at.is_null())) == 1


def test_organizer_page_shows_revoked_and_resend_reopens(client, run, settings):
    """The list shows a revoked invitation as such; sending a new link re-opens it (revoked
    cleared, a working link)."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    _invite(client, edition_id, "buka@example.com")
    invitation = run(JudgeInvitation.select(JudgeInvitation.id).first())["id"]
    post_form(
        client,
        INVITE.format(edition_id) + "revoke",
        {"invitation": str(invitation), "confirm": "yes"},
    )
    page = client.get(INVITE.format(edition_id))
    post_form(client, INVITE.format(edition_id) + "resend", {"invitation": str(invitation)})
    row = run(JudgeInvitation.select().first())
    reopened = client.get(INVITE.format(edition_id))
    _first, second = _tokens(settings)
    client.cookies.clear()
    link = client.get(f"/judge-invitation?token={second}")
    assert "Dicabut" in page.text
    assert "oleh org@example.com" in page.text
    assert (row["revoked_at"], row["revoked_by"]) == (None, None)
    assert "Dicabut" not in reopened.text
    assert "Buat akun" in link.text


def test_invitation_refused_to_an_entrant_of_the_edition(client, run, settings):
    """Someone who manages a business with an entry in the edition cannot become its judge."""
    edition_id, category_id, organizer = _setup(run)
    entrant = quick_user(run, "peserta@example.com")
    _entries, businesses = run(make_entries(edition_id, category_id, 1))
    run(BusinessMember.insert(BusinessMember(business=businesses[0], user=entrant.id)))
    login(client, organizer.email)
    _invite(client, edition_id, entrant.email)
    client.cookies.clear()
    (token,) = _tokens(settings)
    login(client, entrant.email, PASSWORD)
    refused = post_form(client, "/judge-invitation", {"token": token, "action": "existing"})
    assert refused.status_code == 422
    assert "tidak dapat menilai" in refused.text
    assert run(JudgeProfile.count()) == 0
    assert run(JudgeInvitation.select(JudgeInvitation.used_at).first())["used_at"] is None


def test_invitation_pages_guarded(client, run):
    """A judge gets 403; an organizer of another edition gets 404 and invites nobody."""
    edition_id, _c, _organizer = _setup(run)
    other_edition, _oc = run(make_edition())
    other = quick_user(run, "lain@example.com")
    run(RoleGrant.insert(RoleGrant(user=other.id, role="organizer", edition_id=other_edition)))
    judge = quick_user(run, "juri@example.com", "judge")
    login(client, judge.email)
    as_judge = client.get(INVITE.format(edition_id))
    client.cookies.clear()
    login(client, other.email)
    as_other = client.get(INVITE.format(edition_id))
    posted = _invite(client, edition_id, "x@example.com")
    assert as_judge.status_code == 403
    assert as_other.status_code == 404
    assert posted.status_code == 404
    assert run(JudgeInvitation.count()) == 0


def test_invite_skips_people_already_judging(client, run, settings):
    """Someone who already judges the edition gets no invitation and the page says so."""
    edition_id, _c, organizer = _setup(run)
    judge = quick_user(run, "sudah@example.com")
    run(JudgeProfile.insert(JudgeProfile(edition=edition_id, user=judge.id)))
    login(client, organizer.email)
    response = _invite(client, edition_id, "sudah@example.com, baru@example.com")
    page = client.get(response.headers["location"])
    assert [m["To"] for m in outbox_messages(settings.outbox_dir)] == ["baru@example.com"]
    assert "sudah@example.com" in page.text
    assert run(JudgeInvitation.count()) == 1


def test_invite_refused_beyond_the_hourly_budget(client, run):
    """Past the edition's hourly budget of mails the form is refused beside the field."""
    from awards.accounts.tables import LoginAttempt
    from awards.scoring.panel.invitations import MAILS_PER_HOUR

    edition_id, _c, organizer = _setup(run)
    key = f"judge-invite:{edition_id}"
    run(LoginAttempt.insert(*[LoginAttempt(key=key) for _ in range(MAILS_PER_HOUR - 1)]))
    login(client, organizer.email)
    refused = _invite(client, edition_id, "a@example.com, b@example.com")
    allowed = _invite(client, edition_id, "c@example.com")
    assert refused.status_code == 422
    assert 'id="error-emails"' in refused.text
    assert allowed.status_code == 303
    assert run(JudgeInvitation.select(JudgeInvitation.email)) == [{"email": "c@example.com"}]


def test_resend_or_revoke_of_unknown_invitation_says_so(client, run, settings):
    """A resend or revoke form naming no invitation of this edition (blank or tampered)
    redirects back with a message and changes nothing; no mail is sent."""
    edition_id, _c, organizer = _setup(run)
    login(client, organizer.email)
    base = INVITE.format(edition_id)
    resent = post_form(client, base + "resend", {"invitation": "99999"})
    resent_page = client.get(resent.headers["location"])
    revoked = post_form(client, base + "revoke", {"invitation": "", "confirm": "yes"})
    revoked_page = client.get(revoked.headers["location"])
    assert (resent.status_code, revoked.status_code) == (303, 303)
    assert "Undangan ini sudah tidak ada." in resent_page.text
    assert "Undangan ini sudah tidak ada." in revoked_page.text
    assert outbox_messages(settings.outbox_dir) == []
    assert run(JudgeInvitation.count()) == 0
