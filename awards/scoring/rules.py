"""Pure scoring rules: no database, no HTTP.

* A round's rubric is the category's rubric copied at open; :func:`rubric_snapshot` returns the
  copy and its SHA-256 over canonical JSON (sorted keys, no spaces).
* :func:`parse_scores` checks a sheet against the rubric: every value an integer on its
  criterion's scale ``[scale_min, scale_max]`` (step 1); on submit every criterion is required.
* :func:`accepts_scores`: a round takes scores while ``status == open`` and
  ``opens_at <= now < closes_at`` (server clock, UTC).
* :func:`pick_replacement`: the eligible judge with the smallest load in the round, then the
  most capacity left, then the smallest id.
* :func:`blind_view`: identity fields removed from what a judge sees.
* :func:`spread_cases`: entries whose submitted totals spread (max - min) beyond a threshold.
* :func:`residual_cases`: entries with a score whose engine standardized residual reaches a
  threshold in size (``|r| >= threshold``; NaN, where the engine has none, never does).
* :func:`missing_comments`: criteria whose score is below ``below`` or above ``above`` (the
  round's required-comment thresholds, None for none) and have no comment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from awards.intake._messages import N_

__all__ = [
    "CONFIDENCES",
    "DEFAULT_BLIND_FIELDS",
    "Candidate",
    "ScoreErrors",
    "accepts_scores",
    "blind_view",
    "criteria_of",
    "engine_rubric",
    "locked_after_submit",
    "missing_comments",
    "parse_scores",
    "pick_replacement",
    "residual_cases",
    "rubric_snapshot",
    "spread_cases",
]

CONFIDENCES = ("low", "medium", "high")
"""A judge's confidence in a sheet; the engine weighs it (judging.CONFIDENCE_WORDS)."""

DEFAULT_BLIND_FIELDS = ("business_name", "owner_name", "nib", "phone", "email", "address", "logo")
"""Identity fields hidden from judges in a blind round unless the organizer chooses others."""

ScoreErrors = dict[str, tuple[str, dict[str, Any]]]
"""Field -> (message id, placeholders); translate with ``_(message) % placeholders``."""


