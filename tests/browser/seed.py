"""Data the journeys start from, created through the services on the live server's loop.

One open edition ("Anugerah UMKM 2026", intake open now) with one category, Kuliner (KUL), whose
entry form asks for a product name, a description and one or two product photos; an organizer
account; and, for the organizer journey, one submitted entry of a business in Blimbing.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PIL import Image

from awards.accounts.identity import CurrentUser
from awards.intake.businesses.service import BusinessService
from awards.intake.editions.service import EditionService
from awards.intake.editions.status import EditionLifecycle
from awards.intake.entries.attachments import AttachmentService
from awards.intake.entries.service import EntryService
from awards.intake.form.formspec import FormSpec
from tests.awards.helpers import PASSWORD
from tests.browser.support import LiveServer

__all__ = ["ORGANIZER_EMAIL", "PASSWORD", "Edition", "jpeg_bytes", "open_edition", "submit_entry"]

ORGANIZER_EMAIL = "panitia@malang.example.org"
FORM = {
    "fields": [
        {"type": "short_text", "key": "product_name", "order": 1, "required": True,
         "label": {"id": "Nama produk", "en": "Product name"}, "max_length": 80},
        {"type": "long_text", "key": "description", "order": 2, "required": True,
         "label": {"id": "Deskripsi produk", "en": "Product description"}, "max_chars": 500},
        {"type": "file", "key": "photos", "order": 3, "required": True,
         "label": {"id": "Foto produk", "en": "Product photos"}, "kinds": ["jpeg", "png"],
         "max_size_bytes": 2_000_000, "max_count": 2},
    ]
}  # fmt: skip


@dataclass(frozen=True)
class Edition:
    id: int
    category_id: int
    organizer: CurrentUser


def jpeg_bytes() -> bytes:
    """A small real JPEG photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 40)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def open_edition(server: LiveServer) -> Edition:
    """The organizer account and an edition open for entries with the Kuliner category."""

    async def create() -> Edition:
        organizer = await server.app.state.accounts.sign_up(
            ORGANIZER_EMAIL, PASSWORD, "Panitia Malang", roles=("organizer",)
        )
        editions = EditionService()
        now = datetime.now(UTC).replace(microsecond=0)
        moments = {
            "intake_opens_at": now - timedelta(days=7),
            "intake_closes_at": now + timedelta(days=30),
            "judging_starts_at": now + timedelta(days=31),
            "judging_ends_at": now + timedelta(days=40),
            "results_at": now + timedelta(days=45),
        }
        edition_id = await editions.create_edition(
            organizer,
            {
                "slug": "malang-2026",
                "year": "2026",
                "name_id": "Anugerah UMKM Kota Malang 2026",
                "name_en": "Malang MSME Awards 2026",
                "time_zone": "Asia/Jakarta",
                **{name: moment.isoformat() for name, moment in moments.items()},
            },
        )
        category_id = await editions.create_category(
            organizer,
            edition_id,
            {"slug": "kuliner", "code": "KUL", "name_id": "Kuliner", "name_en": "Culinary",
             "size_classes": ["micro", "small", "medium"], "max_entries_per_business": "2"},
        )  # fmt: skip
        await editions.replace_form(organizer, category_id, FormSpec.from_dict(FORM))
        await EditionLifecycle().change(organizer, edition_id, "open")
        return Edition(edition_id, category_id, organizer)

    return server.run(create())


def submit_entry(server: LiveServer, edition: Edition, business_name: str, nib: str) -> str:
    """A submitted Kuliner entry (with a photo) of a new entrant's business; its receipt."""
    settings, mailer = server.settings, server.app.state.accounts.mailer

    async def create() -> str:
        entrant = await server.app.state.accounts.sign_up(f"{nib}@usaha.example.id", PASSWORD)
        businesses = BusinessService(settings, mailer)
        entries = EntryService(settings, mailer)
        business_id = await businesses.create(
            entrant,
            {"name": business_name, "owner_name": "Sri Wahyuni", "nib": nib,
             "phone": "0812-3456-7890", "email": f"{nib}@usaha.example.id",
             "address": "Jl. Sanan 12", "district": "Blimbing", "sector": "kuliner",
             "year_founded": "2015", "employees": "4"},
        )  # fmt: skip
        await businesses.declare(entrant, business_id, edition.id, "100.000.000", "500.000.000")
        entry_id = await entries.create_draft(entrant, business_id, edition.category_id)

        async def photo() -> AsyncIterator[bytes]:
            yield jpeg_bytes()

        await AttachmentService(settings, entries).upload(
            entrant, entry_id, "photos", photo(), "keripik.jpg"
        )
        answers = {"product_name": "Keripik Tempe Sanan", "description": "Renyah dan gurih."}
        context = await entries.save(entrant, entry_id, answers, submit=True)
        return context.entry["receipt_number"]

    return server.run(create())
