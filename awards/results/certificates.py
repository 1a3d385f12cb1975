"""Certificates: issued once a publication is visible, kept in step with corrections, verified
in public at ``/v/{code}``.

**Who gets one.** For a category's public result (:func:`visibility.visible_publication`, the
only gate): every entry with a ranked/harapan tier or a special award gets a *winner*
certificate, and every other eligible, submitted entry of the category a *participation*
certificate. Each has a random 12-symbol Crockford base32 ``code`` (:mod:`.codes`) and the text
printed on it in Indonesian and English (``printed``), with the SHA-256 of that text's
canonical JSON (``printed_hash``).

**Syncing** (:func:`sync_category`, idempotent; one transaction): for the category's public
snapshot S and each entry's *award key* (kind, tier, special award, citation, business name,
category name) under S:

* an entry with a valid certificate whose award key is unchanged keeps it (still valid);
* a changed award key: the old certificate becomes ``superseded`` (``superseded_by`` = a new
  certificate issued under S) with the correction's public reason;
* an entry no longer eligible (withdrawn, disqualified): its certificate is ``revoked`` with the
  reason;
* an entry without a valid certificate gets one.

It runs when the publication's outbox event is dispatched (at the publication time, by the
worker), in the publish transaction when a correction is public at once
(:func:`awards.results.delivery_hooks.publication_scheduled`), and on first download. Nothing
happens while the result is under embargo.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date

from awards import db
from awards.intake.common import zone
from awards.intake.tables import Category, Edition, Entry, EntryStatus, Screening
from awards.results import visibility
from awards.results.certificate_render import RENDERER_VERSION
from awards.results.codes import new_code, normalize_code
from awards.results.delivery_tables import Certificate, CertificateKind, CertificateStatus
from awards.results.rules import edition_tiers
from awards.results.tables import Correction

__all__ = [
    "certificate_counts",
    "certificate_for_entry",
    "certificates_of_edition",
    "sync_category",
    "sync_edition",
    "verification",
]

CHUNK = 500


def _hash(printed: dict[str, Any]) -> str:
    text = json.dumps(printed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _award_key(printed: dict[str, Any]) -> list[Any]:
    return printed.get("award_key", [])


async def _tier_labels(edition_id: int) -> dict[str, dict[str, str]]:
    """Tier code -> label per language (the edition's tiers, or the defaults)."""
    rows = await edition_tiers(edition_id)
    return {
        r["code"]: {"id": r["label_id"], "en": r.get("label_en") or r["label_id"]} for r in rows
    }


def _texts(
    *,
    kind: str,
    edition: dict[str, Any],
    category: dict[str, Any],
    business: str,
    owner: str,
    award: dict[str, str] | None,
    citation: str,
    published: datetime,
) -> dict[str, dict[str, str]]:
    """The printed text of a certificate, per language."""
    local = published.astimezone(zone(edition["time_zone"]))
    winner = kind == CertificateKind.winner.value
    out = {}
    for lang in ("id", "en"):
        edition_name = edition["name_en"] if lang == "en" and edition["name_en"] else None
        category_name = category["name_en"] if lang == "en" and category["name_en"] else None
        edition_name = edition_name or edition["name_id"]
        category_name = category_name or category["name_id"]
        if lang == "id":
            text = {
                "heading": "SERTIFIKAT PENGHARGAAN" if winner else "SERTIFIKAT PARTISIPASI",
                "intro": "Dengan bangga diberikan kepada" if winner else "Diberikan kepada",
                "statement": (
                    "atas prestasinya dalam " if winner else "atas keikutsertaannya dalam "
                )
                + edition_name,
                "category": f"Kategori {category_name}",
                "owner": f"Pemilik: {owner}" if owner else "",
                "code_label": "Kode verifikasi",
                "verify_label": "Periksa keaslian",
                "scan_label": "Pindai untuk memeriksa",
            }
        else:
            text = {
                "heading": "CERTIFICATE OF AWARD" if winner else "CERTIFICATE OF PARTICIPATION",
                "intro": "Proudly presented to" if winner else "Presented to",
                "statement": ("for its achievement in " if winner else "for taking part in ")
                + edition_name,
                "category": f"Category {category_name}",
                "owner": f"Owner: {owner}" if owner else "",
                "code_label": "Verification code",
                "verify_label": "Check authenticity",
                "scan_label": "Scan to check",
            }
        text.update(
            issuer=edition_name,
            subtitle="" if str(edition["year"]) in edition_name else str(edition["year"]),
            recipient=business,
            award=(award or {}).get(lang, ""),
            citation=citation,
            place_date=format_date(local.date(), format="long", locale=lang),
        )
        out[lang] = text
    return out


async def _desired(pub: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """entry id -> printed content (without code) for the public snapshot ``pub``."""
    category_id = pub["category_id"]
    category = await Category.select().where(Category.id == category_id).first()
    edition = await Edition.select().where(Edition.id == category["edition"]).first()
    placements = {
        p["entry"]: p for p in await visibility.visible_placements(category_id, pub["publish_at"])
    }
    entries = await Entry.select(
        Entry.id, Entry.business_name, Entry.business.owner_name.as_alias("owner")
    ).where(
        (Entry.category == category_id)
        & (Entry.status == EntryStatus.submitted.value)
        & (Entry.screening == Screening.eligible.value)
    )
    labels = await _tier_labels(edition["id"])
    out: dict[int, dict[str, Any]] = {}
    for entry in entries:
        placement = placements.get(entry["id"], {})
        tier, special = placement.get("tier", ""), placement.get("special", "")
        kind = (
            CertificateKind.winner.value if tier or special else CertificateKind.participation.value
        )
        award = None
        if tier or special:
            parts = [labels.get(code, {"id": code, "en": code}) for code in (tier, special) if code]
            award = {lang: " · ".join(p[lang] for p in parts) for lang in ("id", "en")}
        citation = placement.get("citation", "") if special else ""
        business = entry["business_name"]
        texts = _texts(
            kind=kind,
            edition=edition,
            category=category,
            business=business,
            owner=entry["owner"] or "",
            award=award,
            citation=citation,
            published=pub["publish_at"],
        )
        out[entry["id"]] = {
            "kind": kind,
            "tier": tier or special,
            "award_key": [kind, tier, special, citation, business, category["name_id"]],
            **texts,
        }
    return out


async def _reason(snapshot_id: int) -> str:
    row = (
        await Correction.select(Correction.public_reason)
        .where(Correction.to_snapshot == snapshot_id)
        .first()
    )
    return row["public_reason"] if row else ""


async def sync_category(category_id: int, now: datetime | None = None) -> dict[str, int]:
    """Bring the category's certificates in step with its public result (module docstring);
    returns counts ``issued``, ``superseded``, ``revoked``, ``kept``. Nothing when no result
    is visible at ``now``."""
    moment = now or datetime.now(UTC)
    counts = {"issued": 0, "superseded": 0, "revoked": 0, "kept": 0}
    async with db.write_transaction():
        pub = await visibility.visible_publication(category_id, moment)
        if pub is None:
            return counts
        snapshot_id = pub["snapshot_id"]
        desired = await _desired(pub)
        current = (
            await Certificate.select()
            .where(
                (Certificate.category == category_id)
                & (Certificate.status == CertificateStatus.valid.value)
            )
            .output(load_json=True)
        )
        reason = await _reason(snapshot_id)
        valid = {c["entry"]: c for c in current}
        new_rows: list[Certificate] = []
        replaces: dict[int, int] = {}  # entry -> old certificate id
        for entry_id, printed in desired.items():
            old = valid.get(entry_id)
            if old is not None and (
                old["snapshot"] == snapshot_id or _award_key(old["printed"]) == printed["award_key"]
            ):
                counts["kept"] += 1
                continue
            if old is not None:
                replaces[entry_id] = old["id"]
            code = new_code()
            full = {**printed, "code": code}
            new_rows.append(
                Certificate(
                    code=code,
                    edition=pub["edition_id"],
                    category=category_id,
                    entry=entry_id,
                    snapshot=snapshot_id,
                    kind=printed["kind"],
                    tier=printed["tier"],
                    printed=full,
                    printed_hash=_hash(full),
                    renderer_version=RENDERER_VERSION,
                    issued_at=moment,
                )
            )
        for start in range(0, len(new_rows), CHUNK):
            await Certificate.insert(*new_rows[start : start + CHUNK])
        counts["issued"] = len(new_rows)
        if replaces:
            issued = await Certificate.select(Certificate.id, Certificate.entry).where(
                (Certificate.snapshot == snapshot_id) & Certificate.entry.is_in(list(replaces))
            )
            for row in issued:
                await Certificate.update(
                    {
                        Certificate.status: CertificateStatus.superseded.value,
                        Certificate.superseded_by: row["id"],
                        Certificate.reason: reason,
                        Certificate.status_changed_at: moment,
                    }
                ).where(Certificate.id == replaces[row["entry"]])
            counts["superseded"] = len(issued)
        gone = [c["id"] for entry, c in valid.items() if entry not in desired]
        if gone:
            await Certificate.update(
                {
                    Certificate.status: CertificateStatus.revoked.value,
                    Certificate.reason: reason or "",
                    Certificate.status_changed_at: moment,
                }
            ).where(Certificate.id.is_in(gone))
            counts["revoked"] = len(gone)
    return counts


async def sync_edition(edition_id: int, now: datetime | None = None) -> None:
    """:func:`sync_category` for every category of the edition with a public result."""
    for pub in await visibility.published_categories(edition_id, now):
        await sync_category(pub["category_id"], now)


async def certificate_for_entry(
    entry_id: int, now: datetime | None = None
) -> dict[str, Any] | None:
    """The entry's valid certificate of its category's public result (issuing it on first
    request), or None while nothing is public or the entry gets none."""
    entry = await Entry.select(Entry.category).where(Entry.id == entry_id).first()
    if entry is None:
        return None
    if await visibility.visible_publication(entry["category"], now) is None:
        return None
    row = await _valid_for(entry_id)
    if row is None:
        await sync_category(entry["category"], now)
        row = await _valid_for(entry_id)
    return row


async def _valid_for(entry_id: int) -> dict[str, Any] | None:
    return (
        await Certificate.select()
        .where(
            (Certificate.entry == entry_id) & (Certificate.status == CertificateStatus.valid.value)
        )
        .output(load_json=True)
        .first()
    )


async def certificates_of_edition(
    edition_id: int,
    category_id: int | None = None,
    now: datetime | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Valid certificates of the edition's public results (issued first if missing), by
    category, then winners first, then business name; ``offset``/``limit`` page through them."""
    await sync_edition(edition_id, now)
    query = Certificate.select(
        Certificate.id,
        Certificate.code,
        Certificate.kind,
        Certificate.tier,
        Certificate.entry,
        Certificate.category,
        Certificate.printed,
        Certificate.issued_at,
        Certificate.entry.business_name.as_alias("business_name"),
        Certificate.category.name_id.as_alias("category_name"),
    ).where(
        (Certificate.edition == edition_id) & (Certificate.status == CertificateStatus.valid.value)
    )
    if category_id is not None:
        query = query.where(Certificate.category == category_id)
    query = (
        query.order_by(Certificate.category)
        .order_by(Certificate.kind, ascending=False)
        .order_by(Certificate.entry.business_name)
        .order_by(Certificate.id)
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return await query.output(load_json=True)


async def certificate_counts(edition_id: int) -> list[dict[str, Any]]:
    """Per category of the edition: valid winner and participation certificates (call after
    :func:`sync_edition`)."""
    rows = await Certificate.select(
        Certificate.category,
        Certificate.category.name_id.as_alias("category_name"),
        Certificate.kind,
    ).where(
        (Certificate.edition == edition_id) & (Certificate.status == CertificateStatus.valid.value)
    )
    counts: dict[int, dict[str, Any]] = {}
    for row in rows:
        item = counts.setdefault(
            row["category"],
            {"category": row["category"], "name": row["category_name"], "winner": 0,
             "participation": 0},
        )  # fmt: skip
        item[row["kind"]] += 1
    return [counts[k] for k in sorted(counts)]


async def verification(text: str) -> dict[str, Any] | None:
    """What ``/v/{code}`` shows: the certificate (status, reason, printed text), and the
    replacement's code when superseded; None for an unknown code (or one whose result is not
    visible)."""
    code = normalize_code(text)
    if code is None:
        return None
    row = await Certificate.select().where(Certificate.code == code).output(load_json=True).first()
    if row is None or not await visibility.is_visible(row["snapshot"]):
        return None
    replacement = None
    if row["superseded_by"] is not None:
        # follow the chain to the certificate valid now
        seen = {row["id"]}
        target = row["superseded_by"]
        while target is not None and target not in seen:
            seen.add(target)
            nxt = (
                await Certificate.select(
                    Certificate.code, Certificate.status, Certificate.superseded_by
                )
                .where(Certificate.id == target)
                .first()
            )
            if nxt is None:
                break
            replacement = nxt
            target = nxt["superseded_by"]
    row["replacement"] = replacement
    edition = (
        await Edition.select(Edition.time_zone, Edition.slug)
        .where(Edition.id == row["edition"])
        .first()
    )
    row["time_zone"] = edition["time_zone"] if edition else "Asia/Jakarta"
    row["edition_slug"] = edition["slug"] if edition else ""
    return row
