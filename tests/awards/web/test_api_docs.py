"""The API documentation at /schema works offline: only vendored, same-site assets."""

from __future__ import annotations

import re

from awards.web.api_docs import REDOC_JS_URL


def test_schema_page_references_only_local_assets(client):
    """/schema renders Redoc from the vendored script; no http(s):// script, link or font."""
    response = client.get("/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    sources = re.findall(r"""<script[^>]*\ssrc=["']([^"']+)["']""", response.text)
    assert sources == [REDOC_JS_URL]
    hrefs = re.findall(r"""<link[^>]*\shref=["']([^"']+)["']""", response.text)
    assert not [href for href in hrefs if re.match(r"(https?:)?//", href)]
    assert "fonts.googleapis.com" not in response.text


def test_schema_viewer_script_served_from_static(client):
    """The vendored Redoc bundle is served with 200 as JavaScript and defines Redoc."""
    response = client.get(REDOC_JS_URL)
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "Redoc" in response.text


def test_schema_json_served_beside_the_viewer(client):
    """/schema/openapi.json is the OpenAPI document the viewer embeds."""
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Anugerah API"
    assert "/api/v1/auth/login" in response.json()["paths"]
