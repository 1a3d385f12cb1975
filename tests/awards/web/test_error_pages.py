"""Error pages raised by the router (unknown path, wrong method) know the visitor.

The router refuses these requests before any route middleware runs; the after-exception hook
restores the session's language, the logged-in navigation and a usable CSRF token.
"""

from __future__ import annotations

import re

from tests.awards.helpers import login, post_form


def _hidden_csrf(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]*)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def test_unknown_page_404_in_chosen_language(client):
    """After choosing English, a missing page is a 404 in English with lang="en"."""
    post_form(client, "/language", {"language": "en", "next": "/"})
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "This page does not exist." in response.text


def test_unknown_page_404_in_indonesian_by_default(client):
    """Without a choice the 404 page is in Bahasa Indonesia."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="id">' in response.text
    assert "Halaman ini tidak ada." in response.text


def test_wrong_method_405_in_chosen_language(client):
    """A method the route does not accept is refused in the session's language."""
    post_form(client, "/language", {"language": "en", "next": "/"})
    response = client.put("/healthz")
    assert response.status_code == 405
    assert "This page does not accept that kind of request." in response.text


def test_unknown_page_404_shows_logged_in_navigation(client, make_user):
    """A logged-in user sees their own navigation and a logout button on the 404 page."""
    make_user("wulan@example.id")
    login(client, "wulan@example.id")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'action="/logout"' in response.text
    assert 'href="/signup"' not in response.text


def test_unknown_page_404_language_form_posts(client):
    """A first visit landing on a 404 gets a CSRF cookie, so its language switch works."""
    response = client.get("/no-such-page")
    token = _hidden_csrf(response.text)
    assert token
    assert client.cookies.get("csrftoken") == token
    switch = client.post(
        "/language",
        data={"language": "en", "next": "/", "_csrf_token": token},
        follow_redirects=False,
    )
    assert switch.status_code == 303
    assert '<html lang="en">' in client.get("/").text


def test_unknown_page_404_keeps_existing_csrf_cookie(client):
    """A visitor who already has a CSRF cookie gets the same token on the 404 page."""
    client.get("/login")
    existing = client.cookies.get("csrftoken")
    response = client.get("/no-such-page")
    assert _hidden_csrf(response.text) == existing
    assert "csrftoken" not in response.headers.get("set-cookie", "")
