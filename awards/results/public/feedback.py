"""An entrant's feedback on their own entry, once its category's result is public.

What the entrant sees (and nothing else):

* the entry's place, award and **normalized total** — the calibrated score of its placement in
  the visible result (:func:`awards.results.visibility.entry_placements`);
* per criterion, the entry's mean score over its judges, its **percentile** within the category
  and the category **median** (:mod:`.feedback_stats`), from the submitted sheets of the round the
  snapshot was frozen from;
* the judges' **comments for the entrant**, anonymized as "Judge 1, 2, ..." in an order that
  does not follow the assignment (sorted by a hash of the text).

Never shown: judges' identities, private notes for the organizers, per-criterion working notes,
other entries' scores. Before publication (or for a withdrawn result) there is no feedback:
:func:`entry_feedback` returns ``None``.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.intake.entries.service import EntryService
from awards.results import visibility
from awards.results.public.feedback_stats import CriterionStanding, criterion_standings
from awards.results.public.reader import engine_key
from awards.results.tables import ResultSnapshot
from awards.scoring.tables import ScoreSheet, SheetStatus

__all__ = ["Feedback", "entry_feedback"]

_CACHE: OrderedDict[tuple[str, int, str], dict[int, dict[str, float]]] = OrderedDict()
_CACHE_SIZE = 8
_MANIFESTS: OrderedDict[tuple[str, int, str], tuple[dict[str, Any], int]] = OrderedDict()


@dataclass(frozen=True)
class Feedback:
    """What the feedback page shows (see the module docstring)."""

    entry: dict[str, Any]
    category: dict[str, Any]
    edition: dict[str, Any]
    placement: dict[str, Any]
    entries_in_category: int
    standings: list[CriterionStanding]
    comments: list[str]


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


async def _criterion_means(
    snapshot: tuple[str, int, str], round_id: int
) -> dict[int, dict[str, float]]:
    """entry -> criterion -> mean of its judges' submitted values in the round (cached per
    frozen snapshot — database, id and content hash —: a snapshot is immutable, and a
    correction that changes the sheets makes a new one)."""
    if snapshot in _CACHE:
        _CACHE.move_to_end(snapshot)
        return _CACHE[snapshot]
    rows = await ScoreSheet.select(ScoreSheet.entry, ScoreSheet.scores).where(
        (ScoreSheet.round == round_id) & (ScoreSheet.status == SheetStatus.submitted.value)
    )
    sums: dict[int, dict[str, list[float]]] = {}
    for row in rows:
        for key, value in _json(row["scores"]).items():
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            sums.setdefault(row["entry"], {}).setdefault(key, []).append(number)
    means = {
        entry: {key: sum(values) / len(values) for key, values in criteria.items()}
        for entry, criteria in sums.items()
    }
    _CACHE[snapshot] = means
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return means


async def _comments(round_id: int, entry_id: int) -> list[str]:
    rows = await ScoreSheet.select(ScoreSheet.comment_to_entrant).where(
        (ScoreSheet.round == round_id)
        & (ScoreSheet.entry == entry_id)
        & (ScoreSheet.status == SheetStatus.submitted.value)
    )
    texts = [row["comment_to_entrant"].strip() for row in rows if row["comment_to_entrant"]]
    return sorted(texts, key=lambda text: hashlib.sha256(text.encode()).hexdigest())


def _criteria(manifest_rubric: Any, category: dict[str, Any], language: str) -> list[tuple]:
    """(key, label) of the rubric criteria, labels from the category's rubric."""
    rubric = _json(category.get("rubric"))
    labels = {}
    for criterion in rubric.get("criteria") or []:
        label = criterion.get("label") or {}
        text = (label.get("en") if language == "en" else "") or label.get("id")
        labels[criterion.get("key")] = text or criterion.get("key")
    keys = [c.get("key") for c in (manifest_rubric or {}).get("criteria") or []] or list(labels)
    return [(key, labels.get(key, key)) for key in keys]


async def entry_feedback(
    entries: EntryService, user: CurrentUser, entry_id: int, language: str = "id"
) -> Feedback | None:
    """The feedback of ``entry_id`` for ``user`` (``NotFoundError`` unless the user manages the
    entry's business; ``None`` while its result is not public)."""
    context = await entries.context(user, entry_id)
    placement = (await visibility.entry_placements([entry_id])).get(entry_id)
    if placement is None:
        return None
    snapshot = (
        await ResultSnapshot.select(ResultSnapshot.round, ResultSnapshot.content_hash)
        .where(ResultSnapshot.id == placement["snapshot_id"])
        .first()
    ) or {"round": 0, "content_hash": ""}
    key = (engine_key(), placement["snapshot_id"], snapshot["content_hash"])
    if key not in _MANIFESTS:
        manifest = await visibility.visible_manifest(context.category["id"]) or {}
        _MANIFESTS[key] = (
            manifest.get("rubric") or {},
            int((manifest.get("inputs") or {}).get("entries") or 0),
        )
        while len(_MANIFESTS) > _CACHE_SIZE:
            _MANIFESTS.popitem(last=False)
    rubric, entered = _MANIFESTS[key]
    means = await _criterion_means(key, snapshot["round"])
    criteria = _criteria(rubric, context.category, language)
    category_values = {
        key: [m[key] for m in means.values() if key in m] for key, _label in criteria
    }
    return Feedback(
        entry=context.entry,
        category=context.category,
        edition=context.edition,
        placement=placement,
        entries_in_category=entered or len(means),
        standings=criterion_standings(criteria, means.get(entry_id, {}), category_values),
        comments=await _comments(snapshot["round"], entry_id),
    )
