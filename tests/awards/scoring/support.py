"""Building blocks for scoring tests: an edition in judging with one category (the demo
rubric), businesses with submitted, eligible entries, an organizer and judges with profiles, and
an open round with the engine's assignment applied. Everything goes through the real services
except the intake rows, which are inserted as intake would leave them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import hash_password
from awards.accounts.tables import RoleGrant, User
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import Business, Category, Edition, Entry
from awards.scoring.panel import judges
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import Assignment

PASSWORD = "correct-horse-42"
CRITERIA = [c.key for c in DEMO_RUBRIC.criteria]


@dataclass
class World:
    edition_id: int
    category_id: int
    organizer: CurrentUser
    judges: list[CurrentUser]
    entries: list[int]
    businesses: list[int]
    round_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def judge(self, user_id: int) -> CurrentUser:
        return next(j for j in self.judges if j.id == user_id)


_HASH: list[str] = []


def quick_user(run: Callable[[Any], Any], email: str, *roles: str) -> CurrentUser:
    """An active account whose password is ``PASSWORD``, hashed once per test session (argon2
    costs about a second a hash on this machine); roles are global grants."""
    if not _HASH:
        _HASH.append(run(hash_password(PASSWORD)))

    async def create() -> CurrentUser:
        rows = await User.insert(
            User(email=email, password_hash=_HASH[0], display_name=email.split("@")[0])
        ).returning(User.id)
        for role in roles:
            await RoleGrant.insert(RoleGrant(user=rows[0]["id"], role=role))
        return CurrentUser(
            rows[0]["id"], email, email.split("@")[0], "id", 1, frozenset((r, None) for r in roles)
        )

    return run(create())


def full_scores(value: int = 7) -> dict[str, int]:
    return dict.fromkeys(CRITERIA, value)


async def make_edition(status: str = "judging", time_zone: str = "Asia/Jakarta") -> tuple[int, int]:
    now = datetime.now(UTC)
    edition = await Edition.insert(
        Edition(
            slug=f"ed-{uuid.uuid4().hex[:12]}",
            year=2026,
            name_id="Anugerah Uji",
            time_zone=time_zone,
            intake_opens_at=now - timedelta(days=60),
            intake_closes_at=now - timedelta(days=10),
            judging_starts_at=now - timedelta(days=5),
            judging_ends_at=now + timedelta(days=30),
            status=status,
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
    return edition_id, category[0]["id"]


async def make_entries(edition_id: int, category_id: int, n: int) -> tuple[list[int], list[int]]:
    businesses, entries = [], []
    for i in range(n):
        business = await Business.insert(
            Business(
                name=f"Usaha {i:02d}",
                owner_name=f"Pemilik {i:02d}",
                nib=f"{edition_id:03d}{i:010d}",
                phone="081234567890",
                district="Klojen",
                sector="kuliner",
            )
        ).returning(Business.id)
        business_id = business[0]["id"]
        entry = await Entry.insert(
            Entry(
                edition=edition_id,
                category=category_id,
                business=business_id,
                status="submitted",
                screening="eligible",
                business_name=f"Usaha {i:02d}",
                answers={"product_name": f"Produk {i}"},
            )
        ).returning(Entry.id)
        businesses.append(business_id)
        entries.append(entry[0]["id"])
    return entries, businesses


def build_world(
    run: Callable[[Any], Any],
    make_user: Callable[..., CurrentUser] | None = None,
    *,
    n_entries: int = 6,
    n_judges: int = 4,
    k: int = 2,
    capacity: int | None = None,
    blind: bool = False,
    open_round: bool = True,
    assign: bool = True,
    prefix: str = "",
) -> World:
    """An edition in judging with ``n_entries`` entries and ``n_judges`` judges; by default an
    open round (k judges per entry, opened an hour ago, closing in a day) with its assignment.
    ``prefix`` starts the accounts' emails (several worlds in one database)."""
    edition_id, category_id = run(make_edition())
    entries, businesses = run(make_entries(edition_id, category_id, n_entries))
    organizer = quick_user(run, f"{prefix}org@example.com", "organizer")
    judge_users = [quick_user(run, f"{prefix}judge{i}@example.com") for i in range(n_judges)]
    for judge in judge_users:
        run(judges.save_profile(organizer, edition_id, judge.id, capacity=capacity))
    world = World(edition_id, category_id, organizer, judge_users, entries, businesses)
    now = datetime.now(UTC)
    world.round_id = run(
        rounds.create_round(
            organizer,
            category_id,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            judges_per_entry=k,
            blind=blind,
        )
    )
    run(rounds.set_entrants(organizer, world.round_id, "all"))
    if open_round:
        run(rounds.open_round(organizer, world.round_id))
    if assign:
        run(assignments.apply_assignment(organizer, world.round_id))
    return world


def score_round(
    run: Callable[[Any], Any],
    world: World,
    value_of: Callable[[int, int], int | None],
) -> None:
    """Every judge of the world's round declares no conflict on each entry actively assigned
    and saves the scores ``value_of(judge index, entry)`` on all criteria, submitted (None:
    no sheet)."""
    from awards.scoring.judge import sheets
    from awards.scoring.judge.sheets import SheetInput
    from awards.scoring.panel import conflicts

    rows = run(
        Assignment.select(Assignment.entry, Assignment.judge)
        .where((Assignment.round == world.round_id) & (Assignment.status == "active"))
        .order_by(Assignment.id)
    )
    for row in rows:
        judge = world.judge(row["judge"])
        value = value_of(world.judges.index(judge), row["entry"])
        if value is None:
            continue
        run(conflicts.declare(judge, world.round_id, row["entry"], conflict=False))
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                row["entry"],
                SheetInput(scores=full_scores(value)),
                version=0,
                submit=True,
            )
        )


async def panel(round_id: int, entry_id: int) -> list[int]:
    """Active judges of an entry in a round."""
    rows = await Assignment.select(Assignment.judge).where(
        (Assignment.round == round_id)
        & (Assignment.entry == entry_id)
        & (Assignment.status == "active")
    )
    return sorted(row["judge"] for row in rows)


async def assigned_entries(round_id: int, judge_id: int) -> list[int]:
    rows = await Assignment.select(Assignment.entry).where(
        (Assignment.round == round_id)
        & (Assignment.judge == judge_id)
        & (Assignment.status == "active")
    )
    return sorted(row["entry"] for row in rows)
