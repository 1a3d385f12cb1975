"""Landing page, health check, language switch, error pages."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import TestClient

from awards import db
from awards.app import create_app
from awards.settings import Settings
from tests.awards.helpers import (
    PASSWORD,
    TEST_SECRET,
    login,
    post_form,
    postgres_admin,
    scratch_postgres_database,
)
from tests.conftest import is_postgres_run


def test_landing_page_in_indonesian_by_default(client):
    """The landing page explains the competition, in Bahasa Indonesia, with lang="id"."""
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Penghargaan Daya Saing UMKM Kota Malang" in response.text
    assert "<title>" in response.text


def test_language_switch_persists_and_returns_to_page(client):
    """Choosing English stores it in the session and redirects back to the same page."""
    response = post_form(client, "/language", {"language": "en", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    page = client.get("/")
    assert '<html lang="en">' in page.text
    assert "Malang UMKM Competitiveness Awards" in page.text


def test_language_switch_refuses_external_next(client):
    """A ``next`` pointing to another site is replaced by the home page."""
    response = post_form(client, "/language", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["location"] == "/"


def test_language_choice_is_saved_on_the_account(client, make_user):
    """A logged-in user's language choice is kept on the account for the next login."""
    make_user("sari@example.id")
    login(client, "sari@example.id")
    post_form(client, "/language", {"language": "en", "next": "/"})
    post_form(client, "/logout", {})
    client.cookies.clear()
    login(client, "sari@example.id", PASSWORD)
    assert '<html lang="en">' in client.get("/account").text


def test_language_chosen_before_login_is_kept_and_saved(client, make_user):
    """English picked on the login page survives the login and is saved on the account."""
    make_user("tari@example.id")
    post_form(client, "/language", {"language": "en", "next": "/login"})
    login(client, "tari@example.id")
    assert '<html lang="en">' in client.get("/account").text
    post_form(client, "/logout", {})
    client.cookies.clear()
    login(client, "tari@example.id")
    assert '<html lang="en">' in client.get("/account").text


def test_language_left_by_previous_user_does_not_override_account(client, make_user):
    """After one user logs out in English, the next user on that browser gets their own language."""
    make_user("umar@example.id")
    make_user("vina@example.id")
    login(client, "umar@example.id")
    post_form(client, "/language", {"language": "en", "next": "/"})
    post_form(client, "/logout", {})
    assert '<html lang="en">' in client.get("/").text
    login(client, "vina@example.id")
    assert '<html lang="id">' in client.get("/account").text


def test_healthz_reports_database_ok(client):
    """/healthz is 200 with the database status."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unusable(tmp_path):
    """/healthz answers 503 when the database cannot answer (here: an empty, unmigrated file)."""
    settings = Settings.from_env(
        {
            "ANUGERAH_DATA_DIR": str(tmp_path),
            "ANUGERAH_DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite",
            "ANUGERAH_SECRET_KEY": TEST_SECRET,
        }
    )
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_healthz_503_when_postgresql_database_goes_away(tmp_path):
    """A running app answers 503 once its PostgreSQL database is gone, and 200 before."""
    with scratch_postgres_database("anugerah_health") as (name, url):
        db.configure(url)
        asyncio.run(db.migrate())
        settings = Settings.from_env(
            {
                "ANUGERAH_DATA_DIR": str(tmp_path),
                "ANUGERAH_DATABASE_URL": url,
                "ANUGERAH_SECRET_KEY": TEST_SECRET,
            }
        )
        with TestClient(app=create_app(settings)) as client:
            before = client.get("/healthz")
            postgres_admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            after = client.get("/healthz")
    assert before.status_code == 200
    assert after.status_code == 503
    assert after.json() == {"status": "error", "database": "unreachable"}


def test_unknown_page_is_404_page_without_traceback(client):
    """A missing page renders the 404 page (HTML), no stack trace."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "404" in response.text
    assert "Traceback" not in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_static_stylesheet_served(client):
    """The stylesheet is served from /static."""
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.text
