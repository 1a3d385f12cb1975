"""The generated demo records: businesses and their entries (plain data, no behaviour).

Kept apart from :mod:`awards.demo.generate` so that :mod:`awards.demo.edition` and
:mod:`awards.demo.answers` can name these types without importing the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from awards.demo.images import ImageSpec

__all__ = ["Business", "Entry"]


@dataclass(frozen=True, slots=True)
class Business:
    """A business profile (reused across editions) with its declarations for this edition."""

    key: str  # "umkm-0001", stable within one seed
    name: str
    owner_name: str
    owner_email: str  # unique; also the login of the linked entrant account, if any
    nib: str  # 13 digits, unique
    phone: str  # "+628xxxxxxxxxx", unique
    address: str  # street, number, RT/RW, kelurahan
    kelurahan: str
    district: str  # kecamatan: Klojen, Blimbing, Kedungkandang, Sukun or Lowokwaru
    city: str
    province: str
    postal_code: str
    sector: str  # key of awards.demo.names.SECTORS
    year_founded: int
    employees: int
    declared_capital: int  # rupiah, excluding land and buildings
    declared_turnover: int  # rupiah per year
    size_class: str  # "micro" | "small" | "medium", the class both declarations fall in


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a business in a category, with form answers keyed by form field key.

    Answer values: short/long text and URL -> str, number -> int, single choice -> option value,
    multiple choice -> list of option values, date -> ISO "YYYY-MM-DD", file -> list of
    ``ImageSpec.filename`` in the order of ``images``. Drafts may lack required answers.
    """

    key: str  # "e0001", in order of creation
    category_slug: str
    business_key: str
    status: str  # "draft" | "submitted" | "withdrawn" | "ineligible"
    answers: dict[str, Any]
    images: tuple[ImageSpec, ...]
    created_at: datetime  # aware, UTC
    updated_at: datetime
    submitted_at: datetime | None  # None for drafts
    withdrawn_at: datetime | None  # set for withdrawn entries
    screened_at: datetime | None  # set for ineligible entries
    receipt_number: str | None  # "MLG26-KUL-000123"; None for drafts
    ineligible_reason: str | None  # Indonesian, as the organizer wrote it
