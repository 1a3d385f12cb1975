"""Moderation: entries whose judges disagree, and what the organizers did about each.

Detection (:func:`moderation_queue`, run when the panel is shown; one case per entry and round):

* spread: the entry's submitted rubric totals spread (max - min) beyond the round's
  ``spread_threshold`` (points of 100);
* residual: one of its scores has an engine standardized residual with
  ``|r| >= residual_threshold`` (default 2.5). The residuals come from the engine's
  calibration model fitted to the round's submitted sheets (:func:`judging.analyze_rows` via
  :func:`awards.scoring.results.round_analysis`; ``r`` = residual / its standard deviation,
  leverage included); nothing is recomputed here.

The case records its reason (``spread`` first when both hold) and metric (the spread, or the
largest ``|r|``).

Reopening. Accepting a case records the disagreement accepted: if the entry is still beyond a
threshold at that moment, the case's reason and metric become the current ones. A resolved case
is reopened by :func:`moderation_queue` when all of these hold:

1. one of the entry's submitted sheets in the round was submitted or revised after the case was
   resolved (``updated_at > resolved_at``; drafts do not count);
2. the entry is beyond a threshold now (the rules above);
3. its metric differs from the one recorded on the case (by more than ``1e-6``).

The case is then open again with the new reason and metric and no resolution, and a
``reopened`` action is recorded (no actor: the system; the note gives the reason and the old and
new metric). An accepted case whose entry's scores have not changed since the acceptance stays
resolved whatever happens to the rest of the round (a residual moves when other entries are
scored; a threshold may be lowered), so cases do not flap. Earlier actions stand: a case whose
panel was asked to review is under review again once reopened (the discussion reopens).

Actions on an open case (:func:`act_on_case`), each appended to
:class:`~awards.scoring.tables.ModerationAction` with who, when and the note:

* ``add_judge``: one more judge for the entry, chosen by the organizer or, when none is chosen,
  the least loaded eligible judge; through the manual assignment path
  (:mod:`awards.scoring.rounds.assignment_edits`, warnings confirmed first); the case stays open;
* ``review``: the entry's panel is asked to look again, with a note (required): until the case
  is resolved its judges see each other's scores and comments on the discussion page
  (:mod:`awards.scoring.judge.discussion`) and may revise their sheets while the round is open; they
  are emailed;
* ``accept``: the scores stand; the case is resolved (who, when, note on the case) and records
  the disagreement accepted (see Reopening).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import judging
from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.editions.service import can_manage
from awards.mail import Mailer
from awards.scoring.common import (
    CASE_OPEN,
    REVIEW_ACTION,
    NotFoundError,
    ScoringRefusedError,
    managed_round,
    now_utc,
)
from awards.scoring.results import analysis_of, round_sheets, submitted_sheets
from awards.scoring.rounds.assignment_edits import (
    add_in_transaction,
    eligible_for_entry,
    eligible_given,
    notify_edit,
    round_assignments,
)
from awards.scoring.rules import residual_cases, spread_cases
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    ModerationAction,
    ModerationCase,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)

__all__ = [
    "ACTIONS",
    "MAX_NOTE",
    "act_on_case",
    "case_actions",
    "case_detail",
    "managed_case",
    "moderation_queue",
    "residual_analysis",
    "residuals_of",
    "round_cases",
]

ACTIONS = ("add_judge", REVIEW_ACTION, "accept")
MAX_NOTE = 1000
_SAME_METRIC = 1e-6


def residuals_of(analysis: judging.Analysis | None) -> dict[tuple[int, int], tuple[float, float]]:
    """(entry, judge) -> (residual, standardized residual) of every submitted sheet in the
    engine's calibration ``analysis`` (None: nothing submitted, empty). NaN where the engine
    has no standardized residual (too few scores)."""
    if analysis is None:
        return {}
    sheet, cal = analysis.sheet, analysis.calibration
    if sheet is None or cal is None:
        return {}
    out = {}
    for i in range(sheet.total.size):
        entry = int(sheet.entry_ids[sheet.entry_idx[i]])
        judge = int(sheet.judge_ids[sheet.judge_idx[i]])
        out[(entry, judge)] = (float(cal.residual[i]), float(cal.std_residual[i]))
    return out


def residual_analysis(
    round_row: dict[str, Any], sheets: list[dict[str, Any]]
) -> judging.Analysis | None:
    """The engine's calibration of the round's submitted ``sheets`` without the P(top k)
    simulation (``draws`` 0: moderation only needs the model's residuals); None before any
    submission."""
    try:
        return analysis_of(round_row, sheets, draws=0)
    except ScoringRefusedError:
        return None


def _disagreements(
    round_row: dict[str, Any],
    sheets: list[dict[str, Any]],
    analysis: judging.Analysis | None,
) -> tuple[dict[int, list[float]], dict[int, list[float]], dict[int, tuple[str, float]]]:
    """The round's submitted totals and standardized residuals by entry (from its
    :func:`~awards.scoring.results.submitted_sheets` and their ``analysis``), and the entries
    beyond a threshold now: entry -> (reason, metric), ``spread`` first when both hold."""
    totals: dict[int, list[float]] = defaultdict(list)
    for row in sheets:
        if row["total"] is not None:
            totals[row["entry"]].append(row["total"])
    residuals: dict[int, list[float]] = defaultdict(list)
    for (entry, _judge), (_res, std) in residuals_of(analysis).items():
        residuals[entry].append(std)
    flagged = {
        e: ("residual", m) for e, m in residual_cases(residuals, round_row["residual_threshold"])
    }
    flagged |= {e: ("spread", m) for e, m in spread_cases(totals, round_row["spread_threshold"])}
    return totals, residuals, flagged


async def moderation_queue(actor: CurrentUser, round_id: int) -> list[dict[str, Any]]:
    """Open a case for every entry beyond a threshold (see the module docstring; once per
    entry), reopen accepted cases whose scores changed and still disagree, and list the
    round's cases: open first, largest metric first. Each case carries its submitted
    ``totals`` and the largest ``|r|`` (``residual``, None when unknown)."""
    round_row = await managed_round(actor, round_id)
    sheets = await submitted_sheets(round_id)
    return await round_cases(round_row, sheets, residual_analysis(round_row, sheets))


def _case_rows() -> Any:
    return ModerationCase.select(
        ModerationCase.all_columns(),
        ModerationCase.entry.business_name.as_alias("business_name"),
        ModerationCase.resolved_by.email.as_alias("resolved_by_email"),
    )


async def round_cases(
    round_row: dict[str, Any],
    sheets: list[dict[str, Any]],
    analysis: judging.Analysis | None,
) -> list[dict[str, Any]]:
    """:func:`moderation_queue` for a round already checked, given its
    :func:`~awards.scoring.results.submitted_sheets` and their :func:`residual_analysis` (or
    any analysis of them: the calibration does not depend on ``draws``). Reads the cases and
    their recorded actions (two statements); opening or reopening cases writes them and reads
    the cases again."""
    round_id = round_row["id"]
    totals, residuals, flagged = _disagreements(round_row, sheets, analysis)
    async with db.write_transaction():
        rows = await _case_rows().where(ModerationCase.round == round_id)
        known = {row["entry"] for row in rows}
        fresh = [
            ModerationCase(round=round_id, entry=entry, reason=reason, metric=metric)
            for entry, (reason, metric) in sorted(flagged.items())
            if entry not in known
        ]
        if fresh:
            await ModerationCase.insert(*fresh)
        if await _reopen(round_id, rows, flagged) or fresh:
            rows = await _case_rows().where(ModerationCase.round == round_id)
    recorded = await _with_actions([row["id"] for row in rows], REVIEW_ACTION, "reopened")
    in_review = recorded[REVIEW_ACTION]
    for row in rows:
        row["totals"] = sorted(totals.get(row["entry"], []))
        sizes = [abs(v) for v in residuals.get(row["entry"], []) if v == v]
        row["residual"] = max(sizes) if sizes else None
        row["in_review"] = row["status"] == CASE_OPEN and row["id"] in in_review
        row["reopened"] = row["status"] == CASE_OPEN and row["id"] in recorded["reopened"]
    return sorted(rows, key=lambda r: (r["status"] != CASE_OPEN, -r["metric"], r["entry"]))


async def _reopen(
    round_id: int, cases: list[dict[str, Any]], flagged: dict[int, tuple[str, float]]
) -> bool:
    """Inside a write transaction: reopen the resolved ``cases`` whose entry's submitted
    sheets changed after the resolution and whose disagreement holds with another metric
    (the module docstring's rule), recording a ``reopened`` action for each; True when one
    was reopened."""
    resolved = [
        case
        for case in cases
        if case["status"] == "resolved"
        and case["resolved_at"] is not None
        and case["entry"] in flagged
        and abs(flagged[case["entry"]][1] - case["metric"]) > _SAME_METRIC
    ]
    if not resolved:
        return False
    latest: dict[int, Any] = {}
    for row in await ScoreSheet.select(ScoreSheet.entry, ScoreSheet.updated_at).where(
        (ScoreSheet.round == round_id)
        & (ScoreSheet.status == SheetStatus.submitted.value)
        & ScoreSheet.entry.is_in([case["entry"] for case in resolved])
    ):
        if row["entry"] not in latest or row["updated_at"] > latest[row["entry"]]:
            latest[row["entry"]] = row["updated_at"]
    now = now_utc()
    done = False
    for case in resolved:
        changed = latest.get(case["entry"])
        if changed is None or changed <= case["resolved_at"]:
            continue
        reason, metric = flagged[case["entry"]]
        reopened = await (
            ModerationCase.update(
                {
                    ModerationCase.status: CASE_OPEN,
                    ModerationCase.resolution: "",
                    ModerationCase.note: "",
                    ModerationCase.resolved_by: None,
                    ModerationCase.resolved_at: None,
                    ModerationCase.reason: reason,
                    ModerationCase.metric: metric,
                }
            )
            .where((ModerationCase.id == case["id"]) & (ModerationCase.status == "resolved"))
            .returning(ModerationCase.id)
        )
        if not reopened:  # another request reopened it first
            continue
        await ModerationAction.insert(
            ModerationAction(
                moderation_case=case["id"],
                action="reopened",
                note=f"{reason} {case['metric']:.2f} -> {metric:.2f}",
                actor=None,
                created_at=now,
            )
        )
        done = True
    return done


async def _with_actions(case_ids: list[int], *actions: str) -> dict[str, set[int]]:
    """action -> the ids among ``case_ids`` of the cases with such an action recorded."""
    out: dict[str, set[int]] = {action: set() for action in actions}
    if not case_ids:
        return out
    rows = await ModerationAction.select(
        ModerationAction.moderation_case, ModerationAction.action
    ).where(
        ModerationAction.moderation_case.is_in(case_ids)
        & ModerationAction.action.is_in(list(actions))
    )
    for row in rows:
        out[row["action"]].add(row["moderation_case"])
    return out


async def managed_case(actor: CurrentUser, case_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case and its round if ``actor`` manages the round's edition, else 404."""
    case = await ModerationCase.select().where(ModerationCase.id == case_id).first()
    if case is None:
        raise NotFoundError(f"case {case_id}")
    return case, await managed_round(actor, case["round"])


async def case_actions(case_id: int) -> list[dict[str, Any]]:
    """The case's record, oldest first: action, note, judge added, who, when."""
    return (
        await ModerationAction.select(
            ModerationAction.all_columns(),
            ModerationAction.actor.email.as_alias("actor_email"),
            ModerationAction.judge.email.as_alias("judge_email"),
        )
        .where(ModerationAction.moderation_case == case_id)
        .order_by(ModerationAction.id)
    )


async def case_detail(actor: CurrentUser, case_id: int) -> dict[str, Any]:
    """A case for its organizers: the case, its round, each active judge's submitted total and
    engine residuals, the judges who could be added, and the record of actions; 404 unless
    ``actor`` manages the round's edition.

    Six statements however large the round (the session's user included): the case with its
    round and entry; the round's sheets (the submitted ones feed :func:`residual_analysis`);
    its assignments with the judges' emails; the judges who could be added (open cases only,
    :func:`~awards.scoring.rounds.assignment_edits.eligible_given`); the case's actions, which
    also say whether the panel was asked to review."""
    row = (
        await ModerationCase.select(
            ModerationCase.all_columns(),
            *ModerationCase.round.all_columns(),
            ModerationCase.entry.id,
            ModerationCase.entry.business,
            ModerationCase.entry.business_name,
            ModerationCase.entry.edition.time_zone,
        )
        .where(ModerationCase.id == case_id)
        .output(load_json=True, nested=True)
        .first()
    )
    if row is None or not can_manage(actor, row["round"]["edition"]):
        raise NotFoundError(f"case {case_id}")
    round_row, entry = row["round"], row["entry"]
    case = {name: row[name] for name in (c._meta.name for c in ModerationCase._meta.columns)} | {
        "round": round_row["id"],
        "entry": entry["id"],
    }
    sheets = await round_sheets(round_row["id"])
    submitted = [s for s in sheets if s["status"] == SheetStatus.submitted.value]
    residuals = residuals_of(residual_analysis(round_row, submitted))
    assignments = await round_assignments(round_row["id"])
    mine = {s["judge"]: s for s in sheets if s["entry"] == case["entry"]}
    judges = []
    for member in sorted(
        (
            a
            for a in assignments
            if a["entry"] == case["entry"] and a["status"] == AssignmentStatus.active.value
        ),
        key=lambda m: m["email"],
    ):
        sheet = mine.get(member["judge"], {})
        res, std = residuals.get((case["entry"], member["judge"]), (None, None))
        judges.append(
            {
                "judge": member["judge"],
                "email": member["email"],
                "status": sheet.get("status", "not_started"),
                "sheet": sheet.get("id"),
                "total": sheet.get("total"),
                "residual": res,
                "std_residual": None if std is None or std != std else std,
            }
        )
    eligible = []
    if case["status"] == CASE_OPEN:
        statuses = {judge: sheet["status"] for judge, sheet in mine.items()}
        eligible = await eligible_given(
            round_row, entry["business"], case["entry"], assignments, statuses
        )
    actions = await case_actions(case_id)
    return {
        "time_zone": entry["edition"]["time_zone"],
        "case": case,
        "round": round_row,
        "business_name": entry["business_name"],
        "judges": judges,
        "eligible": eligible,
        "actions": actions,
        "in_review": case["status"] == CASE_OPEN
        and any(a["action"] == REVIEW_ACTION for a in actions),
    }


async def act_on_case(
    actor: CurrentUser,
    case_id: int,
    action: str,
    note: str = "",
    *,
    judge: int | None = None,
    confirm: bool = False,
    mailer: Mailer | None = None,
) -> int | None:
    """Record ``action`` on an open case (see the module docstring); returns the judge added,
    if any. Refused: an unknown action, a review without a note, a note over ``MAX_NOTE``
    characters, a resolved case, adding a judge or asking for a review in a closed round."""
    if action not in ACTIONS:
        raise ValidationError({"resolution": _("Choose add a judge, ask for a review or accept.")})
    note = note.strip()
    if action == REVIEW_ACTION and not note:
        raise ValidationError({"note": _("Write a note for the panel.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Use at most 1000 characters.")})
    added: int | None = None
    accepted: tuple[str, float] | None = None
    if action == "accept":
        case, round_row = await managed_case(actor, case_id)
        sheets = await submitted_sheets(round_row["id"])
        flagged = _disagreements(round_row, sheets, residual_analysis(round_row, sheets))[2]
        accepted = flagged.get(case["entry"])
    async with db.write_transaction():
        case, round_row = await managed_case(actor, case_id)
        if case["status"] != CASE_OPEN:
            raise ScoringRefusedError(_("This case is already resolved."))
        closed = round_row["status"] == RoundStatus.closed.value
        if action in ("add_judge", REVIEW_ACTION) and closed:
            raise ScoringRefusedError(_("The round is closed."))
        if action == "add_judge":
            if judge is None:
                candidates = await eligible_for_entry(round_row, case["entry"])
                if not candidates:
                    raise ScoringRefusedError(_("No other judge can take this entry."))
                judge = candidates[0]["judge"]
            reason = f"moderation case {case_id}" + (f": {note}" if note else "")
            await add_in_transaction(
                round_row, case["entry"], judge, reason, actor.id, confirm=confirm
            )
            added = judge
        now = now_utc()
        await ModerationAction.insert(
            ModerationAction(
                moderation_case=case_id,
                action=action,
                note=note,
                judge=added,
                actor=actor.id,
                created_at=now,
            )
        )
        if action == "accept":
            reason, metric = accepted or (case["reason"], case["metric"])
            await ModerationCase.update(
                {
                    ModerationCase.status: "resolved",
                    ModerationCase.resolution: action,
                    ModerationCase.note: note,
                    ModerationCase.resolved_by: actor.id,
                    ModerationCase.resolved_at: now,
                    ModerationCase.reason: reason,
                    ModerationCase.metric: metric,
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
        await notify_edit(mailer, added, case["entry"], added=True)
    if action == REVIEW_ACTION and mailer is not None:
        url = (
            f"{mailer.settings.base_url}/judge/rounds/{case['round']}/entries/"
            f"{case['entry']}/discussion"
        )
        for row in await User.select(User.email).where(User.id.is_in(panel or [0])):
            await mailer.send(
                row["email"],
                _("Please review an entry"),
                _(
                    "The organizers ask the panel to look again at entry #%(id)s: %(note)s\n"
                    "The panel's scores and comments: %(url)s"
                )
                % {"id": case["entry"], "note": note, "url": url},
            )
    return added