def rubric_snapshot(rubric: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """A deep copy of ``rubric`` and the SHA-256 hex digest of its canonical JSON."""
    text = json.dumps(rubric, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json.loads(text), hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CriterionScale:
    key: str
    weight: float
    low: int
    high: int


def criteria_of(rubric: Mapping[str, Any]) -> list[CriterionScale]:
    """The rubric's criteria as (key, weight, scale_min, scale_max), in rubric order."""
    return [
        CriterionScale(
            c["key"], float(c["weight"]), int(c.get("scale_min", 1)), int(c.get("scale_max", 10))
        )
        for c in rubric.get("criteria", [])
    ]


def engine_rubric(rubric: Mapping[str, Any]):
    """The round's rubric as a :class:`judging.Rubric` (criterion, weight, min, max)."""
    import judging

    return judging.Rubric(
        tuple(judging.Criterion(c.key, c.weight, c.low, c.high) for c in criteria_of(rubric))
    )


def parse_scores(
    rubric: Mapping[str, Any], raw: Mapping[str, Any], *, complete: bool
) -> tuple[dict[str, int], ScoreErrors]:
    """Criterion values from form or JSON input, and errors keyed ``scores.<key>``.

    Empty values are left out (a draft may be partial); unknown keys are ignored; with
    ``complete`` every criterion needs a value. Messages are message ids (translate to show).
    """
    values: dict[str, int] = {}
    errors: ScoreErrors = {}
    for criterion in criteria_of(rubric):
        given = raw.get(criterion.key)
        field = f"scores.{criterion.key}"
        if given is None or (isinstance(given, str) and not given.strip()):
            if complete:
                errors[field] = (N_("Choose a score for this criterion."), {})
            continue
        number: int | None
        if isinstance(given, bool):
            number = None
        elif isinstance(given, int):
            number = given
        elif isinstance(given, float) and given.is_integer():
            number = int(given)
        elif isinstance(given, str) and given.strip().lstrip("-").isdigit():
            number = int(given.strip())
        else:
            number = None
        if number is None:
            errors[field] = (N_("Enter a whole number."), {})
        elif not criterion.low <= number <= criterion.high:
            errors[field] = (
                N_("Choose a score from %(low)s to %(high)s."),
                {"low": criterion.low, "high": criterion.high},
            )
        else:
            values[criterion.key] = number
    return values, errors


def accepts_scores(status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """True while the round is open and ``opens_at <= now < closes_at``."""
    return status == "open" and opens_at <= now < closes_at


def locked_after_submit(
    submitted_at: datetime | None, lock_minutes: int | None, now: datetime
) -> bool:
    """True when the organizer locks sheets ``lock_minutes`` after submission and that passed."""
    if submitted_at is None or lock_minutes is None:
        return False
    return now >= submitted_at + timedelta(minutes=lock_minutes)


@dataclass(frozen=True)
class Candidate:
    """A judge who could take one more entry: load in the round, capacity left (None = any)."""

    judge: int
    load: int
    room: int | None


def pick_replacement(candidates: Iterable[Candidate]) -> int | None:
    """The judge to take over an entry: least loaded in the round, then most room, then lowest
    id; None when nobody has room."""
    usable = [c for c in candidates if c.room is None or c.room > 0]
    if not usable:
        return None
    best = min(usable, key=lambda c: (c.load, -(c.room if c.room is not None else 10**9), c.judge))
    return best.judge


def blind_view(
    business: Mapping[str, Any], answers: Mapping[str, Any], hidden: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``business`` and ``answers`` without the ``hidden`` identity fields."""
    gone = set(hidden)
    return (
        {k: v for k, v in business.items() if k not in gone},
        {k: v for k, v in answers.items() if k not in gone},
    )


def spread_cases(
    totals: Mapping[int, Sequence[float]], threshold: float
) -> list[tuple[int, float]]:
    """``(entry, spread)`` for entries with two or more totals whose max - min exceeds
    ``threshold``, largest spread first."""
    out = [
        (entry, max(values) - min(values))
        for entry, values in totals.items()
        if len(values) >= 2 and max(values) - min(values) > threshold
    ]
    return sorted(out, key=lambda item: (-item[1], item[0]))


def residual_cases(
    residuals: Mapping[int, Sequence[float]], threshold: float
) -> list[tuple[int, float]]:
    """``(entry, max |r|)`` for entries with a standardized residual ``|r| >= threshold``,
    largest first."""
    out = []
    for entry, values in residuals.items():
        sizes = [abs(v) for v in values if v == v]  # NaN != NaN
        if sizes and max(sizes) >= threshold:
            out.append((entry, max(sizes)))
    return sorted(out, key=lambda item: (-item[1], item[0]))


def missing_comments(
    rubric: Mapping[str, Any],
    scores: Mapping[str, int],
    comments: Mapping[str, str],
    below: int | None,
    above: int | None,
) -> ScoreErrors:
    """Errors keyed ``comments.<key>`` for each criterion scored ``< below`` or ``> above``
    whose comment is empty (message ids; translate to show)."""
    errors: ScoreErrors = {}
    for criterion in criteria_of(rubric):
        value = scores.get(criterion.key)
        if value is None or str(comments.get(criterion.key) or "").strip():
            continue
        if below is not None and value < below:
            errors[f"comments.{criterion.key}"] = (
                N_("Explain this score: a comment is required for scores below %(n)s."),
                {"n": below},
            )
        elif above is not None and value > above:
            errors[f"comments.{criterion.key}"] = (
                N_("Explain this score: a comment is required for scores above %(n)s."),
                {"n": above},
            )
    return errors
