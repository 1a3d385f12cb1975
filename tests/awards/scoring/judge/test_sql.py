"""The judge's plain SQL against its Piccolo twin: ``REVIEW_OPEN_SQL`` (queue, entry page and
sheet save) and :func:`awards.scoring.common.review_open` say the same about every entry."""

from __future__ import annotations

from awards import db
from awards.scoring.common import review_open
from awards.scoring.judge.sql import REVIEW_OPEN_SQL
from awards.scoring.tables import ModerationAction, ModerationCase
from tests.awards.scoring.support import build_world

#: ``REVIEW_OPEN_SQL`` over one (round, entry) pair standing in for the assignment ``a``.
_PAIR_SQL = (
    f"SELECT {REVIEW_OPEN_SQL} "
    "FROM (SELECT CAST({} AS INTEGER) AS round, CAST({} AS INTEGER) AS entry) a"
)


async def _case(round_id: int, entry_id: int, status: str, *actions: str) -> None:
    rows = await ModerationCase.insert(
        ModerationCase(round=round_id, entry=entry_id, status=status)
    ).returning(ModerationCase.id)
    for action in actions:
        await ModerationAction.insert(
            ModerationAction(moderation_case=rows[0]["id"], action=action, note="n")
        )


async def _sql_review_open(round_id: int, entry_id: int) -> bool:
    rows = await db.fetch(_PAIR_SQL, round_id, entry_id)
    return bool(rows[0]["review_open"])


def test_review_open_sql_agrees_with_review_open_on_every_case(run):
    """Open case asked to review: true; no case, an open case with other actions only, a
    resolved case asked to review (also beside an open case without one), or the same entry in
    another round: false. The SQL and the Python predicate agree on each pair."""
    world = build_world(run, n_entries=6, n_judges=1, open_round=False, assign=False)
    r = world.round_id
    reviewed, untouched, added, resolved, mixed, both = world.entries
    run(_case(r, reviewed, "open", "add_judge", "review"))
    run(_case(r, added, "open", "add_judge"))
    run(_case(r, resolved, "resolved", "review", "accept"))
    run(_case(r, mixed, "resolved", "review", "accept"))
    run(_case(r, mixed, "open", "add_judge"))
    run(_case(r, both, "resolved", "review", "accept"))
    run(_case(r, both, "open", "review"))
    expected = {
        (r, reviewed): True,
        (r, untouched): False,
        (r, added): False,
        (r, resolved): False,
        (r, mixed): False,
        (r, both): True,
        (r + 1, reviewed): False,
        (r + 1, both): False,
    }
    python = {pair: run(review_open(*pair)) for pair in expected}
    sql = {pair: run(_sql_review_open(*pair)) for pair in expected}
    assert python == expected
    assert sql == expected
