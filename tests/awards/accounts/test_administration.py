"""Account administration: search, role grants with confirmation, revoke, deactivate, audit."""

from __future__ import annotations

import pytest

from awards.accounts.administration import AccountAdministration, AdminRefusedError
from awards.accounts.tables import AccountChange, RoleGrant
from awards.errors import ValidationError
from awards.i18n import use_language
from awards.intake.tables import Edition
from tests.awards.helpers import PASSWORD, login, post_form
from tests.awards.intake.organizer_support import make_edition


def _admin(make_user, client=None, email="admin@malang.example.org"):
    user = make_user(email, PASSWORD, "admin")
    if client is not None:
        assert login(client, email).status_code == 303
    return user


def _roles(run, user_id):
    rows = run(
        RoleGrant.select(RoleGrant.role, RoleGrant.edition_id).where(RoleGrant.user == user_id)
    )
    return sorted((r["role"], r["edition_id"]) for r in rows)


def _malang(run):
    return make_edition(
        run, name_id="Anugerah UMKM Kota Malang 2026", name_en="Malang SME Awards 2026"
    )


# -- service ---------------------------------------------------------------------------------


def test_search_matches_email_or_name_case_insensitively(app, run, make_user):
    """``q`` matches part of the email or of the display name, in any case."""
    accounts = app.state.accounts
    run(accounts.sign_up("sri@example.id", PASSWORD, "Sri Wahyuni"))
    run(accounts.sign_up("eko@example.id", PASSWORD, "Eko Prasetyo"))
    run(accounts.sign_up("dewi@kopi.example", PASSWORD, "Dewi"))
    admin = AccountAdministration()

    by_name = run(admin.search("wahYUNI"))
    by_email = run(admin.search("EXAMPLE.ID"))

    assert [row["email"] for row in by_name.rows] == ["sri@example.id"]
    assert [row["email"] for row in by_email.rows] == ["sri@example.id", "eko@example.id"]


def test_search_for_a_wildcard_matches_only_accounts_containing_it(app, run):
    """``%`` and ``_`` are searched as characters, not as LIKE wildcards matching everyone."""
    accounts = app.state.accounts
    run(accounts.sign_up("sri@example.id", PASSWORD, "Sri 100% Wahyuni"))
    run(accounts.sign_up("eko_p@example.id", PASSWORD, "Eko Prasetyo"))
    run(accounts.sign_up("dewi@kopi.example", PASSWORD, "Dewi"))
    admin = AccountAdministration()

    percent = run(admin.search("%"))
    underscore = run(admin.search("_"))

    assert [row["email"] for row in percent.rows] == ["sri@example.id"]
    assert [row["email"] for row in underscore.rows] == ["eko_p@example.id"]
    assert (percent.total, underscore.total) == (1, 1)


def test_search_pages_through_accounts(app, run):
    """Pages hold ``page_size`` accounts; the last page holds the rest."""
    for n in range(5):
        run(app.state.accounts.sign_up(f"user{n}@example.id", PASSWORD))
    admin = AccountAdministration()

    second = run(admin.search("", page=2, page_size=2))
    last = run(admin.search("", page=9, page_size=2))

    assert (second.total, second.pages, second.page) == (5, 3, 2)
    assert [row["email"] for row in second.rows] == ["user2@example.id", "user3@example.id"]
    assert [row["email"] for row in last.rows] == ["user4@example.id"]


def test_grant_labels_are_human_and_scoped_to_the_edition(app, run, make_user):
    """An organizer grant reads "Panitia — <edition name>" in Indonesian, English name in
    the English UI."""
    edition = _malang(run)
    actor = _admin(make_user)
    target = make_user("panitia@malang.example.org")
    admin = AccountAdministration()

    run(admin.grant(actor, target.id, "organizer", str(edition["id"])))
    with use_language("id"):
        indonesian = run(admin.user(target.id))["grants"]
    with use_language("en"):
        english = run(admin.user(target.id))["grants"]

    assert [g["label"] for g in indonesian] == [
        "Panitia — Anugerah UMKM Kota Malang 2026",
        "Peserta",
    ]
    assert [g["label"] for g in english] == ["Organizer — Malang SME Awards 2026", "Entrant"]


def test_grant_judge_needs_an_edition(app, run, make_user):
    """A judge grant without an edition is refused beside the edition field."""
    target = make_user("juri@example.id")
    with use_language("en"), pytest.raises(ValidationError) as caught:
        run(AccountAdministration().check_grant(target.id, "judge", ""))
    assert caught.value.errors == {"edition_id": "A judge is appointed for one edition."}


def test_grant_unknown_role_or_edition_is_refused(app, run, make_user):
    """An unknown role, or an edition that does not exist, is a field error."""
    target = make_user("juri@example.id")
    admin = AccountAdministration()
    with pytest.raises(ValidationError) as role:
        run(admin.check_grant(target.id, "superuser", ""))
    with pytest.raises(ValidationError) as edition:
        run(admin.check_grant(target.id, "organizer", "999"))
    assert list(role.value.errors) == ["role"]
    assert list(edition.value.errors) == ["edition_id"]


