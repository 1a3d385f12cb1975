"""A published category for public-results tests: an edition, a closed final round with
submitted score sheets (comments for entrants, private notes), award tiers, a frozen snapshot with
placements and a publication at a chosen time. Intake and scoring rows are inserted as those
capabilities leave them; the results rows as a freeze and publish leave them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from awards.accounts.tables import User
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Category,
    Declaration,
    Edition,
    Entry,
)
from awards.results.tables import (
    AwardTier,
    CategoryRule,
    Correction,
    Placement,
    Publication,
    ResultSnapshot,
)
from awards.scoring.tables import ScoreSheet, ScoringRound

CRITERIA = [c.key for c in DEMO_RUBRIC.criteria]
PRIVATE = "PRIVATE-NOTE-do-not-show"
JUDGE_NAME = "Juri Rahasia"
DISTRICTS = ["Klojen", "Lowokwaru", "Blimbing", "Sukun", "Kedungkandang"]


@dataclass
class Published:
    edition_id: int
    edition_slug: str
    category_id: int
    category_slug: str
    round_id: int
    entries: list[int]
    businesses: list[int]
    judges: list[int]
    snapshot_id: int = 0
    publication_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


async def _judges(n: int, tag: str) -> list[int]:
    ids = []
    for i in range(n):
        rows = await User.insert(
            User(
                email=f"judge{i}-{tag}@example.com",
                password_hash="x",
                display_name=f"{JUDGE_NAME} {i}",
            )
        ).returning(User.id)
        ids.append(rows[0]["id"])
    return ids


async def _entry(edition_id: int, category_id: int, business_id: int, i: int, product: str) -> int:
    """Entry ``i`` of the category, submitted and eligible, as intake leaves it."""
    rows = await Entry.insert(
        Entry(
            edition=edition_id,
            category=category_id,
            business=business_id,
            status="submitted",
            screening="eligible",
            business_name=f"Usaha {i:02d}",
            district=DISTRICTS[i % len(DISTRICTS)],
            sector="kuliner",
            answers={"product_name": f"{product} {i}"},
        )
    ).returning(Entry.id)
    return rows[0]["id"]


async def _closed_round(edition_id: int, category_id: int) -> int:
    """The category's final round, closed three days ago."""
    now = datetime.now(UTC)
    rows = await ScoringRound.insert(
        ScoringRound(
            edition=edition_id,
            category=category_id,
            kind="final",
            status="closed",
            opens_at=now - timedelta(days=10),
            closes_at=now - timedelta(days=3),
            rubric=DEMO_RUBRIC.to_dict(),
        )
    ).returning(ScoringRound.id)
    return rows[0]["id"]


