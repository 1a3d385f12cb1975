"""JSON API for entrants under ``/api/v1``: my businesses, my entries, their attachments.

The same services and rules as the pages. Authentication is the session cookie; unsafe methods
need the ``x-csrftoken`` header. Answers: 422 ``{"detail", "errors": {field: message}}`` on
validation errors, 404 for objects that do not exist *or* belong to someone else, 409
``{"detail"}`` when intake is closed (the detail names the closing time in local time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.params import FromPath, JSONBody
from msgspec import Struct

from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.entrant.business_pages import upload_chunks
from awards.intake.entrant.deps import Attachments, Businesses, Entries
from awards.intake.entrant.errors import ENTRANT_EXCEPTION_HANDLERS
from awards.intake.entrant.forms import (
    BusinessData,
    DeclarationData,
    EntryAnswersData,
    EntryCreateData,
)
from awards.intake.entrant.pages import ENTRY_FORM_BODY_LIMIT
from awards.intake.entries.service import EntryContext
from awards.intake.uploads import public_answers
from awards.web.auth import authenticated_user, requires_login

__all__ = [
    "AttachmentOut",
    "BusinessApi",
    "BusinessOut",
    "DeclarationOut",
    "EntryApi",
    "EntryOut",
    "EntrySummaryOut",
    "OpenCategoryOut",
]

Req = Request[Any, Any, Any]


class BusinessOut(Struct):
    id: int
    name: str
    owner_name: str
    nib: str
    phone: str
    email: str
    address: str
    district: str
    sector: str
    year_founded: int | None
    employees: int | None
    role: str


class OpenCategoryOut(Struct):
    """A category open for entries now, and whether the business may enter it (and why not)."""

    category_id: int
    edition_id: int
    code: str
    name_id: str
    name_en: str
    intake_closes_at: datetime
    declared: bool
    eligible: bool
    reasons: list[str]


class DeclarationOut(Struct):
    business_id: FromPath[int]
    edition_id: FromPath[int]
    capital: int
    turnover: int
    size_class: str


class EntrySummaryOut(Struct):
    id: int
    status: str
    screening: str
    receipt_number: str | None
    business_name: str
    category: str
    edition: str
    submitted_at: datetime | None


class AttachmentOut(Struct):
    id: int
    field_key: str
    original_name: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    url: str
    thumbnail_url: str | None


class EntryOut(Struct):
    id: int
    edition_id: FromPath[int]
    category_id: int
    business_id: FromPath[int]
    status: str
    screening: str
    screening_reason: str | None
    receipt_number: str | None
    answers: dict[str, Any]
    attachments: list[AttachmentOut]
    editable: bool
    intake_closes_at: datetime
    submitted_at: datetime | None
    updated_at: datetime


def _attachment_out(entry_id: int, row: dict[str, Any]) -> AttachmentOut:
    url = f"/entries/{entry_id}/attachments/{row['id']}"
    return AttachmentOut(
        id=row["id"],
        field_key=row["field_key"],
        original_name=row["original_name"],
        content_type=row["content_type"],
        size_bytes=row["size_bytes"],
        width=row["width"],
        height=row["height"],
        url=url,
        thumbnail_url=f"{url}/thumbnail" if row["thumbnail_key"] else None,
    )


def _entry_out(ctx: EntryContext) -> EntryOut:
    e = ctx.entry
    return EntryOut(
        id=e["id"],
        edition_id=e["edition"],
        category_id=e["category"],
        business_id=e["business"],
        status=e["status"],
        screening=e["screening"],
        screening_reason=e["screening_reason"] if e["screening"] == "ineligible" else None,
        receipt_number=e["receipt_number"],
        answers=public_answers(e["answers"]),
        attachments=[
            _attachment_out(e["id"], row) for rows in ctx.attachments.values() for row in rows
        ],
        editable=ctx.editable,
        intake_closes_at=ctx.edition["intake_closes_at"],
        submitted_at=e["submitted_at"],
        updated_at=e["updated_at"],
    )


async def _business_out(businesses: Any, request: Req, business_id: int) -> BusinessOut:
    user = authenticated_user(request)
    row, role = await businesses.business_and_role(user, business_id)
    return _business_from_row(row, role)


def _business_from_row(row: dict[str, Any], role: str) -> BusinessOut:
    fields = {name: row[name] for name in BusinessOut.__struct_fields__ if name in row}
    return BusinessOut(**fields, role=role)


class BusinessApi(Controller):
    """The businesses the logged-in user manages."""

    path = "/api/v1/businesses"
    tags = ["entrant: businesses"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    @get("/mine")
    async def mine(self, request: Req, businesses: Businesses) -> list[BusinessOut]:
        """Every business I manage (owner or staff)."""
        managed = await businesses.managed(authenticated_user(request).id)
        return [_business_from_row(row, role) for row, role in managed]

    @post("/", status_code=201)
    async def create(
        self, request: Req, businesses: Businesses, data: JSONBody[BusinessData]
    ) -> BusinessOut:
        """Create a business profile; I become its owner. 422 with errors per field."""
        business_id = await businesses.create(authenticated_user(request), data.as_dict())
        return await _business_out(businesses, request, business_id)

    @get("/{business_id:int}")
    async def read(
        self, request: Req, businesses: Businesses, business_id: FromPath[int]
    ) -> BusinessOut:
        """One of my businesses (404 for others)."""
        return await _business_out(businesses, request, business_id)

    @put("/{business_id:int}")
    async def update(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        data: JSONBody[BusinessData],
    ) -> BusinessOut:
        """Replace the profile of one of my businesses."""
        await businesses.update(authenticated_user(request), business_id, data.as_dict())
        return await _business_out(businesses, request, business_id)

    @get("/{business_id:int}/categories")
    async def categories(
        self, request: Req, entries: Entries, business_id: FromPath[int]
    ) -> list[OpenCategoryOut]:
        """Open categories with this business's eligibility (reasons in the request language)."""
        choices = await entries.open_categories(authenticated_user(request), business_id)
        return [
            OpenCategoryOut(
                category_id=c.category["id"],
                edition_id=c.edition["id"],
                code=c.category["code"],
                name_id=c.category["name_id"],
                name_en=c.category["name_en"],
                intake_closes_at=c.edition["intake_closes_at"],
                declared=c.declared,
                eligible=c.eligible,
                reasons=c.reasons,
            )
            for c in choices
        ]

    @put("/{business_id:int}/declarations/{edition_id:int}")
    async def declare(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        edition_id: FromPath[int],
        data: JSONBody[DeclarationData],
    ) -> DeclarationOut:
        """Declare capital and turnover for an edition; returns the derived size class."""
        user = authenticated_user(request)
        await businesses.declare(user, business_id, edition_id, data.capital, data.turnover)
        row = await businesses.declaration(business_id, edition_id)
        return DeclarationOut(
            business_id=business_id,
            edition_id=edition_id,
            capital=row["capital"],
            turnover=row["turnover"],
            size_class=row["size_class"],
        )


