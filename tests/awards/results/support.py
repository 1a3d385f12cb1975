"""A scored, closed round for results tests: the scoring world (tests/awards/scoring/support.py)
with every assignment submitted (a true quality per entry plus a judge bias), then closed."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from awards.intake.tables import Category, Entry
from awards.results import rules as results_rules
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import Assignment, ScoreSheet, ScoringRound
from tests.awards.scoring.support import CRITERIA, World, build_world


def score_everything(
    run: Callable[[Any], Any], world: World, quality: dict[int, int] | None = None, seed: int = 7
) -> None:
    """Every judge submits every assigned entry (score = quality + bias, per criterion +-1)."""
    rng = random.Random(seed)
    quality = quality or {entry: rng.randint(3, 8) for entry in world.entries}
    bias = {judge.id: b for judge, b in zip(world.judges, (-2, 0, 1, 2, -1, 0), strict=False)}
    rows = run(
        Assignment.select(Assignment.entry, Assignment.judge)
        .where(Assignment.round == world.round_id)
        .order_by(Assignment.id)
    )
    for row in rows:
        judge = world.judge(row["judge"])
        run(conflicts.declare(judge, world.round_id, row["entry"], conflict=False))
        value = max(1, min(10, quality[row["entry"]] + bias[judge.id]))
        scores = {key: max(1, min(10, value + (i % 3) - 1)) for i, key in enumerate(CRITERIA)}
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                row["entry"],
                SheetInput(scores=scores, confidence="medium"),
                version=0,
                submit=True,
            )
        )


def scored_world(
    run: Callable[[Any], Any],
    *,
    n_entries: int = 8,
    n_judges: int = 4,
    k: int = 3,
    quality: dict[int, int] | None = None,
    rule: dict[str, Any] | None = None,
) -> World:
    """An edition in judging with one category whose round is scored and closed; ``rule``
    (keyword arguments of :func:`awards.results.rules.declare_rule`) is declared before the
    round opens; ``quality`` maps entry positions to their true quality."""
    world = build_world(run, n_entries=n_entries, n_judges=n_judges, k=k, open_round=False,
                        assign=False)  # fmt: skip
    if rule is not None:
        run(results_rules.declare_rule(world.organizer, world.category_id, **rule))
    run(rounds.open_round(world.organizer, world.round_id))
    run(assignments.apply_assignment(world.organizer, world.round_id))
    if quality is not None:
        quality = {world.entries[i]: q for i, q in quality.items()}
    score_everything(run, world, quality)
    run(rounds.close_round(world.organizer, world.round_id))
    return world


async def copy_round(round_id: int, **changes: Any) -> int:
    """A copy of a scoring round (no sheets), with ``changes``; returns its id."""
    row = await ScoringRound.select().where(ScoringRound.id == round_id).first()
    fields = {name: value for name, value in row.items() if name != "id"}
    fields.update(changes)
    return (await ScoringRound.insert(ScoringRound(**fields)))[0]["id"]


async def copy_scored_entries(from_round: int, category_id: int, to_round: int) -> list[int]:
    """Copy every entry scored in ``from_round`` into ``category_id`` (same business, answers
    and groups) with a copy of each of its sheets in ``to_round``; returns the new entries."""
    sheets = await ScoreSheet.select().where(ScoreSheet.round == from_round)
    entry_ids = sorted({sheet["entry"] for sheet in sheets})
    entries = await Entry.select().where(Entry.id.is_in(entry_ids or [0]))
    tag = uuid.uuid4().hex[:8]
    new_id = {}
    for row in entries:
        fields = {name: value for name, value in row.items() if name != "id"}
        fields.update(category=category_id, import_key=None)
        if row["receipt_number"]:
            fields["receipt_number"] = f"{row['receipt_number']}-{tag}"
        new_id[row["id"]] = (await Entry.insert(Entry(**fields)))[0]["id"]
    for sheet in sheets:
        fields = {name: value for name, value in sheet.items() if name != "id"}
        fields.update(round=to_round, entry=new_id[sheet["entry"]])
        await ScoreSheet.insert(ScoreSheet(**fields))
    return sorted(new_id.values())


async def copy_scored_category(world: World, code: str) -> int:
    """A second category of the world's edition, with a copy of the world's round and of its
    scored entries and sheets; returns the category's id."""
    row = await Category.select().where(Category.id == world.category_id).first()
    fields = {name: value for name, value in row.items() if name != "id"}
    fields.update(slug=code.lower(), code=code, name_id=f"Kategori {code}")
    category_id = (await Category.insert(Category(**fields)))[0]["id"]
    round_id = await copy_round(world.round_id, category=category_id)
    await copy_scored_entries(world.round_id, category_id, round_id)
    return category_id
