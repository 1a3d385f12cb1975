"""Organizer JSON API under ``/api/v1``: editions, categories (with form and rubric) and the
entries of an edition (list with the page's filters, detail, screening decision).

Same services and rules as the pages: organizers see only the editions they are granted (others
answer 404). Validation errors answer 422 ``{"detail", "errors": {field: message}}``; a malformed
body answers 400 naming the field. Unsafe methods need the ``x-csrftoken`` header.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import UNSET, Struct, UnsetType

from awards.errors import ValidationError
from awards.intake.common import NotFoundError, to_validation_error
from awards.intake.editions.service import EditionService
from awards.intake.editions.status import EditionLifecycle
from awards.intake.entries.listing import EntryListService
from awards.intake.entries.screening import EntryDetail, ScreeningService
from awards.intake.form.formspec import FormSpec
from awards.intake.form.rubric import Rubric
from awards.intake.organizer.common import (
    ORGANIZER_GUARD,
    organizer_exception_handlers,
)
from awards.intake.organizer.entry_pages import list_query
from awards.intake.uploads import public_answers
from awards.intake.validators import ValidationErrors
from awards.web.auth import authenticated_user

__all__ = [
    "CategoryIn",
    "CategoryOut",
    "DecisionIn",
    "EditionIn",
    "EditionOut",
    "EntryDetailOut",
    "EntryPageOut",
    "OrganizerApi",
]

Req = Request[Any, Any, Any]
Editions = NamedDependency[EditionService]
Screenings = NamedDependency[ScreeningService]
EntryLists = NamedDependency[EntryListService]
Lifecycle = NamedDependency[EditionLifecycle]


class EditionIn(Struct):
    """Times are ISO 8601; without an offset they are wall-clock times in ``time_zone``."""

    year: int
    name_id: str
    intake_opens_at: str
    intake_closes_at: str
    judging_starts_at: str
    judging_ends_at: str
    slug: str = ""
    name_en: str = ""
    description_id: str = ""
    description_en: str = ""
    time_zone: str = "Asia/Jakarta"
    results_at: str | None = None
    districts: list[str] = []
    sectors: list[str] = []


class EditionOut(Struct):
    id: int
    slug: str
    year: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    time_zone: str
    status: str
    intake_opens_at: datetime
    intake_closes_at: datetime
    judging_starts_at: datetime
    judging_ends_at: datetime
    results_at: datetime | None
    size_thresholds: dict[str, Any]
    districts: list[str]
    sectors: list[str]


class StatusIn(Struct):
    status: str
    reason: str = ""


class EligibilityIn(Struct):
    size_classes: list[str] = []
    sectors: list[str] = []
    districts: list[str] = []
    max_entries_per_business: int | None = 1


class CategoryIn(Struct):
    slug: str
    code: str
    name_id: str
    name_en: str = ""
    description_id: str = ""
    description_en: str = ""
    position: int = 0
    eligibility: EligibilityIn | UnsetType = UNSET


class CategoryOut(Struct):
    id: int
    edition: int
    slug: str
    code: str
    position: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    eligibility: dict[str, Any]
    form: dict[str, Any]
    rubric: dict[str, Any]


class FormIn(Struct):
    """A ``FormSpec`` dict: ``{"fields": [{"type", "key", "label": {"id", "en"}, ...}]}``."""

    fields: list[dict[str, Any]]


class RubricIn(Struct):
    """A rubric dict: ``{"criteria": [{"key", "label", "weight", "scale_min", "scale_max",
    "levels": [[score, {"id", "en"}], ...]}]}``."""

    criteria: list[dict[str, Any]]


class EntryRowOut(Struct):
    id: int
    receipt_number: str | None
    business_name: str
    category_name: str
    status: str
    screening: str
    district: str
    size_class: str
    source: str
    submitted_at: datetime | None


class EntryPageOut(Struct):
    entries: list[EntryRowOut]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int]
    screening_counts: dict[str, int]


class AnswerOut(Struct):
    key: str
    label: str
    type: str
    text: str
    attachment_urls: list[str]


class EntryDetailOut(Struct):
    id: int
    edition: int
    category: int
    business: int
    business_name: str
    nib: str
    receipt_number: str | None
    status: str
    screening: str
    screening_reason: str
    answers: dict[str, Any]
    answer_views: list[AnswerOut]
    notes: list[str]


class DecisionIn(Struct):
    decision: str
    reason: str = ""


def _edition_out(row: dict[str, Any]) -> EditionOut:
    return EditionOut(
        **{name: row[name] for name in EditionOut.__struct_fields__ if name in row},
    )


def _category_out(row: dict[str, Any]) -> CategoryOut:
    return CategoryOut(**{name: row[name] for name in CategoryOut.__struct_fields__})


def _edition_data(data: EditionIn) -> dict[str, Any]:
    return {name: getattr(data, name) for name in data.__struct_fields__}


def _category_data(data: CategoryIn) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(data, name) for name in data.__struct_fields__ if name != "eligibility"
    }
    rules = data.eligibility if not isinstance(data.eligibility, UnsetType) else EligibilityIn()
    values.update(
        size_classes=rules.size_classes,
        sectors=rules.sectors,
        districts=rules.districts,
        max_entries_per_business=(
            "" if rules.max_entries_per_business is None else str(rules.max_entries_per_business)
        ),
    )
    return values


def _detail_out(detail: EntryDetail) -> EntryDetailOut:
    entry = detail.entry
    return EntryDetailOut(
        id=entry["id"],
        edition=entry["edition"],
        category=entry["category"],
        business=entry["business"],
        business_name=entry["business_name"],
        nib=detail.business["nib"],
        receipt_number=entry["receipt_number"],
        status=entry["status"],
        screening=entry["screening"],
        screening_reason=entry["screening_reason"],
        answers=public_answers(entry["answers"]),
        answer_views=[
            AnswerOut(a.key, a.label, a.type, a.text, [f["url"] for f in a.files])
            for a in detail.answers
        ],
        notes=[note["body"] for note in detail.notes],
    )


class NoticeOut(Struct):
    """Whether a screening notice was emailed (false: the business already has the decision)."""

    sent: bool


class OrganizerApi(Controller):
    """Organizer views of editions, categories and entries."""

    path = "/api/v1"
    tags = ["intake: organizers"]  # noqa: RUF012
    guards = [ORGANIZER_GUARD]  # noqa: RUF012
    exception_handlers = organizer_exception_handlers

    @get("/editions")
    async def list_editions(self, request: Req, editions: Editions) -> list[EditionOut]:
        """Editions the organizer manages."""
        return [
            _edition_out(row) for row in await editions.list_editions(authenticated_user(request))
        ]

    @post("/editions", status_code=201)
    async def create_edition(
        self, request: Req, editions: Editions, data: JSONBody[EditionIn]
    ) -> EditionOut:
        """Create a draft edition (global organizers and admins)."""
        user = authenticated_user(request)
        edition_id = await editions.create_edition(user, _edition_data(data))
        return _edition_out(await editions.edition(user, edition_id))

    @get("/editions/{edition_id:int}")
    async def get_edition(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> EditionOut:
        """One edition."""
        return _edition_out(await editions.edition(authenticated_user(request), edition_id))

    @put("/editions/{edition_id:int}")
    async def update_edition(
        self, request: Req, editions: Editions, edition_id: FromPath[int], data: JSONBody[EditionIn]
    ) -> EditionOut:
        """Replace the edition's settings (the slug stays)."""
        user = authenticated_user(request)
        await editions.update_edition(user, edition_id, _edition_data(data))
        return _edition_out(await editions.edition(user, edition_id))

    @post("/editions/{edition_id:int}/status", status_code=200)
    async def set_status(
        self,
        request: Req,
        editions: Editions,
        lifecycle: Lifecycle,
        edition_id: FromPath[int],
        data: JSONBody[StatusIn],
    ) -> EditionOut:
        """Move the edition along its life cycle (draft, open, closed, judging, published,
        correcting); reversals need a ``reason``; unmet preconditions answer 422 with them."""
        user = authenticated_user(request)
        await lifecycle.change(user, edition_id, data.status, data.reason)
        return _edition_out(await editions.edition(user, edition_id))

    @get("/editions/{edition_id:int}/categories")
    async def list_categories(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> list[CategoryOut]:
        """Categories of the edition with eligibility, form and rubric."""
        rows = await editions.categories(authenticated_user(request), edition_id)
        return [_category_out(row) for row in rows]

    @post("/editions/{edition_id:int}/categories", status_code=201)
    async def create_category(
        self,
        request: Req,
        editions: Editions,
        edition_id: FromPath[int],
        data: JSONBody[CategoryIn],
    ) -> CategoryOut:
        """Add a category (empty form and rubric)."""
        user = authenticated_user(request)
        category_id = await editions.create_category(user, edition_id, _category_data(data))
        return _category_out((await editions.category(user, category_id))[0])

    @get("/categories/{category_id:int}")
    async def get_category(
        self, request: Req, editions: Editions, category_id: FromPath[int]
    ) -> CategoryOut:
        """One category."""
        return _category_out((await editions.category(authenticated_user(request), category_id))[0])

    @put("/categories/{category_id:int}/form")
    async def replace_form(
        self, request: Req, editions: Editions, category_id: FromPath[int], data: JSONBody[FormIn]
    ) -> CategoryOut:
        """Replace the entry form; refused (422, ``errors.form``) if it would invalidate
        existing entries."""
        user = authenticated_user(request)
        try:
            spec = FormSpec.from_dict({"fields": data.fields})
        except (ValueError, TypeError, KeyError) as exc:
            raise ValidationError({"fields": str(exc) or "invalid field"}) from None
        await editions.replace_form(user, category_id, spec)
        return _category_out((await editions.category(user, category_id))[0])

    @put("/categories/{category_id:int}/rubric")
    async def replace_rubric(
        self, request: Req, editions: Editions, category_id: FromPath[int], data: JSONBody[RubricIn]
    ) -> CategoryOut:
        """Replace the judging rubric (criteria, weights, scales, level descriptors)."""
        user = authenticated_user(request)
        try:
            rubric = Rubric.parse(data.criteria)
        except ValidationErrors as problems:
            raise to_validation_error(problems) from None
        await editions.replace_rubric(user, category_id, rubric)
        return _category_out((await editions.category(user, category_id))[0])

    @get("/editions/{edition_id:int}/entries")
    async def list_entries(
        self, request: Req, entry_lists: EntryLists, edition_id: FromPath[int]
    ) -> EntryPageOut:
        """Entries of the edition, 50 per page, newest first. Query: ``q`` (business name,
        receipt number or NIB), ``status``, ``screening``, ``category`` (id), ``district``,
        ``size_class``, ``page``."""
        page = await entry_lists.list_entries(
            authenticated_user(request), edition_id, list_query(request.query_params)
        )
        rows = [
            EntryRowOut(
                id=row["id"],
                receipt_number=row["receipt_number"],
                business_name=row["business_name"],
                category_name=row["category.name_id"] or "",
                status=row["status"],
                screening=row["screening"],
                district=row["district"],
                size_class=row["size_class"],
                source=row["source"],
                submitted_at=row["submitted_at"],
            )
            for row in page.rows
        ]
        return EntryPageOut(
            rows, page.total, page.page, page.pages, page.status_counts, page.screening_counts
        )

    @get("/editions/{edition_id:int}/entries/{entry_id:int}")
    async def get_entry(
        self,
        request: Req,
        screening: Screenings,
        edition_id: FromPath[int],
        entry_id: FromPath[int],
    ) -> EntryDetailOut:
        """One entry with its answers (and attachment URLs) and the organizer notes."""
        detail = await screening.detail(authenticated_user(request), entry_id)
        if detail.entry["edition"] != edition_id:
            raise NotFoundError(entry_id)
        return _detail_out(detail)

    @post("/editions/{edition_id:int}/entries/{entry_id:int}/screening", status_code=200)
    async def decide(
        self,
        request: Req,
        screening: Screenings,
        edition_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[DecisionIn],
    ) -> EntryDetailOut:
        """Mark the entry eligible or ineligible (``reason`` required for ineligible). The
        business is not emailed until the notice is sent (``.../screening/notify``)."""
        user = authenticated_user(request)
        detail = await screening.detail(user, entry_id)
        if detail.entry["edition"] != edition_id:
            raise NotFoundError(entry_id)
        await screening.decide(user, entry_id, data.decision, data.reason)
        return _detail_out(await screening.detail(user, entry_id))

    @post("/editions/{edition_id:int}/entries/{entry_id:int}/screening/notify", status_code=200)
    async def notify(
        self,
        request: Req,
        screening: Screenings,
        edition_id: FromPath[int],
        entry_id: FromPath[int],
    ) -> NoticeOut:
        """Email the business the entry's current decision if it has not been sent yet;
        ``sent`` says whether a message went out."""
        user = authenticated_user(request)
        detail = await screening.detail(user, entry_id)
        if detail.entry["edition"] != edition_id:
            raise NotFoundError(entry_id)
        return NoticeOut(sent=await screening.notify(user, entry_id))
