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

import judging
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.i18n import _
from awards.intake.tables import Edition
from awards.mail import Mailer
from awards.scoring.common import (
    NotFoundError,
    ScoringRefusedError,
    managed_round,
    managed_round_in_edition,
)
from awards.scoring.moderation.service import round_cases
from awards.scoring.results import analysis_of, round_sheets, submitted_sheets
from awards.scoring.rounds.assignments import Preview, preview_for
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
    "RoundPanel",
    "leniency",
    "remind",
    "round_panel",
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


@dataclass(frozen=True)
class RoundPanel:
    """What the round's panel page shows: the round, its edition (``id``, ``time_zone``,
    ``name_id``), progress (:func:`round_progress`), judge leniency (:func:`leniency`), the
    moderation cases (:func:`awards.scoring.moderation.service.moderation_queue`) and, while
    nobody is assigned and the round is not closed, the engine's assignment preview."""

    round: dict[str, Any]
    edition: dict[str, Any]
    progress: dict[str, Any]
    leniency: list[JudgeLeniency]
    cases: list[dict[str, Any]]
    preview: Preview | None


async def round_panel(actor: CurrentUser, round_id: int) -> RoundPanel:
    """The round's panel in six statements whatever its size (the session's user included):
    the round with its edition, its assignments, its sheets, its moderation cases and their
    actions (the actions only when there are cases). Opening or reopening a case writes and
    reads the cases again; the preview (no assignment yet) adds its own reads
    (:func:`awards.scoring.rounds.assignments.preview_for`). The engine runs once, for both
    the leniency table and the moderation residuals."""
    round_row, edition = await managed_round_in_edition(actor, round_id, "time_zone", "name_id")
    assignments = await _assignment_rows(round_id)
    sheets = await round_sheets(round_id)
    submitted = [s for s in sheets if s["status"] == SheetStatus.submitted.value]
    try:
        analysis = analysis_of(round_row, submitted, draws=0)
    except ScoringRefusedError:
        analysis = None
    preview = None
    if not assignments and round_row["status"] != RoundStatus.closed.value:
        preview = await preview_for(round_row)
    emails = {s["judge"]: s["judge_email"] for s in submitted}
    return RoundPanel(
        round=round_row,
        edition=edition,
        progress=_progress(round_row, assignments, sheets),
        leniency=_leniency(analysis, emails),
        cases=await round_cases(round_row, submitted, analysis),
        preview=preview,
    )


async def _assignment_rows(round_id: int) -> list[dict[str, Any]]:
    """Every assignment of the round (any status), with the judge's email and name and the
    entry's business name."""
    return await Assignment.select(
        Assignment.entry,
        Assignment.judge,
        Assignment.status,
        Assignment.judge.email.as_alias("email"),
        Assignment.judge.display_name.as_alias("name"),
        Assignment.entry.business_name.as_alias("business_name"),
    ).where(Assignment.round == round_id)


async def round_progress(actor: CurrentUser, round_id: int) -> dict[str, Any]:
    """Per-judge and per-entry progress of the round (three queries)."""
    round_row = await managed_round(actor, round_id)
    sheets = await ScoreSheet.select(ScoreSheet.entry, ScoreSheet.judge, ScoreSheet.status).where(
        ScoreSheet.round == round_id
    )
    return _progress(round_row, await _assignment_rows(round_id), sheets)


def _progress(
    round_row: dict[str, Any], assignments: list[dict[str, Any]], sheets: list[dict[str, Any]]
) -> dict[str, Any]:
    """Progress from the round's assignments (active ones count) and sheets."""
    status = {(s["entry"], s["judge"]): s["status"] for s in sheets}
    judges: dict[int, dict[str, Any]] = {}
    entries: dict[int, dict[str, Any]] = {}
    for row in assignments:
        if row["status"] != AssignmentStatus.active.value:
            continue
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
    round_row = await managed_round(actor, round_id)
    sheets = await submitted_sheets(round_id)
    try:
        analysis = analysis_of(round_row, sheets)
    except ScoringRefusedError:
        return []
    return _leniency(analysis, {s["judge"]: s["judge_email"] for s in sheets})


def _leniency(analysis: judging.Analysis | None, emails: dict[int, str]) -> list[JudgeLeniency]:
    """The judges of ``analysis`` with their email (harshest first); empty for None."""
    if analysis is None:
        return []
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
