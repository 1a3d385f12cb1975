"""Intake tables: editions, categories, businesses and their members, declarations, entries,
attachments and organizer notes.

All timestamps are timezone-aware UTC (``Timestamptz``); money is whole rupiah (``BigInt``);
structured settings (form, rubric, eligibility, thresholds) are portable ``JSON`` columns holding
the ``to_dict()`` output of the pure building blocks in :mod:`awards.intake`.

``Entry`` carries snapshot columns (``business_name``, ``district``, ``size_class``, ``sector``),
copied from the business and its declaration when the entry is saved, so the organizer list can
search, filter and sort on one table without joins.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    JSON,
    BigInt,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from awards.accounts.tables import User
from awards.intake.editions.lifecycle import EditionStatus

__all__ = [
    "Attachment",
    "Business",
    "BusinessInvitation",
    "BusinessMember",
    "Category",
    "Declaration",
    "Edition",
    "EditionStatus",
    "EditionStatusChange",
    "Entry",
    "EntryNote",
    "EntrySource",
    "EntryStatus",
    "MemberRole",
    "Screening",
]


class EntryStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"


class Screening(StrEnum):
    pending = "pending"
    eligible = "eligible"
    ineligible = "ineligible"


class EntrySource(StrEnum):
    web = "web"
    import_ = "import"


class MemberRole(StrEnum):
    owner = "owner"
    staff = "staff"


class Edition(Table, tablename="intake_edition"):
    """One annual edition of a competition; dates are UTC, shown in ``time_zone``."""

    slug = Varchar(length=60, unique=True, index=True)
    year = Integer()
    name_id = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    description_id = Text(default="")
    description_en = Text(default="")
    time_zone = Varchar(length=64, default="Asia/Jakarta")
    intake_opens_at = Timestamptz()
    intake_closes_at = Timestamptz()
    judging_starts_at = Timestamptz()
    judging_ends_at = Timestamptz()
    results_at = Timestamptz(null=True, default=None)
    status = Varchar(length=20, default=EditionStatus.draft.value)
    size_thresholds = JSON(default={})
    districts = JSON(default=[])
    sectors = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Category(Table, tablename="intake_category"):
    """A category of an edition with its eligibility rules, entry form and rubric."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    slug = Varchar(length=60)
    code = Varchar(length=10)
    position = Integer(default=0)
    name_id = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    description_id = Text(default="")
    description_en = Text(default="")
    eligibility = JSON(default={})
    form = JSON(default={"version": 1, "fields": []})
    rubric = JSON(default={"version": 1, "criteria": []})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Business(Table, tablename="intake_business"):
    """A business profile, reused across editions."""

    name = Varchar(length=200)
    owner_name = Varchar(length=200)
    nib = Varchar(length=13, unique=True, index=True)
    phone = Varchar(length=20, default="")
    email = Varchar(length=254, default="")
    address = Text(default="")
    district = Varchar(length=60, default="")
    sector = Varchar(length=60, default="")
    year_founded = Integer(null=True, default=None)
    employees = Integer(null=True, default=None)
    logo_key = Varchar(length=120, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class BusinessMember(Table, tablename="intake_business_member"):
    """``user`` manages ``business`` (unique pair, enforced by the service)."""

    business = ForeignKey(references=Business, null=False, index=True)
    user = ForeignKey(references=User, null=False, index=True)
    role = Varchar(length=10, default=MemberRole.owner.value)
    created_at = Timestamptz(default=TimestamptzNow())


class BusinessInvitation(Table, tablename="intake_business_invitation"):
    """A single-use invitation to manage a business; only the token's SHA-256 is stored."""

    business = ForeignKey(references=Business, null=False, index=True)
    email = Varchar(length=254)
    token_hash = Varchar(length=64, unique=True)
    invited_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Declaration(Table, tablename="intake_declaration"):
    """Capital and turnover a business declares for one edition, and the derived size class."""

    business = ForeignKey(references=Business, null=False, index=True)
    edition = ForeignKey(references=Edition, null=False, index=True)
    capital = BigInt(null=True, default=None)
    turnover = BigInt(null=True, default=None)
    size_class = Varchar(length=10, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Entry(Table, tablename="intake_entry"):
    """A business's entry in a category, with form answers and screening outcome."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    category = ForeignKey(references=Category, null=False, index=True)
    business = ForeignKey(references=Business, null=False, index=True)
    status = Varchar(length=12, default=EntryStatus.draft.value, index=True)
    screening = Varchar(length=12, default=Screening.pending.value, index=True)
    screening_reason = Text(default="")
    screened_at = Timestamptz(null=True, default=None)
    screened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    #: The decision last emailed to the business ("" = none yet), and when.
    screening_notified = Varchar(length=12, default="")
    screening_notified_at = Timestamptz(null=True, default=None)
    answers = JSON(default={})
    receipt_number = Varchar(length=40, null=True, default=None, unique=True)
    import_key = Varchar(length=64, null=True, default=None, unique=True)
    source = Varchar(length=8, default=EntrySource.web.value)
    business_name = Varchar(length=200, default="", index=True)
    district = Varchar(length=60, default="", index=True)
    size_class = Varchar(length=10, default="", index=True)
    sector = Varchar(length=60, default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)


class Attachment(Table, tablename="intake_attachment"):
    """A stored file of an entry (``entry`` NULL: the business logo)."""

    entry = ForeignKey(references=Entry, null=True, index=True)
    business = ForeignKey(references=Business, null=False, index=True)
    field_key = Varchar(length=60, default="")
    storage_key = Varchar(length=120, unique=True)
    thumbnail_key = Varchar(length=120, null=True, default=None)
    original_name = Varchar(length=255, default="")
    content_type = Varchar(length=100)
    size_bytes = BigInt(default=0)
    sha256 = Varchar(length=64)
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    uploaded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class EntryNote(Table, tablename="intake_entry_note"):
    """An organizer's note on an entry (never shown to entrants)."""

    entry = ForeignKey(references=Entry, null=False, index=True)
    author = ForeignKey(references=User, null=False)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class EditionStatusChange(Table, tablename="intake_edition_status_change"):
    """One status change of an edition: who moved it from where to where, when and why."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    from_status = Varchar(length=20)
    to_status = Varchar(length=20)
    reason = Text(default="")
    changed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
