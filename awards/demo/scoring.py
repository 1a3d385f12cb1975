"""The scoring demo: a second competition of the same shape, in judging.

"Produk Unggulan Kota Malang 2026" reuses the demo businesses whose 2026 entries were submitted
(each enters the same category again, screened eligible). It has 25 judges with realistic
leniency (five harsh, five lenient, thirteen ordinary, one erratic, one who gives everything
7) plus the demo judge account, a few conflicts (entered by the organizer and declared by
judges), a completed screening round in every category scored from a known true quality per
entry, and an open final round of each category's engine top 10 with some sheets submitted and
some drafts. Loading is idempotent: when the edition exists nothing is written.

Judge j's score of entry e on criterion c is ``clip(round(q_e + d_ec + b_j + n), 1, 10)`` with
true quality ``q_e``, a per-criterion offset ``d_ec ~ N(0, 0.6)``, the judge's bias ``b_j`` and
noise ``n ~ N(0, s_j)`` (``s_j`` 0.6, the erratic judge 2.5); the "all 7" judge gives 7.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import judging
from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import hash_password
from awards.accounts.services import grant_audited
from awards.accounts.tables import User
from awards.intake.bulk.service import chunks
from awards.intake.tables import Category, Edition, Entry
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.rules import criteria_of, engine_rubric
from awards.scoring.tables import (
    Assignment,
    Conflict,
    JudgeProfile,
    ScoreSheet,
    ScoringRound,
    SheetRevision,
)
from awards.settings import Settings

__all__ = ["DEMO_JUDGE_PASSWORD", "SCORING_SLUG", "DemoJudgeLine", "load_demo_scoring"]

SCORING_SLUG = "unggulan-malang-2026"
DEMO_JUDGE_PASSWORD = "demo-juri-2026"
SOURCE_SLUG = "malang-2026"
FINALISTS = 10

_NAMES = (
    "Bambang Sutrisno", "Dewi Lestari", "Agus Salim", "Ratna Sari", "Heru Wibowo",
    "Lina Marlina", "Joko Santoso", "Maya Puspita", "Andi Firmansyah", "Siti Aminah",
    "Budi Hartanto", "Rahmawati Putri", "Eko Saputro", "Indah Permata", "Fajar Nugroho",
    "Yuliana Dewi", "Teguh Prakoso", "Wulan Sari", "Hadi Susanto", "Nurul Hidayah",
    "Rizky Ramadhan", "Ayu Lestari", "Slamet Riyadi", "Tri Wahyuni", "Gunawan Setiadi",
)  # fmt: skip


@dataclass(frozen=True)
class DemoJudge:
    email: str
    name: str
    affiliation: str
    bias: float
    noise: float
    style: str


@dataclass(frozen=True)
class DemoJudgeLine:
    """A printed judge account and what it can do in the demo."""

    email: str
    password: str
    can: str


def demo_judges() -> list[DemoJudge]:
    """The 25 judges: harsh (biases -2.0..-1.2), lenient (+1.2..+2.0), ordinary (small biases),
    one erratic, one who gives everything 7."""
    rng = random.Random(2026)
    out = []
    for i, name in enumerate(_NAMES):
        if i < 5:
            style, bias, noise = "harsh", -2.0 + 0.2 * i, 0.6
        elif i < 10:
            style, bias, noise = "lenient", 1.2 + 0.2 * (i - 5), 0.6
        elif i == 23:
            style, bias, noise = "erratic", 0.0, 2.5
        elif i == 24:
            style, bias, noise = "all-sevens", 0.0, 0.0
        else:
            style, bias, noise = "ordinary", round(rng.gauss(0, 0.4), 2), 0.6
        local = name.lower().replace(" ", ".")
        affiliation = ("Universitas Brawijaya", "Politeknik Negeri Malang", "Dinas Koperasi")[i % 3]
        out.append(DemoJudge(f"{local}@juri.example.org", name, affiliation, bias, noise, style))
    return out


def _score(judge: DemoJudge, quality: float, offset: float, rng: random.Random) -> int:
    if judge.style == "all-sevens":
        return 7
    return max(1, min(10, round(quality + offset + judge.bias + rng.gauss(0, judge.noise))))


async def _users(judges: list[DemoJudge]) -> dict[str, int]:
    password_hash = await hash_password(DEMO_JUDGE_PASSWORD)
    ids: dict[str, int] = {}
    for judge in judges:
        row = await User.select(User.id).where(User.email == judge.email).first()
        if row is None:
            rows = await User.insert(
                User(email=judge.email, password_hash=password_hash, display_name=judge.name)
            ).returning(User.id)
            row = rows[0]
        ids[judge.email] = row["id"]
    return ids


async def _edition(source: dict[str, Any]) -> tuple[int, dict[int, int]]:
    """The judging edition and its categories (copied); ``source category id -> new id``."""
    now = datetime.now(UTC)
    rows = await Edition.insert(
        Edition(
            slug=SCORING_SLUG, year=source["year"],
            name_id="Produk Unggulan Kota Malang 2026", name_en="Malang Featured Products 2026",
            description_id="Kompetisi contoh pada tahap penjurian.",
            description_en="A sample competition in its judging stage.",
            time_zone=source["time_zone"], intake_opens_at=now - timedelta(days=90),
            intake_closes_at=now - timedelta(days=40), judging_starts_at=now - timedelta(days=30),
            judging_ends_at=now + timedelta(days=30), status="judging",
            size_thresholds=source["size_thresholds"], districts=source["districts"],
            sectors=source["sectors"],
        )
    ).returning(Edition.id)  # fmt: skip
    edition_id = rows[0]["id"]
    return edition_id, await copy_categories(source["id"], edition_id)


async def copy_categories(source_edition_id: int, edition_id: int) -> dict[int, int]:
    """Copy every category of one edition (form, rubric, eligibility) into another, in order;
    returns ``source category id -> new id``."""
    mapping = {}
    for c in (
        await Category.select()
        .where(Category.edition == source_edition_id)
        .output(load_json=True)
        .order_by(Category.position)
    ):
        new = await Category.insert(
            Category(
                edition=edition_id, slug=c["slug"], code=c["code"], position=c["position"],
                name_id=c["name_id"], name_en=c["name_en"], eligibility=c["eligibility"],
                form=c["form"], rubric=c["rubric"],
            )
        ).returning(Category.id)  # fmt: skip
        mapping[c["id"]] = new[0]["id"]
    return mapping


async def _entries(source_id: int, edition_id: int, categories: dict[int, int]) -> list[int]:
    rows = (
        await Entry.select()
        .where(
            (Entry.edition == source_id)
            & (Entry.status == "submitted")
            & (Entry.screening != "ineligible")
        )
        .output(load_json=True)
        .order_by(Entry.id)
    )
    now = datetime.now(UTC)
    new = [
        Entry(
            edition=edition_id, category=categories[r["category"]], business=r["business"],
            status="submitted", screening="eligible", screened_at=now - timedelta(days=35),
            answers={k: v for k, v in r["answers"].items() if not isinstance(v, list)},
            business_name=r["business_name"], district=r["district"], size_class=r["size_class"],
            sector=r["sector"], source="web", submitted_at=now - timedelta(days=45),
        )
        for r in rows
    ]  # fmt: skip
    for chunk in chunks(new):
        await Entry.insert(*chunk)
    return [r["id"] for r in await Entry.select(Entry.id).where(Entry.edition == edition_id)]


async def _sheets(
    round_row: dict[str, Any],
    judges: dict[int, DemoJudge],
    quality: dict[int, float],
    rng: random.Random,
    *,
    submit_share: float,
    draft_share: float,
    now: datetime,
) -> None:
    """Score the round's active assignments: a share submitted, a share left as drafts."""
    criteria = criteria_of(round_row["rubric"])
    rubric = engine_rubric(round_row["rubric"])
    rows = await Assignment.select(Assignment.id, Assignment.entry, Assignment.judge).where(
        (Assignment.round == round_row["id"]) & (Assignment.status == "active")
    )
    offsets = {(e, c.key): rng.gauss(0, 0.6) for e in quality for c in criteria}
    sheets, declared = [], []
    for row in sorted(rows, key=lambda r: r["id"]):
        draw = rng.random()
        if draw >= submit_share + draft_share:
            continue
        judge = judges[row["judge"]]
        scores = {
            c.key: _score(judge, quality[row["entry"]], offsets[(row["entry"], c.key)], rng)
            for c in criteria
        }
        submitted = draw < submit_share
        if not submitted:
            scores = dict(list(scores.items())[: rng.randint(1, len(criteria) - 1)])
        total = None
        if submitted:
            keys = list(scores)
            total = float(
                judging.build_sheet(
                    ["e"] * len(keys), ["j"] * len(keys), [scores[k] for k in keys],
                    criteria=keys, rubric=rubric,
                ).total[0]
            )  # fmt: skip
        confidence = rng.choices(("low", "medium", "high"), (1, 4, 2))[0]
        sheets.append((row, scores, submitted, total, confidence))
        declared.append(row["id"])
    for chunk in chunks(declared):
        await Assignment.update({Assignment.declaration: "clear"}).where(
            Assignment.id.is_in(list(chunk))
        )
    objects = [
        ScoreSheet(
            round=round_row["id"], entry=row["entry"], judge=row["judge"],
            status="submitted" if submitted else "draft", version=1,
            rubric_version=round_row["rubric_version"], scores=scores, confidence=confidence,
            total=total, submitted_at=now if submitted else None, created_at=now, updated_at=now,
        )
        for row, scores, submitted, total, confidence in sheets
    ]  # fmt: skip
    for chunk in chunks(objects):
        await ScoreSheet.insert(*chunk)
    stored = await ScoreSheet.select(
        ScoreSheet.id, ScoreSheet.judge, ScoreSheet.status, ScoreSheet.scores,
        ScoreSheet.confidence, ScoreSheet.total,
    ).where(ScoreSheet.round == round_row["id"]).output(load_json=True)  # fmt: skip
    history = [
        SheetRevision(
            sheet=s["id"], version=1, actor=s["judge"],
            action="submit" if s["status"] == "submitted" else "draft", old_value={},
            new_value={"status": s["status"], "scores": s["scores"], "comments": {},
                       "confidence": s["confidence"], "comment_to_entrant": "",
                       "private_note": "", "total": s["total"], "reason": ""},
            created_at=now,
        )
        for s in stored
    ]  # fmt: skip
    for chunk in chunks(history):
        await SheetRevision.insert(*chunk)


