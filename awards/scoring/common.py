"""Shared pieces of scoring: errors, the clock, who manages an edition, engine ids.

Exception hierarchy (services raise them; pages and the API translate)::

    Exception
     ├── awards.errors.ValidationError    input refused, a message per field (422 / form again)
     ├── awards.intake.common.NotFoundError
     │                                    no such object *for this user* (always 404: a judge
     │                                    cannot tell an unassigned entry from a missing one)
     └── ScoringRefusedError              not now or not in this state (409); ``message``
          ├── RoundClosedError            the round does not accept scores (server clock)
          └── StaleVersionError           the sheet changed since the client read it;
                                          ``current`` is the sheet as stored
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.intake.common import NotFoundError, zone
from awards.intake.editions.service import can_manage
from awards.intake.tables import Edition
from awards.scoring.tables import ModerationAction, ScoringRound

__all__ = [
    "CASE_OPEN",
    "REVIEW_ACTION",
    "NotFoundError",
    "RoundClosedError",
    "ScoringRefusedError",
    "StaleVersionError",
    "edition_of",
    "local_to_utc",
    "managed_round",
    "managed_round_in_edition",
    "now_utc",
    "require_manager",
    "review_open",
]


class ScoringRefusedError(Exception):
    """The action is refused in the current state; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoundClosedError(ScoringRefusedError):
    """The round is not open for scores (not opened, not yet started, or past its close)."""


class StaleVersionError(ScoringRefusedError):
    """The client's version is not the stored one; ``current`` is the stored sheet view."""

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_to_utc(moment: datetime, time_zone: str) -> datetime:
    """A naive wall-clock time in ``time_zone`` (or an aware time) as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(time_zone))
    return moment.astimezone(UTC)


def require_manager(user: CurrentUser, edition_id: int) -> None:
    """Organizers of the edition (and admins) pass; anyone else gets :class:`NotFoundError`."""
    if not can_manage(user, edition_id):
        raise NotFoundError(f"edition {edition_id}")


async def edition_of(edition_id: int) -> dict[str, Any]:
    row = await Edition.select().where(Edition.id == edition_id).first()
    if row is None:
        raise NotFoundError(f"edition {edition_id}")
    return row


async def managed_round(user: CurrentUser, round_id: int) -> dict[str, Any]:
    """The round if ``user`` manages its edition, else :class:`NotFoundError`."""
    row = (
        await ScoringRound.select()
        .where(ScoringRound.id == round_id)
        .output(load_json=True)
        .first()
    )
    if row is None or not can_manage(user, row["edition"]):
        raise NotFoundError(f"round {round_id}")
    return row


async def managed_round_in_edition(
    user: CurrentUser, round_id: int, *columns: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`managed_round` and the named ``columns`` of its edition (``id`` always), read in
    the same statement."""
    joined = [getattr(ScoringRound.edition, name) for name in dict.fromkeys(("id", *columns))]
    row = (
        await ScoringRound.select(ScoringRound.all_columns(), *joined)
        .where(ScoringRound.id == round_id)
        .output(load_json=True, nested=True)
        .first()
    )
    if row is None or not can_manage(user, row["edition"]["id"]):
        raise NotFoundError(f"round {round_id}")
    return row | {"edition": row["edition"]["id"]}, row["edition"]


#: A moderation case's status while it is undecided, and the recorded action that asks the
#: entry's panel to review: what "review requested" means, for :func:`review_open` here, for
#: its SQL twin :data:`awards.scoring.judge.sql.REVIEW_OPEN_SQL` (the judge's hot path) and for
#: the moderation service that opens cases and records actions.
CASE_OPEN = "open"
REVIEW_ACTION = "review"


async def review_open(round_id: int, entry_id: int) -> bool:
    """True while the entry has an open moderation case in the round in which the organizers
    asked the entry's panel to review (the panel's discussion is open, and its judges may
    revise a submitted sheet even past ``lock_minutes`` while the round is open).

    The same test as :data:`awards.scoring.judge.sql.REVIEW_OPEN_SQL`, which the judge's
    queue, entry page and sheet save run inside their one statement; both use
    :data:`CASE_OPEN` and :data:`REVIEW_ACTION`, and
    ``tests/awards/scoring/judge/test_sql.py`` checks that they agree."""
    case = ModerationAction.moderation_case
    return await ModerationAction.exists().where(
        (case.round == round_id)
        & (case.entry == entry_id)
        & (case.status == CASE_OPEN)
        & (ModerationAction.action == REVIEW_ACTION)
    )
