"""Oversized, malformed and unstorable input gets a 4xx naming the field, never a 500."""

from __future__ import annotations

import json

from awards.web.limits import _clearly_within, _too_deep, input_problems
from tests.awards.helpers import PASSWORD, api_post, csrf_token, login, post_form
from tests.awards.intake.entrant_support import (
    entrant_with_business,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.intake.organizer_support import make_edition, organizer


def test_path_integer_beyond_32_bits_is_422_naming_it(client, make_user):
    """2**63 and 2**31 as an entry id: 422 naming entry_id, on pages and in the API."""
    make_user("ika@example.id")
    login(client, "ika@example.id")
    for value in (2**63, 2**31):
        api = client.get(f"/api/v1/entries/{value}")
        page = client.get(f"/entries/{value}")
        assert (api.status_code, list(api.json()["errors"])) == (422, ["entry_id"])
        assert page.status_code == 422
        assert "Angka ini terlalu besar." in page.text


def test_page_number_that_is_not_ascii_digits_is_422_naming_it(app, client, run):
    """?page=² and ?page=2**63 on the organizer's entry list: 422 naming page."""
    edition = make_edition(run)
    organizer(app, run, client, "ina@example.id", edition["id"])
    for page in ("²", str(2**63)):
        response = client.get(f"/api/v1/editions/{edition['id']}/entries", params={"page": page})
        assert (response.status_code, list(response.json()["errors"])) == (422, ["page"])


def test_json_nested_5000_deep_is_422(client, make_user):
    """A body nested 5,000 levels deep is refused before it is decoded."""
    make_user("ira@example.id")
    login(client, "ira@example.id")
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/v1/businesses",
        content=body,
        headers={"content-type": "application/json", "x-csrftoken": csrf_token(client)},
    )
    assert (response.status_code, list(response.json()["errors"])) == (422, ["body"])


def test_capital_of_10_to_the_20_is_422_naming_capital(client, make_user, run):
    """A declared capital of 10**20 rupiah is refused beside capital."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "ita@example.id", ids["edition"])
    response = client.put(
        f"/api/v1/businesses/{business}/declarations/{ids['edition']}",
        json={"capital": 10**20, "turnover": 1000},
        headers={"x-csrftoken": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "capital" in response.json()["errors"]


def test_nul_byte_in_text_is_422_naming_the_field(client, make_user, run):
    """A NUL character in an answer is refused beside that answer (PostgreSQL cannot store it)."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "ina@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    response = client.patch(
        f"/api/v1/entries/{entry}",
        json={"answers": {"product_name": "Keripik\x00"}},
        headers={"x-csrftoken": csrf_token(client)},
    )
    assert (response.status_code, list(response.json()["errors"])) == (
        422,
        ["answers.product_name"],
    )


def test_nul_byte_in_a_form_field_is_422(client):
    """A NUL character in a login form is refused, not passed to the database."""
    response = post_form(client, "/login", {"email": "a\x00@example.id", "password": PASSWORD})
    assert response.status_code == 422


def test_nul_byte_in_a_multipart_text_field_is_422_naming_it(client, make_user, run):
    """The multipart entry form refuses a NUL in a typed answer beside that answer."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "inu@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    response = save_entry(client, entry, {"product_name": "Keripik\x00 Tempe"})
    assert response.status_code == 422
    assert '<li data-field="product_name">Hapus karakter NUL dari teks ini.</li>' in response.text


def test_nul_byte_in_an_upload_text_field_or_file_name_is_422_naming_it(client, make_user, run):
    """The upload API names field_key for a NUL in it, and file for a NUL in the file name."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "inoe@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    headers = {"x-csrftoken": csrf_token(client)}
    url = f"/api/v1/entries/{entry}/attachments"
    photo = jpeg_bytes()
    key = client.post(
        url,
        data={"field_key": "photos\x00"},
        files={"file": ("a.jpg", photo, "image/jpeg")},
        headers=headers,
    )
    boundary = "nulboundary"
    raw_name = (
        (  # written by hand: httpx would escape the NUL in a file name
            f'--{boundary}\r\nContent-Disposition: form-data; name="field_key"\r\n\r\nphotos\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="a\x00.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    name = client.post(
        url,
        content=raw_name,
        headers={**headers, "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert (key.status_code, list(key.json()["errors"])) == (422, ["field_key"])
    assert name.status_code == 422, name.text
    assert list(name.json()["errors"]) == ["file"]


def test_login_and_reset_with_a_300_character_email_are_answered(client):
    """An email longer than any account's is a wrong login (400/401) and a silent reset."""
    email = "a" * 290 + "@example.id"
    assert login(client, email).status_code == 400
    assert (
        api_post(client, "/api/v1/auth/login", {"email": email, "password": PASSWORD}).status_code
        == 401
    )
    assert post_form(client, "/password/forgot", {"email": email}).status_code == 303


def test_error_bodies_carry_no_python_exception_text(client, make_user):
    """A malformed body's 4xx says what is wrong in words, not Python's."""
    make_user("isa@example.id")
    login(client, "isa@example.id")
    response = client.post(
        "/api/v1/businesses",
        content=json.dumps({"name": ["list", "not", "text"]}),
        headers={"content-type": "application/json", "x-csrftoken": csrf_token(client)},
    )
    assert 400 <= response.status_code < 500
    for python_text in ("object is not", "Traceback", "NoneType", "subscriptable"):
        assert python_text not in response.text


def test_input_problems_name_paths_of_numbers_nul_and_depth():
    """The walker names each offending path; bools and ordinary numbers pass."""
    assert input_problems({"a": [1, True, 10**16], "b": {"c": "x\x00"}}) == {
        "a.2": "Angka ini terlalu besar.",
        "b.c": "Hapus karakter NUL dari teks ini.",
    }
    deep: list = []
    for _ in range(40):
        deep = [deep]
    assert list(input_problems(deep)) != []


def test_too_deep_counts_open_brackets_at_once_not_in_total():
    """34 brackets open at once is too deep; 33 at once, or many side by side, is not;
    brackets inside strings do not count."""
    assert _too_deep(b"[" * 34 + b"]" * 34)
    assert not _too_deep(b"[" * 33 + b"]" * 33)
    assert not _too_deep(b"[" + b"[]," * 100 + b"[]]")
    assert not _too_deep(b'["' + b"[" * 100 + b'"]')


def test_clearly_within_is_false_whenever_the_walker_would_find_a_problem():
    """The byte check that skips the walk says "within" only for text whose decoded value
    has no problem: each kind of problem (and 33 brackets deep) makes it False."""
    nested = [
        json.dumps(value).encode() for value in ({"a": 10**15 + 1}, {"a": "x\x00"}, {"a\x00": 1})
    ]
    deep: list = [1]
    for _ in range(32):
        deep = [deep]
    for raw in [*nested, json.dumps(deep).encode()]:
        assert input_problems(json.loads(raw)) != {}
        assert not _clearly_within(raw)
    plain = json.dumps({"answers": {"price": 10**15 - 1, "phone": "0812345678901", "tags": [[1]]}})
    assert input_problems(json.loads(plain)) == {}
    assert _clearly_within(plain.encode())