async def make_published(
    *,
    n_entries: int = 6,
    publish_at: datetime | None = None,
    show_full_ranking: bool = False,
    year: int = 2026,
    slug: str | None = None,
    owner_id: int | None = None,
    businesses: list[int] | None = None,
) -> Published:
    """A category with ``n_entries`` scored entries, frozen and published at ``publish_at``
    (default an hour ago); entry ``i`` scores ``10 - i % 10`` by every judge, so entry 0 wins.
    ``owner_id`` becomes a member of the first business; ``businesses`` reuses businesses."""
    now = datetime.now(UTC)
    tag = uuid.uuid4().hex[:8]
    edition_slug = slug or f"anugerah-{year}-{tag}"
    edition = await Edition.insert(
        Edition(
            slug=edition_slug,
            year=year,
            name_id=f"Anugerah UMKM {year}",
            name_en=f"UMKM Awards {year}",
            intake_opens_at=now - timedelta(days=60),
            intake_closes_at=now - timedelta(days=30),
            judging_starts_at=now - timedelta(days=20),
            judging_ends_at=now - timedelta(days=2),
            status="judging",
        )
    ).returning(Edition.id)
    edition_id = edition[0]["id"]
    category = await Category.insert(
        Category(
            edition=edition_id,
            slug="kuliner",
            code="KUL",
            name_id="Kuliner",
            name_en="Culinary",
            rubric=DEMO_RUBRIC.to_dict(),
        )
    ).returning(Category.id)
    category_id = category[0]["id"]
    business_ids, entry_ids = [], []
    for i in range(n_entries):
        if businesses is not None and i < len(businesses):
            business_id = businesses[i]
        else:
            rows = await Business.insert(
                Business(
                    name=f"Usaha {i:02d} {tag}",
                    owner_name=f"Pemilik {i}",
                    nib=f"{edition_id:04d}{i:09d}",
                    district=DISTRICTS[i % len(DISTRICTS)],
                    sector="kuliner",
                )
            ).returning(Business.id)
            business_id = rows[0]["id"]
        business_ids.append(business_id)
        await Declaration.insert(
            Declaration(business=business_id, edition=edition_id, size_class="micro")
        )
        entry_ids.append(await _entry(edition_id, category_id, business_id, i, "Keripik"))
    if owner_id is not None:
        await BusinessMember.insert(BusinessMember(business=business_ids[0], user=owner_id))
    judges = await _judges(3, tag)
    round_id = await _closed_round(edition_id, category_id)
    for i, entry_id in enumerate(entry_ids):
        for j, judge in enumerate(judges):
            value = 10 - i % 10 if j else max(1, 9 - i % 10)
            await ScoreSheet.insert(
                ScoreSheet(
                    round=round_id,
                    entry=entry_id,
                    judge=judge,
                    status="submitted",
                    scores=dict.fromkeys(CRITERIA, value),
                    comments={CRITERIA[0]: f"working note {j}"},
                    comment_to_entrant=f"Saran juri {j} untuk usaha {i}",
                    private_note=f"{PRIVATE} {j}",
                    total=float(value * 10),
                )
            )
    for position, (code, label) in enumerate(
        [("juara1", "Juara 1"), ("juara2", "Juara 2"), ("juara3", "Juara 3")]
    ):
        await AwardTier.insert(
            AwardTier(
                edition=edition_id,
                code=code,
                label_id=label,
                label_en=f"Winner {position + 1}",
                kind="ranked",
                position=position,
            )
        )
    await CategoryRule.insert(
        CategoryRule(category=category_id, show_full_ranking=show_full_ranking)
    )
    world = Published(
        edition_id, edition_slug, category_id, "kuliner", round_id, entry_ids, business_ids, judges
    )
    world.snapshot_id = await freeze_rows(world, version=1)
    world.publication_id = await publish_rows(world, world.snapshot_id, publish_at)
    return world


def placements_for(world: Published, order: list[int] | None = None) -> list[dict[str, Any]]:
    order = order or list(range(len(world.entries)))
    rows = []
    for place, index in enumerate(order, 1):
        rows.append(
            {
                "entry": world.entries[index],
                "engine_rank": place,
                "place": place,
                "score": round(90.0 - 5 * place + 0.25, 4),
                "se": 2.5,
                "raw_mean": 88.0 - 5 * place,
                "p_top3": max(0.0, 1.0 - 0.2 * place),
                "tied_group": place,
                "tied_to": place + (1 if place == 2 else 0),
                "decided_by": "engine",
                "tier": {1: "juara1", 2: "juara2", 3: "juara3"}.get(place, ""),
                "special": "",
                "citation": "Kemasan terbaik tahun ini" if place == 1 else "",
                "override_reason": "",
            }
        )
    return rows


