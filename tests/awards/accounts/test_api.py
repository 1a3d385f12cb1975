"""The JSON account API under /api/v1/auth."""

from __future__ import annotations

from tests.awards.helpers import (
    PASSWORD,
    api_post,
    confirm_token_from,
    login,
    outbox_messages,
    post_form,
    reset_token_from,
)


def test_api_signup_me_logout(client, settings):
    """Sign-up starts no session; the emailed link's page logs the new entrant in; /me shows
    them; logout ends the session."""
    response = api_post(
        client, "/api/v1/auth/signup", {"email": "Hana@Example.id", "password": PASSWORD}
    )
    assert response.status_code == 202
    assert client.get("/api/v1/auth/me").status_code == 401
    token = confirm_token_from(outbox_messages(settings.outbox_dir)[-1])
    assert post_form(client, "/signup/confirm", {"token": token}).status_code == 303
    me = client.get("/api/v1/auth/me")
    assert me.json()["roles"] == ["entrant"]
    assert me.status_code == 200
    assert me.json()["email"] == "hana@example.id"
    assert api_post(client, "/api/v1/auth/logout").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401


def test_api_signup_field_errors(client):
    """A weak password and a bad email come back as 422 with per-field messages."""
    response = api_post(
        client, "/api/v1/auth/signup", {"email": "ivan@example.id", "password": "short"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"password"}
    response = api_post(client, "/api/v1/auth/signup", {"email": "ivan", "password": PASSWORD})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"email"}


def test_api_signup_existing_email_answers_as_new_and_mails_owner(client, make_user, settings):
    """An address with an account gets the same 202 body, no session, and a mail to its owner."""
    make_user("ivan@example.id")
    new = api_post(client, "/api/v1/auth/signup", {"email": "new@example.id", "password": PASSWORD})
    client.cookies.clear()
    taken = api_post(
        client, "/api/v1/auth/signup", {"email": "IVAN@example.id", "password": PASSWORD}
    )
    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert client.get("/api/v1/auth/me").status_code == 401
    new_mail, owner_mail = outbox_messages(settings.outbox_dir)
    assert (new_mail["To"], owner_mail["To"]) == ("new@example.id", "ivan@example.id")


def test_api_login_before_confirming_is_403_saying_so(client, settings):
    """The right password of an unconfirmed sign-up: 403 with the advice, no session; a wrong
    password: 401 as for any address."""
    api_post(client, "/api/v1/auth/signup", {"email": "tia@example.id", "password": PASSWORD})
    body = {"email": "tia@example.id", "password": PASSWORD}
    right = api_post(client, "/api/v1/auth/login", body)
    wrong = api_post(client, "/api/v1/auth/login", {**body, "password": "wrong-password-1"})
    assert right.status_code == 403
    assert "Konfirmasi alamat email Anda dulu" in right.json()["detail"]
    assert wrong.status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401
    assert login(client, "tia@example.id").status_code == 403


def test_api_login_wrong_password_401(client, make_user):
    """Wrong credentials give 401 with a message."""
    make_user("joko@example.id")
    response = api_post(
        client, "/api/v1/auth/login", {"email": "joko@example.id", "password": "nope-nope-nope"}
    )
    assert response.status_code == 401
    assert response.json()["detail"]


def test_api_anonymous_me_is_401_json(client):
    """An anonymous API call gets 401 JSON, not a redirect."""
    response = client.get("/api/v1/auth/me", follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")


def test_api_unsafe_method_without_csrf_header_403(client, make_user):
    """A JSON POST without the x-csrftoken header is refused."""
    make_user("kiki@example.id")
    client.get("/login")
    response = client.post(
        "/api/v1/auth/login", json={"email": "kiki@example.id", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_api_password_change_and_reset(client, make_user, settings):
    """Change the password via the API, then reset it with the emailed token."""
    make_user("lina@example.id")
    assert (
        api_post(
            client, "/api/v1/auth/login", {"email": "lina@example.id", "password": PASSWORD}
        ).status_code
        == 200
    )
    response = api_post(
        client,
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "second-secret-22"},
    )
    assert response.status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 200

    assert (
        api_post(client, "/api/v1/auth/password-reset", {"email": "lina@example.id"}).status_code
        == 202
    )
    token = reset_token_from(outbox_messages(settings.outbox_dir)[-1])
    response = api_post(
        client,
        "/api/v1/auth/password-reset/confirm",
        {"token": token, "new_password": "third-secret-33"},
    )
    assert response.status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401
    login = api_post(
        client, "/api/v1/auth/login", {"email": "lina@example.id", "password": "third-secret-33"}
    )
    assert login.status_code == 200


def test_api_reset_with_bad_token_422(client):
    """An unknown token is refused with an error on the token field."""
    response = api_post(
        client,
        "/api/v1/auth/password-reset/confirm",
        {"token": "forged", "new_password": "third-secret-33"},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"token"}


def test_openapi_schema_lists_account_operations(client):
    """/schema/openapi.json documents the account endpoints; /schema serves a page."""
    schema = client.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/auth/me"} <= set(paths)
    assert not any(path.startswith(("/login", "/account", "/schema")) for path in paths)
    assert client.get("/schema").status_code == 200
