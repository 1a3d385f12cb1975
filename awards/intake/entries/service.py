"""Entries of a business: choose a category, fill the form, save, submit, edit, withdraw.

Rules (every one checked on the server):

* Only members of the entry's business see or change it (others get ``NotFoundError``).
* Changes are accepted only while the edition's intake is open
  (:mod:`awards.intake.editions.deadlines`); the refusal names the closing time in the edition's
  time zone.
* A draft may be saved at any point: values given must be well-formed, required fields may be
  empty (``FormSpec.validate_answers(final=False)``). Submitting validates fully (``final=True``),
  re-checks eligibility, and assigns the receipt number inside the write transaction
  (:mod:`awards.intake.entries.receipts`). A submitted entry stays editable until intake closes;
  every save re-validates fully and keeps the receipt number.
* File answers are not typed in: they are the entry's ``Attachment`` rows of that field, rebuilt
  on every save (``StoredFile`` dicts plus the attachment id).
* Withdrawing is final; a withdrawn entry no longer counts against the category's limit.
* On the first submission every member of the business is emailed the receipt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from piccolo.query.functions.aggregate import Count

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, current_language, use_language
from awards.intake._messages import N_
from awards.intake.businesses.identity import DEFAULT_SECTORS
from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.common import (
    NotFoundError,
    edition_in_transaction,
    format_local,
    lock_for_update,
    managed_business,
    now_utc,
    stored_of,
    to_validation_error,
)
from awards.intake.editions.deadlines import closed_message, ensure_intake_open
from awards.intake.editions.eligibility import BusinessFacts, EligibilityRules, check_eligibility
from awards.intake.entries.receipts import next_receipt_number
from awards.intake.entries.sql import (
    ATTACHMENTS_SQL,
    CONTEXT_FORM,
    CONTEXT_IN_WRITE_SQL,
    CONTEXT_PARTS,
    CONTEXT_SQL,
    ENTRY_JSON,
    IN_WRITE_EXCLUSIVE,
    IN_WRITE_SHARE,
    MY_ENTRIES_SQL,
    dump_json,
    json_loaded,
    split,
    update_entry_sql,
)
from awards.intake.form.fields import FileField
from awards.intake.form.formspec import FormSpec, stored_form
from awards.intake.tables import (
    BusinessMember,
    Category,
    Declaration,
    Edition,
    Entry,
    EntryStatus,
)
from awards.intake.validators import FieldError
from awards.mail import Mailer
from awards.scoring.panel.judges import refuse_staff_entry
from awards.settings import Settings

__all__ = ["CategoryChoice", "EntryContext", "EntryService", "localized"]


def localized(row: Mapping[str, Any], name: str, language: str | None = None) -> str:
    """``row[name_en]`` in English when set, else ``row[name_id]``."""
    language = language or current_language()
    if language.startswith("en") and row.get(f"{name}_en"):
        return row[f"{name}_en"]
    return row.get(f"{name}_id") or ""


@dataclass(frozen=True)
class CategoryChoice:
    """An open category and whether the business may enter it (reasons translated)."""

    category: dict[str, Any]
    edition: dict[str, Any]
    reasons: list[str]
    declared: bool

    @property
    def eligible(self) -> bool:
        return not self.reasons


@dataclass
class EntryContext:
    """One entry as its business sees it: rows, the parsed form and the attachments by field.

    ``category["form"]`` and ``category["rubric"]`` are decoded once per stored text and shared
    between requests (:func:`awards.intake.entries.sql.shared_json_value`): read them, never
    change them."""

    entry: dict[str, Any]
    category: dict[str, Any]
    edition: dict[str, Any]
    business: dict[str, Any]
    form: FormSpec
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    declared: bool = False

    @property
    def closed_reason(self) -> str | None:
        return closed_message(self.edition)

    @property
    def editable(self) -> bool:
        return self.entry["status"] != EntryStatus.withdrawn.value and self.closed_reason is None

    @property
    def closes_local(self) -> str:
        return format_local(self.edition["intake_closes_at"], self.edition["time_zone"])


_SECTORS = {sector.key: sector for sector in DEFAULT_SECTORS}


def _sector_label(key: str) -> str:
    """The sector's name in the current language (the key itself for an unknown sector)."""
    sector = _SECTORS.get(key)
    if sector is None:
        return key
    return sector.label_en if current_language().startswith("en") else sector.label_id


def _render(reasons: list[FieldError]) -> list[str]:
    """Translate the reasons; sector keys (``kreatif-digital``) become their names."""
    rendered = []
    for reason in reasons:
        if reason.field == "sector" and "allowed" in reason.params:
            allowed = tuple(_sector_label(key) for key in reason.params["allowed"])
            reason = FieldError(reason.field, reason.message, {**reason.params, "allowed": allowed})
        rendered.append(reason.render(_))
    return rendered


