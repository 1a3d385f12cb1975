"""The route × role matrix: every route of the app, tried as every persona, answers as declared.

The routes come from the application's own route table; their expected outcomes from
``tests/awards/route_access.py`` (see there how to declare a new route). A route without a
declaration, a declaration without a route, an outcome other than the declared one, any 5xx, or
a page served with more statements than its budget (``tests/awards/page_budgets.py``) fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.awards.helpers import csrf_token, login
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import count_queries
from tests.awards.route_access import FORBIDDEN, INPUT, LOGIN, MISSING, OK, PERSONAS, ROUTES
from tests.awards.route_world import EMAILS, route_url, route_world

_SKIPPED_METHODS = {"OPTIONS", "HEAD"}
_LAST = ("/logout",)


def _app_routes(app: Any) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", ())
        if method not in _SKIPPED_METHODS
    }


def test_every_route_has_a_declaration(app):
    """Each (method, path) of the app is declared in route_access.ROUTES, and nothing else."""
    routes = _app_routes(app)
    assert sorted(routes - set(ROUTES)) == [], "declare these routes in route_access.py"
    assert sorted(set(ROUTES) - routes) == [], "these declared routes no longer exist"


def _outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    location = response.headers.get("location", "")
    if status == 401 or (300 <= status < 400 and location.startswith("/login?next=")):
        return LOGIN
    if status in (400, 409, 413, 422):
        return INPUT
    return {403: FORBIDDEN, 404: MISSING}.get(status, OK if status < 400 else f"status {status}")


def _order(route: tuple[str, str]) -> tuple[int, str, str]:
    method, path = route
    if path.endswith(_LAST):
        rank = 4
    elif method == "DELETE" or path.endswith(("/delete", "/remove", "/withdraw")):
        rank = 3
    elif method == "GET":
        rank = 1
    else:
        rank = 2
    return rank, path, method


@pytest.mark.parametrize("persona", PERSONAS)
def test_route_matrix_for_persona(app, client, make_user, run, persona):
    """Every declared route answers this persona with the declared outcome and never a 5xx,
    and every page it is served makes no more statements than its budget (page_budgets.py)."""
    world = route_world(app, client, make_user, run)
    if persona != "anonymous":
        assert login(client, EMAILS[persona]).status_code == 303
    wrong, heavy = [], []
    for method, path in sorted(ROUTES, key=_order):
        rule = ROUTES[(method, path)]
        url = route_url(path, world, rule.params)
        headers = {"x-csrftoken": csrf_token(client)}
        if method == "GET":
            with count_queries() as queries:
                response = client.get(url, follow_redirects=False)
            if response.status_code == 200 and len(queries) > page_budget(path):
                heavy.append(f"GET {path}: over its budget of {page_budget(path)}, {queries}")
        elif path.startswith("/api/"):
            response = client.request(method, url, json={}, headers=headers)
        else:
            response = client.request(
                method, url, data={"_csrf_token": headers["x-csrftoken"]}, follow_redirects=False
            )
        got, expected = _outcome(response), rule.outcomes[persona]
        if got != expected and not (expected == OK and got == INPUT):
            wrong.append(
                f"{method} {path}: expected {expected}, got {got} ({response.status_code})"
            )
    assert wrong == []
    assert heavy == [], "\n".join(heavy)
