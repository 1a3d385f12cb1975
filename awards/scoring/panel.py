"""The organizer's view of a round: progress, judge leniency, moderation, reminders.

* Progress: per judge, active assignments and how many are submitted or drafts; per entry,
  active judges and submitted sheets.
* Leniency: the engine's calibration of the submitted sheets (bias +- SE per judge, number of
  scores): a positive bias is a lenient judge, a negative one a harsh judge.
* Moderation: an entry whose submitted totals spread (max - min) beyond the round's
  ``spread_threshold`` opens a case (one open case per entry). Resolutions: ``add_judge`` (the
  entry gets one more judge), ``review`` (the entry's panel is asked to look again, with a note,
  by email) or ``accept``; each is recorded with who, when and the note.
* Reminders: every judge with unsubmitted work in an open round of the edition gets one email.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.tables import Edition
from awards.mail import Mailer
from awards.scoring.assignments import notify_new_judges, reassign
from awards.scoring.common import NotFoundError, ScoringRefusedError, managed_round, now_utc
from awards.scoring.rules import spread_cases
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    ModerationCase,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
    SheetStatus,
)

__all__ = [
    "RESOLUTIONS",
    "JudgeLeniency",
    "JudgeProgress",
    "leniency",
    "moderation_queue",
    "remind",
    "resolve_case",
    "round_progress",
]

RESOLUTIONS = ("add_judge", "review", "accept")


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


async def moderation_queue(actor: CurrentUser, round_id: int) -> list[dict[str, Any]]:
    """Open a case for every entry whose submitted totals spread beyond the threshold (once),
    and list the round's cases, open first, largest spread first."""
    round_row = await managed_round(actor, round_id)
    totals: dict[int, list[float]] = defaultdict(list)
    for row in await ScoreSheet.select(ScoreSheet.entry, ScoreSheet.total).where(
        (ScoreSheet.round == round_id) & (ScoreSheet.status == SheetStatus.submitted.value)
    ):
        if row["total"] is not None:
            totals[row["entry"]].append(row["total"])
    cases = spread_cases(totals, round_row["spread_threshold"])
    async with db.write_transaction():
        known = {
            row["entry"]
            for row in await ModerationCase.select(ModerationCase.entry).where(
                ModerationCase.round == round_id
            )
        }
        fresh = [
            ModerationCase(round=round_id, entry=entry, reason="spread", metric=spread)
            for entry, spread in cases
            if entry not in known
        ]
        if fresh:
            await ModerationCase.insert(*fresh)
    rows = await ModerationCase.select(
        ModerationCase.all_columns(),
        ModerationCase.entry.business_name.as_alias("business_name"),
        ModerationCase.resolved_by.email.as_alias("resolved_by_email"),
    ).where(ModerationCase.round == round_id)
    for row in rows:
        row["totals"] = sorted(totals.get(row["entry"], []))
    return sorted(rows, key=lambda r: (r["status"] != "open", -r["metric"], r["entry"]))


async def resolve_case(
    actor: CurrentUser,
    case_id: int,
    resolution: str,
    note: str = "",
    mailer: Mailer | None = None,
) -> int | None:
    """Resolve an open case (see the module docstring); returns the added judge, if any."""
    if resolution not in RESOLUTIONS:
        raise ValidationError({"resolution": _("Choose add a judge, ask for a review or accept.")})
    note = note.strip()
    if resolution == "review" and not note:
        raise ValidationError({"note": _("Write a note for the panel.")})
    added: int | None = None
    async with db.write_transaction():
        case = await ModerationCase.select().where(ModerationCase.id == case_id).first()
        if case is None:
            raise NotFoundError(f"case {case_id}")
        round_row = await managed_round(actor, case["round"])
        if case["status"] != "open":
            raise ScoringRefusedError(_("This case is already resolved."))
        if resolution == "add_judge":
            if round_row["status"] == RoundStatus.closed.value:
                raise ScoringRefusedError(_("The round is closed."))
            added = await reassign(round_row, case["entry"])
            if added is None:
                raise ScoringRefusedError(_("No other judge can take this entry."))
        await ModerationCase.update(
            {
                ModerationCase.status: "resolved",
                ModerationCase.resolution: resolution,
                ModerationCase.note: note,
                ModerationCase.resolved_by: actor.id,
                ModerationCase.resolved_at: now_utc(),
            }
        ).where(ModerationCase.id == case_id)
        panel = [
            row["judge"]
            for row in await Assignment.select(Assignment.judge).where(
                (Assignment.round == case["round"])
                & (Assignment.entry == case["entry"])
                & (Assignment.status == AssignmentStatus.active.value)
            )
        ]
    if added is not None:
        await notify_new_judges(mailer, [added])
    if resolution == "review" and mailer is not None:
        for row in await User.select(User.email).where(User.id.is_in(panel or [0])):
            await mailer.send(
                row["email"],
                _("Please review an entry"),
                _("The organizers ask the panel to look again at entry #%(id)s: %(note)s")
                % {"id": case["entry"], "note": note},
            )
    return added


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
