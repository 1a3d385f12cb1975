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
    "forget_placements",
    "is_visible",
    "next_publication_at",
    "placements_of",
    "published_by_edition",
    "published_categories",
    "published_editions",
    "visible_manifest",
    "visible_placements",
    "visible_publication",
    "visible_publications",
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
    found = await visible_publications([category_id], now, with_manifest=with_manifest)
    return found.get(category_id)


async def visible_publications(
    category_ids: list[int], now: datetime | None = None, *, with_manifest: bool = False
) -> dict[int, dict[str, Any]]:
    """category id -> its public result (:func:`visible_publication`) for those that have
    one, in one statement."""
    if not category_ids:
        return {}
    columns = _COLUMNS + (
        (Publication.snapshot.manifest.as_alias("manifest"),) if with_manifest else ()
    )
    rows = await Publication.select(*columns).where(
        Publication.category.is_in(sorted(set(category_ids))) & _visible(_now(now))
    )
    return _latest(rows)


async def published_categories(
    edition_id: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The edition's categories with a public result (one row each, see
    :func:`visible_publication`), ordered by category id."""
    return (await published_by_edition(now, [edition_id])).get(edition_id, [])


async def published_by_edition(
    now: datetime | None = None, edition_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """edition id -> :func:`published_categories` for every edition with a public result (or
    those of ``edition_ids``), in one statement."""
    query = Publication.select(*_COLUMNS).where(_visible(_now(now)))
    if edition_ids is not None:
        query = query.where(Publication.edition.is_in(sorted(set(edition_ids)) or [0]))
    latest = _latest(await query)
    out: dict[int, list[dict[str, Any]]] = {}
    for category_id in sorted(latest):
        out.setdefault(latest[category_id]["edition_id"], []).append(latest[category_id])
    return out


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


def forget_placements() -> None:
    """Drop the placements kept in memory (tests and tools that count a cold read)."""
    _FROZEN_CACHE.clear()


async def visible_placements(
    category_id: int, now: datetime | None = None, *, awarded_only: bool = False
) -> list[dict[str, Any]]:
    """The public result's placements in place order (``awarded_only``: only entries with a
    tier or special award); empty when nothing is visible. Visibility is checked on every
    call; the frozen placements themselves come from an in-process cache (fresh dicts)."""
    pub = await visible_publication(category_id, now)
    if pub is None:
        return []
    return (await placements_of([pub], awarded_only=awarded_only))[category_id]


async def placements_of(
    publications: list[dict[str, Any]], *, awarded_only: bool = False
) -> dict[int, list[dict[str, Any]]]:
    """category id -> the placements of each of ``publications`` (rows this module returned
    as visible: :func:`published_categories`, :func:`visible_publications`), as
    :func:`visible_placements` orders and filters them; the snapshots not in the in-process
    cache are read in one statement."""
    keys = [(pub["snapshot_id"], pub["content_hash"]) for pub in publications]
    frozen = {key: _FROZEN_CACHE[key] for key in keys if key in _FROZEN_CACHE}
    missing = [key for key in keys if key not in frozen]
    if missing:
        rows = await (
            Placement.select(
                *(getattr(Placement, f) for f in _PLACEMENT_FIELDS),
                Placement.snapshot.as_alias("snapshot_id"),
            )
            .where(Placement.snapshot.is_in([snapshot for snapshot, _digest in missing]))
            .order_by(Placement.place)
            .order_by(Placement.engine_rank)
        )
        by_snapshot: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_snapshot.setdefault(row["snapshot_id"], []).append(row)
        for key in missing:
            frozen[key] = tuple(by_snapshot.get(key[0], ()))
    for key in keys:
        _FROZEN_CACHE[key] = frozen[key]
        _FROZEN_CACHE.move_to_end(key)
    while len(_FROZEN_CACHE) > FROZEN_CACHE_SIZE:
        _FROZEN_CACHE.popitem(last=False)
    return {
        pub["category_id"]: [
            dict(r) for r in frozen[key] if not awarded_only or r["tier"] or r["special"]
        ]
        for pub, key in zip(publications, keys, strict=True)
    }


async def entry_placements(entry_ids: list[int], now: datetime | None = None) -> dict[int, dict]:
    """entry id -> its placement in its category's public result (entries without a visible
    result are absent). For entrant dashboards, feedback and certificates. Two statements."""
    if not entry_ids:
        return {}
    rows = await Placement.select(
        *(getattr(Placement, f) for f in _PLACEMENT_FIELDS),
        Placement.snapshot.as_alias("snapshot_id"),
        Placement.snapshot.category.as_alias("category_id"),
    ).where(Placement.entry.is_in(entry_ids))
    if not rows:
        return {}
    public = await visible_publications(list({row["category_id"] for row in rows}), now)
    shown = {pub["snapshot_id"] for pub in public.values()}
    return {row["entry"]: row for row in rows if row["snapshot_id"] in shown}


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