async def freeze_rows(
    world: Published, version: int, order: list[int] | None = None, parent: int | None = None
) -> int:
    """A frozen snapshot (with manifest and placements) as a freeze leaves it."""
    placements = placements_for(world, order)
    manifest = {
        "format": 1,
        "category": {"id": world.category_id, "slug": world.category_slug},
        "rubric": {
            "criteria": [
                {"key": c.key, "weight": c.weight, "min": c.scale_min, "max": c.scale_max}
                for c in DEMO_RUBRIC.criteria
            ]
        },
        "method": "calibrated",
        "params": {"shrinkage": "auto", "top": 3},
        "seed": 20261130,
        "engine_version": "0.1+abc",
        "inputs": {
            "entries": len(world.entries),
            "judges": 3,
            "sheets": 3 * len(world.entries),
            "recused": 2,
            "abstained": 1,
        },
        "reliability": {"krippendorff_alpha": 0.83, "icc2k": 0.9},
        "warnings": ["judge 41 on entry 589 (total 66.67, standardized residual -5.5)"],
        "tied_places": 2,
        "placements": placements,
        "version": version,
    }
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    rows = await ResultSnapshot.insert(
        ResultSnapshot(
            edition=world.edition_id,
            category=world.category_id,
            round=world.round_id,
            version=version,
            parent=parent,
            inputs_hash="0" * 64,
            method="calibrated",
            seed=20261130,
            engine_version="0.1+abc",
            numpy_version="2",
            manifest=text,
            content_hash=uuid.uuid4().hex * 2,
            frozen_at=datetime.now(UTC),
        )
    ).returning(ResultSnapshot.id)
    snapshot_id = rows[0]["id"]
    await Placement.insert(*(Placement(snapshot=snapshot_id, **p) for p in placements))
    return snapshot_id


async def publish_rows(world: Published, snapshot_id: int, publish_at: datetime | None) -> int:
    rows = await Publication.insert(
        Publication(
            snapshot=snapshot_id,
            edition=world.edition_id,
            category=world.category_id,
            publish_at=publish_at or datetime.now(UTC) - timedelta(hours=1),
        )
    ).returning(Publication.id)
    return rows[0]["id"]


async def correct(world: Published, reason: str, order: list[int]) -> int:
    """A corrected version 2 (new order) with its public reason, published now."""
    snapshot = await freeze_rows(world, version=2, order=order, parent=world.snapshot_id)
    await Correction.insert(
        Correction(
            category=world.category_id,
            from_snapshot=world.snapshot_id,
            to_snapshot=snapshot,
            public_reason=reason,
            diff=[{"entry": world.entries[0]}, {"entry": world.entries[1]}],
        )
    )
    await publish_rows(world, snapshot, datetime.now(UTC) - timedelta(minutes=1))
    return snapshot


async def add_photo(world: Published, index: int, storage_root, jpeg: bytes) -> int:
    """Store ``jpeg`` as the product photo of entry ``index`` (as an upload leaves it)."""
    import hashlib

    key = f"ab/cd/{uuid.uuid4().hex}.jpg"
    path = storage_root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg)
    rows = await Attachment.insert(
        Attachment(
            entry=world.entries[index],
            business=world.businesses[index],
            field_key="product_photos",
            storage_key=key,
            content_type="image/jpeg",
            size_bytes=len(jpeg),
            sha256=hashlib.sha256(jpeg).hexdigest(),
        )
    ).returning(Attachment.id)
    return rows[0]["id"]


async def add_published_category(world: Published, slug: str) -> Published:
    """Another category of ``world``'s edition, entered by the same businesses, with its own
    closed round, frozen and published an hour ago as :func:`make_published` leaves one; the
    returned world names it (same edition, businesses and judges)."""
    category_id = (
        await Category.insert(
            Category(
                edition=world.edition_id,
                slug=slug,
                code=slug[:10].upper(),
                position=1,
                name_id=slug.title(),
                rubric=DEMO_RUBRIC.to_dict(),
            )
        ).returning(Category.id)
    )[0]["id"]
    entries = [
        await _entry(world.edition_id, category_id, business, i, slug)
        for i, business in enumerate(world.businesses)
    ]
    round_id = await _closed_round(world.edition_id, category_id)
    await CategoryRule.insert(CategoryRule(category=category_id))
    other = Published(
        world.edition_id,
        world.edition_slug,
        category_id,
        slug,
        round_id,
        entries,
        world.businesses,
        world.judges,
    )
    other.snapshot_id = await freeze_rows(other, version=1)
    other.publication_id = await publish_rows(other, other.snapshot_id, None)
    return other
