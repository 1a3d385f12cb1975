"""Publishing frozen results: now or at a scheduled time (embargo), corrections, withdrawal of
a scheduled publication, and the edition's move to "published" (announced).

* :func:`publish` — the category's latest snapshot becomes public at ``publish_at`` (default
  now; a naive time is read in the edition's time zone and stored in UTC). When the category
  already has a *visible* result, the new version is a **correction**: a public reason is
  required, and a :class:`~awards.results.tables.Correction` row records the reason and the
  diff (:func:`awards.results.domain.diff_placements`) against the public version. A scheduled,
  not yet visible publication of an earlier version of the category is withdrawn by it.
* When every category of the edition that has a scoring round has a publication of its latest
  snapshot (visible or scheduled), the edition moves to ``published`` through
  :class:`~awards.intake.editions.status.EditionLifecycle` in the same transaction (from
  ``judging``, or from ``correcting`` with the correction's reason), so intake, scoring and
  results lock. The public pages still show each category only from its ``publish_at``
  (:mod:`awards.results.visibility`).
* :func:`withdraw` cancels a publication that is not visible yet (an embargo not yet lifted).
  Visible results are never withdrawn; they are corrected.

One transaction each. A precondition registered on judging -> published (and correcting ->
published) refuses the edition's "publish" transition while a category lacks a publication.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, ngettext
from awards.intake.editions.lifecycle import Action, Blocker, EditionStatus, register_precondition
from awards.intake.editions.status import EditionLifecycle, ensure_edition_allows
from awards.intake.tables import Category, Edition
from awards.results import delivery_hooks, domain
from awards.results.tables import Correction, Placement, Publication, ResultSnapshot
from awards.results.visibility import visible_publication
from awards.scoring.common import (
    NotFoundError,
    ScoringRefusedError,
    local_to_utc,
    require_manager,
)
from awards.scoring.tables import ScoringRound

__all__ = [
    "MAX_REASON",
    "PublicationStatus",
    "categories_missing_publication",
    "publication_state",
    "publication_status",
    "publish",
    "withdraw",
]

MAX_REASON = 2000


async def _placements(snapshot_id: int) -> list[dict[str, Any]]:
    return (
        await Placement.select(
            Placement.entry, Placement.place, Placement.tier, Placement.special, Placement.score
        )
        .where(Placement.snapshot == snapshot_id)
        .order_by(Placement.place)
    )


@dataclass(frozen=True)
class PublicationStatus:
    """The editions' categories' publication state: ``latest`` maps a category to its latest
    snapshot (``id``, ``category``, ``version``); ``missing`` holds the categories with a
    scoring round whose latest snapshot has no (non-withdrawn) publication — including
    categories never frozen."""

    latest: dict[int, dict[str, Any]]
    missing: set[int]


async def publication_status(edition_ids: Sequence[int]) -> PublicationStatus:
    """:class:`PublicationStatus` of every category of the editions, in three reads (rounds,
    snapshots, publications) however many editions and categories."""
    ids = sorted(edition_ids) or [0]
    rounds = await ScoringRound.select(ScoringRound.category).where(ScoringRound.edition.is_in(ids))
    wanted = {r["category"] for r in rounds}
    snaps = await ResultSnapshot.select(
        ResultSnapshot.id, ResultSnapshot.category, ResultSnapshot.version
    ).where(ResultSnapshot.edition.is_in(ids))
    latest: dict[int, dict[str, Any]] = {}
    for s in snaps:
        if s["category"] not in latest or s["version"] > latest[s["category"]]["version"]:
            latest[s["category"]] = s
    pubs = await Publication.select(Publication.snapshot).where(
        Publication.edition.is_in(ids) & Publication.withdrawn_at.is_null()
    )
    published = {p["snapshot"] for p in pubs}
    missing = {cid for cid in wanted if cid not in latest or latest[cid]["id"] not in published}
    return PublicationStatus(latest, missing)


async def categories_missing_publication(edition_id: int) -> list[dict[str, Any]]:
    """Categories of the edition with a scoring round whose latest snapshot has no
    (non-withdrawn) publication — including categories never frozen."""
    missing = (await publication_status([edition_id])).missing
    if not missing:
        return []
    return (
        await Category.select(Category.id, Category.name_id, Category.name_en)
        .where(Category.id.is_in(sorted(missing)))
        .order_by(Category.position)
        .order_by(Category.id)
    )


async def _every_category_published(edition: Mapping[str, Any]) -> list[Blocker]:
    missing = await categories_missing_publication(edition["id"])
    if not missing:
        return []
    message = ngettext(
        "%(num)d category has no published or scheduled results yet.",
        "%(num)d categories have no published or scheduled results yet.",
        len(missing),
    ) % {"num": len(missing)}
    return [
        Blocker(
            message,
            tuple(
                (row["name_id"], f"/organizer/results/categories/{row['id']}") for row in missing
            ),
        )
    ]


register_precondition(EditionStatus.judging, EditionStatus.published)(_every_category_published)
register_precondition(EditionStatus.correcting, EditionStatus.published)(_every_category_published)


def _when(publish_at: datetime | None, time_zone: str, now: datetime) -> datetime:
    if publish_at is None:
        return now
    moment = local_to_utc(publish_at, time_zone)
    return max(moment, now)


async def publish(
    actor: CurrentUser,
    snapshot_id: int,
    *,
    publish_at: datetime | None = None,
    public_reason: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Publish (or schedule) a snapshot (module docstring). Returns ``{publication_id,
    publish_at, correction_id, edition_status}``."""
    public_reason = public_reason.strip()
    if len(public_reason) > MAX_REASON:
        raise ValidationError({"public_reason": _("Use at most 2000 characters.")})
    snap = await ResultSnapshot.select().where(ResultSnapshot.id == snapshot_id).first()
    if snap is None:
        raise NotFoundError(f"snapshot {snapshot_id}")
    require_manager(actor, snap["edition"])
    now = now or datetime.now(UTC)
    async with db.write_transaction():
        await ensure_edition_allows(snap["edition"], Action.results)
        edition = await Edition.select().where(Edition.id == snap["edition"]).first()
        when = _when(publish_at, edition["time_zone"], now)
        latest = (
            await ResultSnapshot.select(ResultSnapshot.id)
            .where(ResultSnapshot.category == snap["category"])
            .order_by(ResultSnapshot.version, ascending=False)
            .first()
        )
        if latest["id"] != snapshot_id:
            raise ScoringRefusedError(_("A newer version of this category has been frozen."))
        if await Publication.exists().where(
            (Publication.snapshot == snapshot_id) & Publication.withdrawn_at.is_null()
        ):
            raise ScoringRefusedError(_("This version is already published or scheduled."))
        public = await visible_publication(snap["category"], now)
        correction_id = None
        if public is not None and not public_reason:
            raise ValidationError(
                {"public_reason": _("Give the public reason for the correction.")}
            )
        # an earlier version still under embargo is replaced by this one
        replaced = (
            await Publication.update(
                {
                    Publication.withdrawn_at: now,
                    Publication.withdrawn_reason: _("Replaced by version %(v)d")
                    % {"v": snap["version"]},
                }
            )
            .where(
                (Publication.category == snap["category"])
                & (Publication.publish_at > now)
                & Publication.withdrawn_at.is_null()
            )
            .returning(Publication.id)
        )
        for row in replaced:
            await delivery_hooks.publication_withdrawn(row["id"])
        pub_rows = await Publication.insert(
            Publication(
                snapshot=snapshot_id,
                edition=snap["edition"],
                category=snap["category"],
                publish_at=when,
                created_by=actor.id,
                created_at=now,
            )
        ).returning(Publication.id)
        if public is not None:
            diff = domain.diff_placements(
                await _placements(public["snapshot_id"]), await _placements(snapshot_id)
            )
            rows = await Correction.insert(
                Correction(
                    category=snap["category"],
                    from_snapshot=public["snapshot_id"],
                    to_snapshot=snapshot_id,
                    public_reason=public_reason,
                    diff=json.loads(domain.canonical_json(diff)),
                    created_by=actor.id,
                    created_at=now,
                )
            ).returning(Correction.id)
            correction_id = rows[0]["id"]
        await delivery_hooks.publication_scheduled(
            publication_id=pub_rows[0]["id"],
            edition_id=snap["edition"],
            publish_at=when,
            data={
                "edition": edition["slug"],
                "category": snap["category"],
                "snapshot": snapshot_id,
                "version": snap["version"],
            },
            corrected=public is not None,
            now=now,
        )
        status = edition["status"]
        if not await categories_missing_publication(snap["edition"]):
            reason = public_reason or _("Corrected results published.")
            if status == EditionStatus.judging.value:
                await EditionLifecycle().change(actor, snap["edition"], EditionStatus.published)
                status = EditionStatus.published.value
            elif status == EditionStatus.correcting.value:
                await EditionLifecycle().change(
                    actor, snap["edition"], EditionStatus.published, reason
                )
                status = EditionStatus.published.value
    return {
        "publication_id": pub_rows[0]["id"],
        "publish_at": when,
        "correction_id": correction_id,
        "edition_status": status,
    }


