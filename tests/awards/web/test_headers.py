"""Security headers are on every kind of response."""

from __future__ import annotations

import pytest

from awards.web.headers import SECURITY_HEADERS


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/healthz", "/static/style.css", "/no-such-page", "/api/v1/auth/me"],
)
def test_security_headers_present_on_pages_assets_errors_and_api(client, path):
    """Landing, login, health, a static file, a 404 and a 401 JSON all carry the headers."""
    response = client.get(path, follow_redirects=False)
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_security_headers_are_not_duplicated(client):
    """A header the app already sets is kept once, not repeated."""
    response = client.get("/static/style.css")
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