def _facts_of(business: Mapping[str, Any], size: str | None) -> BusinessFacts:
    """The business's facts for eligibility, ``size`` being its declared size class."""
    return BusinessFacts(
        size_class=SizeClass(size) if size else None,
        sector=business["sector"] or None,
        district=business["district"] or None,
    )


async def _facts(business: Mapping[str, Any], edition_id: int) -> tuple[BusinessFacts, bool]:
    declaration = (
        await Declaration.select(Declaration.size_class)
        .where((Declaration.business == business["id"]) & (Declaration.edition == edition_id))
        .first()
    )
    size = declaration["size_class"] if declaration else ""
    return _facts_of(business, size), declaration is not None


async def _reasons(
    business: Mapping[str, Any], category: Mapping[str, Any], exclude_entry: int | None = None
) -> tuple[list[FieldError], BusinessFacts, bool]:
    facts, declared = await _facts(business, category["edition"])
    query = Entry.count().where(
        (Entry.business == business["id"])
        & (Entry.category == category["id"])
        & (Entry.status != EntryStatus.withdrawn.value)
    )
    if exclude_entry is not None:
        query = query.where(Entry.id != exclude_entry)
    return _refusals(category, facts, await query), facts, declared


def _refusals(
    category: Mapping[str, Any], facts: BusinessFacts, existing_entry_count: int
) -> list[FieldError]:
    """Why the category's eligibility rules refuse a business with ``facts`` that has
    ``existing_entry_count`` entries there that count (:func:`check_eligibility`)."""
    rules = EligibilityRules.from_dict(category["eligibility"] or {})
    return check_eligibility(rules, facts, existing_entry_count)