async def load_demo_scoring(settings: Settings, organizer_email: str) -> list[DemoJudgeLine]:
    """Load the judging demo unless its edition exists; return the two printed judges.

    ``organizer_email``: a global organizer account (the demo's), who runs the rounds."""
    db.configure(settings.database_url)
    judges = demo_judges()
    lines = [
        DemoJudgeLine(
            "juri@demo.example.org",
            "demo-juri-2026",
            "open final round: entries to score in every category, some drafts to finish",
        ),
        DemoJudgeLine(
            judges[0].email,
            DEMO_JUDGE_PASSWORD,
            "a harsh judge: final-round entries to score, and a conflict to declare",
        ),
    ]
    if await Edition.exists().where(Edition.slug == SCORING_SLUG):
        return lines
    source = (
        await Edition.select().where(Edition.slug == SOURCE_SLUG).output(load_json=True).first()
    )
    organizer = await User.select(User.id, User.email).where(User.email == organizer_email).first()
    demo_judge = await User.select(User.id).where(User.email == lines[0].email).first()
    if source is None or organizer is None or demo_judge is None:
        return []
    actor = CurrentUser(organizer["id"], organizer["email"], "", "id", 1,
                        frozenset({("organizer", None)}))  # fmt: skip
    rng = random.Random(7)
    async with db.write_transaction():
        edition_id, categories = await _edition(source)
        entry_ids = await _entries(source["id"], edition_id, categories)
        users = await _users(judges)
        by_id = {users[j.email]: j for j in judges}
        by_id[demo_judge["id"]] = DemoJudge(lines[0].email, "Juri Demo", "", 0.3, 0.6, "ordinary")
        for user_id, judge in by_id.items():
            await JudgeProfile.insert(
                JudgeProfile(edition=edition_id, user=user_id, affiliation=judge.affiliation,
                             expertise=[], capacity=80)
            )  # fmt: skip
            await grant_audited(user_id, "judge", edition_id)
    quality = {entry: rng.uniform(3.0, 8.5) for entry in entry_ids}
    entries = await Entry.select(Entry.id, Entry.business).where(Entry.edition == edition_id)
    businesses = sorted({e["business"] for e in entries})
    conflicted = [
        (users[judges[i].email], businesses[i * 7 % len(businesses)]) for i in (3, 11, 17)
    ]
    async with db.write_transaction():
        for judge_id, business in conflicted:
            await Conflict.insert(
                Conflict(edition=edition_id, judge=judge_id, business=business,
                         source="organizer", reason="Kerabat pemilik usaha", created_by=actor.id)
            )  # fmt: skip
        declarer = users[judges[12].email]
        await Conflict.insert(
            Conflict(edition=edition_id, judge=declarer,
                     business=businesses[len(businesses) // 2], source="declared",
                     reason="Pernah menjadi konsultan usaha ini", created_by=declarer)
        )  # fmt: skip
    now = datetime.now(UTC)
    for category_id in categories.values():
        screening = await rounds.create_round(
            actor, category_id, kind="screening", name="Penilaian awal",
            opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=1),
            judges_per_entry=3,
        )  # fmt: skip
        await rounds.set_entrants(actor, screening, "all")
        await rounds.open_round(actor, screening)
        await assignments.apply_assignment(actor, screening)
        round_row = await _round(screening)
        async with db.write_transaction():
            await _sheets(round_row, by_id, quality, rng, submit_share=1.0, draft_share=0.0,
                          now=now - timedelta(days=12))  # fmt: skip
            await ScoringRound.update(
                {ScoringRound.status: "closed", ScoringRound.closes_at: now - timedelta(days=10)}
            ).where(ScoringRound.id == screening)
        final = await rounds.create_round(
            actor, category_id, kind="final", name="Penilaian final",
            opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=14),
            judges_per_entry=5, previous=screening,
        )  # fmt: skip
        await rounds.set_entrants(actor, final, "top_n", count=FINALISTS)
        await rounds.open_round(actor, final)
        await assignments.apply_assignment(actor, final)
        round_row = await _round(final)
        async with db.write_transaction():
            await _sheets(round_row, by_id, quality, rng, submit_share=0.45, draft_share=0.2,
                          now=now - timedelta(hours=6))  # fmt: skip
    return lines


async def _round(round_id: int) -> dict[str, Any]:
    return (
        await ScoringRound.select()
        .where(ScoringRound.id == round_id)
        .output(load_json=True)
        .first()
    )
