"""Scoring's preconditions on the edition life cycle (registered in
:mod:`awards.intake.editions.lifecycle`).

* judging -> closed (back to screening) only while no score sheet has been submitted: screening
  decisions must not change under scores already given.
* judging -> published only when no round is still open: publishing locks the edition, and a
  round left open would go on accepting scores behind the published results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awards.i18n import _, ngettext
from awards.intake.editions.lifecycle import Blocker, register_precondition
from awards.intake.tables import EditionStatus
from awards.scoring.tables import RoundStatus, ScoreSheet, ScoringRound, SheetStatus

__all__ = ["no_open_round", "no_submitted_scores"]


ROUNDS_URL = "/organizer/scoring/"


@register_precondition(EditionStatus.judging, EditionStatus.closed)
async def no_submitted_scores(edition: Mapping[str, Any]) -> list[Blocker]:
    """Judging returns to screening only while no sheet of the edition has been submitted."""
    count = await ScoreSheet.count().where(
        ScoreSheet.round.is_in(
            ScoringRound.select(ScoringRound.id).where(ScoringRound.edition == edition["id"])
        )
        & (ScoreSheet.status == SheetStatus.submitted.value)
    )
    if not count:
        return []
    message = ngettext(
        "%(num)d score sheet has already been submitted.",
        "%(num)d score sheets have already been submitted.",
        count,
    ) % {"num": count}
    return [Blocker(message, ((_("Scoring rounds"), ROUNDS_URL),))]


@register_precondition(EditionStatus.judging, EditionStatus.published)
async def no_open_round(edition: Mapping[str, Any]) -> list[Blocker]:
    """Results are published only when every round of the edition is closed (or never opened)."""
    count = await ScoringRound.count().where(
        (ScoringRound.edition == edition["id"]) & (ScoringRound.status == RoundStatus.open.value)
    )
    if not count:
        return []
    message = ngettext(
        "%(num)d scoring round is still open; close it first.",
        "%(num)d scoring rounds are still open; close them first.",
        count,
    ) % {"num": count}
    return [Blocker(message, ((_("Scoring rounds"), ROUNDS_URL),))]
