"""Organizer set-up: edition scoping, editions, status, thresholds, the form builder, the rubric."""

from __future__ import annotations

from awards.intake.form.formspec import FormSpec
from awards.intake.tables import Category, Edition
from tests.awards.helpers import api_post, csrf_token, login, post_form
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)

EDITION_FORM = {
    "slug": "batu-2027",
    "year": "2027",
    "name_id": "Anugerah UMKM Kota Batu 2027",
    "time_zone": "Asia/Jakarta",
    "intake_opens_at": "2027-01-01T08:00",
    "intake_closes_at": "2027-03-31T23:59",
    "judging_starts_at": "2027-04-01T08:00",
    "judging_ends_at": "2027-04-30T17:00",
    "results_at": "2027-05-20T10:00",
    "districts": "Batu\nBumiaji\nJunrejo",
}


def test_scoped_organizer_sees_only_granted_edition(app, client, run):
    """An organizer granted one edition lists only it; the other edition's pages and API are 404."""
    mine = make_edition(run, "malang-2026")
    other = make_edition(run, "surabaya-2026")
    organizer(app, run, client, "panitia@malang.example.org", mine["id"])

    home = client.get("/organizer/")
    other_page = client.get(f"/organizer/editions/{other['id']}")
    other_entries = client.get(f"/organizer/editions/{other['id']}/entries")
    other_category = client.get(
        f"/organizer/categories/{categories(run, other['id'])['kuliner']['id']}"
    )
    api = client.get("/api/v1/editions")
    api_other = client.get(f"/api/v1/editions/{other['id']}/entries")

    assert home.status_code == 200
    assert mine["name_id"] in home.text
    assert other["name_id"] not in home.text
    assert other_page.status_code == 404
    assert other_entries.status_code == 404
    assert other_category.status_code == 404
    assert [e["slug"] for e in api.json()] == ["malang-2026"]
    assert api_other.status_code == 404


def test_global_organizer_sees_every_edition(app, client, run):
    """An organizer without an edition scope manages every edition."""
    make_edition(run, "malang-2026")
    make_edition(run, "surabaya-2026")
    organizer(app, run, client, "kepala@dinas.example.org")

    slugs = sorted(e["slug"] for e in client.get("/api/v1/editions").json())

    assert slugs == ["malang-2026", "surabaya-2026"]


def test_entrant_cannot_open_organizer_console(client, make_user):
    """An entrant is refused the console pages and the organizer API (403)."""
    make_user("umkm@example.com")
    login(client, "umkm@example.com")

    assert client.get("/organizer/").status_code == 403
    assert client.get("/api/v1/editions").status_code == 403


def test_create_edition_stores_local_times_as_utc(app, client, run):
    """Form times are wall-clock times in the edition's zone (08:00 WIB = 01:00 UTC)."""
    organizer(app, run, client, "kepala@dinas.example.org")

    response = post_form(client, "/organizer/editions", EDITION_FORM)

    assert response.status_code == 303
    row = run(Edition.select().where(Edition.slug == "batu-2027").first().run())
    assert row["status"] == "draft"
    assert row["intake_opens_at"].isoformat() == "2027-01-01T01:00:00+00:00"


def test_create_edition_refuses_dates_out_of_order(app, client, run):
    """Intake closing before it opens is refused beside the closing-date field; nothing stored."""
    organizer(app, run, client, "kepala@dinas.example.org")

    response = post_form(
        client, "/organizer/editions", {**EDITION_FORM, "intake_closes_at": "2026-12-01T08:00"}
    )

    assert response.status_code == 422
    assert 'id="error-intake_closes_at"' in response.text
    assert run(Edition.count().run()) == 0


