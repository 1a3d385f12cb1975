"""Entrant pages as a first-time user on a phone meets them: readable eligibility reasons, a
profile form that starts from the account, a profile page that shows what was entered, a refused
upload that does not hide the saved draft, live character counters, a size-class table readable
on a phone, and buttons that say what they act on."""

from __future__ import annotations

import re

from awards.intake.tables import Category
from tests.awards.helpers import login, outbox_messages, post_form
from tests.awards.intake.entrant_support import (
    FORM,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)


def _add_sector_category(run, edition_id: int) -> None:
    """A category open to fashion and crafts businesses only."""

    async def create() -> None:
        await Category.insert(
            Category(
                edition=edition_id,
                slug="fashion-kriya",
                code="FKR",
                position=5,
                name_id="Fashion & Kriya",
                name_en="Fashion & Crafts",
                eligibility={"sectors": ["fashion", "kriya"]},
                form=FORM,
            )
        )

    run(create())


def test_choose_category_names_sectors_in_indonesian(client, make_user, run):
    """An ineligible category names the allowed sectors as people read them, not as slugs."""
    ids = seed_edition(run)
    _add_sector_category(run, ids["edition"])
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])

    response = client.get(f"/entries/new?business={business}")

    assert response.status_code == 200
    assert "Kategori ini hanya untuk sektor: Fashion, Kriya (kerajinan)." in response.text
    assert "fashion, kriya" not in response.text


def test_choose_category_names_sectors_in_english(client, make_user, run):
    """In English the allowed sectors are given by their English names."""
    ids = seed_edition(run)
    _add_sector_category(run, ids["edition"])
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    post_form(client, "/language", {"language": "en", "next": "/"})

    response = client.get(f"/api/v1/businesses/{business}/categories")

    reasons = [reason for item in response.json() for reason in item["reasons"]]
    assert reasons == ["This category is open to these sectors only: Fashion, Crafts."]


def test_business_new_form_starts_with_the_account_email(client, make_user):
    """A new business profile form offers the account's email as the business email."""
    make_user("sri@example.id")
    login(client, "sri@example.id")

    response = client.get("/business/new")

    assert response.status_code == 200
    assert 'name="email" type="email" value="sri@example.id"' in response.text


def test_business_profile_shows_sector_year_and_employees(client, make_user, run):
    """The profile page shows every field of the form, the sector by its name."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])

    response = client.get(f"/business/{business}")

    assert response.status_code == 200
    assert "<dd>Kuliner (makanan &amp; minuman)</dd>" in response.text
    assert "<dd>2015</dd>" in response.text  # year founded
    assert "<dd>4</dd>" in response.text  # employees


def test_entry_refused_upload_still_says_the_draft_was_saved(client, make_user, run):
    """A refused file is reported beside its field, and the page says the typed answers were
    kept as a draft (they were)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    fake = [("photos", ("produk.jpg", b"not an image at all", "image/jpeg"))]

    response = save_entry(client, entry_id, {"product_name": "Keripik Tempe"}, files=fake)

    assert response.status_code == 422
    assert 'id="error-photos"' in response.text
    assert "Draf tersimpan." in response.text
    assert entry_row(run, entry_id)["answers"] == {"product_name": "Keripik Tempe"}


def test_entry_malformed_answer_does_not_claim_a_saved_draft(client, make_user, run):
    """When the answers themselves are refused nothing is saved, and the page does not say so."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    response = save_entry(client, entry_id, {"product_name": "Keripik", "price": "mahal"})

    assert response.status_code == 422
    assert "Draf tersimpan." not in response.text
    assert entry_row(run, entry_id)["answers"] == {}


def test_entry_form_character_counters_name_their_fields(client, make_user, run):
    """Each character counter names the field it counts, and the script that updates it while
    typing is served from our own static files."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])

    page = client.get(f"/entries/{entry_id}/edit")
    script = client.get("/static/entrant.js")

    assert 'id="count-product_name" data-counts="field-product_name"' in page.text
    assert 'id="count-description" data-counts="field-description"' in page.text
    assert '<script src="/static/entrant.js" defer></script>' in page.text
    assert script.status_code == 200
    assert "data-counts" in script.text


def test_declaration_limits_table_labels_every_cell(client, make_user, run):
    """Each limit in the size-class table carries its column name, so the table can be read
    row by row on a phone, and every class shows both of its limits."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])

    page = client.get(f"/business/{business}/declaration/{ids['edition']}")

    assert '<table class="stack">' in page.text
    for capital, turnover in (
        ("Rp1.000.000.000", "Rp2.000.000.000"),
        ("Rp5.000.000.000", "Rp15.000.000.000"),
        ("Rp10.000.000.000", "Rp50.000.000.000"),
    ):
        assert f'<td data-label="Modal sampai dengan">{capital}</td>' in page.text
        assert f'<td data-label="Omzet sampai dengan">{turnover}</td>' in page.text


def test_entry_form_remove_checkbox_names_its_file(client, make_user, run):
    """Each "remove this file" checkbox says which file it removes (for screen readers)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    photo = [("photos", ("etalase-toko.jpg", jpeg_bytes(), "image/jpeg"))]
    assert save_entry(client, entry_id, {}, files=photo).status_code == 303

    page = client.get(f"/entries/{entry_id}/edit")

    assert 'Hapus berkas ini<span class="visually-hidden"> (etalase-toko.jpg)</span>' in page.text


def test_members_remove_button_names_the_staff_member(client, make_user, run, settings):
    """The owner's "Remove" button says whom it removes (for screen readers)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    post_form(client, f"/business/{business}/members/invite", {"email": "staf@example.id"})
    token = _invitation_token(settings.outbox_dir)
    staff = make_user("staf@example.id")
    login(client, "staf@example.id")
    assert post_form(client, "/invitations/accept", {"token": token}).status_code == 303
    login(client, "sri@example.id")

    page = client.get(f"/business/{business}/members")

    name = staff.display_name or staff.email
    assert f'Hapus<span class="visually-hidden"> {name}</span></button>' in page.text


def _invitation_token(outbox) -> str:
    """The token in the newest invitation email."""
    message = [m for m in outbox_messages(outbox) if "/invitations/accept" in m.get_content()][-1]
    match = re.search(r"/invitations/accept\?token=([A-Za-z0-9_\-]+)", message.get_content())
    assert match, "no invitation link in the message"
    return match.group(1)
