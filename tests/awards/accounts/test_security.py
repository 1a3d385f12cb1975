"""CSRF, role guards, rate limiting, and the anonymous walk over every route."""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from awards.accounts.services import FREE_FAILURES, LoginRefusedError, login_delay
from awards.app import create_app
from awards.settings import Settings
from tests.awards.helpers import PASSWORD, TEST_SECRET, csrf_token, login, post_form, sign_up
from tests.awards.route_access import LOGIN, ROUTES

# Routes anyone may use. Every other route must refuse anonymous visitors.
PUBLIC_ROUTES = {
    ("/", "GET"),
    ("/healthz", "GET"),
    ("/favicon.ico", "GET"),
    ("/language", "POST"),
    ("/signup", "GET"),
    ("/signup", "POST"),
    ("/signup/sent", "GET"),
    ("/signup/confirm", "GET"),
    ("/signup/confirm", "POST"),
    ("/signup/resend", "POST"),
    ("/login", "GET"),
    ("/login", "POST"),
    ("/logout", "POST"),
    ("/password/forgot", "GET"),
    ("/password/forgot", "POST"),
    ("/password/reset", "GET"),
    ("/password/reset", "POST"),
    ("/api/v1/auth/signup", "POST"),
    ("/api/v1/auth/login", "POST"),
    ("/api/v1/auth/logout", "POST"),
    ("/api/v1/auth/password-reset", "POST"),
    ("/api/v1/auth/password-reset/confirm", "POST"),
}
# The published results are public (their access per persona is in tests/awards/route_access.py).
PUBLIC_PREFIXES = ("/static/", "/schema", "/results", "/en/results")


