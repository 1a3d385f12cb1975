"""The results demo: 2025 published with class movement, 2026 has a category ready to freeze."""

from __future__ import annotations

import asyncio

from awards.accounts.demo import load_demo_accounts
from awards.demo import generate_demo
from awards.demo.load import load_demo_edition
from awards.demo.results import PAST_SLUG, load_demo_results
from awards.demo.scoring import SCORING_SLUG, load_demo_scoring
from awards.intake.tables import Declaration, Edition
from awards.results import snapshots, visibility
from awards.results.tables import ResultSnapshot
from awards.scoring.tables import ScoringRound

ORGANIZER = "panitia@demo.example.org"


def _read(coroutine_function):
    return asyncio.run(coroutine_function())


def test_demo_results_publishes_2025_and_readies_2026(settings):
    """2025: every category published and verifiable, edition announced, some businesses in a
    lower class than in 2026; 2026: one final round closed; loading again writes nothing."""
    asyncio.run(load_demo_accounts(settings))
    asyncio.run(load_demo_edition(settings, generate_demo(seed=7, n_businesses=60)))
    asyncio.run(load_demo_scoring(settings, ORGANIZER))
    result = asyncio.run(load_demo_results(settings, ORGANIZER))

    async def state():
        past = await Edition.select().where(Edition.slug == PAST_SLUG).first()
        current = await Edition.select().where(Edition.slug == SCORING_SLUG).first()
        published = await visibility.published_categories(past["id"])
        first = await ResultSnapshot.select(ResultSnapshot.id).first()
        verified = await snapshots.verify(first["id"])
        rank = {"micro": 0, "small": 1, "medium": 2}
        old = {
            d["business"]: d["size_class"]
            for d in await Declaration.select().where(Declaration.edition == past["id"])
        }
        new = {
            d["business"]: d["size_class"]
            for d in await Declaration.select().where(Declaration.edition == current["id"])
        }
        up = sum(1 for b in old if b in new and rank[new[b]] > rank[old[b]])
        closed = await ScoringRound.count().where(
            (ScoringRound.edition == current["id"]) & (ScoringRound.status == "closed")
            & (ScoringRound.kind == "final")
        )  # fmt: skip
        return past["status"], len(published), verified.ok, up, closed

    status, published, verified, up, closed = _read(state)
    again = asyncio.run(load_demo_results(settings, ORGANIZER))
    assert result["loaded"]
    assert result["ready_category"]
    assert status == "published"
    assert published >= 3
    assert verified
    assert up > 0
    assert closed == 1
    assert again["loaded"] is False
