"""Dates no competition has, and values the database cannot hold, are refused beside their field.

``0001-01-01`` cannot even be converted to UTC from Asia/Jakarta; ``9999-12-31 23:59+07:00``
converts but overflows once shown east of UTC. Every date-and-time input (edition form and API,
round form, scheduled publication) answers 422 naming the field, never ``body`` or a 500; so
does a value that reaches the database and overflows there.
"""

from __future__ import annotations

import pytest

from awards.intake.tables import Edition
from awards.results import visibility
from awards.scoring.tables import Conflict, ScoringRound
from tests.awards.helpers import csrf_token, login, post_form
from tests.awards.intake.entrant_support import entrant_with_business, seed_edition, start_entry
from tests.awards.intake.organizer.test_setup import EDITION_FORM
from tests.awards.intake.organizer_support import make_edition, organizer
from tests.awards.results.support import scored_world
from tests.awards.scoring.rounds.test_pages import NEW, ROUND
from tests.awards.scoring.support import PASSWORD as SCORING_PASSWORD
from tests.awards.scoring.support import build_world

OUT_OF_RANGE = ["0001-01-01T00:00", "9999-12-31T23:59+07:00", "9999-12-31T23:59"]
DATE_FIELDS = [
    "intake_opens_at",
    "intake_closes_at",
    "judging_starts_at",
    "judging_ends_at",
    "results_at",
]
MESSAGE = "Masukkan tanggal antara tahun 2000 dan 2100."


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_edition_form_date_out_of_range_is_422_beside_the_field(app, client, run, value):
    """Each date of the new-edition form, set to the value, is refused beside that field."""
    organizer(app, run, client, "kepala@dinas.example.org")
    for field in DATE_FIELDS:
        response = post_form(client, "/organizer/editions", {**EDITION_FORM, field: value})
        assert response.status_code == 422, (field, response.text[:300])
        assert f'id="error-{field}"' in response.text
        assert MESSAGE in response.text
    assert run(Edition.count()) == 0


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_edition_api_date_out_of_range_is_422_naming_the_field(app, client, run, value):
    """The editions API (create and change) names the field for each out-of-range date."""
    edition = make_edition(run)
    organizer(app, run, client, "kepala@dinas.example.org")
    headers = {"x-csrftoken": csrf_token(client)}
    body = {**EDITION_FORM, "year": 2027, "districts": ["Batu", "Bumiaji"]}
    for field in DATE_FIELDS:
        created = client.post("/api/v1/editions", json={**body, field: value}, headers=headers)
        changed = client.put(
            f"/api/v1/editions/{edition['id']}",
            json={**body, "slug": edition["slug"], field: value},
            headers=headers,
        )
        for response in (created, changed):
            assert response.status_code == 422, (field, response.text)
            assert response.json()["errors"][field] == MESSAGE
    assert run(Edition.count()) == 1


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_round_form_time_out_of_range_is_422_beside_the_field(client, run, value):
    """The new-round form refuses an out-of-range opening or closing time beside it."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    before = run(ScoringRound.count())
    for field in ("opens_at", "closes_at"):
        response = post_form(
            client,
            NEW.format(world.edition_id),
            {**ROUND, "category": str(world.category_id), field: value},
        )
        assert response.status_code == 422, (field, response.text[:300])
        assert f'id="error-{field}"' in response.text
        assert MESSAGE in response.text
    assert run(ScoringRound.count()) == before


def test_round_form_number_beyond_32_bits_is_422_beside_the_field(client, run):
    """Judges per entry and the lock delay beyond 2**31 are refused beside their fields."""
    world = build_world(run, open_round=False, assign=False)
    login(client, world.organizer.email)
    for field in ("judges_per_entry", "lock_minutes"):
        response = post_form(
            client,
            NEW.format(world.edition_id),
            {**ROUND, "category": str(world.category_id), field: str(2**40)},
        )
        assert response.status_code == 422
        assert f'id="error-{field}"' in response.text


def test_value_the_database_cannot_hold_is_422_naming_its_field(client, run):
    """A judge id of 10**20 in the conflict form reaches the database (SQLite: OverflowError,
    PostgreSQL: out of int32 range): the last-line 422 names ``judge``, not ``body``."""
    world = build_world(run, assign=False)
    login(client, world.organizer.email)
    url = f"/organizer/scoring/editions/{world.edition_id}/conflicts"
    response = post_form(client, url, {"judge": str(10**20), "business": "1", "reason": "x"})
    assert response.status_code == 422
    assert '<li data-field="judge">Angka ini terlalu besar.</li>' in response.text
    assert 'data-field="body"' not in response.text
    assert run(Conflict.count()) == 0


def test_scheduled_publication_time_out_of_range_is_422_beside_the_field(client, run):
    """Scheduling results for 0001-01-01 or 9999-12-31 is refused beside publish_at; nothing is
    published."""
    world = scored_world(run)
    login(client, world.organizer.email, SCORING_PASSWORD)
    base = f"/organizer/results/categories/{world.category_id}"
    assert post_form(client, f"{base}/freeze", {}).status_code in (200, 303)
    for value in OUT_OF_RANGE:
        response = post_form(
            client,
            f"{base}/publish",
            {"when": "schedule", "publish_at": value, "confirm": "yes"},
        )
        assert response.status_code == 422, (value, response.text[:300])
        assert f'<p class="form-error">{MESSAGE}</p>' in response.text
    assert run(visibility.visible_publication(world.category_id)) is None


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_entry_date_answer_at_the_calendar_edges_never_breaks_a_page(
    app, client, make_user, run, value
):
    """A date answer of year 1 or 9999 (no bounds set by the form) is kept as typed, and the
    entry page and the organizer's exports still answer."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "tepi@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    response = client.patch(
        f"/api/v1/entries/{entry}",
        json={"answers": {"launched": value}},
        headers={"x-csrftoken": csrf_token(client)},
    )
    assert response.status_code == 200, response.text
    assert client.get(f"/entries/{entry}/edit").status_code == 200
    client.cookies.clear()
    organizer(app, run, client, "ekspor@dinas.example.org", ids["edition"])
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/organizer/editions/{ids['edition']}/export/{fmt}")
        assert exported.status_code == 200, (fmt, exported.text[:300])
