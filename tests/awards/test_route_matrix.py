"""The route × role matrix: every route of the app, tried as every persona, answers as declared.

The routes come from the application's own route table; their expected outcomes from
``tests/awards/route_access.py`` (see there how to declare a new route). A route without a
declaration, a declaration without a route, an outcome other than the declared one, any 5xx, or
a page served with more statements than its budget (``tests/awards/page_budgets.py``) fails.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from awards.accounts.tables import User
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import BusinessMember, Category
from tests.awards.helpers import PASSWORD, csrf_token, login
from tests.awards.intake.entrant_support import (
    NIBS,
    entrant_with_business,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.page_budgets import page_budget
from tests.awards.querycount import count_queries
from tests.awards.route_access import FORBIDDEN, INPUT, LOGIN, MISSING, OK, PERSONAS, ROUTES

_SKIPPED_METHODS = {"OPTIONS", "HEAD"}
_PARAM = re.compile(r"\{(\w+):?[^}]*\}")
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


def _world(app: Any, client: Any, make_user: Any, run: Any) -> dict[str, Any]:
    """Two editions; an entrant with a business, an entry, two photos and a staff member;
    another entrant with their own; a judge, an organizer of each edition and an admin."""
    ids = seed_edition(run)
    other = seed_edition(run, slug="batu-2026")
    run(Category.update({Category.rubric: DEMO_RUBRIC.to_dict()}).where(Category.id == ids["KUL"]))
    accounts = app.state.accounts
    make_user("judge@example.id", PASSWORD, "judge")
    make_user("unassigned-judge@example.id", PASSWORD, "judge")
    for email, edition_id, role in (
        ("judge@example.id", ids["edition"], "judge"),
        ("unassigned-judge@example.id", ids["edition"], "judge"),
        ("organizer@example.id", ids["edition"], "organizer"),
        ("other-organizer@example.id", other["edition"], "organizer"),
    ):
        user = run(accounts.find_by_email(email)) or make_user(email, PASSWORD, "entrant")
        run(accounts.grant_role(user.id, role, edition_id))
    make_user("admin@example.id", PASSWORD, "admin")
    other_business = entrant_with_business(
        client, make_user, "other@example.id", ids["edition"], nib=NIBS[1]
    )
    start_entry(client, other_business, ids["KUL"])
    client.cookies.clear()
    business = entrant_with_business(client, make_user, "entrant@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    files = [("photos", (f"foto{i}.jpg", jpeg_bytes(), "image/jpeg")) for i in range(2)]
    assert save_entry(client, entry, {"product_name": "Keripik"}, files=files).status_code == 303
    photos = run(_attachments(entry))
    logo = client.post(
        f"/business/{business}/logo",
        data={"_csrf_token": csrf_token(client)},
        files={"logo": ("logo.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert logo.status_code == 303
    staff = make_user("staff@example.id")
    run(BusinessMember.insert(BusinessMember(business=business, user=staff.id, role="staff")))
    entrant_id = run(User.select(User.id).where(User.email == "entrant@example.id").first())
    client.cookies.clear()
    judging = run(_judging(ids, entry, make_user))
    return {
        **judging,
        "business_id": business,
        "edition_id": ids["edition"],
        "category_id": ids["KUL"],
        "entry_id": entry,
        "attachment_id": photos[0],
        "spare_attachment": photos[1],
        "member_id": staff.id,
        "user_id": entrant_id["id"],
        "case_id": 1,  # no case exists: resolving one is 404 for those allowed to try
        "target": "judging",
        "fmt": "csv",
        "file_path": "style.css",
        "path": "redoc",
        "field_key": "product_name",
        "criterion_key": DEMO_RUBRIC.criteria[0].key,
    }


async def _judging(ids: dict[str, int], entry_id: int, make_user: Any) -> dict[str, int]:
    """An open round of the category holding the entry, assigned to the judge (not to the
    unassigned judge), with the judge's draft sheet."""
    from datetime import UTC, datetime, timedelta

    from awards.scoring.tables import Assignment, JudgeProfile, ScoreSheet, ScoringRound

    judges = {
        row["email"]: row["id"]
        for row in await User.select(User.id, User.email).where(
            User.email.is_in(["judge@example.id", "unassigned-judge@example.id"])
        )
    }
    for judge in judges.values():
        await JudgeProfile.insert(JudgeProfile(edition=ids["edition"], user=judge))
    now = datetime.now(UTC)
    round_id = (
        await ScoringRound.insert(
            ScoringRound(
                edition=ids["edition"],
                category=ids["KUL"],
                name="Penjurian",
                status="open",
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=1),
                rubric=DEMO_RUBRIC.to_dict(),
                rubric_version=1,
            )
        )
    )[0]["id"]
    judge = judges["judge@example.id"]
    await Assignment.insert(
        Assignment(round=round_id, entry=entry_id, judge=judge, declaration="clear")
    )
    sheet = (
        await ScoreSheet.insert(
            ScoreSheet(round=round_id, entry=entry_id, judge=judge, rubric_version=1)
        )
    )[0]["id"]
    return {"round_id": round_id, "sheet_id": sheet, "judge_id": judge}


async def _attachments(entry_id: int) -> list[int]:
    from awards.intake.tables import Attachment

    rows = await Attachment.select(Attachment.id).where(Attachment.entry == entry_id)
    return sorted(row["id"] for row in rows)


def _url(path: str, world: dict[str, Any], params: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "key":
            name = "criterion_key" if "/criteria/" in path else "field_key"
        return str(world[params.get(name, name)])

    return _PARAM.sub(fill, path)


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


_EMAILS = {
    "entrant": "entrant@example.id",
    "other_entrant": "other@example.id",
    "judge": "judge@example.id",
    "unassigned_judge": "unassigned-judge@example.id",
    "organizer": "organizer@example.id",
    "other_organizer": "other-organizer@example.id",
    "admin": "admin@example.id",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_route_matrix_for_persona(app, client, make_user, run, persona):
    """Every declared route answers this persona with the declared outcome and never a 5xx,
    and every page it is served makes no more statements than its budget (page_budgets.py)."""
    world = _world(app, client, make_user, run)
    if persona != "anonymous":
        assert login(client, _EMAILS[persona]).status_code == 303
    wrong, heavy = [], []
    for method, path in sorted(ROUTES, key=_order):
        rule = ROUTES[(method, path)]
        url = _url(path, world, rule.params)
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
