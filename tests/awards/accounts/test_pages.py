"""Account pages end to end through the HTTP test client."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from awards.accounts.registration import RESENDS_PER_HOUR
from awards.accounts.services import RESET_MAILS_PER_HOUR, SIGNUPS_PER_IP_HOUR
from awards.accounts.tables import PasswordResetToken, PendingSignup, User
from tests.awards.helpers import (
    PASSWORD,
    confirm_token_from,
    login,
    outbox_messages,
    post_form,
    reset_token_from,
    sign_up,
)


def test_signup_login_logout_cycle_through_pages(client, settings):
    """A visitor signs up, confirms by the emailed link (logged in then), logs out and back in."""
    response = sign_up(client, settings.outbox_dir, " Siti@Example.ID ", display_name="Siti")
    assert response.status_code == 303
    assert response.headers["location"] == "/business"
    page = client.get("/account")
    assert page.status_code == 200
    assert "siti@example.id" in page.text

    assert post_form(client, "/logout", {}).status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303

    response = login(client, "SITI@example.id")
    assert response.status_code == 303
    assert client.get("/account").status_code == 200


def test_signup_without_business_lands_on_business_form(client, settings):
    """A new entrant is sent into the business-profile flow, which opens the new-business form."""
    response = sign_up(client, settings.outbox_dir, "fajar@example.id")
    assert response.headers["location"] == "/business"
    page = client.get("/business")
    assert page.status_code == 200
    assert page.url.path == "/business/new"
    assert 'action="/business/new"' in page.text or "<form" in page.text


def test_signup_next_local_kept_foreign_dropped(client, settings):
    """Confirming continues to the sign-up's local ``next`` page; other sites and login/sign-up
    go to /business."""
    targets = {
        "/invitations/accept?token=abc": "/invitations/accept?token=abc",
        "//evil.example/": "/business",
        "https://evil.example/": "/business",
        "/login?next=/account": "/business",
        "/signup": "/business",
    }
    for number, (target, expected) in enumerate(targets.items()):
        client.cookies.pop("anugerah_session", None)
        response = sign_up(client, settings.outbox_dir, f"gita{number}@example.id", next=target)
        assert response.status_code == 303
        assert response.headers["location"] == expected


def test_login_page_passes_next_to_signup(client):
    """The login page's sign-up link carries ``next``; the sign-up form keeps it hidden."""
    login_page = client.get("/login", params={"next": "/invitations/accept?token=abc"})
    assert 'href="/signup?next=/invitations/accept%3Ftoken%3Dabc"' in login_page.text
    signup_page = client.get("/signup", params={"next": "/invitations/accept?token=abc"})
    assert 'name="next" value="/invitations/accept?token=abc"' in signup_page.text
    foreign = client.get("/signup", params={"next": "//evil.example/"})
    assert 'name="next" value="//evil.example/"' not in foreign.text


def test_signup_existing_email_answers_as_new_and_mails_owner(client, make_user, settings):
    """An email that has an account (any case) gets the same answer, landing page and next
    request as a new one, no session, and its owner a mail in their language; no account is
    made for either until a link is followed."""
    make_user("ani@example.id")
    seen = []
    for address in ("baru@example.id", "ANI@example.id"):
        client.cookies.clear()
        answer = post_form(client, "/signup", {"email": address, "password": PASSWORD})
        landing = client.get(answer.headers["location"])
        following = client.get("/account", follow_redirects=False)
        seen.append(
            (
                answer.status_code,
                answer.headers["location"],
                sorted(answer.cookies.keys()),
                landing.status_code,
                following.status_code,
                following.headers.get("location"),
            )
        )
    assert seen[0] == seen[1] == (303, "/signup/sent", [], 200, 303, "/login?next=/account")
    new, owner = outbox_messages(settings.outbox_dir)
    assert (new["To"], new["Subject"]) == (
        "baru@example.id",
        "Konfirmasi alamat email Anda untuk Anugerah",
    )
    assert owner["To"] == "ani@example.id"
    assert owner["Subject"] == "Seseorang mencoba mendaftar dengan alamat email Anda"
    assert "atur ulang" in owner.get_body(preferencelist=("plain",)).get_content().lower()
    assert login(client, "ani@example.id").status_code == 303


def test_signup_confirmation_link_is_single_use(client, settings, run):
    """The link logs in once; opened again it is refused and logs nobody in, and the account
    exists once."""
    post_form(client, "/signup", {"email": "sekali@example.id", "password": PASSWORD})
    token = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    assert post_form(client, "/signup/confirm", {"token": token}).status_code == 303
    client.cookies.clear()
    again = post_form(client, "/signup/confirm", {"token": token})
    assert again.status_code == 422
    assert "Tautan konfirmasi ini tidak berlaku atau sudah kedaluwarsa." in again.text
    assert client.get("/signup/confirm", params={"token": token}).status_code == 404
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert run(User.count().where(User.email == "sekali@example.id")) == 1
    assert run(PendingSignup.count()) == 0


