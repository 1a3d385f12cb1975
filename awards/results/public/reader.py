"""What the public results pages show, read through the visibility gate only.

Every function takes ``now`` (UTC; default the current time) and asks
:mod:`awards.results.visibility` which publications are visible; it then reads the frozen
placements and manifests (``results_*``) and the intake rows of the entries shown (business name,
district, photo). It never reads score sheets, assignments or any other scoring table, so a
published page costs a handful of queries whatever the size of the category (a test proves no
``scoring_*`` table is touched).

Returned values are plain dataclasses for the templates (:mod:`awards.results.public.views`).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from awards.db import engine as _engine
from awards.intake.tables import Attachment, Category, Edition, Entry
from awards.results import visibility
from awards.results.public.views import (
    CategoryResult,
    EditionResult,
    HistoryItem,
    Standing,
    Version,
)
from awards.results.rules import editions_tiers
from awards.results.tables import CategoryRule

__all__ = [
    "business_history",
    "category_result",
    "edition_by_slug",
    "edition_categories",
    "edition_result",
    "edition_state",
    "feed_items",
    "feed_state",
    "forget_settings",
    "photo_entry",
    "published_edition_list",
    "ranking_shown",
]

_EDITION_FIELDS = (
    Edition.id,
    Edition.slug,
    Edition.year,
    Edition.name_id,
    Edition.name_en,
    Edition.description_id,
    Edition.description_en,
    Edition.time_zone,
)


def engine_key() -> str:
    """Which database the remembered values belong to (tests switch databases)."""
    return str(id(_engine()))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


SETTINGS_TTL = 5.0
"""Seconds an edition's public fields and a category's "show the full ranking" choice are
reused between requests (organizer settings, not results: a change shows within this time).
Which results are visible is never cached: every request asks the visibility gate."""
_SETTINGS: dict[tuple[str, ...], tuple[float, Any]] = {}


async def _remembered(key: tuple[str, ...], load: Any) -> Any:
    now = time.monotonic()
    hit = _SETTINGS.get(key)
    if hit is not None and now - hit[0] < SETTINGS_TTL:
        return hit[1]
    value = await load()
    if len(_SETTINGS) > 1024:
        _SETTINGS.clear()
    _SETTINGS[key] = (now, value)
    return value


def forget_settings() -> None:
    """Drop the remembered organizer settings (after changing them in tests or tools)."""
    _SETTINGS.clear()


async def edition_by_slug(slug: str) -> dict[str, Any] | None:
    """The edition row (public fields only) or ``None`` (remembered :data:`SETTINGS_TTL`)."""

    async def load() -> dict[str, Any] | None:
        return await Edition.select(*_EDITION_FIELDS).where(Edition.slug == slug).first()

    return await _remembered(("edition", engine_key(), slug), load)


async def edition_state(slug: str, now: datetime | None = None):
    """``(edition, visible publications)`` — the cheap part of every edition page, used for
    its ETag before anything is rendered; ``(None, [])`` for an unknown edition."""
    edition = await edition_by_slug(slug)
    if edition is None:
        return None, []
    return edition, await visibility.published_categories(edition["id"], _now(now))


async def published_edition_list(now: datetime | None = None) -> list[dict[str, Any]]:
    """Editions with at least one public category, newest year first."""
    ids = await visibility.published_editions(_now(now))
    if not ids:
        return []
    rows = await Edition.select(*_EDITION_FIELDS).where(Edition.id.is_in(ids))
    return sorted(rows, key=lambda row: (-row["year"], row["slug"]))


async def _tier_labels(edition_id: int) -> dict[str, dict[str, Any]]:
    """code -> tier row of the edition (the results core's defaults when none are set)."""
    return (await _editions_tier_labels([edition_id]))[edition_id]


async def _editions_tier_labels(edition_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """edition id -> :func:`_tier_labels`, in one statement."""
    tiers = await editions_tiers(edition_ids)
    return {edition: {row["code"]: row for row in rows} for edition, rows in tiers.items()}


async def _photos(entry_ids: list[int]) -> dict[int, int]:
    """entry id -> id of its first image attachment (a photo field first)."""
    if not entry_ids:
        return {}
    rows = await Attachment.select(Attachment.id, Attachment.entry, Attachment.field_key).where(
        Attachment.entry.is_in(entry_ids) & Attachment.content_type.like("image/%")
    )
    chosen: dict[int, tuple[int, int]] = {}
    for row in rows:
        rank = (0 if "photo" in row["field_key"] or "foto" in row["field_key"] else 1, row["id"])
        if row["entry"] not in chosen or rank < chosen[row["entry"]]:
            chosen[row["entry"]] = rank
    return {entry: rank[1] for entry, rank in chosen.items()}


async def _entries(entry_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not entry_ids:
        return {}
    rows = await Entry.select(
        Entry.id,
        Entry.business,
        Entry.business_name,
        Entry.district,
        Entry.sector,
        Entry.answers,
    ).where(Entry.id.is_in(entry_ids))
    return {row["id"]: row for row in rows}


def _product(answers: Any) -> str:
    if isinstance(answers, str):
        try:
            answers = json.loads(answers)
        except ValueError:
            return ""
    if not isinstance(answers, dict):
        return ""
    value = answers.get("product_name") or answers.get("nama_produk") or ""
    return str(value)[:200]


def _standing(
    placement: dict[str, Any],
    entry: dict[str, Any] | None,
    tiers: dict[str, dict[str, Any]],
    photo: int | None,
) -> Standing:
    code = placement["special"] or placement["tier"]
    tier = tiers.get(code)
    entry = entry or {}
    return Standing(
        entry_id=placement["entry"],
        business_id=entry.get("business"),
        business_name=entry.get("business_name", ""),
        district=entry.get("district", ""),
        sector=entry.get("sector", ""),
        product=_product(entry.get("answers")),
        place=placement["place"],
        score=placement["score"],
        se=placement["se"],
        p_top3=placement["p_top3"],
        tied=placement["tied_to"] > placement["tied_group"],
        tier_code=code,
        tier_label_id=tier["label_id"] if tier else code,
        tier_label_en=(tier["label_en"] or tier["label_id"]) if tier else code,
        tier_kind=tier["kind"] if tier else "",
        citation=placement["citation"],
        photo_id=photo,
    )


async def edition_categories(edition_id: int) -> dict[int, dict[str, Any]]:
    return await _categories_of([edition_id])


async def _categories_of(edition_ids: list[int]) -> dict[int, dict[str, Any]]:
    """category id -> public fields of every category of ``edition_ids`` (one statement)."""
    columns = ("id", "slug", "code", "position", "name_id", "name_en", "rubric")
    rows = (
        await Category.select(*(getattr(Category, name) for name in columns))
        .where(Category.edition.is_in(sorted(set(edition_ids)) or [0]))
        .output(load_json=True)
    )
    return {row["id"]: row for row in rows}


async def edition_result(
    edition: dict[str, Any], publications: list[dict[str, Any]]
) -> EditionResult:
    """The edition home: each published category with its award winners (``publications``:
    :func:`edition_state`'s), in five statements however many categories."""
    return (await _editions_results([edition], publications))[0]


async def _editions_results(
    editions: list[dict[str, Any]], publications: list[dict[str, Any]]
) -> list[EditionResult]:
    """:func:`edition_result` of each of ``editions`` given the visible publications of all
    of them: their categories, tiers, awarded placements, entries and photos, one statement
    each (the placements none when the snapshots are in memory)."""
    ids = [edition["id"] for edition in editions]
    categories = await _categories_of(ids)
    tiers = await _editions_tier_labels(ids)
    awarded = await visibility.placements_of(publications, awarded_only=True)
    entry_ids = [p["entry"] for rows in awarded.values() for p in rows]
    entries, photos = await _entries(entry_ids), await _photos(entry_ids)
    results: dict[int, list[CategoryResult]] = {edition_id: [] for edition_id in ids}
    for pub in publications:
        edition_tiers = tiers[pub["edition_id"]]
        winners = [
            _standing(p, entries.get(p["entry"]), edition_tiers, photos.get(p["entry"]))
            for p in awarded[pub["category_id"]]
        ]
        results[pub["edition_id"]].append(
            CategoryResult(
                category=categories[pub["category_id"]],
                publication=pub,
                winners=winners,
                ranking=None,
                versions=[],
                rule=None,
            )
        )
    for rows in results.values():
        rows.sort(key=lambda r: (r.category["position"], r.category["id"]))
    return [EditionResult(edition=e, categories=results[e["id"]]) for e in editions]


async def category_result(
    edition: dict[str, Any],
    publications: list[dict[str, Any]],
    category_slug: str,
    now: datetime | None = None,
) -> CategoryResult | None:
    """One published category: winners, the full ranking when the organizer chose to show it,
    every visible version (corrections) and its manifest; ``None`` if not public."""
    categories = await edition_categories(edition["id"])
    category = next((c for c in categories.values() if c["slug"] == category_slug), None)
    pub = next((p for p in publications if category and p["category_id"] == category["id"]), None)
    if category is None or pub is None:
        return None
    moment = _now(now)
    show_all = await ranking_shown(edition["id"], category_slug)
    rule = {"show_full_ranking": show_all}
    placements = (await visibility.placements_of([pub]))[category["id"]]
    awarded = [p for p in placements if p["tier"] or p["special"]]
    shown = placements if show_all else awarded
    entry_ids = [p["entry"] for p in shown]
    tiers = await _tier_labels(edition["id"])
    entries, photos = await _entries(entry_ids), await _photos([p["entry"] for p in awarded])
    history = await visibility.category_history(category["id"], moment)
    return CategoryResult(
        category=category,
        publication=pub,
        winners=[
            _standing(p, entries.get(p["entry"]), tiers, photos.get(p["entry"])) for p in awarded
        ],
        ranking=[_standing(p, entries.get(p["entry"]), tiers, None) for p in shown]
        if show_all
        else None,
        versions=[
            Version(
                version=row["version"],
                publish_at=row["publish_at"],
                reason=row.get("public_reason", ""),
                changes=len(row.get("diff") or []),
            )
            for row in history
        ],
        rule=rule,
        scores=[p["score"] for p in placements if p["score"] is not None],
    )


async def photo_entry(entry_id: int, now: datetime | None = None) -> int | None:
    """The attachment id of the photo of ``entry_id`` if the entry holds an award in a visible
    result (else ``None``: no photo of an unpublished or unawarded entry is ever served)."""
    placement = (await visibility.entry_placements([entry_id], _now(now))).get(entry_id)
    if placement is None or not (placement["tier"] or placement["special"]):
        return None
    return (await _photos([entry_id])).get(entry_id)


async def business_history(business_id: int, now: datetime | None = None) -> list[HistoryItem]:
    """The business's awards in every published edition, newest first."""
    entries = await Entry.select(
        Entry.id,
        Entry.business,
        Entry.business_name,
        Entry.district,
        Entry.sector,
        Entry.answers,
        Entry.edition.as_alias("edition_id"),
        Entry.edition.slug.as_alias("edition_slug"),
        Entry.edition.year.as_alias("year"),
        Entry.edition.name_id.as_alias("edition_name_id"),
        Entry.edition.name_en.as_alias("edition_name_en"),
        Entry.category.slug.as_alias("category_slug"),
        Entry.category.name_id.as_alias("category_name_id"),
        Entry.category.name_en.as_alias("category_name_en"),
    ).where(Entry.business == business_id)
    by_id = {row["id"]: row for row in entries}
    placements = await visibility.entry_placements(list(by_id), _now(now))
    awarded = {e: p for e, p in placements.items() if p["tier"] or p["special"]}
    tiers = await _editions_tier_labels(list({by_id[e]["edition_id"] for e in awarded}))
    items = []
    for entry_id, placement in awarded.items():
        entry = by_id[entry_id]
        items.append(
            HistoryItem(
                entry=entry,
                standing=_standing(placement, entry, tiers[entry["edition_id"]], None),
            )
        )
    items.sort(key=lambda item: (-item.entry["year"], item.entry["category_slug"]))
    return items


async def feed_state(now: datetime | None = None) -> list[dict[str, Any]]:
    """The feed's visible publications (:func:`awards.results.visibility.published_by_edition`,
    every edition), the cheap part used for its ETag: one statement."""
    by_edition = await visibility.published_by_edition(_now(now))
    return [pub for rows in by_edition.values() for pub in rows]


async def feed_items(publications: list[dict[str, Any]]) -> list[CategoryResult]:
    """Every published category result with winners (``publications``: :func:`feed_state`),
    newest first; each result's ``category`` row carries its edition's slug and names. Six
    statements however many editions and categories."""
    ids = sorted({pub["edition_id"] for pub in publications})
    if not ids:
        return []
    editions = await Edition.select(*_EDITION_FIELDS).where(Edition.id.is_in(ids))
    items: list[CategoryResult] = []
    for result in await _editions_results(editions, publications):
        for category in result.categories:
            category.category = {**category.category, "edition": result.edition}
            items.append(category)
    items.sort(key=lambda r: r.publication["publish_at"], reverse=True)
    return items


async def ranking_shown(edition_id: int, category_slug: str) -> bool:
    """Whether the organizer chose to show the category's full ranking (for its ETag;
    remembered :data:`SETTINGS_TTL`)."""

    async def load() -> bool:
        row = await (
            CategoryRule.select(CategoryRule.show_full_ranking)
            .where(
                (CategoryRule.category.edition == edition_id)
                & (CategoryRule.category.slug == category_slug)
            )
            .first()
        )
        return bool(row and row["show_full_ranking"])

    return await _remembered(("ranking", engine_key(), str(edition_id), category_slug), load)
