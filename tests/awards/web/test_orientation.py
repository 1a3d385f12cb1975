"""Orientation: each role lands on its work area after login; the favicon is served."""

from __future__ import annotations

import pytest

from awards.accounts.identity import CurrentUser
from awards.web.navigation import work_area
from tests.awards.helpers import PASSWORD, post_form
from tests.awards.intake.organizer_support import make_edition


def _user(*grants: tuple[str, int | None]) -> CurrentUser:
    return CurrentUser(1, "x@example.id", "", "id", 1, frozenset(grants))


def _no_routes(_name: str) -> None:
    return None


@pytest.mark.parametrize(
    ("grants", "expected"),
    [
        ((("admin", None), ("entrant", None)), "/admin/users"),
        ((("organizer", None),), "/organizer/"),
        ((("organizer", 7),), "/organizer/editions/7/overview"),
        ((("organizer", 7), ("organizer", 8)), "/organizer/"),
        ((("judge", 7), ("entrant", None)), "/account"),
        ((("entrant", None),), "/entries"),
        ((), "/account"),
    ],
)
def test_work_area_follows_the_most_powerful_role(grants, expected):
    """Admin, then organizer (their one edition's overview), judge, entrant, else account."""
    assert work_area(_user(*grants), _no_routes) == expected


def test_work_area_sends_judges_to_the_judging_page_when_it_exists():
    """When the app has the judge's dashboard route, judges land there."""
    routes = {"judge_dashboard": "/judge"}
    assert work_area(_user(("judge", 3)), routes.get) == "/judge"


def test_login_lands_each_role_on_its_work_area(app, client, run, make_user):
    """After login: admin -> /admin/users, scoped organizer -> overview, entrant -> /entries,
    judge (who is also an entrant, as every sign-up) -> the judge's dashboard."""
    edition = make_edition(run)
    make_user("admin@example.id", PASSWORD, "admin")
    organizer = make_user("panitia@example.id", PASSWORD)
    run(app.state.accounts.grant_role(organizer.id, "organizer", edition["id"]))
    make_user("sri@example.id")
    judge = make_user("juri@example.id", PASSWORD)
    run(app.state.accounts.grant_role(judge.id, "judge", edition["id"]))
    landings = {}
    for email in ("admin@example.id", "panitia@example.id", "sri@example.id", "juri@example.id"):
        response = post_form(client, "/login", {"email": email, "password": PASSWORD})
        landings[email] = response.headers["location"]
        post_form(client, "/logout", {})
    assert landings == {
        "admin@example.id": "/admin/users",
        "panitia@example.id": f"/organizer/editions/{edition['id']}/overview",
        "sri@example.id": "/entries",
        "juri@example.id": "/judge",
    }


def test_login_explicit_next_wins_over_the_work_area(client, make_user):
    """A safe ``next`` takes precedence over the role's work area."""
    make_user("admin@example.id", PASSWORD, "admin")
    response = post_form(
        client, "/login", {"email": "admin@example.id", "password": PASSWORD, "next": "/account"}
    )
    assert response.headers["location"] == "/account"


def test_favicon_is_served_without_login(client):
    """/favicon.ico answers 200 with an icon (no 404 in the browser console)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


def test_pages_link_the_svg_icon(client):
    """Every page links an icon that exists."""
    page = client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.text.startswith("<svg")