class EntryApi(Controller):
    """My entries and their attachments."""

    path = "/api/v1/entries"
    tags = ["entrant: entries"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    @get("/mine")
    async def mine(self, request: Req, entries: Entries) -> list[EntrySummaryOut]:
        """Entries of every business I manage, newest first."""
        rows = await entries.my_entries(authenticated_user(request))
        return [
            EntrySummaryOut(
                id=r["id"],
                status=r["status"],
                screening=r["screening"],
                receipt_number=r["receipt_number"],
                business_name=r["business_name"],
                category=r["category.name_id"],
                edition=r["edition.name_id"],
                submitted_at=r["submitted_at"],
            )
            for r in rows
        ]

    @post("/", status_code=201)
    async def create(
        self, request: Req, entries: Entries, data: JSONBody[EntryCreateData]
    ) -> EntryOut:
        """Start a draft in an open category my business is eligible for (422 with reasons)."""
        user = authenticated_user(request)
        entry_id = await entries.create_draft(user, data.business_id, data.category_id)
        return _entry_out(await entries.context(user, entry_id))

    @get("/{entry_id:int}")
    async def read(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> EntryOut:
        """One of my entries (404 for others)."""
        return _entry_out(await entries.context(authenticated_user(request), entry_id))

    @patch("/{entry_id:int}")
    async def update(
        self,
        request: Req,
        entries: Entries,
        entry_id: FromPath[int],
        data: JSONBody[EntryAnswersData],
    ) -> EntryOut:
        """Save answers: partial validation for drafts, full for submitted entries."""
        return _entry_out(
            await entries.save(authenticated_user(request), entry_id, data.answers, submit=False)
        )

    @post("/{entry_id:int}/submit", status_code=200)
    async def submit(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> EntryOut:
        """Submit the saved answers (full validation); assigns the receipt number."""
        return _entry_out(
            await entries.save(authenticated_user(request), entry_id, None, submit=True)
        )

    @post("/{entry_id:int}/withdraw", status_code=200)
    async def withdraw(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> EntryOut:
        """Withdraw the entry (final)."""
        user = authenticated_user(request)
        await entries.withdraw(user, entry_id)
        return _entry_out(await entries.context(user, entry_id))

    @get("/{entry_id:int}/attachments")
    async def attachments_list(
        self, request: Req, attachments: Attachments, entry_id: FromPath[int]
    ) -> list[AttachmentOut]:
        """Attachments of one of my entries."""
        rows = await attachments.list(authenticated_user(request), entry_id)
        return [_attachment_out(entry_id, row) for row in rows]

    @post(
        "/{entry_id:int}/attachments",
        status_code=201,
        request_max_body_size=ENTRY_FORM_BODY_LIMIT,
    )
    async def upload(
        self, request: Req, attachments: Attachments, entry_id: FromPath[int]
    ) -> AttachmentOut:
        """Upload one file: multipart fields ``field_key`` and ``file``."""
        form = await request.form()
        upload, key = form.get("file"), str(form.get("field_key", ""))
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationError({"file": _("Choose a file to upload.")})
        row = await attachments.upload(
            authenticated_user(request), entry_id, key, upload_chunks(upload), upload.filename
        )
        return _attachment_out(entry_id, row)

    @delete("/{entry_id:int}/attachments/{attachment_id:int}", status_code=204)
    async def attachment_delete(
        self,
        request: Req,
        attachments: Attachments,
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> None:
        """Remove an attachment while the entry is editable."""
        await attachments.delete(authenticated_user(request), entry_id, attachment_id)
