"""A round's results from the engine, and its export in the engine's long CSV format.

The export has one row per submitted criterion value: ``entry, judge, criterion, score,
confidence, category`` (entry and judge are decimal ids; confidence is low / medium / high),
and the rubric as ``criterion, weight, min, max``; ``anugerah analyze SCORES.csv --rubric
RUBRIC.csv`` on the two files gives exactly the ranking of :func:`round_analysis`. Abstained,
recused and draft sheets never count.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import judging
from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.scoring.common import ScoringRefusedError, managed_round
from awards.scoring.rules import criteria_of, engine_rubric
from awards.scoring.tables import ScoreSheet, SheetStatus

__all__ = [
    "ExportRows",
    "analysis_of",
    "export_csv",
    "export_rows",
    "round_analysis",
    "round_rows",
    "round_sheets",
    "rubric_csv",
    "submitted_sheets",
]


@dataclass(frozen=True)
class ExportRows:
    """Parallel long-form columns of a round's submitted scores."""

    entries: list[str]
    judges: list[str]
    criteria: list[str]
    values: list[float]
    confidences: list[str]
    category: str


async def round_sheets(round_id: int, status: SheetStatus | None = None) -> list[dict[str, Any]]:
    """The round's sheets (those in ``status`` when given) ordered by entry then judge: entry,
    judge, status, total, scores, confidence, the judge's email and the sheet's id (one
    statement)."""
    query = ScoreSheet.select(
        ScoreSheet.id,
        ScoreSheet.entry,
        ScoreSheet.judge,
        ScoreSheet.status,
        ScoreSheet.total,
        ScoreSheet.scores,
        ScoreSheet.confidence,
        ScoreSheet.judge.email.as_alias("judge_email"),
    ).where(ScoreSheet.round == round_id)
    if status is not None:
        query = query.where(ScoreSheet.status == status.value)
    return await query.order_by(ScoreSheet.entry).order_by(ScoreSheet.judge).output(load_json=True)


async def submitted_sheets(round_id: int) -> list[dict[str, Any]]:
    """:func:`round_sheets` of the round's submitted sheets."""
    return await round_sheets(round_id, SheetStatus.submitted)


def export_rows(round_row: dict[str, Any], sheets: list[dict[str, Any]]) -> ExportRows:
    """The submitted ``sheets`` of the round (:func:`submitted_sheets`) in long form."""
    keys = [c.key for c in criteria_of(round_row["rubric"])]
    rows = ExportRows([], [], [], [], [], str(round_row["category"]))
    for sheet in sheets:
        for key in keys:
            if key in sheet["scores"]:
                rows.entries.append(str(sheet["entry"]))
                rows.judges.append(str(sheet["judge"]))
                rows.criteria.append(key)
                rows.values.append(float(sheet["scores"][key]))
                rows.confidences.append(sheet["confidence"])
    return rows


async def round_rows(actor: CurrentUser, round_id: int) -> tuple[dict[str, Any], ExportRows]:
    """The round (organizers only) and its submitted scores in long form, ordered by sheet."""
    round_row = await managed_round(actor, round_id)
    return round_row, export_rows(round_row, await submitted_sheets(round_id))


def analysis_of(
    round_row: dict[str, Any],
    sheets: list[dict[str, Any]],
    *,
    method: str | None = None,
    top: int = 3,
    draws: int = 1000,
) -> judging.Analysis:
    """:func:`round_analysis` of a round already read and its :func:`submitted_sheets` (no
    query); :class:`ScoringRefusedError` when nothing is submitted."""
    rows = export_rows(round_row, sheets)
    if not rows.entries:
        raise ScoringRefusedError(_("No submitted scores yet."))
    long_rows = (
        {
            "entry": entry,
            "judge": judge,
            "criterion": criterion,
            "score": value,
            "confidence": confidence,
            "category": rows.category,
        }
        for entry, judge, criterion, value, confidence in zip(
            rows.entries, rows.judges, rows.criteria, rows.values, rows.confidences, strict=True
        )
    )
    return judging.analyze_rows(
        long_rows,
        engine_rubric(round_row["rubric"]),
        method or round_row["method"],
        top=top,
        draws=draws,
    )


async def round_analysis(
    actor: CurrentUser,
    round_id: int,
    *,
    method: str | None = None,
    top: int = 3,
    draws: int = 1000,
) -> judging.Analysis:
    """The engine's analysis (:func:`judging.analyze_rows`) of the round's submitted sheets with
    the round's method (default calibrated, confidence-weighted); :class:`ScoringRefusedError`
    when nothing is submitted. ``draws`` 0 skips the P(top k) simulation (moderation only
    needs the model's residuals)."""
    round_row = await managed_round(actor, round_id)
    return analysis_of(
        round_row, await submitted_sheets(round_id), method=method, top=top, draws=draws
    )


async def export_csv(actor: CurrentUser, round_id: int) -> str:
    """The round's submitted scores as the engine's long CSV (see the module docstring)."""
    _round, rows = await round_rows(actor, round_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entry", "judge", "criterion", "score", "confidence", "category"])
    for row in zip(
        rows.entries, rows.judges, rows.criteria, rows.values, rows.confidences, strict=True
    ):
        writer.writerow([*row[:3], f"{row[3]:g}", row[4], rows.category])
    return out.getvalue()


async def rubric_csv(actor: CurrentUser, round_id: int) -> str:
    """The round's rubric as the engine's RUBRIC.csv (``criterion, weight, min, max``)."""
    round_row = await managed_round(actor, round_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["criterion", "weight", "min", "max"])
    for c in criteria_of(round_row["rubric"]):
        writer.writerow([c.key, f"{c.weight:g}", c.low, c.high])
    return out.getvalue()
