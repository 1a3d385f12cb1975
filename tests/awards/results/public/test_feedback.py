"""Entrant feedback: own entry only, after publication, never private notes or judges' names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.awards.helpers import PASSWORD, login
from tests.awards.results.public.support import JUDGE_NAME, PRIVATE, make_published


def _owner(make_user, email="owner@example.id"):
    return make_user(email, PASSWORD, "entrant")


def test_feedback_shows_total_percentiles_and_anonymous_comments(client, run, make_user):
    """The winner's owner sees the normalized total, criterion percentiles and medians, and
    the judges' comments labelled Judge 1..3."""
    owner = _owner(make_user)
    world = run(make_published(owner_id=owner.id))
    login(client, "owner@example.id")
    page = client.get(f"/entries/{world.entries[0]}/feedback")
    assert page.status_code == 200
    text = page.text
    assert "85.2" in text  # placement score 90 - 5 + 0.25
    assert "Saran juri 0 untuk usaha 0" in text
    assert "Saran juri 2 untuk usaha 0" in text
    assert "Juri 3" in text
    assert "Kualitas produk" in text
    assert "92" in text  # top entry: percentile (5 + 0.5) / 6 = 91.7 -> 92


def test_feedback_never_shows_private_notes_or_judge_identities(client, run, make_user):
    """Private notes, working notes, judges' names and e-mails never appear."""
    owner = _owner(make_user)
    world = run(make_published(owner_id=owner.id))
    login(client, "owner@example.id")
    text = client.get(f"/entries/{world.entries[0]}/feedback").text
    assert PRIVATE not in text
    assert JUDGE_NAME not in text
    assert "working note" not in text
    assert "@example.com" not in text
    assert "Saran juri 0 untuk usaha 1" not in text  # another entry's comment


def test_feedback_of_another_business_entry_is_404(client, run, make_user):
    """An entrant opening feedback of an entry they do not manage gets 404."""
    owner = _owner(make_user)
    world = run(make_published(owner_id=owner.id))
    login(client, "owner@example.id")
    assert client.get(f"/entries/{world.entries[1]}/feedback").status_code == 404


def test_feedback_before_publication_says_not_yet(client, run, make_user):
    """Under embargo the page says results are not published and shows no score or comment."""
    owner = _owner(make_user)
    world = run(make_published(owner_id=owner.id, publish_at=datetime.now(UTC) + timedelta(days=1)))
    login(client, "owner@example.id")
    page = client.get(f"/entries/{world.entries[0]}/feedback")
    assert page.status_code == 200
    assert "Saran juri" not in page.text
    assert "85.2" not in page.text


def test_feedback_anonymous_redirects_to_login(client, run):
    """Nobody logged in: the page asks to log in."""
    world = run(make_published())
    response = client.get(f"/entries/{world.entries[0]}/feedback", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