class EntryService:
    """Entry operations for entrants."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer

    # -- listing -------------------------------------------------------------------------

    async def my_entries(self, user: CurrentUser) -> list[dict[str, Any]]:
        """Entries of every business the user manages, newest first, with category/edition
        (keys ``category.name_id`` ... as a joined Piccolo select gives them)."""
        # Hot path (the dashboard): one plain statement (see entries.sql), where Piccolo built
        # the memberships and the joined select in about 1.5 ms.
        return await db.fetch(MY_ENTRIES_SQL, user.id)

    async def open_categories(self, user: CurrentUser, business_id: int) -> list[CategoryChoice]:
        """Categories of editions open for intake now, each with the business's eligibility,
        editions by closing time and categories by position: four statements whatever the
        number of editions and categories (the business with the membership check, the open
        editions' categories joined with their edition, the business's declarations in those
        editions, its entries that count, per category)."""
        business, _role = await managed_business(user.id, business_id)
        rows = (
            await Category.select(*Category.all_columns(), *Category.edition.all_columns())
            .where(Category.edition.status == "open")
            .order_by(Category.edition.intake_closes_at)
            .order_by(Category.edition.id)
            .order_by(Category.position)
            .order_by(Category.id)
            .output(load_json=True, nested=True)
        )
        now = now_utc()
        editions: dict[int, dict[str, Any]] = {}
        categories: list[dict[str, Any]] = []
        for row in rows:
            edition = editions.setdefault(row["edition"]["id"], row["edition"])
            if closed_message(edition, now) is None:
                categories.append(row | {"edition": edition["id"]})
        if not categories:
            return []
        declarations = await Declaration.select(Declaration.edition, Declaration.size_class).where(
            (Declaration.business == business_id)
            & Declaration.edition.is_in(sorted({category["edition"] for category in categories}))
        )
        sizes = {row["edition"]: row["size_class"] for row in declarations}
        counted = (
            await Entry.select(Entry.category, Count(alias="n"))
            .where(
                (Entry.business == business_id)
                & Entry.category.is_in([category["id"] for category in categories])
                & (Entry.status != EntryStatus.withdrawn.value)
            )
            .group_by(Entry.category)
        )
        counts = {row["category"]: row["n"] for row in counted}
        choices: list[CategoryChoice] = []
        for category in categories:
            edition_id = category["edition"]
            facts = _facts_of(business, sizes.get(edition_id) or "")
            reasons = _refusals(category, facts, counts.get(category["id"], 0))
            choices.append(
                CategoryChoice(
                    category, editions[edition_id], _render(reasons), edition_id in sizes
                )
            )
        return choices

    # -- one entry -----------------------------------------------------------------------

    async def _business(self, user: CurrentUser, business_id: int) -> dict[str, Any]:
        business, _role = await managed_business(user.id, business_id)
        return business

    async def context(self, user: CurrentUser, entry_id: int) -> EntryContext:
        """The entry if the user manages its business; ``NotFoundError`` otherwise.

        Two statements (see entries.sql): the entry joined with its business, category, edition,
        declaration and the membership check, then its attachments."""
        return await _context(CONTEXT_SQL, entry_id, user.id)

    async def create_draft(self, user: CurrentUser, business_id: int, category_id: int) -> int:
        """Start an entry in an open category the business is eligible for; return its id."""
        business = await self._business(user, business_id)
        category = (
            await Category.select().where(Category.id == category_id).output(load_json=True).first()
        )
        if category is None:
            raise NotFoundError(category_id)
        edition = (
            await Edition.select()
            .where(Edition.id == category["edition"])
            .output(load_json=True)
            .first()
        )
        if edition is None or edition["status"] == "draft":
            raise NotFoundError(category_id)
        async with db.write_transaction():
            edition = await edition_in_transaction(edition["id"])
            ensure_intake_open(edition)
            await lock_for_update("intake_business", business_id)  # the entry limit holds
            await refuse_staff_entry(edition["id"], business_id, user.id, "category")
            reasons, facts, _declared = await _reasons(business, category)
            if reasons:
                raise ValidationError({"category": " ".join(_render(reasons))})
            rows = await Entry.insert(
                Entry(
                    edition=edition["id"],
                    category=category_id,
                    business=business_id,
                    status=EntryStatus.draft.value,
                    answers={},
                    business_name=business["name"],
                    district=business["district"],
                    sector=business["sector"],
                    size_class=facts.size_class.value if facts.size_class else "",
                    created_by=user.id,
                )
            )
        return rows[0]["id"]

    async def save(
        self, user: CurrentUser, entry_id: int, raw: Mapping[str, Any] | None, *, submit: bool
    ) -> EntryContext:
        """Save answers; ``submit`` (or an already submitted entry) validates fully.

        ``raw`` holds the typed answers keyed by field key (file fields are ignored: files are
        attachments); None saves the entry's stored answers again (submitting them). Raises
        ``ValidationError`` (errors per field key), ``IntakeClosedError`` or ``NotFoundError``.
        Returns the fresh context. Four statements inside one write transaction: the entry with
        everything around it, its attachments, (a first submission: the staff check and the
        receipt number) and the UPDATE returning the row.
        """
        first_submission = False
        async with db.write_transaction():
            # Hot path: plain SQL (see entries.sql). The entry with everything around it (as
            # ``context`` reads it) and the category's other entries, read inside the write so
            # that a status or deadline change landing mid-save cannot slip through; on
            # PostgreSQL the statement holds the edition row as edition_in_transaction holds
            # it. A first submission (only ``submit`` makes one) numbers its receipt, which
            # locks the edition for update: its first read takes that lock rather than
            # upgrading a share lock (two upgraders deadlock).
            sql = CONTEXT_IN_WRITE_SQL
            if db.is_postgres():
                sql += IN_WRITE_EXCLUSIVE if submit else IN_WRITE_SHARE
            ctx, row = await _context_row(sql, EntryStatus.withdrawn.value, entry_id, user.id)
            ensure_intake_open(ctx.edition)
            entry = ctx.entry
            if entry["status"] == EntryStatus.withdrawn.value:
                raise ValidationError({"status": _("This entry was withdrawn.")})
            final = submit or entry["status"] == EntryStatus.submitted.value
            if raw is None:
                raw = dict(entry["answers"] or {})
            answers = {k: v for k, v in raw.items() if not isinstance(ctx.form.field(k), FileField)}
            answers |= file_answers(ctx.form, ctx.attachments)
            cleaned, errors = ctx.form.validate_answers(answers, final=final)
            if errors:
                raise to_validation_error(errors)
            facts = _facts_of(ctx.business, row["declared_size"])
            if final:
                # Eligibility (rules, declaration, the category's entry limit) from the rows
                # this write depends on; the same errors as a full validation refusal.
                reasons = _refusals(ctx.category, facts, row["others"])
                for reason in reasons:
                    errors.add_error(FieldError("category", reason.message, reason.params))
                if row["declaration"] is None and "category" not in errors:
                    errors.add(
                        "declaration",
                        N_("Declare the capital and turnover of your business for this "
                           "competition before submitting."),
                    )  # fmt: skip
                if errors:
                    raise to_validation_error(errors)
            values: dict[str, Any] = {
                "answers": dump_json(cleaned),
                "updated_at": now_utc(),
                "business_name": ctx.business["name"],
                "district": ctx.business["district"],
                "sector": ctx.business["sector"],
                "size_class": facts.size_class.value if facts.size_class else "",
            }
            if final and entry["status"] == EntryStatus.draft.value:
                # Staff appointed after the draft was started still may not enter.
                await refuse_staff_entry(ctx.edition["id"], ctx.business["id"], user.id, "category")
                first_submission = True
                values["status"] = EntryStatus.submitted.value
                values["submitted_at"] = now_utc()
                if not entry["receipt_number"]:
                    values["receipt_number"] = await next_receipt_number(
                        ctx.edition, ctx.category["code"]
                    )
            # The saved row comes back from the UPDATE itself (no second read).
            rows = await db.fetch(_update_sql(tuple(values)), *values.values(), entry_id)
            saved = json_loaded(rows[0], ENTRY_JSON)
        # A save changes only the entry row: the business, category, edition, attachments and
        # declaration read above still hold.
        fresh = replace(ctx, entry=saved)
        if first_submission:
            await self._mail_receipt(fresh)
        return fresh

    async def withdraw(self, user: CurrentUser, entry_id: int) -> bool:
        """Withdraw the entry (final) while intake is open; return False when it already was
        withdrawn (nothing changes: withdrawing is idempotent)."""
        ctx = await self.context(user, entry_id)
        if ctx.entry["status"] == EntryStatus.withdrawn.value:
            return False
        ensure_intake_open(ctx.edition)
        async with db.write_transaction():
            ensure_intake_open(await edition_in_transaction(ctx.edition["id"]))
            changed = (
                await Entry.update(
                    {
                        Entry.status: EntryStatus.withdrawn.value,
                        Entry.withdrawn_at: now_utc(),
                        Entry.updated_at: now_utc(),
                    }
                )
                .where((Entry.id == entry_id) & (Entry.status != EntryStatus.withdrawn.value))
                .returning(Entry.id)
            )
        return bool(changed)

    # -- mail ----------------------------------------------------------------------------

    async def _mail_receipt(self, ctx: EntryContext) -> None:
        members = await BusinessMember.select(
            BusinessMember.user.email, BusinessMember.user.language
        ).where(BusinessMember.business == ctx.business["id"])
        link = f"{self.settings.base_url}/entries/{ctx.entry['id']}"
        for member in members:
            with use_language(member["user.language"] or self.settings.default_language):
                subject = _("Entry received: %(receipt)s") % {
                    "receipt": ctx.entry["receipt_number"]
                }
                body = _(
                    "Thank you. We received the entry of %(business)s in the category "
                    "%(category)s of %(edition)s.\n\n"
                    "Receipt number: %(receipt)s\nSubmitted: %(submitted)s\n\n"
                    "You can change the entry until %(closes)s:\n%(link)s"
                ) % {
                    "business": ctx.business["name"],
                    "category": localized(ctx.category, "name"),
                    "edition": localized(ctx.edition, "name"),
                    "receipt": ctx.entry["receipt_number"],
                    "submitted": format_local(ctx.entry["submitted_at"], ctx.edition["time_zone"]),
                    "closes": ctx.closes_local,
                    "link": link,
                }
            await self.mailer.send(member["user.email"], subject, body)


def file_answers(
    form: FormSpec, attachments: Mapping[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """File-field answers built from attachment rows: ``StoredFile`` dicts + ``attachment_id``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in form.fields:
        if isinstance(spec, FileField) and attachments.get(spec.key):
            out[spec.key] = [
                {**stored_of(row).to_dict(), "attachment_id": row["id"]}
                for row in attachments[spec.key]
            ]
    return out