def test_signup_confirmation_link_expires_after_24_hours(client, settings, run):
    """A link older than CONFIRM_LIFETIME is refused and creates no account."""
    post_form(client, "/signup", {"email": "lama@example.id", "password": PASSWORD})
    token = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    past = datetime.now(UTC) - timedelta(seconds=1)
    run(PendingSignup.update({PendingSignup.expires_at: past}).where(PendingSignup.id > 0))
    assert post_form(client, "/signup/confirm", {"token": token}).status_code == 422
    assert run(User.count().where(User.email == "lama@example.id")) == 0
    [stored] = run(PendingSignup.select(PendingSignup.token_hash))
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()  # only the hash


def test_signup_opening_the_link_confirms_nothing_until_the_button(client, settings, run):
    """GET on the link (what a mail scanner does) shows a button and creates no account."""
    post_form(client, "/signup", {"email": "pindai@example.id", "password": PASSWORD})
    token = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    page = client.get("/signup/confirm", params={"token": token})
    assert page.status_code == 200
    assert 'action="/signup/confirm"' in page.text
    assert run(User.count().where(User.email == "pindai@example.id")) == 0


def test_login_before_confirming_says_to_confirm_and_offers_a_new_link(client, settings):
    """The right password of an unconfirmed sign-up: 403 with the advice and a resend button;
    a wrong one reads as for any address; the resent link works and the old one does not."""
    post_form(client, "/signup", {"email": "tunggu@example.id", "password": PASSWORD})
    first = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    wrong = login(client, "tunggu@example.id", "wrong-password-1")
    assert wrong.status_code == 400
    assert "Email atau kata sandi salah." in wrong.text
    right = login(client, "tunggu@example.id")
    assert right.status_code == 403
    assert "Konfirmasi alamat email Anda dulu" in right.text
    assert 'action="/signup/resend"' in right.text
    assert client.get("/account", follow_redirects=False).status_code == 303
    resent = post_form(client, "/signup/resend", {"email": "tunggu@example.id"})
    assert (resent.status_code, resent.headers["location"]) == (303, "/signup/sent")
    second = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    assert second != first
    assert post_form(client, "/signup/confirm", {"token": first}).status_code == 422
    assert post_form(client, "/signup/confirm", {"token": second}).status_code == 303
    assert client.get("/account").status_code == 200


def test_resend_is_uniform_and_throttled_per_address(client, make_user, settings):
    """Resending answers alike for a pending, an existing and an unknown address; a pending one
    gets at most RESENDS_PER_HOUR mails an hour, the others none."""
    make_user("ada@example.id")
    post_form(client, "/signup", {"email": "antri@example.id", "password": PASSWORD})
    before = len(outbox_messages(settings.outbox_dir))
    answers = set()
    for _ in range(RESENDS_PER_HOUR + 2):
        for address in ("antri@example.id", "ada@example.id", "siapa@example.id"):
            response = post_form(client, "/signup/resend", {"email": address})
            answers.add((response.status_code, response.headers["location"]))
    assert answers == {(303, "/signup/sent")}
    mails = outbox_messages(settings.outbox_dir)[before:]
    assert [m["To"] for m in mails] == ["antri@example.id"] * RESENDS_PER_HOUR


def test_accounts_made_without_sign_up_log_in_without_confirming(client, make_user):
    """Accounts created by the command line, administration, demo or tests are confirmed."""
    make_user("langsung@example.id")
    assert login(client, "langsung@example.id").status_code == 303


