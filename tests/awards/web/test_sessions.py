"""Sessions end on the server: logout, password change, idle timeout; CSRF bound to them."""

from __future__ import annotations

import time
from typing import Any

from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.client_side import ClientSideSessionBackend

from tests.awards.helpers import PASSWORD, api_post, csrf_token, login, post_form


def _set_cookie(client: Any, name: str, value: str) -> None:
    client.cookies.delete(name)
    client.cookies.set(name, value, domain="testserver.local")


def _replay(client: Any, cookies: dict[str, str]) -> None:
    client.cookies.clear()
    client.cookies.update(cookies)


def test_logout_revokes_a_replayed_session_cookie(client, make_user):
    """A session cookie saved before logout no longer authenticates pages or the API."""
    make_user("lala@example.id")
    login(client, "lala@example.id")
    saved = dict(client.cookies)
    assert post_form(client, "/logout", {}).status_code == 303
    _replay(client, saved)
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/auth/me").status_code == 401


def test_api_logout_revokes_a_replayed_session_cookie(client, make_user):
    """The API logout ends the session on the server as well."""
    make_user("lulu@example.id")
    login(client, "lulu@example.id")
    saved = dict(client.cookies)
    assert api_post(client, "/api/v1/auth/logout").status_code == 200
    _replay(client, saved)
    assert client.get("/api/v1/auth/me").status_code == 401


def _session_cookie(app: Any, client: Any, **changes: Any) -> str:
    """The client's session cookie re-encoded with ``changes`` (as an old cookie would be)."""
    session_config = next(
        m.kwargs["backend"].config
        for m in app.middleware
        if getattr(m, "kwargs", None) and "backend" in m.kwargs
    )
    backend = ClientSideSessionBackend(config=session_config)
    data = backend.load_data([client.cookies["anugerah_session"].encode()])
    [value] = backend.dump_data({**data, **changes})
    return value.decode()


def test_idle_session_ends_after_the_idle_timeout(app, client, make_user, settings):
    """A session unused for longer than the idle timeout is anonymous; a recent one is not."""
    make_user("lili@example.id")
    login(client, "lili@example.id")
    now = int(time.time())
    recent = _session_cookie(app, client, seen=now - settings.session_idle_minutes * 60 + 30)
    idle = _session_cookie(app, client, seen=now - settings.session_idle_minutes * 60 - 30)
    _set_cookie(client, "anugerah_session", recent)
    assert client.get("/account", follow_redirects=False).status_code == 200
    _set_cookie(client, "anugerah_session", idle)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_login_issues_a_new_csrf_token_bound_to_the_session(client, make_user):
    """The token a visitor had before login stops working; the one issued at login works."""
    make_user("lolo@example.id")
    before = csrf_token(client)
    login(client, "lolo@example.id")
    after = client.cookies["csrftoken"]
    assert after != before
    _set_cookie(client, "csrftoken", before)
    stale = client.post("/logout", data={"_csrf_token": before}, follow_redirects=False)
    assert stale.status_code == 403
    _set_cookie(client, "csrftoken", after)
    assert post_form(client, "/logout", {}).status_code == 303


def test_csrf_token_of_another_visitor_is_refused_for_a_logged_in_session(client, make_user):
    """A valid CSRF token planted from another visitor's cookie cannot act for this session."""
    make_user("lulu@example.id")
    foreign = generate_csrf_token(secret=client.app.csrf_config.secret)  # another visitor's
    login(client, "lulu@example.id")
    _set_cookie(client, "csrftoken", foreign)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "changed-secret-55",
            "_csrf_token": foreign,
        },
        follow_redirects=False,
    )
    assert response.status_code == 403
    client.cookies.clear()
    assert login(client, "lulu@example.id", PASSWORD).status_code == 303


def test_lost_csrf_cookie_is_restored_for_a_logged_in_session(client, make_user):
    """A logged-in visitor whose CSRF cookie was replaced gets the session's token back on the
    next page, and forms work again."""
    make_user("lolo@example.id")
    login(client, "lolo@example.id")
    bound = client.cookies["csrftoken"]
    _set_cookie(client, "csrftoken", generate_csrf_token(secret=client.app.csrf_config.secret))
    page = client.get("/account")
    assert bound in page.text
    assert client.cookies["csrftoken"] == bound
    assert post_form(client, "/logout", {}).status_code == 303


def _session_set_cookies(response: Any) -> list[str]:
    return [
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith("anugerah_session")
    ]


def test_session_cookie_unchanged_session_is_not_written_again(client, make_user):
    """A request that leaves the session as it came answers without a new session cookie."""
    make_user("lala@example.id")
    login(client, "lala@example.id")
    client.get("/account")  # the first request after login may refresh ``seen``
    response = client.get("/account")
    assert response.status_code == 200
    assert _session_set_cookies(response) == []
    assert client.get("/api/v1/auth/me").status_code == 200


def test_session_cookie_changed_session_is_written(app, client, make_user):
    """A request that changes the session (here ``seen``, refreshed after a minute) sends the
    new cookie, which keeps the visitor logged in."""
    make_user("lili@example.id")
    login(client, "lili@example.id")
    older = _session_cookie(app, client, seen=int(time.time()) - 120)
    _set_cookie(client, "anugerah_session", older)
    response = client.get("/account")
    assert response.status_code == 200
    [written] = _session_set_cookies(response)
    assert written.split(";", 1)[0] != f"anugerah_session={older}"
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_session_cookie_logout_writes_the_anonymous_session(client, make_user):
    """Logging out changes the session, so the response replaces the logged-in cookie."""
    make_user("lulu@example.id")
    login(client, "lulu@example.id")
    client.get("/account")
    logged_in = client.cookies["anugerah_session"]
    response = post_form(client, "/logout", {})
    assert response.status_code == 303
    [written] = _session_set_cookies(response)
    assert logged_in not in written
    assert client.get("/account", follow_redirects=False).status_code == 303