async def _context(sql: str, *args: Any) -> EntryContext:
    return (await _context_row(sql, *args))[0]


async def _context_row(sql: str, *args: Any) -> tuple[EntryContext, dict[str, Any]]:
    """The :class:`EntryContext` of a :data:`CONTEXT_SQL`-shaped statement's row (``args``
    end with the entry id and the user id), with the row; ``NotFoundError`` when none."""
    entry_id = args[-2]
    rows = await db.fetch(sql, *args)
    if not rows:
        raise NotFoundError(entry_id)
    row = rows[0]
    entry, business, category, edition = (
        split(row, pairs, json_names, shared) for _part, pairs, json_names, shared in CONTEXT_PARTS
    )
    attachments: dict[str, list[dict[str, Any]]] = {}
    for attachment in await db.fetch(ATTACHMENTS_SQL, entry_id):
        attachments.setdefault(attachment["field_key"], []).append(attachment)
    ctx = EntryContext(
        entry,
        category,
        edition,
        business,
        stored_form(row[CONTEXT_FORM]),
        attachments,
        declared=row["declaration"] is not None,
    )
    return ctx, row


@lru_cache(maxsize=256)
def _update_sql(columns: tuple[str, ...]) -> str:
    """The save's UPDATE of ``columns`` (three shapes: a save, a first submission with or
    without a new receipt number)."""
    return update_entry_sql(columns)
