"""Setup for entrant tests: an open edition with categories, entrants with businesses, files."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image

from awards.intake.businesses.sizeclass import SizeThresholds
from awards.intake.tables import Category, Edition, Entry
from tests.awards.helpers import api_post, csrf_token, login, post_form

NIBS = ("1234567890123", "2234567890123", "3234567890123", "4234567890123", "5234567890123")

FORM = {
    "version": 1,
    "fields": [
        {"type": "short_text", "key": "product_name", "label": {"id": "Nama produk",
         "en": "Product name"}, "required": True, "max_length": 60, "order": 1},
        {"type": "long_text", "key": "description", "label": {"id": "Deskripsi",
         "en": "Description"}, "required": True, "max_chars": 300, "order": 2},
        {"type": "number", "key": "price", "label": {"id": "Harga", "en": "Price"},
         "min_value": "0", "max_value": "10000000", "order": 3},
        {"type": "single_choice", "key": "channel", "label": {"id": "Saluran", "en": "Channel"},
         "options": [{"key": "offline", "label": {"id": "Toko", "en": "Shop"}},
                     {"key": "online", "label": {"id": "Daring", "en": "Online"}}], "order": 4},
        {"type": "multiple_choice", "key": "markets", "label": {"id": "Pasar", "en": "Markets"},
         "options": [{"key": "malang", "label": {"id": "Malang"}},
                     {"key": "jatim", "label": {"id": "Jawa Timur"}},
                     {"key": "nasional", "label": {"id": "Nasional"}}],
         "max_choices": 2, "order": 5},
        {"type": "url", "key": "website", "label": {"id": "Situs web"}, "order": 6},
        {"type": "date", "key": "launched", "label": {"id": "Tanggal peluncuran"}, "order": 7},
        {"type": "file", "key": "photos", "label": {"id": "Foto produk"}, "required": True,
         "kinds": ["jpeg", "png"], "max_size_bytes": 200_000, "max_count": 2, "order": 8},
        {"type": "file", "key": "brochure", "label": {"id": "Brosur"}, "kinds": ["pdf"],
         "max_size_bytes": 100_000, "max_count": 1, "order": 9},
    ],
}  # fmt: skip

VALID_ANSWERS = {
    "product_name": "Keripik Tempe Sanan",
    "description": "Keripik tempe renyah dari Sanan, Blimbing.",
    "price": "15000",
    "channel": "online",
    "markets": ["malang", "jatim"],
    "website": "tempesanan.id",
    "launched": "2021-05-17",
}


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """The UTC instant of a Jakarta wall-clock time (UTC+7)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=7)


def seed_edition(
    run: Any,
    *,
    slug: str = "malang-2026",
    year: int = 2026,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    status: str = "open",
) -> dict[str, int]:
    """An edition open now (unless told otherwise) with categories KUL (any size, two entries
    per business) and MIK (micro businesses only); returns their ids."""
    now = datetime.now(UTC)

    async def create() -> dict[str, int]:
        rows = await Edition.insert(
            Edition(
                slug=slug,
                year=year,
                name_id=f"Anugerah UMKM {year}",
                name_en=f"UMKM Awards {year}",
                time_zone="Asia/Jakarta",
                intake_opens_at=opens_at or now - timedelta(days=30),
                intake_closes_at=closes_at or now + timedelta(days=30),
                judging_starts_at=now + timedelta(days=40),
                judging_ends_at=now + timedelta(days=50),
                status=status,
                size_thresholds=SizeThresholds().to_dict(),
                districts=["Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru"],
                sectors=["kuliner", "fashion", "kriya"],
            )
        )
        edition_id = rows[0]["id"]
        ids = {"edition": edition_id}
        specs = (
            ("kuliner", "KUL", "Kuliner", {"max_entries_per_business": 2}),
            ("mikro", "MIK", "Mikro Pemula", {"size_classes": ["micro"]}),
        )
        for position, (cat_slug, code, name, eligibility) in enumerate(specs):
            rows = await Category.insert(
                Category(
                    edition=edition_id,
                    slug=cat_slug,
                    code=code,
                    position=position,
                    name_id=name,
                    name_en=name,
                    eligibility=eligibility,
                    form=FORM,
                )
            )
            ids[code] = rows[0]["id"]
        return ids

    return run(create())


def set_closing(run: Any, edition_id: int, closes_at: datetime) -> None:
    async def update() -> None:
        await Edition.update({Edition.intake_closes_at: closes_at}).where(Edition.id == edition_id)

    run(update())


def profile(nib: str = NIBS[0], **overrides: str) -> dict[str, str]:
    data = {
        "name": "Keripik Tempe Bu Sri",
        "owner_name": "Sri Wahyuni",
        "nib": nib,
        "phone": "0812-3456-7890",
        "email": "usaha@example.id",
        "address": "Jl. Sanan 12",
        "district": "Blimbing",
        "sector": "kuliner",
        "year_founded": "2015",
        "employees": "4",
    }
    return data | overrides


def entrant_with_business(
    client: Any,
    make_user: Any,
    email: str,
    edition_id: int,
    *,
    nib: str = NIBS[0],
    capital: str = "100.000.000",
    turnover: str = "500.000.000",
) -> int:
    """Sign up ``email``, log in, create a business and declare its size; return its id."""
    make_user(email)
    login(client, email)
    response = post_form(client, "/business/new", profile(nib))
    assert response.status_code == 303, response.text
    business_id = int(response.headers["location"].rsplit("/", 1)[1])
    response = post_form(
        client,
        f"/business/{business_id}/declaration/{edition_id}",
        {"capital": capital, "turnover": turnover},
    )
    assert response.status_code == 303, response.text
    return business_id


def start_entry(client: Any, business_id: int, category_id: int) -> int:
    response = post_form(
        client, "/entries/new", {"business_id": str(business_id), "category_id": str(category_id)}
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[2])


def jpeg_bytes(size: tuple[int, int] = (64, 48), noise: bool = False) -> bytes:
    """A real JPEG (``noise`` makes it large: random pixels do not compress)."""
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def save_entry(
    client: Any,
    entry_id: int,
    answers: dict[str, Any],
    *,
    action: str = "save",
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    extra: list[tuple[str, str]] | None = None,
) -> Any:
    """POST the multipart entry form like a browser (lists become repeated fields)."""
    data: list[tuple[str, str]] = [("_csrf_token", csrf_token(client)), ("action", action)]
    for key, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            data.append((key, item))
    data += extra or []
    return client.post(
        f"/entries/{entry_id}/edit",
        data=dict_multi(data),
        files=files or [("unused", ("", b"", "application/octet-stream"))],
        follow_redirects=False,
    )


def dict_multi(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """httpx form data: repeated keys become lists."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out[key] = out[key] if isinstance(out[key], list) else [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def entry_row(run: Any, entry_id: int) -> dict[str, Any]:
    async def load() -> dict[str, Any]:
        return await Entry.select().where(Entry.id == entry_id).output(load_json=True).first()

    return run(load())


__all__ = [
    "FORM",
    "NIBS",
    "VALID_ANSWERS",
    "api_post",
    "entrant_with_business",
    "entry_row",
    "jpeg_bytes",
    "pdf_bytes",
    "profile",
    "save_entry",
    "seed_edition",
    "set_closing",
    "start_entry",
    "wib",
]