def test_grant_admin_is_always_global(app, run, make_user):
    """An admin grant ignores a chosen edition."""
    edition = _malang(run)
    actor = _admin(make_user)
    target = make_user("baru@example.id")
    run(AccountAdministration().grant(actor, target.id, "admin", str(edition["id"])))
    assert _roles(run, target.id) == [("admin", None), ("entrant", None)]


def test_grant_and_revoke_are_written_to_the_audit_log(app, run, make_user):
    """Each change writes one row: actor, account, event, role, edition."""
    edition = _malang(run)
    actor = _admin(make_user)
    target = make_user("juri@example.id")
    admin = AccountAdministration()

    run(admin.grant(actor, target.id, "judge", edition["id"]))
    run(admin.revoke(actor, target.id, "judge", edition["id"]))
    rows = run(
        AccountChange.select(
            AccountChange.actor, AccountChange.user, AccountChange.event, AccountChange.role,
            AccountChange.edition_id,
        ).order_by(AccountChange.id)
    )  # fmt: skip

    assert [(r["actor"], r["user"], r["event"], r["role"], r["edition_id"]) for r in rows] == [
        (actor.id, target.id, "grant", "judge", edition["id"]),
        (actor.id, target.id, "revoke", "judge", edition["id"]),
    ]
    assert _roles(run, target.id) == [("entrant", None)]


def test_revoke_own_admin_role_is_refused(app, run, make_user):
    """An admin cannot remove their own administrator role, even with another admin around."""
    actor = _admin(make_user)
    _admin(make_user, email="admin2@malang.example.org")
    with pytest.raises(AdminRefusedError):
        run(AccountAdministration().revoke(actor, actor.id, "admin", None))
    assert ("admin", None) in _roles(run, actor.id)


def test_revoke_last_active_admin_is_refused(app, run, make_user):
    """With the other admin deactivated, the remaining active admin's role cannot be removed
    nor the account deactivated (whoever asks)."""
    first = _admin(make_user)
    second = _admin(make_user, email="admin2@malang.example.org")
    admin = AccountAdministration()
    run(admin.set_active(first, second.id, False))
    with pytest.raises(AdminRefusedError):
        run(admin.revoke(second, first.id, "admin", None))
    with pytest.raises(AdminRefusedError):
        run(admin.set_active(second, first.id, False))
    assert ("admin", None) in _roles(run, first.id)


def test_deactivate_self_is_refused(app, run, make_user):
    """Nobody deactivates their own account."""
    actor = _admin(make_user)
    with pytest.raises(AdminRefusedError):
        run(AccountAdministration().set_active(actor, actor.id, False))


def test_deactivate_blocks_login_and_ends_existing_sessions(app, client, run, make_user):
    """After deactivation the account's open session stops working and login is refused;
    reactivation restores login."""
    actor = _admin(make_user)
    target = make_user("sri@example.id")
    assert login(client, "sri@example.id").status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 200

    run(AccountAdministration().set_active(actor, target.id, False))

    assert client.get("/account", follow_redirects=False).status_code == 303
    assert login(client, "sri@example.id").status_code == 400
    run(AccountAdministration().set_active(actor, target.id, True))
    assert login(client, "sri@example.id").status_code == 303
    events = run(AccountChange.select(AccountChange.event).order_by(AccountChange.id))
    assert [e["event"] for e in events] == ["deactivate", "reactivate"]


# -- pages -----------------------------------------------------------------------------------


def test_admin_users_page_shows_labels_and_no_wide_table(app, client, run, make_user):
    """The account list shows human role labels as cards (no table, no raw codes)."""
    edition = _malang(run)
    _admin(make_user, client)
    target = make_user("panitia@malang.example.org")
    run(app.state.accounts.grant_role(target.id, "organizer", edition["id"]))

    page = client.get("/admin/users")

    assert page.status_code == 200
    assert "Panitia — Anugerah UMKM Kota Malang 2026" in page.text
    assert f"organizer@{edition['id']}" not in page.text
    assert "<table" not in page.text
    assert '<ul class="cards">' in page.text


def test_admin_users_page_searches_and_paginates(app, client, run, make_user):
    """``?q=`` narrows the list; the pager links keep the query."""
    _admin(make_user, client)
    for n in range(30):
        run(app.state.accounts.sign_up(f"umkm{n:02d}@example.id", PASSWORD))

    found = client.get("/admin/users", params={"q": "umkm07"})
    first = client.get("/admin/users", params={"q": "umkm"})

    assert "umkm07@example.id" in found.text
    assert "umkm08@example.id" not in found.text
    assert 'href="/admin/users?q=umkm&amp;page=2"' in first.text


def test_grant_form_preselects_no_role(app, client, run, make_user):
    """The account page's grant form has no checked role and posts nothing by itself (GET to
    the confirmation page)."""
    _admin(make_user, client)
    target = make_user("sri@example.id")
    page = client.get(f"/admin/users/{target.id}")
    grant_form = page.text[page.text.index('id="grant"') :]
    grant_form = grant_form[: grant_form.index("</form>")]
    assert 'method="get"' in grant_form
    assert "checked" not in grant_form
    assert "selected" not in grant_form


