"""Business profiles through the pages: validation, declaration -> size class, logo, members
and staff invitations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from awards.intake.tables import Business, BusinessInvitation, BusinessMember
from tests.awards.helpers import csrf_token, login, outbox_messages, post_form
from tests.awards.intake.entrant_support import (
    NIBS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    profile,
    seed_edition,
    set_closing,
    start_entry,
)


def _business(run, business_id: int) -> dict:
    async def load() -> dict:
        return await Business.select().where(Business.id == business_id).first()

    return run(load())


def _invitation_token(outbox) -> str:
    message = [m for m in outbox_messages(outbox) if "/invitations/accept" in m.get_content()][-1]
    match = re.search(r"/invitations/accept\?token=([A-Za-z0-9_\-]+)", message.get_content())
    assert match, "no invitation link in the message"
    return match.group(1)


def test_business_create_normalizes_phone_and_makes_owner(client, make_user, run):
    """A valid profile is stored with the phone as +62 and the creator as owner."""
    make_user("sri@example.id")
    login(client, "sri@example.id")

    response = post_form(client, "/business/new", profile(phone="(0341) 551-234"))

    assert response.status_code == 303
    business_id = int(response.headers["location"].rsplit("/", 1)[1])
    row = _business(run, business_id)
    assert (row["phone"], row["nib"], row["district"]) == ("+62341551234", NIBS[0], "Blimbing")
    page = client.get(f"/business/{business_id}")
    assert page.status_code == 200
    assert "Keripik Tempe Bu Sri" in page.text


def test_business_create_errors_beside_fields(client, make_user, run):
    """A short NIB, a foreign phone and an unknown district are refused beside their fields."""
    make_user("sri@example.id")
    login(client, "sri@example.id")

    response = post_form(
        client,
        "/business/new",
        profile(nib="12345", phone="+44 20 7946 0000", district="Batu", name=""),
    )

    assert response.status_code == 422
    for name in ("nib", "phone", "district", "name"):
        assert f'id="error-{name}"' in response.text
        assert f'href="#field-{name}"' in response.text
    assert 'value="Sri Wahyuni"' in response.text

    async def count() -> int:
        return await Business.count()

    assert run(count()) == 0


def test_business_duplicate_nib_refused(client, make_user):
    """A second business with a registered NIB is refused beside the NIB field."""
    make_user("sri@example.id")
    login(client, "sri@example.id")
    assert post_form(client, "/business/new", profile()).status_code == 303

    response = post_form(client, "/business/new", profile(name="Usaha Lain"))

    assert response.status_code == 422
    assert 'id="error-nib"' in response.text


def test_declaration_derives_size_class_and_explains_pp7(client, make_user, run):
    """Declared capital and turnover give the PP 7/2021 class; the page explains the rule."""
    ids = seed_edition(run)
    business = entrant_with_business(
        client,
        make_user,
        "sri@example.id",
        ids["edition"],
        capital="Rp 3.000.000.000",
        turnover="10.000.000.000",
    )

    page = client.get(f"/business/{business}/declaration/{ids['edition']}")
    bad = post_form(
        client,
        f"/business/{business}/declaration/{ids['edition']}",
        {"capital": "banyak", "turnover": "1,5"},
    )

    assert "PP 7/2021" in page.text
    assert "Rp1.000.000.000" in page.text  # the micro capital limit in the table
    assert re.search(r"chip-size|kecil|small", page.text)
    assert bad.status_code == 422
    assert 'id="error-capital"' in bad.text
    assert 'id="error-turnover"' in bad.text


def test_business_profile_lists_each_open_edition_with_its_declaration(client, make_user, run):
    """The profile shows every open edition, soonest closing first: the one declared in with
    its size class and a link to change it, the other with a link to declare; the category
    choice marks the undeclared edition's micro-only category as needing a declaration."""
    now = datetime.now(UTC)
    first = seed_edition(run, closes_at=now + timedelta(days=10))
    later = seed_edition(run, slug="malang-2027", year=2027, closes_at=now + timedelta(days=20))
    business = entrant_with_business(client, make_user, "sri@example.id", first["edition"])

    page = client.get(f"/business/{business}").text
    choices = client.get(f"/api/v1/businesses/{business}/categories").json()

    assert page.index("Anugerah UMKM 2026") < page.index("Anugerah UMKM 2027")
    change, declare = (
        f"/business/{business}/declaration/{first['edition']}",
        f"/business/{business}/declaration/{later['edition']}",
    )
    assert change in page.split("Anugerah UMKM 2027")[0]
    assert declare in page.split("Anugerah UMKM 2027")[1]
    assert [(c["code"], c["edition_id"], c["declared"], c["eligible"]) for c in choices] == [
        ("KUL", first["edition"], True, True),
        ("MIK", first["edition"], True, True),
        ("KUL", later["edition"], False, True),
        ("MIK", later["edition"], False, False),
    ]


def test_business_pages_404_for_non_members(client, make_user):
    """Another user's business profile, members page and logo are 404, updates too."""
    make_user("sri@example.id")
    login(client, "sri@example.id")
    response = post_form(client, "/business/new", profile())
    business_id = int(response.headers["location"].rsplit("/", 1)[1])
    make_user("lain@example.id")
    login(client, "lain@example.id")

    for url in (f"/business/{business_id}", f"/business/{business_id}/members"):
        assert client.get(url).status_code == 404
    assert client.get(f"/business/{business_id}/logo").status_code == 404
    update = post_form(client, f"/business/{business_id}", profile(name="Dibajak"))
    assert update.status_code == 404


