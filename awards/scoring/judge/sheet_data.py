"""What a judge sends, what a stored sheet looks like, and the checks on a sheet's values.

* :func:`clean_input`: every criterion value an integer on its scale (all of them on submit),
  comments of at most ``MAX_COMMENT`` characters for criteria of the rubric, confidence low /
  medium / high; on submit, a criterion comment where the round requires one (a score below
  ``comment_below`` or above ``comment_above``: :func:`awards.scoring.rules.missing_comments`).
  Drafts save without the required comments.
* :func:`rubric_total`: the engine's total of one sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import judging
from awards.errors import ValidationError
from awards.i18n import _
from awards.scoring.rules import (
    CONFIDENCES,
    criteria_of,
    engine_rubric,
    missing_comments,
    parse_scores,
)

__all__ = [
    "MAX_COMMENT",
    "SheetInput",
    "SheetView",
    "clean_input",
    "rubric_total",
    "sheet_view",
    "snapshot",
]

MAX_COMMENT = 2000


@dataclass(frozen=True)
class SheetInput:
    """What a judge sends: criterion values (strings or numbers), comments, confidence."""

    scores: Mapping[str, Any] = field(default_factory=dict)
    comments: Mapping[str, str] = field(default_factory=dict)
    confidence: str = "medium"
    comment_to_entrant: str = ""
    private_note: str = ""


@dataclass(frozen=True)
class SheetView:
    """A stored sheet (``id`` 0 and ``version`` 0: nothing saved yet)."""

    id: int
    round_id: int
    entry_id: int
    status: str
    version: int
    scores: dict[str, int]
    comments: dict[str, str]
    confidence: str
    comment_to_entrant: str
    private_note: str
    total: float | None
    submitted_at: datetime | None
    updated_at: datetime | None
    replayed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "round": self.round_id,
            "entry": self.entry_id,
            "status": self.status,
            "version": self.version,
            "scores": self.scores,
            "comments": self.comments,
            "confidence": self.confidence,
            "comment_to_entrant": self.comment_to_entrant,
            "private_note": self.private_note,
            "total": self.total,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def snapshot(row: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a sheet row kept in its history."""
    return {
        "status": row["status"],
        "scores": dict(row["scores"] or {}),
        "comments": dict(row["comments"] or {}),
        "confidence": row["confidence"],
        "comment_to_entrant": row["comment_to_entrant"],
        "private_note": row["private_note"],
        "total": row["total"],
        "reason": row.get("reason", ""),
    }


def sheet_view(
    row: Mapping[str, Any] | None, round_id: int, entry_id: int, **extra: Any
) -> SheetView:
    if row is None:
        return SheetView(
            0, round_id, entry_id, "new", 0, {}, {}, "medium", "", "", None, None, None
        )
    return SheetView(
        id=row["id"],
        round_id=row["round"],
        entry_id=row["entry"],
        status=row["status"],
        version=row["version"],
        scores=dict(row["scores"] or {}),
        comments=dict(row["comments"] or {}),
        confidence=row["confidence"],
        comment_to_entrant=row["comment_to_entrant"],
        private_note=row["private_note"],
        total=row["total"],
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
        **extra,
    )


def clean_input(round_row: Mapping[str, Any], data: SheetInput, complete: bool) -> dict[str, Any]:
    """The sheet's values checked against the round (see the module docstring), or
    :class:`ValidationError` with a translated message per field."""
    rubric = round_row["rubric"]
    scores, problems = parse_scores(rubric, data.scores, complete=complete)
    errors = {name: _(message) % params for name, (message, params) in problems.items()}
    keys = {c.key for c in criteria_of(rubric)}
    comments = {k: str(v).strip() for k, v in data.comments.items() if k in keys and str(v).strip()}
    for key, text in comments.items():
        if len(text) > MAX_COMMENT:
            errors[f"comments.{key}"] = _("Use at most %(n)s characters.") % {"n": MAX_COMMENT}
    if data.confidence not in CONFIDENCES:
        errors["confidence"] = _("Choose low, medium or high.")
    if complete:
        required = missing_comments(
            rubric, scores, comments, round_row.get("comment_below"), round_row.get("comment_above")
        )
        errors |= {name: _(message) % params for name, (message, params) in required.items()}
    for name in ("comment_to_entrant", "private_note"):
        if len(getattr(data, name)) > MAX_COMMENT:
            errors[name] = _("Use at most %(n)s characters.") % {"n": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    return {
        "scores": scores,
        "comments": comments,
        "confidence": data.confidence,
        "comment_to_entrant": data.comment_to_entrant.strip(),
        "private_note": data.private_note.strip(),
    }


def rubric_total(round_row: Mapping[str, Any], scores: Mapping[str, int]) -> float:
    """The engine's rubric total of one sheet (:func:`judging.build_sheet`): the weighted mean
    of the criteria mapped to 0-100, ``sum_c w_c * 100 * (s_c - min_c) / (max_c - min_c) /
    sum_c w_c``."""
    keys = list(scores)
    sheet = judging.build_sheet(
        ["e"] * len(keys),
        ["j"] * len(keys),
        [float(scores[k]) for k in keys],
        criteria=keys,
        rubric=engine_rubric(round_row["rubric"]),
    )
    return float(sheet.total[0])
