"""A round's score sheets as they stood at a past moment, rebuilt from their history.

Every sheet write appends a :class:`~awards.scoring.tables.SheetRevision` whose ``new_value``
holds the sheet's state after the write (status, scores, confidence, ...): drafts, submissions
and re-submissions (:mod:`awards.scoring.judge.sheets`), abstentions and recusals
(:mod:`awards.scoring.panel.conflicts`). So a sheet's state at a moment ``at`` is the
``new_value`` of its highest-version revision with ``created_at <= at``; a sheet with no
revision by then did not exist yet. A sheet changed without a revision cannot be rebuilt;
callers check the rebuilt inputs' hash (:func:`awards.results.snapshots.verify`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from awards.scoring.tables import SheetRevision

__all__ = ["sheets_as_of"]


def _utc(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def sheets_as_of(round_id: int, at: datetime) -> list[dict[str, Any]]:
    """Each sheet of the round that existed at ``at``, as ``{entry, judge, status, scores,
    confidence}`` from its last revision created at or before ``at`` (module docstring)."""
    revisions = (
        await SheetRevision.select(
            SheetRevision.sheet, SheetRevision.version, SheetRevision.new_value,
            SheetRevision.created_at, SheetRevision.sheet.entry.as_alias("entry"),
            SheetRevision.sheet.judge.as_alias("judge"),
        )
        .where(SheetRevision.sheet.round == round_id)
        .output(load_json=True)
    )  # fmt: skip
    at = _utc(at)
    latest: dict[int, dict[str, Any]] = {}
    for rev in revisions:
        if _utc(rev["created_at"]) > at:
            continue
        known = latest.get(rev["sheet"])
        if known is None or rev["version"] > known["version"]:
            latest[rev["sheet"]] = rev
    sheets = []
    for rev in latest.values():
        state = rev["new_value"] or {}
        sheets.append(
            {
                "entry": rev["entry"],
                "judge": rev["judge"],
                "status": state.get("status"),
                "scores": state.get("scores") or {},
                "confidence": state.get("confidence", "medium"),
            }
        )
    return sheets
