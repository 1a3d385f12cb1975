"""Judge invitations in the JSON API (list, invite, revoke; the page's guards, validation and
CSRF) and on the command line (``anugerah invite``)."""

from __future__ import annotations

import asyncio
import os

import pytest

from awards import db
from awards.accounts.tables import RoleGrant, User
from awards.cli import main
from awards.scoring.tables import JudgeInvitation
from tests.awards.helpers import TEST_SECRET, api_post, csrf_token, login, outbox_messages
from tests.awards.scoring.support import make_edition, quick_user

API = "/api/v1/scoring/editions/{}/invitations"


def _setup(run):
    edition_id, _category = run(make_edition())
    organizer = quick_user(run, "org@example.com")
    run(RoleGrant.insert(RoleGrant(user=organizer.id, role="organizer", edition_id=edition_id)))
    return edition_id, organizer


def test_invitation_api_invites_lists_and_revokes(client, run, settings):
    """An organizer invites two addresses (one mail each), lists them as pending without any
    token or hash, revokes one: it lists as revoked, by the organizer."""
    edition_id, organizer = _setup(run)
    login(client, organizer.email)
    created = api_post(client, API.format(edition_id), {"emails": ["Ani@Example.com", "b@x.id"]})
    listed = client.get(API.format(edition_id))
    ani = next(row for row in listed.json() if row["email"] == "ani@example.com")
    revoked = api_post(client, API.format(edition_id) + f"/{ani['id']}/revoke")
    again = api_post(client, API.format(edition_id) + f"/{ani['id']}/revoke")
    after = {row["email"]: row for row in client.get(API.format(edition_id)).json()}
    stored = run(JudgeInvitation.select(JudgeInvitation.token_hash))
    assert created.status_code == 201
    assert created.json() == {
        "invited": ["ani@example.com", "b@x.id"],
        "renewed": [],
        "skipped": [],
    }
    assert sorted(m["To"] for m in outbox_messages(settings.outbox_dir)) == [
        "ani@example.com",
        "b@x.id",
    ]
    assert listed.status_code == 200
    assert [row["status"] for row in listed.json()] == ["pending", "pending"]
    assert set(listed.json()[0]) == {
        "id", "email", "status", "expires_at", "created_at", "used_at", "revoked_at",
        "invited_by_email", "revoked_by_email",
    }  # fmt: skip
    assert not any(row["token_hash"] in listed.text for row in stored)
    assert (revoked.status_code, revoked.json()) == (200, {"revoked": "ani@example.com"})
    assert again.status_code == 422
    assert after["ani@example.com"]["status"] == "revoked"
    assert after["ani@example.com"]["revoked_by_email"] == "org@example.com"
    assert after["b@x.id"]["status"] == "pending"


def test_invitation_api_revoke_of_another_editions_invitation_is_404(client, run):
    """Revoking an id that does not exist, or that belongs to another edition, answers 404
    (ids reveal nothing) and leaves the other edition's invitation pending."""
    edition_id, organizer = _setup(run)
    other_edition, _c = run(make_edition())
    run(RoleGrant.insert(RoleGrant(user=organizer.id, role="organizer", edition_id=other_edition)))
    login(client, organizer.email)
    api_post(client, API.format(other_edition), {"emails": ["ani@example.com"]})
    theirs = client.get(API.format(other_edition)).json()[0]["id"]
    crossed = api_post(client, API.format(edition_id) + f"/{theirs}/revoke")
    unknown = api_post(client, API.format(edition_id) + f"/{theirs + 1000}/revoke")
    assert (crossed.status_code, unknown.status_code) == (404, 404)
    assert [row["status"] for row in client.get(API.format(other_edition)).json()] == ["pending"]


def test_invitation_api_refuses_bad_addresses_with_422(client, run):
    """An invalid address refuses the whole request (422 naming it); nothing is stored."""
    edition_id, organizer = _setup(run)
    login(client, organizer.email)
    refused = api_post(client, API.format(edition_id), {"emails": ["a@x.id", "bukan-email"]})
    too_many = api_post(
        client, API.format(edition_id), {"emails": [f"j{i}@x.id" for i in range(51)]}
    )
    assert refused.status_code == 422
    assert "bukan-email" in refused.json()["errors"]["emails"]
    assert too_many.status_code == 422
    assert run(JudgeInvitation.count()) == 0


def test_invitation_api_guarded(client, run):
    """Anonymous 401, a judge and an entrant 403, another edition's organizer 404; nobody of
    them invites anyone."""
    edition_id, _organizer = _setup(run)
    other_edition, _c = run(make_edition())
    other = quick_user(run, "lain@example.com")
    run(RoleGrant.insert(RoleGrant(user=other.id, role="organizer", edition_id=other_edition)))
    quick_user(run, "juri@example.com", "judge")
    quick_user(run, "peserta@example.com", "entrant")
    body = {"emails": ["x@x.id"]}
    seen = {"anonymous": api_post(client, API.format(edition_id), body).status_code}
    for email in ("juri@example.com", "peserta@example.com", "lain@example.com"):
        client.cookies.clear()
        login(client, email)
        seen[email] = (
            client.get(API.format(edition_id)).status_code,
            api_post(client, API.format(edition_id), body).status_code,
            api_post(client, API.format(edition_id) + "/1/revoke").status_code,
        )
    assert seen == {
        "anonymous": 401,
        "juri@example.com": (403, 403, 403),
        "peserta@example.com": (403, 403, 403),
        "lain@example.com": (404, 404, 404),
    }
    assert run(JudgeInvitation.count()) == 0


