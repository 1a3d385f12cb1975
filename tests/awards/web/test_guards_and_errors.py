"""Role guards on every role, navigation by role, and error pages without stack traces."""

from __future__ import annotations

import pytest
from litestar import Controller, get

from awards.web.auth import requires_role
from tests.awards.helpers import PASSWORD, login

ROLES = ["admin", "organizer", "judge", "entrant"]


def _probe_controller(prefix: str, role: str) -> type[Controller]:
    """A controller guarded like a real capability's: ``guards=[requires_role(role)]``."""

    class Probe(Controller):
        path = f"{prefix}/{role}"
        guards = [requires_role(role)]  # noqa: RUF012

        @get("/")
        async def area(self) -> str:
            return f"{role} area"

    return Probe


@pytest.fixture
def probed_app(app):
    for role in ROLES:
        app.register(_probe_controller("/probe", role))
        app.register(_probe_controller("/api/v1/probe", role))
    return app


@pytest.mark.parametrize("role", ROLES)
def test_requires_role_guard_for_each_role(probed_app, client, make_user, role):
    """Anonymous -> login redirect; another role -> 403; the role itself -> 200."""
    assert client.get(f"/probe/{role}", follow_redirects=False).status_code == 303
    other = next(r for r in ROLES if r != role)
    make_user(f"{other}@example.id", PASSWORD, other)
    make_user(f"{role}-holder@example.id", PASSWORD, role)

    login(client, f"{other}@example.id")
    assert client.get(f"/probe/{role}").status_code == 403
    client.cookies.clear()
    login(client, f"{role}-holder@example.id")
    response = client.get(f"/probe/{role}")
    assert response.status_code == 200
    assert response.text == f"{role} area"


def test_api_wrong_role_is_403_json(probed_app, client, make_user):
    """Under /api a wrong role gets 403 JSON."""
    make_user("entrant@example.id", PASSWORD, "entrant")
    login(client, "entrant@example.id")
    response = client.get("/api/v1/probe/admin")
    assert response.status_code == 403
    assert response.json()["status_code"] == 403


def test_navigation_shows_admin_link_only_to_admins(client, make_user):
    """The accounts link appears in the navigation for admins, not for entrants."""
    make_user("boss@example.id", PASSWORD, "admin")
    make_user("umkm@example.id", PASSWORD, "entrant")
    login(client, "umkm@example.id")
    assert 'href="/admin/users"' not in client.get("/account").text
    client.cookies.clear()
    login(client, "boss@example.id")
    assert 'href="/admin/users"' in client.get("/account").text


def test_unhandled_error_is_500_page_without_traceback(app, client):
    """An exception in a handler gives a plain 500 page; no exception text leaks."""

    @get("/boom", opt={"public": True})
    async def boom() -> str:
        raise RuntimeError("secret internal detail")

    app.register(boom)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert "500" in response.text


def test_uncaught_validation_error_is_422_page_listing_messages(app, client):
    """A ValidationError a page handler does not catch becomes a 422 page with the messages."""
    from awards.errors import ValidationError

    @get("/invalid", opt={"public": True})
    async def invalid() -> str:
        raise ValidationError({"name": "Nama wajib diisi."})

    app.register(invalid)
    response = client.get("/invalid")
    assert response.status_code == 422
    assert "Nama wajib diisi." in response.text
    assert response.headers["content-type"].startswith("text/html")