def test_scoped_organizer_cannot_create_edition(app, client, run):
    """Only global organizers create editions: a scoped organizer gets 403."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = post_form(client, "/organizer/editions", EDITION_FORM)

    assert response.status_code == 403


def test_edition_status_moves_one_step_at_a_time(app, client, run):
    """draft -> open is allowed (confirmed); open -> published is refused and the status is
    unchanged."""
    edition = make_edition(run, status="draft")
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/editions/{edition['id']}/status"

    post_form(client, url, {"status": "open", "confirm": "yes"})
    opened = run(Edition.select(Edition.status).where(Edition.id == edition["id"]).first().run())
    post_form(client, url, {"status": "published", "confirm": "yes"})
    after = run(Edition.select(Edition.status).where(Edition.id == edition["id"]).first().run())
    api = client.post(
        f"/api/v1/editions/{edition['id']}/status",
        json={"status": "published"},
        headers={"x-csrftoken": csrf_token(client)},
    )

    assert opened["status"] == "open"
    assert after["status"] == "open"
    assert api.status_code == 422
    assert "status" in api.json()["errors"]


def test_thresholds_must_increase(app, client, run):
    """Size thresholds where small is below micro are refused; valid ones are stored."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/editions/{edition['id']}/thresholds"
    good = {
        "micro_capital_max": "1.000.000.000",
        "small_capital_max": "5000000000",
        "medium_capital_max": "10000000000",
        "micro_turnover_max": "3000000000",
        "small_turnover_max": "15000000000",
        "medium_turnover_max": "50000000000",
        "rule": "larger",
    }

    bad = post_form(client, url, {**good, "small_capital_max": "500000000"})
    ok = post_form(client, url, good)

    assert bad.status_code == 422
    assert ok.status_code == 303
    stored = run(Edition.select().output(load_json=True).where(Edition.id == edition["id"]).run())
    assert stored[0]["size_thresholds"]["micro_turnover_max"] == 3_000_000_000
    assert stored[0]["size_thresholds"]["rule"] == "larger"


FIELD_INPUTS = {
    "short_text": {"max_length": "80"},
    "long_text": {"max_chars": "500"},
    "number": {"min_value": "0", "max_value": "1000", "decimal_places": "1"},
    "single_choice": {"options": "a | Pilihan A | Option A\nb | Pilihan B | Option B"},
    "multiple_choice": {"options": "x | X | X\ny | Y | Y", "max_choices": "2"},
    "url": {"max_length": "300"},
    "date": {"min_date": "2020-01-01"},
    "file": {"kinds": ["jpeg", "pdf"], "max_size_mb": "2", "max_count": "2"},
}


def _form(run, category_id: int) -> FormSpec:
    row = run(
        Category.select().output(load_json=True).where(Category.id == category_id).first().run()
    )
    return FormSpec.from_dict(row["form"])


def test_form_builder_adds_a_field_of_every_type(app, client, run):
    """Each of the eight field types can be added with its limits through a plain form."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    for kind, limits in FIELD_INPUTS.items():
        response = post_form(
            client,
            f"/organizer/categories/{category['id']}/fields",
            {"type": kind, "key": f"f_{kind}", "label_id": f"Isian {kind}", **limits},
        )
        assert response.status_code == 303, (kind, response.text[-2000:])

    form = _form(run, category["id"])
    assert [spec.type for spec in form.ordered] == ["short_text", *FIELD_INPUTS]
    assert form.field("f_file").kinds == ("jpeg", "pdf")
    assert form.field("f_file").max_size_bytes == 2 * 1024 * 1024
    assert [o.key for o in form.field("f_single_choice").options] == ["a", "b"]
    assert client.get(f"/organizer/categories/{category['id']}").status_code == 200


def test_form_builder_shows_errors_beside_the_field(app, client, run):
    """A number field whose maximum is below its minimum is refused with the message."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    response = post_form(
        client,
        f"/organizer/categories/{category['id']}/fields",
        {
            "type": "number",
            "key": "price",
            "label_id": "Harga",
            "min_value": "10",
            "max_value": "1",
        },
    )

    assert response.status_code == 422
    assert 'id="error-max_value"' in response.text
    assert _form(run, category["id"]).field("price") is None


def test_destructive_form_change_refused_once_entries_exist(app, client, run):
    """With an entry in the category, removing or requiring a field is refused with the reason;
    adding an optional field is still accepted."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    make_entry(run, edition, category, make_business(run, "9120001234567"))
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    base = f"/organizer/categories/{category['id']}/fields"

    removed = post_form(client, f"{base}/menu/delete", {})
    page = client.get(f"/organizer/categories/{category['id']}")
    added_required = post_form(
        client, base, {"type": "short_text", "key": "extra", "label_id": "Ekstra", "required": "on"}
    )
    added_optional = post_form(
        client, base, {"type": "short_text", "key": "note", "label_id": "Catatan"}
    )
    api = client.put(
        f"/api/v1/categories/{category['id']}/form",
        json={"fields": []},
        headers={"x-csrftoken": csrf_token(client)},
    )

    assert removed.status_code == 303
    assert "A field cannot be removed." in page.text or "tidak dapat dihapus" in page.text
    assert added_required.status_code == 422
    assert "extra" in added_required.text
    assert added_optional.status_code == 303
    assert api.status_code == 422
    assert "form" in api.json()["errors"]
    assert [spec.key for spec in _form(run, category["id"]).ordered] == ["menu", "note"]


def test_move_field_reorders_the_form(app, client, run):
    """Moving the second field up makes it first; orders are renumbered 1..n."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["fashion-kriya"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    post_form(
        client,
        f"/organizer/categories/{category['id']}/fields/description/move",
        {"direction": "up"},
    )

    ordered = _form(run, category["id"]).ordered
    assert [spec.key for spec in ordered[:2]] == ["description", "product_name"]
    assert [spec.order for spec in ordered] == list(range(1, len(ordered) + 1))