def test_signup_is_throttled_per_address(client):
    """The eleventh sign-up from one address within an hour gets 429 and creates nothing."""
    for i in range(SIGNUPS_PER_IP_HOUR):
        client.cookies.clear()
        response = post_form(client, "/signup", {"email": f"u{i}@example.id", "password": PASSWORD})
        assert (response.status_code, response.headers["location"]) == (303, "/signup/sent")
    client.cookies.clear()
    response = post_form(client, "/signup", {"email": "late@example.id", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak pendaftaran dari jaringan Anda" in response.text
    assert login(client, "late@example.id").status_code == 400


def test_signup_weak_password_shows_field_error(client):
    """A password of only digits is refused with the message beside the password field."""
    response = post_form(client, "/signup", {"email": "budi@example.id", "password": "12345678901"})
    assert response.status_code == 422
    assert 'id="error-password"' in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_login_wrong_password_is_refused(client, make_user):
    """A wrong password gives 400 with a message and no session."""
    make_user("citra@example.id")
    response = login(client, "citra@example.id", "wrong-password-1")
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_login_redirects_to_local_next_only(client, make_user):
    """After login the user goes to a local ``next`` page, never to another site (an unsafe
    ``next`` falls back to the entrant's work area)."""
    make_user("dewi@example.id")
    response = post_form(
        client,
        "/login",
        {"email": "dewi@example.id", "password": PASSWORD, "next": "//evil.example/"},
    )
    assert response.headers["location"] == "/entries"
    post_form(client, "/logout", {})
    response = post_form(
        client, "/login", {"email": "dewi@example.id", "password": PASSWORD, "next": "/account?x=1"}
    )
    assert response.headers["location"] == "/account?x=1"


def test_password_reset_by_emailed_token(client, make_user, settings):
    """The reset link from the outbox sets a new password once; the old one stops working."""
    make_user("eka@example.id")
    response = post_form(client, "/password/forgot", {"email": "eka@example.id"})
    assert response.status_code == 303
    messages = outbox_messages(settings.outbox_dir)
    assert [m["To"] for m in messages] == ["eka@example.id"]
    token = reset_token_from(messages[0])

    form = client.get(f"/password/reset?token={token}")
    assert form.status_code == 200
    response = post_form(
        client, "/password/reset", {"token": token, "new_password": "brand-new-secret-9"}
    )
    assert response.status_code == 303

    assert login(client, "eka@example.id", PASSWORD).status_code == 400
    assert login(client, "eka@example.id", "brand-new-secret-9").status_code == 303
    again = post_form(client, "/password/reset", {"token": token, "new_password": "another-one-77"})
    assert again.status_code == 422


def test_password_reset_expired_token_refused(client, make_user, settings, run):
    """A reset link past its one-hour lifetime is refused and the password stays the same."""
    make_user("fina@example.id")
    post_form(client, "/password/forgot", {"email": "fina@example.id"})
    token = reset_token_from(outbox_messages(settings.outbox_dir)[0])
    past = datetime.now(UTC) - timedelta(seconds=1)
    run(PasswordResetToken.update({PasswordResetToken.expires_at: past}, force=True))
    response = post_form(
        client, "/password/reset", {"token": token, "new_password": "brand-new-secret-9"}
    )
    assert response.status_code == 422
    assert "Tautan atur ulang ini tidak valid atau sudah kedaluwarsa." in response.text
    assert login(client, "fina@example.id", "brand-new-secret-9").status_code == 400
    assert login(client, "fina@example.id", PASSWORD).status_code == 303


def test_password_reset_unknown_email_sends_nothing(client, settings):
    """Asking a reset for an unknown address looks the same but sends no mail."""
    response = post_form(client, "/password/forgot", {"email": "nobody@example.id"})
    assert response.status_code == 303
    assert outbox_messages(settings.outbox_dir) == []


def test_password_reset_does_the_same_database_work_for_unknown_addresses(client, make_user, run):
    """Known and unknown addresses each leave one counted request row, so the work is alike."""
    from awards.accounts.tables import LoginAttempt

    make_user("rina@example.id")
    post_form(client, "/password/forgot", {"email": "rina@example.id"})
    post_form(client, "/password/forgot", {"email": "nobody@example.id"})
    keys = run(LoginAttempt.select(LoginAttempt.key).order_by(LoginAttempt.id))
    assert [row["key"] for row in keys] == ["reset:rina@example.id", "reset:nobody@example.id"]


def test_password_change_ends_other_sessions(client, make_user):
    """Changing the password keeps this session and logs out every other session."""
    make_user("fajar@example.id")
    login(client, "fajar@example.id")
    other_session = dict(client.cookies)
    client.cookies.clear()
    login(client, "fajar@example.id")
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "changed-secret-55"},
    )
    assert response.status_code == 303
    assert client.get("/account").status_code == 200

    client.cookies.clear()
    client.cookies.update(other_session)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_password_change_wrong_current_password_field_error(client, make_user):
    """A wrong current password is reported beside that field."""
    make_user("gita@example.id")
    login(client, "gita@example.id")
    response = post_form(
        client,
        "/account/password",
        {"current_password": "not-my-password", "new_password": "changed-secret-55"},
    )
    assert response.status_code == 422
    assert 'id="error-current_password"' in response.text


def test_password_reset_mails_are_limited_per_hour(client, make_user, settings):
    """Repeated reset requests send at most three mails per address per hour."""
    make_user("tari@example.id")
    for _ in range(RESET_MAILS_PER_HOUR + 2):
        assert (
            post_form(client, "/password/forgot", {"email": "tari@example.id"}).status_code == 303
        )
    assert len(outbox_messages(settings.outbox_dir)) == RESET_MAILS_PER_HOUR
