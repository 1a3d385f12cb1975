"""Security headers are on every kind of response."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from awards.app import create_app
from awards.settings import Settings
from awards.web.headers import HSTS, SECURITY_HEADERS
from tests.awards.helpers import TEST_SECRET, login


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


@pytest.mark.parametrize("path", ["/account", "/api/v1/auth/me", "/", "/login"])
def test_cache_control_no_store_on_pages_and_api(client, make_user, path):
    """Authenticated pages and API answers (and every other non-static one) are not cached."""
    make_user("kiki@example.id")
    login(client, "kiki@example.id")
    response = client.get(path, follow_redirects=False)
    assert response.headers.get_list("cache-control") == ["no-store"]


def test_cache_control_leaves_static_files_cacheable(client):
    """Static assets keep their own caching."""
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


@pytest.mark.parametrize(
    ("base_url", "hsts"), [("http://a.id", None), ("https://a.id", HSTS)], ids=["http", "https"]
)
def test_hsts_only_when_base_url_is_https(database_url, tmp_path, base_url, hsts):
    """Strict-Transport-Security is sent exactly when the public URL is HTTPS."""
    settings = Settings.from_env(
        {
            "ANUGERAH_DATA_DIR": str(tmp_path / "hsts"),
            "ANUGERAH_DATABASE_URL": database_url,
            "ANUGERAH_SECRET_KEY": TEST_SECRET,
            "ANUGERAH_BASE_URL": base_url,
        }
    )
    with TestClient(app=create_app(settings), base_url=base_url) as client:
        response = client.get("/login")
    assert response.headers.get("strict-transport-security") == hsts
