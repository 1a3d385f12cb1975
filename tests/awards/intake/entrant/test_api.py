"""The entrant JSON API: same rules as the pages, per-field errors, documented in OpenAPI."""

from __future__ import annotations

from tests.awards.helpers import api_post, csrf_token, login
from tests.awards.intake.entrant_support import (
    VALID_ANSWERS,
    jpeg_bytes,
    profile,
    seed_edition,
    set_closing,
    wib,
)


def _headers(client) -> dict[str, str]:
    return {"x-csrftoken": csrf_token(client)}


def _business_via_api(client, make_user, edition_id: int, turnover: str = "500000000") -> int:
    make_user("api@example.id")
    login(client, "api@example.id")
    created = api_post(client, "/api/v1/businesses", profile())
    assert created.status_code == 201, created.text
    business_id = created.json()["id"]
    declared = client.put(
        f"/api/v1/businesses/{business_id}/declarations/{edition_id}",
        json={"capital": "100000000", "turnover": turnover},
        headers=_headers(client),
    )
    assert declared.status_code == 200, declared.text
    return business_id


def _upload(client, entry_id: int, content: bytes, name: str = "foto.jpg"):
    return client.post(
        f"/api/v1/entries/{entry_id}/attachments",
        data={"field_key": "photos"},
        files={"file": (name, content, "image/jpeg")},
        headers=_headers(client),
    )


def test_api_business_create_returns_normalized_profile(client, make_user, run):
    """POST /api/v1/businesses creates the profile (owner role, +62 phone); mine lists it."""
    ids = seed_edition(run)
    business_id = _business_via_api(client, make_user, ids["edition"])

    mine = client.get("/api/v1/businesses/mine").json()
    declared = client.put(
        f"/api/v1/businesses/{business_id}/declarations/{ids['edition']}",
        json={"capital": "6000000000", "turnover": "20000000000"},
        headers=_headers(client),
    )

    assert [(b["id"], b["role"], b["phone"]) for b in mine] == [
        (business_id, "owner", "+6281234567890")
    ]
    assert declared.json()["size_class"] == "medium"


def test_api_business_validation_errors_per_field(client, make_user):
    """Invalid input is 422 with a message per field and nothing is created."""
    make_user("api@example.id")
    login(client, "api@example.id")

    response = api_post(client, "/api/v1/businesses", profile(nib="12", email="bukan-email"))

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"nib", "email"}
    assert client.get("/api/v1/businesses/mine").json() == []


def test_api_entry_draft_update_upload_submit_withdraw(client, make_user, run):
    """The whole entry life cycle through the API: draft, partial save, upload, submit with a
    receipt, withdraw."""
    ids = seed_edition(run)
    business_id = _business_via_api(client, make_user, ids["edition"])

    created = api_post(
        client, "/api/v1/entries", {"business_id": business_id, "category_id": ids["KUL"]}
    )
    assert created.status_code == 201, created.text
    entry_id = created.json()["id"]
    partial = client.patch(
        f"/api/v1/entries/{entry_id}",
        json={"answers": {"product_name": "Keripik"}},
        headers=_headers(client),
    )
    early = api_post(client, f"/api/v1/entries/{entry_id}/submit")
    bad = client.patch(
        f"/api/v1/entries/{entry_id}",
        json={"answers": {"price": "-5", "markets": ["malang", "jatim", "nasional"]}},
        headers=_headers(client),
    )
    refused_file = _upload(client, entry_id, b"GIF89a not a jpeg")
    uploaded = _upload(client, entry_id, jpeg_bytes())
    full = client.patch(
        f"/api/v1/entries/{entry_id}", json={"answers": VALID_ANSWERS}, headers=_headers(client)
    )
    submitted = api_post(client, f"/api/v1/entries/{entry_id}/submit")
    listed = client.get(f"/api/v1/entries/{entry_id}/attachments").json()
    withdrawn = api_post(client, f"/api/v1/entries/{entry_id}/withdraw")

    assert partial.status_code == 200
    assert partial.json()["answers"] == {"product_name": "Keripik"}
    assert early.status_code == 422
    assert {"description", "photos"} <= set(early.json()["errors"])
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"price", "markets"}
    assert refused_file.status_code == 422
    assert set(refused_file.json()["errors"]) == {"photos"}
    assert uploaded.status_code == 201
    assert uploaded.json()["thumbnail_url"].endswith("/thumbnail")
    assert full.status_code == 200
    assert submitted.status_code == 200
    assert submitted.json()["receipt_number"] == "MLG26-KUL-000001"
    assert submitted.json()["status"] == "submitted"
    assert [a["field_key"] for a in listed] == ["photos"]
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["receipt_number"] == "MLG26-KUL-000001"


def test_api_entry_ineligible_category_refused_with_reason(client, make_user, run):
    """A medium business cannot start a micro-only entry; the 422 says why."""
    ids = seed_edition(run)
    business_id = _business_via_api(client, make_user, ids["edition"], turnover="20000000000")

    response = api_post(
        client, "/api/v1/entries", {"business_id": business_id, "category_id": ids["MIK"]}
    )

    assert response.status_code == 422
    assert "category" in response.json()["errors"]
    assert client.get("/api/v1/entries/mine").json() == []
    listed = client.get(f"/api/v1/businesses/{business_id}/categories").json()
    by_code = {item["code"]: item for item in listed}
    assert by_code["KUL"]["eligible"] is True
    assert by_code["MIK"]["eligible"] is False
    assert any("menengah" in reason for reason in by_code["MIK"]["reasons"])


def test_api_submit_after_deadline_is_409_with_local_time(client, make_user, run):
    """Submitting after closing is 409 and the detail names the closing time in WIB."""
    ids = seed_edition(run)
    business_id = _business_via_api(client, make_user, ids["edition"])
    entry_id = api_post(
        client, "/api/v1/entries", {"business_id": business_id, "category_id": ids["KUL"]}
    ).json()["id"]
    set_closing(run, ids["edition"], wib(2026, 1, 31, 17, 0))

    response = api_post(client, f"/api/v1/entries/{entry_id}/submit")

    assert response.status_code == 409
    assert "31 Januari 2026 17.00 WIB" in response.json()["detail"]
    assert client.get(f"/api/v1/entries/{entry_id}").json()["editable"] is False


def test_api_entrant_routes_documented_with_typed_schemas(client):
    """The OpenAPI schema lists the entrant endpoints with their response components."""
    schema = client.get("/schema/openapi.json").json()

    paths = schema["paths"]
    for path in (
        "/api/v1/businesses/mine",
        "/api/v1/businesses",
        "/api/v1/entries/mine",
        "/api/v1/entries/{entry_id}/submit",
        "/api/v1/entries/{entry_id}/attachments",
    ):
        assert path in paths, path
    components = schema["components"]["schemas"]
    assert {"EntryOut", "BusinessOut", "AttachmentOut"} <= set(components)
    assert "receipt_number" in components["EntryOut"]["properties"]
