"""form_fields' rules, each through a real Litestar app and a posted form (urlencoded and
multipart), and the page helpers built on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.testing import TestClient, create_test_client

from awards.intake.organizer.common import form_input
from awards.scoring.web import form_values
from awards.web.forms import form_fields

Req = Request[Any, Any, Any]


def _shown(value: Any) -> Any:
    """A parsed value as JSON: a list item by item, an upload as ``{"upload": filename}``."""
    if isinstance(value, list):
        return [_shown(item) for item in value]
    if isinstance(value, UploadFile):
        return {"upload": value.filename}
    return value


def _route(path: str, parse: Any) -> Any:
    @post(path, status_code=200)
    async def handler(request: Req) -> list[list[Any]]:
        return [[name, _shown(value)] for name, value in (await parse(request)).items()]

    return handler


ROUTES = {
    "/first": lambda r: form_fields(r),
    "/last": lambda r: form_fields(r, several="last"),
    "/repeated": lambda r: form_fields(r, several="list"),
    "/lists": lambda r: form_fields(r, lists=("tags", "empty")),
    "/lists-last": lambda r: form_fields(r, lists=("tags",), several="last"),
    "/text": lambda r: form_fields(r, as_text=True),
    "/text-lists": lambda r: form_fields(r, lists=("tags",), as_text=True),
    "/form-input": form_input,
    "/form-values": form_values,
}


@pytest.fixture(scope="module")
def forms_client() -> Iterator[TestClient[Any]]:
    handlers = [_route(path, parse) for path, parse in ROUTES.items()]
    with create_test_client(route_handlers=handlers) as client:
        yield client


#: ``a`` twice, ``b`` once, ``tags`` twice, plus the CSRF token (urlencoded).
REPEATED = [("a", "1"), ("_csrf_token", "t0k"), ("b", "x"), ("tags", "p"), ("a", "2")]
REPEATED += [("tags", "q")]


def _post(client: TestClient[Any], path: str, fields: list[tuple[str, str]], **kw: Any) -> Any:
    body = "&".join(f"{name}={value}" for name, value in fields)
    headers = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post(path, content=body, headers=headers, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def _upload(client: TestClient[Any], path: str) -> Any:
    """A multipart form: ``note`` twice, ``doc`` a file, ``tags`` once, and the CSRF token."""
    response = client.post(
        path,
        data={"note": ["one", "two"], "tags": "solo", "_csrf_token": "t0k"},
        files={"doc": ("cv.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_form_fields_default_drops_csrf_and_keeps_first_value(forms_client):
    """The CSRF token is gone; ``a`` sent as 1 then 2 gives 1; names keep their first order."""
    assert _post(forms_client, "/first", REPEATED) == [["a", "1"], ["b", "x"], ["tags", "p"]]


def test_form_fields_several_last_keeps_last_value(forms_client):
    """several="last": ``a`` gives 2 and ``tags`` gives q."""
    assert _post(forms_client, "/last", REPEATED) == [["a", "2"], ["b", "x"], ["tags", "q"]]


def test_form_fields_several_list_gives_list_only_for_repeated_names(forms_client):
    """several="list": names sent twice give both values in order; ``b`` sent once stays one."""
    got = _post(forms_client, "/repeated", REPEATED)
    assert got == [["a", ["1", "2"]], ["b", "x"], ["tags", ["p", "q"]]]


def test_form_fields_lists_names_are_lists_even_when_sent_once(forms_client):
    """``tags`` in lists: a list whether sent twice or once; other names still one value; a
    listed name not sent is absent, not an empty list."""
    assert _post(forms_client, "/lists", REPEATED) == [["a", "1"], ["b", "x"], ["tags", ["p", "q"]]]
    assert _post(forms_client, "/lists", [("tags", "p")]) == [["tags", ["p"]]]


def test_form_fields_lists_win_over_several_last(forms_client):
    """A listed name keeps all its values with several="last"; the others take the last."""
    got = _post(forms_client, "/lists-last", REPEATED)
    assert got == [["a", "2"], ["b", "x"], ["tags", ["p", "q"]]]


def test_form_fields_keeps_uploads_as_upload_files(forms_client):
    """Without as_text a file arrives as an UploadFile; multipart follows the same rules."""
    assert _upload(forms_client, "/first") == [
        ["note", "one"],
        ["tags", "solo"],
        ["doc", {"upload": "cv.pdf"}],
    ]


def test_form_fields_as_text_turns_every_value_into_str(forms_client):
    """as_text: plain values stay their text and a file becomes ``str(upload)``, not an upload,
    in single values and in lists alike."""
    single = dict(_upload(forms_client, "/text"))
    listed = dict(_upload(forms_client, "/text-lists"))
    assert (single["note"], single["tags"]) == ("one", "solo")
    assert listed["tags"] == ["solo"]
    for doc in (single["doc"], listed["doc"]):
        assert isinstance(doc, str)
        assert "cv.pdf" in doc


def test_form_input_lists_only_repeated_names(forms_client):
    """The organizer pages' form_input: repeated names become lists, csrf dropped."""
    got = _post(forms_client, "/form-input", REPEATED)
    assert got == [["a", ["1", "2"]], ["b", "x"], ["tags", ["p", "q"]]]


def test_form_values_takes_last_and_lists_its_list_names(forms_client):
    """Scoring's form_values: the last value wins; ``entries`` is a list even when sent once."""
    fields = [("name", "R1"), ("name", "R2"), ("entries", "7"), ("_csrf_token", "t0k")]
    assert _post(forms_client, "/form-values", fields) == [["name", "R2"], ["entries", ["7"]]]
