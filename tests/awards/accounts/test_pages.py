"""Account pages end to end through the HTTP test client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awards.accounts.services import RESET_MAILS_PER_HOUR, SIGNUPS_PER_IP_HOUR
from awards.accounts.tables import PasswordResetToken
from tests.awards.helpers import (
    PASSWORD,
    login,
    outbox_messages,
    post_form,
    reset_token_from,
)


def test_signup_login_logout_cycle_through_pages(client):
    """A visitor signs up (logged in at once), logs out, and logs back in."""
    response = post_form(
        client,
        "/signup",
        {"email": " Siti@Example.ID ", "password": PASSWORD, "display_name": "Siti"},
    )
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


def test_signup_without_business_lands_on_business_form(client):
    """A new entrant is sent into the business-profile flow, which opens the new-business form."""
    response = post_form(client, "/signup", {"email": "fajar@example.id", "password": PASSWORD})
    assert response.headers["location"] == "/business"
    page = client.get("/business")
    assert page.status_code == 200
    assert page.url.path == "/business/new"
    assert 'action="/business/new"' in page.text or "<form" in page.text


def test_signup_next_local_kept_foreign_dropped(client):
    """Sign-up continues to a local ``next`` page; other sites and login/sign-up go to /business."""
    targets = {
        "/invitations/accept?token=abc": "/invitations/accept?token=abc",
        "//evil.example/": "/business",
        "https://evil.example/": "/business",
        "/login?next=/account": "/business",
        "/signup": "/business",
    }
    for number, (target, expected) in enumerate(targets.items()):
        client.cookies.pop("anugerah_session", None)
        response = post_form(
            client,
            "/signup",
            {"email": f"gita{number}@example.id", "password": PASSWORD, "next": target},
        )
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
    """An email that has an account (any case) gets the new-account redirect, no session, and
    its owner a mail in their language; no second account is made."""
    make_user("ani@example.id")
    new = post_form(client, "/signup", {"email": "baru@example.id", "password": PASSWORD})
    client.cookies.clear()
    taken = post_form(client, "/signup", {"email": "ANI@example.id", "password": PASSWORD})
    assert (taken.status_code, taken.headers["location"]) == (303, new.headers["location"])
    assert client.get("/account", follow_redirects=False).status_code == 303
    [message] = outbox_messages(settings.outbox_dir)
    assert message["To"] == "ani@example.id"
    assert message["Subject"] == "Seseorang mencoba mendaftar dengan alamat email Anda"
    assert login(client, "ani@example.id").status_code == 303


def test_signup_is_throttled_per_address(client):
    """The eleventh sign-up from one address within an hour gets 429 and creates nothing."""
    for i in range(SIGNUPS_PER_IP_HOUR):
        client.cookies.clear()
        response = post_form(client, "/signup", {"email": f"u{i}@example.id", "password": PASSWORD})
        assert response.status_code == 303
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
