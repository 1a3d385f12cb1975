"""Load the seeded demo edition ("Anugerah UMKM Kota Malang 2026") into the database.

:func:`load_demo_edition` is idempotent: when the edition's slug already exists it does nothing
and reports ``loaded=False``. Otherwise it

1. creates the demo accounts that do not exist yet (organizer granted the edition, judges
   granted the edition, one entrant per category linked to its business as owner);
2. renders every product photo and stores it through :func:`awards.intake.uploads.store_upload`
   (re-encoded, thumbnail made), in a small thread pool;
3. writes the edition, its categories (form, rubric, eligibility), the businesses with their
   declarations, the entries (drafts, submitted, withdrawn, and screened-ineligible with the
   organizer's reason) and the attachment rows in ONE write transaction, in chunks of at most
   :data:`awards.intake.bulk.service.CHUNK` rows. If that transaction fails the stored photos are
   deleted again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awards import db
from awards.accounts.passwords import hash_password
from awards.accounts.services import AccountService
from awards.accounts.tables import User
from awards.demo import DemoData, ImageSpec, generate_demo, render_image, rubric_to_dict
from awards.demo import size_thresholds_to_dict as thresholds_dict
from awards.intake.bulk.service import chunks
from awards.intake.common import uploads_root
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Category,
    Declaration,
    Edition,
    Entry,
    EntryStatus,
    Screening,
)
from awards.intake.uploads import StoredFile, UploadPolicy, delete_stored, store_upload
from awards.mail import Mailer
from awards.settings import Settings

__all__ = ["DemoAccountLine", "DemoLoadResult", "load_demo_edition"]

PHOTO_FIELD = "product_photos"


@dataclass(frozen=True)
class DemoAccountLine:
    role: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoLoadResult:
    """``loaded`` False when the edition was already there (nothing was written)."""

    loaded: bool
    edition_slug: str
    businesses: int
    entries: int
    images: int
    accounts: tuple[DemoAccountLine, ...]


def _store_one(spec: ImageSpec, root: Path) -> tuple[str, StoredFile]:
    """Render one photo and store it as an upload (re-encoded, thumbnail made)."""
    data = render_image(spec)
    policy = UploadPolicy(kinds=("jpeg", "png"))
    return spec.key, store_upload([data], filename=spec.filename, storage_root=root, policy=policy)


def _store_images(settings: Settings, specs: Sequence[ImageSpec]) -> dict[str, StoredFile]:
    """Render and store every image; ``spec.key -> StoredFile``.

    Encoding is CPU-bound and holds the GIL, so with several CPUs the work goes to forked
    worker processes (they only draw and write files). Where ``fork`` is not available, or for
    a handful of images, it runs in this process.
    """
    root = uploads_root(settings)
    workers = os.cpu_count() or 1
    if len(specs) < 40 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return dict(_store_one(spec, root) for spec in specs)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return dict(pool.map(_store_one, specs, [root] * len(specs), chunksize=16))


async def _accounts(settings: Settings, demo: DemoData, edition_id: int) -> dict[str, int]:
    """Create missing accounts and grant roles (organizer and judges scoped to the edition);
    ``email -> user id``. Every demo account has the same demo password, hashed once (argon2
    costs ~0.1-0.5 s a hash)."""
    service = AccountService(settings, Mailer(settings))
    ids: dict[str, int] = {}
    hashes: dict[str, str] = {}
    async with db.write_transaction():
        for account in demo.accounts:
            row = await User.select(User.id).where(User.email == account.email).first()
            if row is None:
                if account.password not in hashes:
                    hashes[account.password] = await hash_password(account.password)
                rows = await User.insert(
                    User(email=account.email, password_hash=hashes[account.password],
                         display_name=account.full_name, language=account.locale)
                ).returning(User.id)  # fmt: skip
                row = rows[0]
            ids[account.email] = row["id"]
    for account in demo.accounts:
        scope = None if account.role == "entrant" else edition_id
        await service.grant_role(ids[account.email], account.role, scope)
    return ids


async def load_demo_edition(settings: Settings, demo: DemoData | None = None) -> DemoLoadResult:
    """Load ``demo`` (default: ``generate_demo()``) unless its edition exists already."""
    db.configure(settings.database_url)
    demo = demo or generate_demo()
    lines = tuple(DemoAccountLine(a.role, a.email, a.password) for a in demo.accounts)
    existing = await Edition.select(Edition.id).where(Edition.slug == demo.edition.slug).first()
    if existing is not None:  # loaded before: only make sure the accounts are complete
        await _link_entrants(demo, await _accounts(settings, demo, existing["id"]))
        return DemoLoadResult(False, demo.edition.slug, 0, 0, 0, lines)
    specs = demo.image_specs()
    stored = _store_images(settings, specs)
    try:
        edition_id = await _write(demo, stored)
    except BaseException:
        root = uploads_root(settings)
        for item in stored.values():
            delete_stored(root, item)
        raise
    users = await _accounts(settings, demo, edition_id)
    await _link_entrants(demo, users)
    return DemoLoadResult(
        True, demo.edition.slug, len(demo.businesses), len(demo.entries), len(stored), lines
    )


async def _write(demo: DemoData, stored: dict[str, StoredFile]) -> int:
    e = demo.edition
    async with db.write_transaction():
        rows = await Edition.insert(
            Edition(
                slug=e.slug, year=e.year, name_id=e.name_id, name_en=e.name_en,
                description_id=e.description_id, description_en=e.description_en,
                time_zone=e.time_zone, intake_opens_at=e.intake_opens_at,
                intake_closes_at=e.intake_closes_at, judging_starts_at=e.judging_starts_at,
                judging_ends_at=e.judging_ends_at, results_at=e.results_at, status=e.status,
                size_thresholds=thresholds_dict(demo.size_classes),
                districts=list(demo.categories[0].eligibility.districts),
                sectors=list(demo.sectors),
            )
        ).returning(Edition.id)  # fmt: skip
        edition_id = rows[0]["id"]
        categories = await _categories(demo, edition_id)
        businesses = await _businesses(demo, edition_id)
        await _entries(demo, edition_id, categories, businesses, stored)
    return edition_id


async def _categories(demo: DemoData, edition_id: int) -> dict[str, int]:
    await Category.insert(
        *(
            Category(
                edition=edition_id, slug=c.slug, code=c.code, position=c.order,
                name_id=c.name_id, name_en=c.name_en, description_id=c.description_id,
                description_en=c.description_en, eligibility=c.eligibility.to_dict(),
                form={"version": 1, "fields": c.form}, rubric=rubric_to_dict(c.rubric),
            )
            for c in demo.categories
        )
    )  # fmt: skip
    rows = await Category.select(Category.id, Category.slug).where(Category.edition == edition_id)
    return {row["slug"]: row["id"] for row in rows}


async def _businesses(demo: DemoData, edition_id: int) -> dict[str, int]:
    """Insert businesses and their declarations; ``business key -> id``."""
    for chunk in chunks(demo.businesses):
        await Business.insert(
            *(
                Business(
                    name=b.name, owner_name=b.owner_name, nib=b.nib, phone=b.phone,
                    email=b.owner_email, address=f"{b.address}, {b.district}, {b.city}",
                    district=b.district, sector=b.sector, year_founded=b.year_founded,
                    employees=b.employees,
                )
                for b in chunk
            )
        )  # fmt: skip
    by_nib = {b.nib: b.key for b in demo.businesses}
    ids: dict[str, int] = {}
    for chunk in chunks(list(by_nib)):
        for row in await Business.select(Business.id, Business.nib).where(
            Business.nib.is_in(list(chunk))
        ):
            ids[by_nib[row["nib"]]] = row["id"]
    for chunk in chunks(demo.businesses):
        await Declaration.insert(
            *(
                Declaration(
                    business=ids[b.key], edition=edition_id, capital=b.declared_capital,
                    turnover=b.declared_turnover, size_class=b.size_class,
                )
                for b in chunk
            )
        )  # fmt: skip
    return ids


def _entry_row(demo_entry: Any, business: Any, edition_id: int, category_id: int,
               business_id: int, stored: dict[str, StoredFile]) -> Entry:  # fmt: skip
    answers = dict(demo_entry.answers)
    if PHOTO_FIELD in answers:
        answers[PHOTO_FIELD] = [stored[spec.key].to_dict() for spec in demo_entry.images]
    ineligible = demo_entry.status == "ineligible"
    status = EntryStatus.submitted.value if ineligible else demo_entry.status
    return Entry(
        edition=edition_id, category=category_id, business=business_id, status=status,
        screening=Screening.ineligible.value if ineligible else Screening.pending.value,
        screening_reason=demo_entry.ineligible_reason or "", screened_at=demo_entry.screened_at,
        answers=answers, receipt_number=demo_entry.receipt_number, source="web",
        business_name=business.name, district=business.district,
        size_class=business.size_class, sector=business.sector,
        created_at=demo_entry.created_at, updated_at=demo_entry.updated_at,
        submitted_at=demo_entry.submitted_at, withdrawn_at=demo_entry.withdrawn_at,
    )  # fmt: skip


async def _entries(
    demo: DemoData,
    edition_id: int,
    categories: dict[str, int],
    businesses: dict[str, int],
    stored: dict[str, StoredFile],
) -> None:
    by_key = {b.key: b for b in demo.businesses}
    for chunk in chunks(demo.entries):
        await Entry.insert(
            *(
                _entry_row(
                    item, by_key[item.business_key], edition_id, categories[item.category_slug],
                    businesses[item.business_key], stored,
                )
                for item in chunk
            )
        )  # fmt: skip
    # Entry ids in creation order match demo.entries (inserted in that order).
    rows = await Entry.select(Entry.id).where(Entry.edition == edition_id).order_by(Entry.id)
    attachments = []
    for row, item in zip(rows, demo.entries, strict=True):
        for spec in item.images:
            file = stored[spec.key]
            attachments.append(
                Attachment(
                    entry=row["id"], business=businesses[item.business_key],
                    field_key=PHOTO_FIELD, storage_key=file.key,
                    thumbnail_key=file.thumbnail_key, original_name=file.original_name,
                    content_type=file.content_type, size_bytes=file.size, sha256=file.sha256,
                    width=file.width, height=file.height,
                )
            )  # fmt: skip
    for chunk in chunks(attachments):
        await Attachment.insert(*chunk)


async def _link_entrants(demo: DemoData, users: dict[str, int]) -> None:
    """Make each demo entrant the owner of their business (once)."""
    async with db.write_transaction():
        for account in demo.accounts:
            if account.business_key is None:
                continue
            business = next(b for b in demo.businesses if b.key == account.business_key)
            row = await Business.select(Business.id).where(Business.nib == business.nib).first()
            user_id = users[account.email]
            exists = await BusinessMember.exists().where(
                (BusinessMember.business == row["id"]) & (BusinessMember.user == user_id)
            )
            if not exists:
                await BusinessMember.insert(
                    BusinessMember(business=row["id"], user=user_id, role="owner")
                )
