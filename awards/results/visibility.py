"""THE visibility gate: every public channel asks here whether a result may be shown.

Pages, the API, the static export, feeds, certificates, Open Graph images, entrant feedback and
e-mails must read published results only through these functions (never from
``results_snapshot`` / ``results_placement`` directly), so an embargo cannot leak.

**Rule** (checked at read time, ``now`` in UTC, default the current time): a publication is
*visible* when ``publish_at <= now`` and ``withdrawn_at IS NULL``. A category's public result is
its visible publication with the **highest snapshot version**; earlier visible versions are its
correction history. An edition is *published* (publicly) when at least one of its categories
is; :func:`published_categories` lists them.

Returned rows (plain dicts):

* publication: ``publication_id, snapshot_id, category_id, edition_id, version, publish_at,
  content_hash, frozen_at`` plus ``corrected`` (version > the first visible version) and
  ``manifest`` when asked (JSON text; see :mod:`awards.results.snapshots` for its keys);
* placement: the columns of :class:`awards.results.tables.Placement` (``entry, engine_rank,
  place, score, se, raw_mean, p_top3, tied_group, tied_to, decided_by, tier, special,
  citation, override_reason``) plus ``snapshot_id``.

Organizer previews of unpublished results do not come through here: they go through the
organizer services, which check the role and are served with ``Cache-Control: private,
no-store``.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from awards.results.tables import Correction, Placement, Publication, ResultSnapshot

__all__ = [
    "category_history",
    "entry_placements",
    "is_visible",
    "next_publication_at",
    "published_categories",
    "published_editions",
    "visible_manifest",
    "visible_placements",
    "visible_publication",
]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


_COLUMNS = (
    Publication.id.as_alias("publication_id"),
    Publication.snapshot.as_alias("snapshot_id"),
    Publication.category.as_alias("category_id"),
    Publication.edition.as_alias("edition_id"),
    Publication.publish_at,
    Publication.snapshot.version.as_alias("version"),
    Publication.snapshot.content_hash.as_alias("content_hash"),
    Publication.snapshot.frozen_at.as_alias("frozen_at"),
)


def _visible(now: datetime):
    return (Publication.publish_at <= now) & Publication.withdrawn_at.is_null()


def _latest(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Per category, the row of the highest version, with ``corrected`` set."""
    out: dict[int, dict[str, Any]] = {}
    first: dict[int, int] = {}
    for row in rows:
        cid = row["category_id"]
        first[cid] = min(first.get(cid, row["version"]), row["version"])
        if cid not in out or row["version"] > out[cid]["version"]:
            out[cid] = row
    for cid, row in out.items():
        row["corrected"] = row["version"] > first[cid]
    return out


async def visible_publication(
    category_id: int, now: datetime | None = None, *, with_manifest: bool = False
) -> dict[str, Any] | None:
    """The category's public result (latest visible version), or ``None`` (embargoed, not
    published, withdrawn)."""
    columns = _COLUMNS + (
        (Publication.snapshot.manifest.as_alias("manifest"),) if with_manifest else ()
    )
    rows = await Publication.select(*columns).where(
        (Publication.category == category_id) & _visible(_now(now))
    )
    return _latest(rows).get(category_id)


async def published_categories(
    edition_id: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The edition's categories with a public result (one row each, see
    :func:`visible_publication`), ordered by category id."""
    rows = await Publication.select(*_COLUMNS).where(
        (Publication.edition == edition_id) & _visible(_now(now))
    )
    latest = _latest(rows)
    return [latest[cid] for cid in sorted(latest)]


async def published_editions(now: datetime | None = None) -> list[int]:
    """Ids of editions with at least one public category result."""
    rows = await Publication.select(Publication.edition).where(_visible(_now(now))).distinct()
    return sorted(row["edition"] for row in rows)


async def is_visible(snapshot_id: int, now: datetime | None = None) -> bool:
    """Whether this snapshot is its category's public result *or* part of its public history
    (a visible earlier version, shown as corrected)."""
    return await Publication.exists().where(
        (Publication.snapshot == snapshot_id) & _visible(_now(now))
    )


async def visible_manifest(category_id: int, now: datetime | None = None) -> dict[str, Any] | None:
    """The public result's manifest as a dict (methodology pages), or ``None``."""
    row = await visible_publication(category_id, now, with_manifest=True)
    return None if row is None else json.loads(row["manifest"])


_PLACEMENT_FIELDS = (
    "entry", "engine_rank", "place", "score", "se", "raw_mean", "p_top3", "tied_group",
    "tied_to", "decided_by", "tier", "special", "citation", "override_reason",
)  # fmt: skip