def test_invitation_api_post_needs_the_csrf_header(client, run):
    """Without the x-csrftoken header a POST is refused (403) like every unsafe API call."""
    edition_id, organizer = _setup(run)
    login(client, organizer.email)
    csrf_token(client)
    response = client.post(API.format(edition_id), json={"emails": ["x@x.id"]})
    assert response.status_code == 403
    assert run(JudgeInvitation.count()) == 0


def test_invitation_api_in_openapi_schema(client):
    """The OpenAPI schema documents the invitation endpoints."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert set(paths["/api/v1/scoring/editions/{edition_id}/invitations"]) == {"get", "post"}
    assert "/api/v1/scoring/editions/{edition_id}/invitations/{invitation_id}/revoke" in paths


@pytest.fixture
def cli_env(monkeypatch, tmp_path, database_url):
    """ANUGERAH_* variables pointing at this test's migrated database; the database
    configured for direct queries."""
    for name in list(os.environ):
        if name.startswith("ANUGERAH_") and name != "ANUGERAH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANUGERAH_DATABASE_URL", database_url)
    monkeypatch.setenv("ANUGERAH_SECRET_KEY", TEST_SECRET)
    db.configure(database_url)
    return tmp_path / "data"


async def _cli_world() -> tuple[str, int]:
    """An edition (its slug) with an organizer org@example.com and a judge sudah@example.com."""
    from awards.intake.tables import Edition
    from awards.scoring.tables import JudgeProfile

    edition_id, _c = await make_edition()
    ids = {}
    for email in ("org@example.com", "sudah@example.com", "juri@example.com"):
        rows = await User.insert(User(email=email, password_hash="x")).returning(User.id)
        ids[email] = rows[0]["id"]
    await RoleGrant.insert(
        RoleGrant(user=ids["org@example.com"], role="organizer", edition_id=edition_id),
        RoleGrant(user=ids["juri@example.com"], role="judge", edition_id=edition_id),
    )
    await JudgeProfile.insert(JudgeProfile(edition=edition_id, user=ids["sudah@example.com"]))
    slug = (await Edition.select(Edition.slug).where(Edition.id == edition_id).first())["slug"]
    return slug, ids["org@example.com"]


async def _invitations() -> list[tuple[str, int | None]]:
    rows = await JudgeInvitation.select(JudgeInvitation.email, JudgeInvitation.invited_by)
    return sorted((row["email"], row["invited_by"]) for row in rows)


def test_cli_invite_prints_one_line_per_address(cli_env, capsys):
    """`anugerah invite --edition SLUG --as ORGANIZER ...` invites, mails, skips a judge."""
    slug, organizer = asyncio.run(_cli_world())
    code = main(
        [
            "invite",
            "--edition",
            slug,
            "--as",
            "org@example.com",
            "Baru@Example.com",
            "sudah@example.com",
        ]
    )
    out = capsys.readouterr().out.splitlines()
    mails = outbox_messages(cli_env / "outbox")
    assert code == 0
    assert out == ["baru@example.com: invited", "sudah@example.com: skipped (already judging)"]
    assert [m["To"] for m in mails] == ["baru@example.com"]
    assert asyncio.run(_invitations()) == [("baru@example.com", organizer)]


def test_cli_invite_without_as_is_sent_by_the_command_line(cli_env, capsys):
    """Without --as the invitation records no inviter; inviting again gives a new link."""
    slug, _organizer = asyncio.run(_cli_world())
    first = main(["invite", "--edition", slug, "a@example.com"])
    second = main(["invite", "--edition", slug, "a@example.com"])
    out = capsys.readouterr().out.splitlines()
    assert (first, second) == (0, 0)
    assert out == ["a@example.com: invited", "a@example.com: new link"]
    assert asyncio.run(_invitations()) == [("a@example.com", None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edition", "nope", "a@example.com"], "no edition with slug 'nope'"),
        (["--edition", "{slug}", "bukan-email"], "Not a valid email address: bukan-email"),
        (["--edition", "{slug}", "--as", "juri@example.com", "a@x.id"], "not an organizer"),
        (["--edition", "{slug}", "--as", "siapa@example.com", "a@x.id"], "not an organizer"),
    ],
)
def test_cli_invite_bad_input_exits_2(cli_env, capsys, args, message):
    """An unknown edition, a bad address or an --as who does not manage the edition: exit 2
    with the reason on stderr, nothing stored."""
    slug, _organizer = asyncio.run(_cli_world())
    code = main(["invite", *(a.format(slug=slug) for a in args)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert asyncio.run(_invitations()) == []