async def withdraw(
    actor: CurrentUser, publication_id: int, reason: str, *, now: datetime | None = None
) -> None:
    """Cancel a scheduled publication before its time (the embargo stays in force). Results
    already visible cannot be withdrawn: publish a correction instead."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept in the log.")})
    row = await Publication.select().where(Publication.id == publication_id).first()
    if row is None:
        raise NotFoundError(f"publication {publication_id}")
    require_manager(actor, row["edition"])
    now = now or datetime.now(UTC)
    async with db.write_transaction():
        await ensure_edition_allows(row["edition"], Action.results)
        if row["withdrawn_at"] is not None:
            return
        if row["publish_at"] <= now:
            raise ScoringRefusedError(
                _("These results are already public; publish a correction instead.")
            )
        await Publication.update(
            {Publication.withdrawn_at: now, Publication.withdrawn_reason: reason}
        ).where(Publication.id == publication_id)
        await delivery_hooks.publication_withdrawn(publication_id)


async def publication_state(category_id: int, now: datetime | None = None) -> dict[str, Any]:
    """For the organizer: the category's snapshots (newest first) each with its publication
    (``publish_at``, ``withdrawn_at``, ``visible``) and correction reason."""
    now = now or datetime.now(UTC)
    snaps = (
        await ResultSnapshot.select(
            ResultSnapshot.id,
            ResultSnapshot.version,
            ResultSnapshot.content_hash,
            ResultSnapshot.frozen_at,
            ResultSnapshot.frozen_by.display_name.as_alias("frozen_by_name"),
            ResultSnapshot.method,
            ResultSnapshot.inputs_hash,
        )
        .where(ResultSnapshot.category == category_id)
        .order_by(ResultSnapshot.version, ascending=False)
    )
    pubs = await Publication.select().where(Publication.category == category_id)
    corrections = await Correction.select().where(Correction.category == category_id)
    by_snap = {p["snapshot"]: p for p in pubs if p["withdrawn_at"] is None}
    reasons = {c["to_snapshot"]: c["public_reason"] for c in corrections}
    for s in snaps:
        pub = by_snap.get(s["id"])
        s["publication"] = pub
        s["visible"] = bool(pub and pub["publish_at"] <= now)
        s["public_reason"] = reasons.get(s["id"], "")
    return {"snapshots": snaps}