_FROZEN_CACHE: OrderedDict[tuple[int, str], tuple[dict[str, Any], ...]] = OrderedDict()
FROZEN_CACHE_SIZE = 16
"""Snapshots whose placements are kept in memory (frozen rows never change: the database
refuses updates and deletes), so a busy public page reads only the small publication rows.
Keyed by (snapshot id, content hash): another database (a restore, tests) never hits a stale
entry."""


async def _frozen_placements(snapshot_id: int, digest: str) -> tuple[dict[str, Any], ...]:
    key = (snapshot_id, digest)
    cached = _FROZEN_CACHE.get(key)
    if cached is not None:
        _FROZEN_CACHE.move_to_end(key)
        return cached
    rows = await (
        Placement.select(
            *(getattr(Placement, f) for f in _PLACEMENT_FIELDS),
            Placement.snapshot.as_alias("snapshot_id"),
        )
        .where(Placement.snapshot == snapshot_id)
        .order_by(Placement.place)
        .order_by(Placement.engine_rank)
    )
    frozen = tuple(rows)
    _FROZEN_CACHE[key] = frozen
    while len(_FROZEN_CACHE) > FROZEN_CACHE_SIZE:
        _FROZEN_CACHE.popitem(last=False)
    return frozen


async def visible_placements(
    category_id: int, now: datetime | None = None, *, awarded_only: bool = False
) -> list[dict[str, Any]]:
    """The public result's placements in place order (``awarded_only``: only entries with a
    tier or special award); empty when nothing is visible. Visibility is checked on every
    call; the frozen placements themselves come from an in-process cache (fresh dicts)."""
    pub = await visible_publication(category_id, now)
    if pub is None:
        return []
    rows = await _frozen_placements(pub["snapshot_id"], pub["content_hash"])
    return [dict(r) for r in rows if not awarded_only or r["tier"] or r["special"]]


async def entry_placements(entry_ids: list[int], now: datetime | None = None) -> dict[int, dict]:
    """entry id -> its placement in its category's public result (entries without a visible
    result are absent). For entrant dashboards, feedback and certificates."""
    if not entry_ids:
        return {}
    rows = await Placement.select(
        *(getattr(Placement, f) for f in _PLACEMENT_FIELDS),
        Placement.snapshot.as_alias("snapshot_id"),
        Placement.snapshot.category.as_alias("category_id"),
    ).where(Placement.entry.is_in(entry_ids))
    if not rows:
        return {}
    categories = {row["category_id"] for row in rows}
    public = {}
    for cid in categories:
        pub = await visible_publication(cid, now)
        if pub is not None:
            public[pub["snapshot_id"]] = pub
    return {row["entry"]: row for row in rows if row["snapshot_id"] in public}


async def category_history(category_id: int, now: datetime | None = None) -> list[dict]:
    """The category's visible versions, oldest first, each with ``publish_at`` and, for a
    correction, ``public_reason``, ``corrected_at`` and ``diff`` (for "corrected on … (reason)")."""
    rows = await Publication.select(*_COLUMNS).where(
        (Publication.category == category_id) & _visible(_now(now))
    )
    rows.sort(key=lambda r: r["version"])
    if not rows:
        return []
    corrections = await Correction.select(
        Correction.to_snapshot, Correction.public_reason, Correction.diff, Correction.created_at
    ).where(Correction.to_snapshot.is_in([r["snapshot_id"] for r in rows]))
    by_snapshot = {c["to_snapshot"]: c for c in corrections}
    for row in rows:
        c = by_snapshot.get(row["snapshot_id"])
        row["public_reason"] = c["public_reason"] if c else ""
        row["corrected_at"] = row["publish_at"] if c else None
        row["diff"] = (
            (json.loads(c["diff"]) if isinstance(c["diff"], str) else c["diff"]) if c else []
        )
    return rows


async def next_publication_at(edition_id: int, now: datetime | None = None) -> datetime | None:
    """The earliest scheduled (embargoed, not withdrawn) publication time of the edition, for
    "results on …" notices; ``None`` when nothing is scheduled."""
    row = (
        await Publication.select(Publication.publish_at)
        .where(
            (Publication.edition == edition_id)
            & (Publication.publish_at > _now(now))
            & Publication.withdrawn_at.is_null()
        )
        .order_by(Publication.publish_at)
        .first()
    )
    return row["publish_at"] if row else None


async def snapshot_category(snapshot_id: int) -> int | None:
    row = (
        await ResultSnapshot.select(ResultSnapshot.category)
        .where(ResultSnapshot.id == snapshot_id)
        .first()
    )
    return row["category"] if row else None