def test_business_logo_reencoded_and_served_to_members(client, make_user, run):
    """An uploaded logo is stored re-encoded and served inline only to members."""
    make_user("sri@example.id")
    login(client, "sri@example.id")
    response = post_form(client, "/business/new", profile())
    business_id = int(response.headers["location"].rsplit("/", 1)[1])

    response = client.post(
        f"/business/{business_id}/logo",
        data={"_csrf_token": csrf_token(client)},
        files={"logo": ("logo.jpg", jpeg_bytes((120, 120)), "image/jpeg")},
        follow_redirects=False,
    )
    not_image = client.post(
        f"/business/{business_id}/logo",
        data={"_csrf_token": csrf_token(client)},
        files={"logo": ("logo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg")},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert not_image.status_code == 303
    logo = client.get(f"/business/{business_id}/logo")
    assert logo.status_code == 200
    assert logo.content.startswith(b"\xff\xd8\xff")
    assert logo.headers["x-content-type-options"] == "nosniff"
    assert _business(run, business_id)["logo_key"].endswith(".jpg")


def test_staff_invitation_end_to_end(client, make_user, run, settings):
    """The owner invites by email; the invitee signs up, opens the emailed link, accepts and
    manages the business; the link cannot be used twice."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = post_form(
        client, f"/business/{business}/members/invite", {"email": "Staf@Example.ID"}
    )
    assert response.status_code == 303
    token = _invitation_token(settings.outbox_dir)
    message = outbox_messages(settings.outbox_dir)[-1]
    assert message["To"] == "staf@example.id"

    post_form(client, "/logout", {})
    anonymous = client.get(f"/invitations/accept?token={token}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    make_user("staf@example.id")
    login(client, "staf@example.id")
    page = client.get(f"/invitations/accept?token={token}")
    assert "Keripik Tempe Bu Sri" in page.text
    accepted = post_form(client, "/invitations/accept", {"token": token})

    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/business/{business}"
    assert client.get(f"/entries/{entry_id}/edit").status_code == 200
    assert post_form(client, "/invitations/accept", {"token": token}).status_code == 422
    members = client.get(f"/business/{business}/members").text
    assert "sri@example.id" in members
    assert "staf@example.id" in members


def test_staff_invitation_refused_for_other_account_and_when_expired(
    client, make_user, run, settings
):
    """An invitation works only for the invited address and only before it expires."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    post_form(client, f"/business/{business}/members/invite", {"email": "staf@example.id"})
    token = _invitation_token(settings.outbox_dir)
    make_user("orang-lain@example.id")
    login(client, "orang-lain@example.id")

    wrong = post_form(client, "/invitations/accept", {"token": token})

    assert wrong.status_code == 422
    assert "staf@example.id" in wrong.text

    async def expire() -> None:
        past = datetime.now(UTC) - timedelta(minutes=1)
        await BusinessInvitation.update({BusinessInvitation.expires_at: past}).where(
            BusinessInvitation.business == business
        )

    run(expire())
    make_user("staf@example.id")
    login(client, "staf@example.id")
    expired = post_form(client, "/invitations/accept", {"token": token})
    assert expired.status_code == 422
    assert client.get(f"/business/{business}").status_code == 404


def test_owner_removes_staff_and_staff_cannot_manage_members(client, make_user, run, settings):
    """Staff may not invite or remove; the owner removes staff, who then loses access."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    post_form(client, f"/business/{business}/members/invite", {"email": "staf@example.id"})
    token = _invitation_token(settings.outbox_dir)
    staff = make_user("staf@example.id")
    login(client, "staf@example.id")
    post_form(client, "/invitations/accept", {"token": token})
    owner_id = run(client.app.state.accounts.find_by_email("sri@example.id")).id

    staff_invite = post_form(
        client, f"/business/{business}/members/invite", {"email": "x@example.id"}
    )
    staff_remove = post_form(client, f"/business/{business}/members/{owner_id}/remove", {})
    assert staff_invite.status_code == 422
    assert staff_remove.status_code == 403

    login(client, "sri@example.id")
    removed = post_form(client, f"/business/{business}/members/{staff.id}/remove", {})
    assert removed.status_code == 303

    async def members() -> list[int]:
        rows = await BusinessMember.select(BusinessMember.user).where(
            BusinessMember.business == business
        )
        return [row["user"] for row in rows]

    assert run(members()) == [owner_id]
    login(client, "staf@example.id")
    assert client.get(f"/business/{business}").status_code == 404


def test_business_update_refreshes_open_entry_snapshot(client, make_user, run):
    """Renaming the business updates the name copied onto its entries in an open edition."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = post_form(client, f"/business/{business}", profile(name="Tempe Sri Jaya"))

    assert response.status_code == 303
    assert entry_row(run, entry_id)["business_name"] == "Tempe Sri Jaya"


def test_declaration_refused_after_intake_closed(client, make_user, run):
    """The size declaration of an edition cannot change once its intake has closed."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    set_closing(run, ids["edition"], datetime.now(UTC) - timedelta(minutes=1))

    response = post_form(
        client,
        f"/business/{business}/declaration/{ids['edition']}",
        {"capital": "9.000.000.000", "turnover": "40.000.000.000"},
    )

    assert response.status_code == 409
    assert "WIB" in response.text
