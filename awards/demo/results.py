"""The results demo: last year's edition already published, this year's ready to freeze.

* "Produk Unggulan Kota Malang 2025" (slug :data:`PAST_SLUG`): the same businesses as the judging
  demo (most of them; about one in seven did not enter in 2025), each with a 2025 declaration
  whose size class (PP 7/2021) is one class *lower* than in 2026 for every third small and
  medium business — so the naik kelas page shows real movement — and one class higher for
  every twentieth micro business (moving down). One closed final round per category, every
  entry scored by three of the judging demo's judges (same leniency model), all submitted;
  every category frozen and published when the demo loads, so the edition is published
  (announced). The winners page, the
  methodology and the history read it through :mod:`awards.results.visibility`.
* "Produk Unggulan Kota Malang 2026" (the judging demo): declarations copied from the intake
  demo (so both editions have a class per business), and the first category's final round
  closed, so the printed organizer can freeze and publish it at ``/organizer/results/`` right
  away (the other categories' final rounds stay open for the judges).

Idempotent: when the 2025 edition exists nothing is written.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.demo.scoring import SCORING_SLUG, _round, _sheets, copy_categories, demo_judges
from awards.intake.bulk.service import chunks
from awards.intake.tables import Declaration, Edition, Entry
from awards.results import publishing, snapshots
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import JudgeProfile, ScoringRound
from awards.settings import Settings

__all__ = ["PAST_SLUG", "load_demo_results"]

PAST_SLUG = "unggulan-malang-2025"
LOWER = {"small": "micro", "medium": "small"}
HIGHER = {"micro": "small", "small": "medium"}


def _class_2025(size: str, seen: dict[str, int]) -> str:
    """Every third small or medium business (the first included) was one class lower in 2025;
    every twentieth micro business was one class higher (it moved down)."""
    n = seen[size] = seen.get(size, -1) + 1
    if size in LOWER and n % 3 == 0:
        return LOWER[size]
    if size == "micro" and n % 20 == 19:
        return HIGHER[size]
    return size


async def _past_edition(current: dict[str, Any]) -> tuple[int, dict[int, int]]:
    start = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    rows = await Edition.insert(
        Edition(
            slug=PAST_SLUG, year=2025,
            name_id="Produk Unggulan Kota Malang 2025", name_en="Malang Featured Products 2025",
            description_id="Edisi tahun lalu; hasilnya sudah diumumkan.",
            description_en="Last year's edition; its results are published.",
            time_zone=current["time_zone"], intake_opens_at=start,
            intake_closes_at=start + timedelta(days=60),
            judging_starts_at=start + timedelta(days=70),
            judging_ends_at=start + timedelta(days=110), status="judging",
            size_thresholds=current["size_thresholds"], districts=current["districts"],
            sectors=current["sectors"],
        )
    ).returning(Edition.id)  # fmt: skip
    edition_id = rows[0]["id"]
    return edition_id, await copy_categories(current["id"], edition_id)


async def _declarations(source_slug: str, edition_id: int) -> dict[int, str]:
    """Copy the intake demo's declarations to ``edition_id`` where missing; business -> class."""
    source = await Edition.select(Edition.id).where(Edition.slug == source_slug).first()
    rows = await Declaration.select().where(Declaration.edition == source["id"]) if source else []
    have = {
        r["business"]
        for r in await Declaration.select(Declaration.business).where(
            Declaration.edition == edition_id
        )
    }
    new = [
        Declaration(business=r["business"], edition=edition_id, capital=r["capital"],
                    turnover=r["turnover"], size_class=r["size_class"])
        for r in rows
        if r["business"] not in have
    ]  # fmt: skip
    for chunk in chunks(new):
        await Declaration.insert(*chunk)
    return {r["business"]: r["size_class"] for r in rows}


