"""The panel's discussion of one entry inside a moderation case: the only place a judge ever
sees other judges' scores.

Who sees it: a judge of the entry (active assignment, no conflict with its business, the
conflict question answered) who has submitted their own sheet, while the entry's moderation
case is open and the organizers asked its panel to review (:func:`awards.scoring.common.
review_open`). Anyone else, any other entry, a resolved case or a case without a review: 404.
A judge who has not submitted yet is told to submit first (409), so nobody scores after seeing
the others.

What it shows: the organizers' review notes (when), and each panel member's submitted sheet:
criterion scores and comments, the comment for the entrant, confidence and rubric total. The
private notes for organizers are never shown. Members are labelled "you" and Judge A, B, ...
(in order of their sheets), never by name or email. Judges revise their own sheet on the
scoring page while the round accepts scores (a submitted sheet is re-submitted; a lock after
submission does not apply during the review).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.scoring.common import (
    CASE_OPEN,
    REVIEW_ACTION,
    NotFoundError,
    ScoringRefusedError,
    now_utc,
)
from awards.scoring.judge.sheets import judge_access
from awards.scoring.rules import accepts_scores
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    Declaration,
    ModerationAction,
    ScoreSheet,
    SheetStatus,
)

__all__ = ["Discussion", "Member", "panel_discussion"]


@dataclass(frozen=True)
class Member:
    """One panel member's submitted sheet; ``label`` is "A", "B", ... or "" for the viewer."""

    label: str
    me: bool
    scores: dict[str, int]
    comments: dict[str, str]
    comment_to_entrant: str
    confidence: str
    total: float | None
    updated_at: datetime | None


@dataclass(frozen=True)
class Discussion:
    round: dict[str, Any]
    entry_id: int
    case_id: int
    notes: list[dict[str, Any]] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    accepting: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round["id"],
            "entry": self.entry_id,
            "case": self.case_id,
            "accepting": self.accepting,
            "notes": [
                {"note": n["note"], "created_at": n["created_at"].isoformat()} for n in self.notes
            ],
            "members": [
                {
                    "judge": m.label or "you",
                    "me": m.me,
                    "scores": m.scores,
                    "comments": m.comments,
                    "comment_to_entrant": m.comment_to_entrant,
                    "confidence": m.confidence,
                    "total": m.total,
                    "updated_at": m.updated_at.isoformat() if m.updated_at else None,
                }
                for m in self.members
            ],
        }


async def panel_discussion(judge: CurrentUser, round_id: int, entry_id: int) -> Discussion:
    """The entry's discussion for ``judge`` (see the module docstring), in four statements
    however large the panel (the session's user included): the round with the judge's
    access, the open case's review notes, and the submitted sheets of the judges on the
    entry's panel (active, declared clear, not in conflict with the business)."""
    round_row, assignment = await judge_access(judge.id, round_id, entry_id)
    if assignment["declaration"] != Declaration.clear.value:
        raise NotFoundError(f"entry {entry_id}")
    case = ModerationAction.moderation_case
    notes = (
        await ModerationAction.select(
            ModerationAction.note, ModerationAction.created_at, case.id.as_alias("case")
        )
        .where(
            (case.round == round_id)
            & (case.entry == entry_id)
            & (case.status == CASE_OPEN)
            & (ModerationAction.action == REVIEW_ACTION)
        )
        .order_by(ModerationAction.id)
    )
    if not notes:
        raise NotFoundError(f"discussion {entry_id}")
    panel = Assignment.select(Assignment.judge).where(
        (Assignment.round == round_id)
        & (Assignment.entry == entry_id)
        & (Assignment.status == AssignmentStatus.active.value)
        & (Assignment.declaration == Declaration.clear.value)
    )
    conflicted = Conflict.select(Conflict.judge).where(
        (Conflict.edition == round_row["edition"]) & (Conflict.business == assignment["business"])
    )
    sheets = (
        await ScoreSheet.select()
        .where(
            (ScoreSheet.round == round_id)
            & (ScoreSheet.entry == entry_id)
            & (ScoreSheet.status == SheetStatus.submitted.value)
            & ScoreSheet.judge.is_in(panel)
            & ScoreSheet.judge.not_in(conflicted)
        )
        .order_by(ScoreSheet.id)
        .output(load_json=True)
    )
    if not any(s["judge"] == judge.id for s in sheets):
        raise ScoringRefusedError(
            _("Submit your own scores for this entry first; then you can see the panel's.")
        )
    letters = iter(string.ascii_uppercase)
    members = [
        Member(
            label="" if s["judge"] == judge.id else next(letters, "?"),
            me=s["judge"] == judge.id,
            scores=dict(s["scores"] or {}),
            comments=dict(s["comments"] or {}),
            comment_to_entrant=s["comment_to_entrant"],
            confidence=s["confidence"],
            total=s["total"],
            updated_at=s["updated_at"],
        )
        for s in sheets
    ]
    accepting = round_row["edition_status"] == "judging" and accepts_scores(
        round_row["status"], round_row["opens_at"], round_row["closes_at"], now_utc()
    )
    case_id = notes[0]["case"]
    notes = [{"note": n["note"], "created_at": n["created_at"]} for n in notes]
    return Discussion(round_row, entry_id, case_id, notes, members, accepting)