def test_grant_requires_the_confirmation_step(app, client, run, make_user):
    """GET /grant shows what will be granted; a POST without ``confirm=yes`` grants nothing;
    with it the role is granted and the page says so."""
    edition = _malang(run)
    _admin(make_user, client)
    target = make_user("juri@example.id")

    confirm = client.get(
        f"/admin/users/{target.id}/grant", params={"role": "judge", "edition_id": edition["id"]}
    )
    unconfirmed = post_form(
        client,
        f"/admin/users/{target.id}/roles",
        {"role": "judge", "edition_id": str(edition["id"])},
    )
    assert _roles(run, target.id) == [("entrant", None)]
    done = post_form(
        client,
        f"/admin/users/{target.id}/roles",
        {"role": "judge", "edition_id": str(edition["id"]), "confirm": "yes"},
    )

    assert confirm.status_code == 200
    assert "Juri — Anugerah UMKM Kota Malang 2026" in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text
    assert unconfirmed.status_code == 200
    assert 'name="confirm" value="yes"' in unconfirmed.text
    assert done.status_code == 303
    assert _roles(run, target.id) == [("entrant", None), ("judge", edition["id"])]


def test_grant_without_role_shows_the_error_beside_the_field(app, client, run, make_user):
    """Continuing without choosing a role answers 422 with the message by the role choice."""
    _admin(make_user, client)
    target = make_user("sri@example.id")
    response = client.get(f"/admin/users/{target.id}/grant", params={"role": "", "edition_id": ""})
    assert response.status_code == 422
    assert 'id="error-role"' in response.text


def test_grant_post_without_csrf_is_refused(app, client, run, make_user):
    """The grant form is CSRF-protected."""
    _admin(make_user, client)
    target = make_user("sri@example.id")
    response = client.post(
        f"/admin/users/{target.id}/roles",
        data={"role": "admin", "confirm": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert _roles(run, target.id) == [("entrant", None)]


def test_revoke_own_admin_role_page_says_why(app, client, run, make_user):
    """Posting a revoke of one's own admin role keeps it and flashes the reason."""
    actor = _admin(make_user, client)
    _admin(make_user, email="admin2@malang.example.org")
    post_form(client, "/language", {"language": "en", "next": "/"})
    response = post_form(
        client, f"/admin/users/{actor.id}/roles/revoke", {"role": "admin", "edition_id": ""}
    )
    page = client.get(response.headers["location"])
    assert "You cannot remove your own administrator role." in page.text
    assert ("admin", None) in _roles(run, actor.id)


def test_deactivate_page_confirms_then_deactivates(app, client, run, make_user):
    """The deactivation page states the consequences; its POST deactivates and logs."""
    _admin(make_user, client)
    target = make_user("sri@example.id")
    post_form(client, "/language", {"language": "en", "next": "/"})

    confirm = client.get(f"/admin/users/{target.id}/deactivate")
    done = post_form(client, f"/admin/users/{target.id}/deactivate", {})
    page = client.get(f"/admin/users/{target.id}")

    assert "every open session ends at once" in confirm.text
    assert done.status_code == 303
    assert "Deactivated" in page.text
    assert "deactivated the account of sri@example.id" in page.text


def test_audit_page_lists_who_granted_what_to_whom_and_when(app, client, run, make_user):
    """The audit page names the actor, the role label, the account and a WIB time."""
    edition = _malang(run)
    _admin(make_user, client)
    target = make_user("panitia@malang.example.org")
    post_form(client, "/language", {"language": "en", "next": "/"})
    post_form(
        client,
        f"/admin/users/{target.id}/roles",
        {"role": "organizer", "edition_id": str(edition["id"]), "confirm": "yes"},
    )

    page = client.get("/admin/audit")

    assert page.status_code == 200
    assert (
        "admin@malang.example.org granted Organizer — Malang SME Awards 2026 to "
        "panitia@malang.example.org." in page.text
    )
    assert "WIB" in page.text


def test_admin_pages_refuse_non_admins(app, client, run, make_user):
    """An organizer gets 403 on every admin page."""
    user = make_user("panitia@malang.example.org", PASSWORD, "organizer")
    login(client, "panitia@malang.example.org")
    for url in ("/admin/users", f"/admin/users/{user.id}", "/admin/audit"):
        assert client.get(url, follow_redirects=False).status_code == 403


def test_edition_names_follow_renames(app, run, make_user):
    """Labels are computed from the current edition name, not stored with the grant."""
    edition = _malang(run)
    target = make_user("panitia@malang.example.org")
    run(app.state.accounts.grant_role(target.id, "organizer", edition["id"]))
    run(
        Edition.update({Edition.name_id: "Anugerah UMKM 2026 (baru)"}).where(
            Edition.id == edition["id"]
        )
    )
    with use_language("id"):
        grants = run(AccountAdministration().user(target.id))["grants"]
    assert grants[0]["label"] == "Panitia — Anugerah UMKM 2026 (baru)"
