"""A round's integrity rules, set by its organizers: when moderation opens a case, and when a
criterion comment is required.

* ``spread_threshold`` (points of 100, > 0): an entry whose submitted totals spread
  (max - min) beyond it opens a case.
* ``residual_threshold`` (> 0, default 2.5): an entry with a score whose engine standardized
  residual has ``|r| >= residual_threshold`` opens a case.
* ``comment_below`` / ``comment_above`` (criterion scores; empty = no requirement): on submit a
  criterion scored below / above them needs a comment. ``comment_below`` must not exceed
  ``comment_above``.

Input comes from a form (strings) or JSON (numbers); errors are per field, translated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.scoring.common import managed_round, now_utc
from awards.scoring.tables import ScoringRound

__all__ = [
    "RoundRules",
    "number_above_zero",
    "optional_int",
    "parse_rules",
    "rules_of",
    "set_round_rules",
]


@dataclass(frozen=True)
class RoundRules:
    spread_threshold: float
    residual_threshold: float
    comment_below: int | None
    comment_above: int | None


def rules_of(round_row: dict[str, Any]) -> RoundRules:
    """The rules stored on a round row."""
    return RoundRules(
        float(round_row["spread_threshold"]),
        float(round_row["residual_threshold"]),
        round_row["comment_below"],
        round_row["comment_above"],
    )


def number_above_zero(value: Any, field: str, errors: dict[str, str]) -> float | None:
    text = "" if value is None else str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        errors[field] = _("Enter a number greater than 0.")
        return None
    if not math.isfinite(number) or number <= 0:
        errors[field] = _("Enter a number greater than 0.")
        return None
    return number


def optional_int(value: Any, field: str, errors: dict[str, str]) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        errors[field] = _("Enter a whole number, or leave empty.")
        return None
    if abs(int(text)) > 2**31 - 1:  # beyond what the database's integer columns hold
        errors[field] = _("This number is too large.")
        return None
    return int(text)


def parse_rules(raw: dict[str, Any]) -> RoundRules:
    """Rules from form or JSON values (see the module docstring), or :class:`ValidationError`."""
    errors: dict[str, str] = {}
    spread = number_above_zero(raw.get("spread_threshold"), "spread_threshold", errors)
    residual = number_above_zero(raw.get("residual_threshold"), "residual_threshold", errors)
    below = optional_int(raw.get("comment_below"), "comment_below", errors)
    above = optional_int(raw.get("comment_above"), "comment_above", errors)
    if below is not None and above is not None and below > above:
        errors["comment_above"] = _("Use a value at least as large as the lower threshold.")
    if errors:
        raise ValidationError(errors)
    assert spread is not None
    assert residual is not None
    return RoundRules(spread, residual, below, above)


async def set_round_rules(actor: CurrentUser, round_id: int, raw: dict[str, Any]) -> RoundRules:
    """Store the round's rules (organizers of its edition; any round status: the thresholds
    apply to the next moderation check and the next submit)."""
    await managed_round(actor, round_id)
    rules = parse_rules(raw)
    async with db.write_transaction():
        await managed_round(actor, round_id)
        await ScoringRound.update(
            {
                ScoringRound.spread_threshold: rules.spread_threshold,
                ScoringRound.residual_threshold: rules.residual_threshold,
                ScoringRound.comment_below: rules.comment_below,
                ScoringRound.comment_above: rules.comment_above,
                ScoringRound.updated_at: now_utc(),
            }
        ).where(ScoringRound.id == round_id)
    return rules