def _all_routes() -> list[tuple[str, str]]:
    """Every (path, method) of the application, collected from ``app.routes``."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            env="development",
            data_dir=Path(tmp),
            database_url=f"sqlite:///{tmp}/routes.sqlite",
            secret_key=TEST_SECRET,
        )
        app = create_app(settings)
    routes = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", ())):
            if method in {"OPTIONS", "HEAD"}:
                continue
            routes.append((route.path, method))
    return sorted(routes)


def _concrete(path: str) -> str:
    """A request path for a route template: ``{id:int}`` -> 1, ``{x:str}`` -> x."""
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    return re.sub(r"\{[^}]+\}", "x", path)


ALL_ROUTES = _all_routes()
# Public pages other capabilities declare in the route matrix (anonymous visitors are not sent
# to log in; unknown or unpublished objects are 404): results, certificate verification, judge
# invitations. One declaration, not two lists.
DECLARED_PUBLIC = {
    (path, method) for (method, path), rule in ROUTES.items() if rule.outcomes["anonymous"] != LOGIN
}
PRIVATE_ROUTES = [
    r
    for r in ALL_ROUTES
    if r not in PUBLIC_ROUTES | DECLARED_PUBLIC and not r[0].startswith(PUBLIC_PREFIXES)
]


def test_route_list_is_not_empty_and_allowlist_is_current():
    """Every allowlisted public route exists, and there are private routes to walk."""
    assert set(ALL_ROUTES) >= PUBLIC_ROUTES
    assert len(PRIVATE_ROUTES) >= 4


@pytest.mark.parametrize(("path", "method"), PRIVATE_ROUTES)
def test_every_private_route_refuses_anonymous(client, path, method):
    """Anonymous requests to a non-public route: redirect to login (pages) or 401 (API)."""
    headers = {"x-csrftoken": csrf_token(client)}
    response = client.request(method, _concrete(path), headers=headers, follow_redirects=False)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_anonymous_page_redirect_keeps_next(client):
    """The login redirect carries the page the visitor wanted."""
    response = client.get("/admin/users", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/admin/users"


@pytest.mark.parametrize("role", ["organizer", "judge", "entrant"])
def test_admin_pages_refuse_other_roles_with_403(client, make_user, role):
    """A logged-in user without the admin role gets a 403 page on admin routes."""
    make_user(f"{role}@example.id", PASSWORD, role)
    login(client, f"{role}@example.id")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Traceback" not in response.text
    assert post_form(client, "/admin/users/1/roles", {"role": "admin"}).status_code == 403


def test_admin_can_list_users_and_grant_role(client, make_user):
    """An admin sees the accounts and can grant a role, only with the confirmation step."""
    make_user("root@example.id", PASSWORD, "admin")
    target = make_user("mira@example.id")
    login(client, "root@example.id")
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert "mira@example.id" in page.text
    one_click = post_form(client, f"/admin/users/{target.id}/roles", {"role": "admin"})
    assert one_click.status_code == 200
    assert not re.search(r"mira@example.id.*?Administrator", client.get("/admin/users").text, re.S)
    response = post_form(
        client, f"/admin/users/{target.id}/roles", {"role": "admin", "confirm": "yes"}
    )
    assert response.status_code == 303
    assert re.search(r"mira@example.id.*?Administrator", client.get("/admin/users").text, re.S)


def test_form_without_csrf_token_is_403(client, make_user):
    """A form POST without the CSRF token is refused with 403 and nothing happens."""
    make_user("nina@example.id")
    client.get("/login")
    response = client.post(
        "/login", data={"email": "nina@example.id", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 303


def _burst(app, run, ip: str, email: str, password: str, count: int) -> list[int]:
    """POST ``count`` logins at once from ``ip`` (one ASGI connection each); their statuses."""

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
            await c.get("/login")
            form = {"email": email, "password": password, "_csrf_token": c.cookies["csrftoken"]}
            responses = await asyncio.gather(*(c.post("/login", data=form) for _ in range(count)))
        return [r.status_code for r in responses]

    return run(burst())


def test_login_throttle_holds_under_concurrent_guesses(app, run, make_user):
    """40 simultaneous wrong passwords: only the free failures are tried, the rest get 429."""
    make_user("omar@example.id")
    statuses = _burst(app, run, "198.51.100.7", "omar@example.id", "wrong-password-0", 40)
    assert sorted(statuses) == [400] * FREE_FAILURES + [429] * (40 - FREE_FAILURES)


def test_login_throttle_does_not_lock_out_the_owner(app, run, make_user):
    """Guessing from one address slows that address only: the owner elsewhere logs in."""
    make_user("putri@example.id")
    _burst(app, run, "198.51.100.8", "putri@example.id", "wrong-password-0", 20)
    assert _burst(app, run, "198.51.100.8", "putri@example.id", PASSWORD, 1) == [429]
    assert _burst(app, run, "203.0.113.9", "putri@example.id", PASSWORD, 1) == [303]


def test_login_throttle_does_not_lock_out_a_shared_network(app, run, make_user):
    """Failures for many accounts from one address do not block another account there."""
    make_user("sari@example.id")
    for i in range(25):
        _burst(app, run, "198.51.100.10", f"someone{i}@example.id", "wrong-password-0", 1)
    assert _burst(app, run, "198.51.100.10", "sari@example.id", PASSWORD, 1) == [303]


def test_login_throttle_page_says_how_long_to_wait(client, make_user):
    """The refused login answers 429 with Retry-After and the wait in the page's language."""
    make_user("omar@example.id")
    for _ in range(FREE_FAILURES):
        assert login(client, "omar@example.id", "wrong-password-0").status_code == 400
    response = login(client, "omar@example.id", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 60
    assert 'role="alert"' in response.text
    assert "Terlalu banyak percobaan masuk yang gagal. Tunggu 1 menit" in response.text


def test_login_throttle_waits_grow_progressively_after_free_failures():
    """No wait below five failures, then 1, 2, 4 ... minutes, never more than one hour."""
    waits = [login_delay(n) for n in range(FREE_FAILURES + 8)]
    assert waits[:FREE_FAILURES] == [timedelta(0)] * FREE_FAILURES
    assert waits[FREE_FAILURES:] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert login_delay(10_000) == timedelta(hours=1)


def test_login_throttle_expires_after_the_delay(app, run, make_user):
    """Once the wait after the latest failure has passed, the owner of the pair may try again."""
    from awards import db
    from awards.accounts.tables import LoginAttempt

    make_user("dewi@example.id")
    accounts = app.state.accounts

    async def fail() -> bool:
        try:
            await accounts.authenticate("dewi@example.id", "wrong-password-0", "192.0.2.1")
        except LoginRefusedError as exc:
            return exc.rate_limited
        raise AssertionError("wrong password accepted")

    assert [run(fail()) for _ in range(FREE_FAILURES + 1)] == [False] * FREE_FAILURES + [True]

    async def age_attempts() -> None:
        async with db.write_transaction():
            await LoginAttempt.update(
                {LoginAttempt.attempted_at: LoginAttempt.attempted_at - timedelta(minutes=2)},
                force=True,
            )

    run(age_attempts())
    user = run(accounts.authenticate("dewi@example.id", PASSWORD, "192.0.2.1"))
    assert user.email == "dewi@example.id"


def test_login_success_resets_the_pair_failure_count(client, make_user):
    """A successful login clears earlier failures of that account from that address."""
    make_user("rudi@example.id")
    for _ in range(FREE_FAILURES - 1):
        login(client, "rudi@example.id", "wrong-password-0")
    assert login(client, "rudi@example.id", PASSWORD).status_code == 303
    post_form(client, "/logout", {})
    for _ in range(FREE_FAILURES - 1):
        login(client, "rudi@example.id", "wrong-password-0")
    assert login(client, "rudi@example.id", PASSWORD).status_code == 303


@pytest.mark.parametrize(("base_url", "secure"), [("http://a.id", False), ("https://a.id", True)])
def test_session_cookie_flags(database_url, tmp_path, base_url, secure):
    """The session cookie is HttpOnly and SameSite=Lax, and Secure when served over HTTPS."""
    from litestar.testing import TestClient

    settings = Settings.from_env(
        {
            "ANUGERAH_DATA_DIR": str(tmp_path / "cookies"),
            "ANUGERAH_DATABASE_URL": database_url,
            "ANUGERAH_SECRET_KEY": TEST_SECRET,
            "ANUGERAH_BASE_URL": base_url,
        }
    )
    scheme = base_url.split(":", 1)[0]
    with TestClient(app=create_app(settings), base_url=f"{scheme}://testserver.local") as client:
        response = sign_up(client, settings.outbox_dir, "tono@example.id")
    assert response.status_code == 303
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("anugerah_session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert ("secure" in flags) is secure
