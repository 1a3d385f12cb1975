"""The demo edition loader: everything the demo needs, loaded once (a second run skips)."""

from __future__ import annotations

import asyncio

from awards.accounts.tables import RoleGrant, User
from awards.demo import generate_demo
from awards.demo.load import load_demo_edition
from awards.intake.common import uploads_root
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessMember,
    Category,
    Declaration,
    Edition,
    Entry,
)


def _counts() -> dict[str, int]:
    async def count() -> dict[str, int]:
        tables = (Edition, Category, Business, Declaration, Entry, Attachment, BusinessMember, User)
        return {table._meta.tablename: await table.count() for table in tables}

    return asyncio.run(count())


def test_demo_load_creates_the_edition_and_is_idempotent(settings):
    """A small seeded demo loads businesses, entries in every status, stored photos and
    accounts; loading it again writes nothing."""
    demo = generate_demo(seed=7, n_businesses=25)

    first = asyncio.run(load_demo_edition(settings, demo))
    after_first = _counts()
    second = asyncio.run(load_demo_edition(settings, demo))

    assert first.loaded is True
    assert second.loaded is False
    assert _counts() == after_first
    assert after_first["intake_edition"] == 1
    assert after_first["intake_category"] == 5
    assert after_first["intake_business"] == 25
    assert after_first["intake_declaration"] == 25
    assert after_first["intake_entry"] == len(demo.entries)
    assert after_first["intake_attachment"] == len(demo.image_specs()) == first.images


def test_demo_load_entries_cover_every_status_with_reasons(settings):
    """Drafts, submitted, withdrawn and screened-ineligible entries exist; ineligible ones carry
    the organizer's reason; submitted ones a receipt number; photos are on disk."""
    demo = generate_demo(seed=7, n_businesses=25)
    asyncio.run(load_demo_edition(settings, demo))

    async def rows() -> list[dict]:
        return await Entry.select().output(load_json=True)

    entries = asyncio.run(rows())
    statuses = {(e["status"], e["screening"]) for e in entries}
    assert {("draft", "pending"), ("submitted", "pending"), ("withdrawn", "pending")} <= statuses
    assert ("submitted", "ineligible") in statuses
    assert all(e["screening_reason"] for e in entries if e["screening"] == "ineligible")
    assert all(e["receipt_number"] for e in entries if e["status"] != "draft")
    photos = [f for e in entries for f in e["answers"].get("product_photos", [])]
    assert photos
    root = uploads_root(settings)
    assert all((root / photo["key"]).is_file() for photo in photos)
    assert all((root / photo["thumbnail_key"]).is_file() for photo in photos)


def test_demo_load_grants_roles_and_links_entrants(settings):
    """The organizer and judges are granted the edition; each entrant owns a business."""
    demo = generate_demo(seed=7, n_businesses=25)
    result = asyncio.run(load_demo_edition(settings, demo))

    async def facts() -> tuple[list[dict], list[dict], int]:
        edition = await Edition.select(Edition.id).first()
        grants = await RoleGrant.select(RoleGrant.role, RoleGrant.edition_id, RoleGrant.user.email)
        members = await BusinessMember.select(BusinessMember.user.email, BusinessMember.role)
        return grants, members, edition["id"]

    grants, members, edition_id = asyncio.run(facts())
    organizer = next(a for a in demo.accounts if a.role == "organizer")
    entrants = {a.email for a in demo.accounts if a.role == "entrant"}
    assert {"role": "organizer", "edition_id": edition_id, "user.email": organizer.email} in grants
    assert sum(1 for g in grants if g["role"] == "judge" and g["edition_id"] == edition_id) == 6
    assert {m["user.email"] for m in members} == entrants
    assert {m["role"] for m in members} == {"owner"}
    assert {(line.role, line.email) for line in result.accounts} >= {("organizer", organizer.email)}
