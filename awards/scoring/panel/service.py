"""The organizer's view of a round: progress, judge leniency, moderation, reminders.

* Progress: per judge, active assignments and how many are submitted or drafts; per entry,
  active judges and submitted sheets.
* Leniency: the engine's calibration of the submitted sheets (bias +- SE per judge, number of
  scores): a positive bias is a lenient judge, a negative one a harsh judge.
* Moderation: see :mod:`awards.scoring.moderation.service`.
* Reminders: every judge with unsubmitted work in an open round of the edition gets one email.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.i18n import _
from awards.intake.tables import Edition
from awards.mail import Mailer
from awards.scoring.common import NotFoundError, ScoringRefusedError, managed_round
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
    SheetStatus,
)

__all__ = [
    "JudgeLeniency",
    "JudgeProgress",
    "leniency",
    "remind",
    "round_progress",
]


@dataclass(frozen=True)
class JudgeProgress:
    judge: int
    email: str
    name: str
    assigned: int
    submitted: int
    drafts: int


@dataclass(frozen=True)
class JudgeLeniency:
    judge: int
    email: str
    bias: float
    stderr: float
    scores: int


async def round_progress(actor: CurrentUser, round_id: int) -> dict[str, Any]:
    """Per-judge and per-entry progress of the round (three queries)."""
    round_row = await managed_round(actor, round_id)
    rows = await Assignment.select(
        Assignment.entry,
        Assignment.judge,
        Assignment.judge.email.as_alias("email"),
        Assignment.judge.display_name.as_alias("name"),
        Assignment.entry.business_name.as_alias("business_name"),
    ).where((Assignment.round == round_id) & (Assignment.status == AssignmentStatus.active.value))
    sheets = await ScoreSheet.select(ScoreSheet.entry, ScoreSheet.judge, ScoreSheet.status).where(
        ScoreSheet.round == round_id
    )
    status = {(s["entry"], s["judge"]): s["status"] for s in sheets}
    judges: dict[int, dict[str, Any]] = {}
    entries: dict[int, dict[str, Any]] = {}
    for row in rows:
        state = status.get((row["entry"], row["judge"]))
        j = judges.setdefault(
            row["judge"],
            {
                "email": row["email"],
                "name": row["name"],
                "assigned": 0,
                "submitted": 0,
                "drafts": 0,
            },
        )
        e = entries.setdefault(
            row["entry"], {"business_name": row["business_name"], "judges": 0, "submitted": 0}
        )
        j["assigned"] += 1
        e["judges"] += 1
        if state == SheetStatus.submitted.value:
            j["submitted"] += 1
            e["submitted"] += 1
        elif state == SheetStatus.draft.value:
            j["drafts"] += 1
    by_judge = sorted(
        (JudgeProgress(k, v["email"], v["name"], v["assigned"], v["submitted"], v["drafts"])
         for k, v in judges.items()),
        key=lambda p: (p.submitted / p.assigned if p.assigned else 1, p.email),
    )  # fmt: skip
    total = sum(p.assigned for p in by_judge)
    done = sum(p.submitted for p in by_judge)
    return {
        "round": round_row,
        "judges": by_judge,
        "entries": dict(sorted(entries.items())),
        "total": total,
        "submitted": done,
        "percent": round(100 * done / total) if total else 0,
    }


async def leniency(actor: CurrentUser, round_id: int) -> list[JudgeLeniency]:
    """The engine's judge biases for the round (harshest first); empty before any submission."""
    from awards.scoring.results import round_analysis

    try:
        analysis = await round_analysis(actor, round_id)
    except ScoringRefusedError:
        return []
    ids = [int(j.judge) for j in analysis.judges]
    emails = {
        row["id"]: row["email"]
        for row in await User.select(User.id, User.email).where(User.id.is_in(ids or [0]))
    }
    return sorted(
        (JudgeLeniency(int(j.judge), emails.get(int(j.judge), ""), j.bias, j.stderr, j.scores)
         for j in analysis.judges),
        key=lambda item: item.bias,
    )  # fmt: skip


async def remind(edition_slug: str, mailer: Mailer) -> list[str]:
    """Email every judge with unsubmitted work in an open round of the edition; return their
    addresses."""
    edition = await Edition.select(Edition.id).where(Edition.slug == edition_slug).first()
    if edition is None:
        raise NotFoundError(f"edition {edition_slug}")
    rounds = await ScoringRound.select(ScoringRound.id).where(
        (ScoringRound.edition == edition["id"]) & (ScoringRound.status == RoundStatus.open.value)
    )
    ids = [r["id"] for r in rounds]
    if not ids:
        return []
    active = await Assignment.select(Assignment.round, Assignment.entry, Assignment.judge).where(
        Assignment.round.is_in(ids) & (Assignment.status == AssignmentStatus.active.value)
    )
    done = {
        (s["round"], s["entry"], s["judge"])
        for s in await ScoreSheet.select(
            ScoreSheet.round, ScoreSheet.entry, ScoreSheet.judge
        ).where(ScoreSheet.round.is_in(ids) & (ScoreSheet.status != SheetStatus.draft.value))
    }
    behind = Counter(a["judge"] for a in active if (a["round"], a["entry"], a["judge"]) not in done)
    if not behind:
        return []
    users = await User.select(User.email).where(User.id.is_in(sorted(behind)))
    by_email = sorted(u["email"] for u in users)
    url = f"{mailer.settings.base_url}/judge/"
    for email in by_email:
        await mailer.send(
            email,
            _("Reminder: entries waiting for your scores"),
            _("Some entries assigned to you are not submitted yet. Your scoring desk: %(url)s")
            % {"url": url},
        )
    return by_email