async def load_demo_results(settings: Settings, organizer_email: str) -> dict[str, Any] | None:
    """Load the results demo (module docstring); ``None`` when the judging demo is missing.
    Returns ``{"past": slug, "loaded": bool, "ready_category": id or None}``."""
    db.configure(settings.database_url)
    if await Edition.exists().where(Edition.slug == PAST_SLUG):
        return {"past": PAST_SLUG, "loaded": False, "ready_category": None}
    current = (
        await Edition.select().where(Edition.slug == SCORING_SLUG).output(load_json=True).first()
    )
    organizer = await User.select(User.id, User.email).where(User.email == organizer_email).first()
    if current is None or organizer is None:
        return None
    actor = CurrentUser(organizer["id"], organizer["email"], "", "id", 1,
                        frozenset({("organizer", None)}))  # fmt: skip
    rng = random.Random(2025)
    judges = demo_judges()
    users = {
        r["email"]: r["id"]
        for r in await User.select(User.id, User.email).where(
            User.email.is_in([j.email for j in judges])
        )
    }
    by_id = {users[j.email]: j for j in judges if j.email in users}
    async with db.write_transaction():
        classes_2026 = await _declarations("malang-2026", current["id"])
        edition_id, categories = await _past_edition(current)
        entries = await Entry.select().where(Entry.edition == current["id"]).output(load_json=True)
        new, declarations, seen, declared = [], [], {}, set()
        for r in sorted(entries, key=lambda r: r["id"]):
            if rng.random() < 0.15:
                continue
            size = _class_2025(classes_2026.get(r["business"], r["size_class"]), seen)
            submitted = datetime(2025, 4, 20, 3, 0, tzinfo=UTC)
            new.append(
                Entry(
                    edition=edition_id, category=categories[r["category"]],
                    business=r["business"], status="submitted", screening="eligible",
                    screened_at=submitted + timedelta(days=20), answers=r["answers"],
                    business_name=r["business_name"], district=r["district"], size_class=size,
                    sector=r["sector"], source="web", submitted_at=submitted,
                )
            )  # fmt: skip
            if r["business"] not in declared:  # one declaration per business and edition
                declared.add(r["business"])
                declarations.append(
                    Declaration(business=r["business"], edition=edition_id, size_class=size)
                )
        for chunk in chunks(new):
            await Entry.insert(*chunk)
        for chunk in chunks(declarations):
            await Declaration.insert(*chunk)
        for user_id in by_id:
            await JudgeProfile.insert(
                JudgeProfile(edition=edition_id, user=user_id, expertise=[], capacity=None)
            )
    past_entries = await Entry.select(Entry.id).where(Entry.edition == edition_id)
    quality = {e["id"]: rng.uniform(3.0, 8.5) for e in past_entries}
    now = datetime.now(UTC)
    with_entries = {
        r["category"] for r in await Entry.select(Entry.category).where(Entry.edition == edition_id)
    }
    scored = [c for c in categories.values() if c in with_entries]
    for category_id in scored:
        final = await rounds.create_round(
            actor, category_id, kind="final", name="Penilaian final",
            opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=1),
            judges_per_entry=3,
        )  # fmt: skip
        await rounds.set_entrants(actor, final, "all")
        await rounds.open_round(actor, final)
        await assignments.apply_assignment(actor, final)
        round_row = await _round(final)
        async with db.write_transaction():
            await _sheets(round_row, by_id, quality, rng, submit_share=1.0, draft_share=0.0,
                          now=now - timedelta(days=1))  # fmt: skip
        await rounds.close_round(actor, final)
    for category_id in scored:
        frozen = await snapshots.freeze(actor, category_id)
        await publishing.publish(actor, frozen.snapshot_id)
    ready = await _ready_category(actor, current["id"])
    return {"past": PAST_SLUG, "loaded": True, "ready_category": ready}


async def _ready_category(actor: CurrentUser, edition_id: int) -> int | None:
    """Close the first category's open final round of the current edition (freeze-ready)."""
    row = (
        await ScoringRound.select(ScoringRound.id, ScoringRound.category)
        .where(
            (ScoringRound.edition == edition_id)
            & (ScoringRound.kind == "final")
            & (ScoringRound.status == "open")
        )
        .order_by(ScoringRound.category)
        .first()
    )
    if row is None:
        return None
    await rounds.close_round(actor, row["id"])
    return row["category"]
