"""The judging demo: judges with realistic leniency, conflicts, a closed screening round and an
open final round per category with drafts; loading twice writes nothing."""

from __future__ import annotations

import asyncio

from awards.accounts.demo import load_demo_accounts
from awards.demo import generate_demo
from awards.demo.load import load_demo_edition
from awards.demo.scoring import SCORING_SLUG, demo_judges, load_demo_scoring
from awards.intake.tables import Category, Edition
from awards.scoring.tables import Conflict, JudgeProfile, ScoreSheet, ScoringRound


def _state() -> dict:
    async def read() -> dict:
        edition = await Edition.select().where(Edition.slug == SCORING_SLUG).first()
        return {
            "edition_status": edition["status"],
            "categories": await Category.count().where(Category.edition == edition["id"]),
            "rounds": sorted(
                (r["kind"], r["status"])
                for r in await ScoringRound.select(ScoringRound.kind, ScoringRound.status)
            ),
            "profiles": await JudgeProfile.count(),
            "conflicts": sorted(c["source"] for c in await Conflict.select(Conflict.source)),
            "sheets": sorted(
                (r["round.kind"], r["status"])
                for r in await ScoreSheet.select(ScoreSheet.round.kind, ScoreSheet.status)
            ),
        }

    return asyncio.run(read())


def test_demo_scoring_loads_rounds_judges_and_is_idempotent(settings):
    """Five categories each get a closed screening round (all submitted) and an open final round
    (some drafts); 26 judges with profiles; organizer and declared conflicts; a second load
    writes nothing and still names the two printed judges."""
    asyncio.run(load_demo_accounts(settings))
    asyncio.run(load_demo_edition(settings, generate_demo(seed=7, n_businesses=25)))
    lines = asyncio.run(load_demo_scoring(settings, "panitia@demo.example.org"))
    first = _state()
    again = asyncio.run(load_demo_scoring(settings, "panitia@demo.example.org"))
    kinds = {kind for kind, _ in first["sheets"]}
    assert [line.email for line in lines] == [line.email for line in again]
    assert len(lines) == 2
    assert _state() == first
    assert first["edition_status"] == "judging"
    assert first["rounds"] == [("final", "open")] * 5 + [("screening", "closed")] * 5
    assert first["profiles"] == 26
    assert first["conflicts"] == ["declared", "organizer", "organizer", "organizer"]
    assert kinds == {"screening", "final"}
    assert ("screening", "draft") not in first["sheets"]


def test_demo_judges_have_the_promised_styles():
    """Five harsh, five lenient, one erratic, one who gives everything 7."""
    styles = [j.style for j in demo_judges()]
    biases = [j.bias for j in demo_judges()]
    assert len(styles) == 25
    assert (styles.count("harsh"), styles.count("lenient")) == (5, 5)
    assert (styles.count("erratic"), styles.count("all-sevens")) == (1, 1)
    assert max(biases[:5]) < 0 < min(biases[5:10])


def test_all_sevens_judge_gives_seven_everywhere(settings):
    """Every stored value of the "all 7" judge is 7."""
    asyncio.run(load_demo_accounts(settings))
    asyncio.run(load_demo_edition(settings, generate_demo(seed=7, n_businesses=25)))
    asyncio.run(load_demo_scoring(settings, "panitia@demo.example.org"))
    email = next(j.email for j in demo_judges() if j.style == "all-sevens")

    async def values() -> set[int]:
        rows = (
            await ScoreSheet.select(ScoreSheet.scores)
            .where(ScoreSheet.judge.email == email)
            .output(load_json=True)
        )
        return {v for row in rows for v in row["scores"].values()}

    assert asyncio.run(values()) == {7}