def test_rubric_criterion_added_with_levels(app, client, run):
    """A criterion with weight, scale and level descriptors is stored; a zero weight is refused."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    url = f"/organizer/categories/{category['id']}/criteria"
    data = {
        "key": "kebersihan",
        "label_id": "Kebersihan",
        "label_en": "Hygiene",
        "weight": "10",
        "scale_min": "1",
        "scale_max": "5",
        "levels": "1 | Kotor | Dirty\n5 | Sangat bersih | Spotless",
    }

    refused = post_form(client, url, {**data, "weight": "0"})
    added = post_form(client, url, data)

    assert refused.status_code == 422
    assert added.status_code == 303
    row = run(
        Category.select().output(load_json=True).where(Category.id == category["id"]).first().run()
    )
    criterion = row["rubric"]["criteria"][-1]
    assert criterion["key"] == "kebersihan"
    assert criterion["weight"] == 10
    assert criterion["levels"] == [
        [1, {"id": "Kotor", "en": "Dirty"}],
        [5, {"id": "Sangat bersih", "en": "Spotless"}],
    ]


def test_category_created_with_eligibility_through_api(app, client, run):
    """The API creates a category with eligibility rules and answers 422 naming a bad field."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    body = {
        "slug": "jasa",
        "code": "JSP",
        "name_id": "Jasa & Pariwisata",
        "eligibility": {"size_classes": ["micro"], "districts": ["Klojen"]},
    }

    created = api_post(client, f"/api/v1/editions/{edition['id']}/categories", body)
    bad = api_post(client, f"/api/v1/editions/{edition['id']}/categories", {**body, "slug": "x y"})
    malformed = api_post(client, f"/api/v1/editions/{edition['id']}/categories", {"slug": 1})

    assert created.status_code == 201
    assert created.json()["eligibility"]["size_classes"] == ["micro"]
    assert bad.status_code == 422
    assert "slug" in bad.json()["errors"]
    assert malformed.status_code == 400
    assert "slug" in str(malformed.json())


def test_organizer_api_is_documented_in_openapi(client):
    """The OpenAPI schema lists the organizer endpoints with their request and response types."""
    schema = client.get("/schema/openapi.json").json()

    paths = schema["paths"]
    assert "/api/v1/editions" in paths
    assert "/api/v1/editions/{edition_id}/entries" in paths
    assert "/api/v1/categories/{category_id}/form" in paths
    assert {"EditionIn", "EditionOut", "EntryPageOut", "DecisionIn"} <= set(
        schema["components"]["schemas"]
    )
    assert "/organizer/editions/{edition_id}" not in paths


def test_edition_settings_update_keeps_slug_and_stores_lists(app, client, run):
    """Saving the settings form updates names, times and districts; the slug cannot change."""
    edition = make_edition(run)
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    form = {**EDITION_FORM, "slug": "hijacked", "name_id": "Anugerah UMKM Malang (revisi)"}

    response = post_form(client, f"/organizer/editions/{edition['id']}", form)
    page = client.get(f"/organizer/editions/{edition['id']}")

    assert response.status_code == 303
    row = run(Edition.select().output(load_json=True).where(Edition.id == edition["id"]).run())[0]
    assert row["slug"] == "malang-2026"
    assert row["name_id"] == "Anugerah UMKM Malang (revisi)"
    assert row["districts"] == ["Batu", "Bumiaji", "Junrejo"]
    assert 'value="2027-01-01T08:00"' in page.text


def test_api_malformed_rubric_is_422_naming_the_field(app, client, run):
    """A string weight in the rubric API gives 422 naming criteria.0.weight, no Python text."""
    edition = make_edition(run)
    organizer(app, run, client, "rubric-api@example.id", edition["id"])
    category_id = categories(run, edition["id"])["kuliner"]["id"]
    response = client.put(
        f"/api/v1/categories/{category_id}/rubric",
        json={"criteria": [{"key": "mutu", "label": ["x"], "weight": "10", "levels": 3}]},
        headers={"x-csrftoken": csrf_token(client)},
    )
    assert response.status_code == 422
    assert {"criteria.0.weight", "criteria.0.label", "criteria.0.levels"} <= set(
        response.json()["errors"]
    )
    assert "subscriptable" not in response.text
    assert "object" not in response.text
