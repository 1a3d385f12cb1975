"""Entry pages: dashboard, choose a category, the entry form, receipt, withdraw, attachments.

The entry form is one ``multipart/form-data`` form, so it works without JavaScript: typed answers,
new files for each file field and "remove this file" checkboxes are sent together. The handler
removes the ticked files, stores the new ones (each checked by content and size; a refused file
is reported beside its field and nothing of it is stored), then saves the answers as a draft or
submits them. Refusals re-render the form (422) with the input kept and a summary at the top.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, URLEncodedBody
from litestar.response import File, Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.common import (
    IntakeClosedError,
    NotFoundError,
    format_local,
    human_size,
    now_utc,
)
from awards.intake.editions.deadlines import closed_message
from awards.intake.entrant.business_pages import upload_chunks
from awards.intake.entrant.deps import Attachments, Businesses, Entries
from awards.intake.entrant.errors import ENTRANT_EXCEPTION_HANDLERS
from awards.intake.entrant.forms import EntryCreateData
from awards.intake.entries.service import EntryContext, localized
from awards.intake.form.fields import FILE_CONTENT_TYPES, FileField, MultipleChoiceField
from awards.intake.uploads import download_name
from awards.web.auth import authenticated_user, requires_login
from awards.web.flash import flash

__all__ = ["ENTRY_FORM_BODY_LIMIT", "AttachmentRoutes", "EntryPages", "attachment_response"]

Req = Request[Any, Any, Any]
#: Request body limit of the entry form and upload routes: several photos and PDFs at once.
ENTRY_FORM_BODY_LIMIT = 64 * 1024 * 1024


def _form_values(ctx: EntryContext, form: Any) -> dict[str, Any]:
    """Typed answers from the submitted form (multiple choice as lists; files excluded)."""
    values: dict[str, Any] = {}
    for spec in ctx.form.fields:
        if isinstance(spec, FileField):
            continue
        if isinstance(spec, MultipleChoiceField):
            values[spec.key] = [v for v in form.getall(spec.key, []) if isinstance(v, str)]
        else:
            value = form.get(spec.key, "")
            values[spec.key] = value if isinstance(value, str) else ""
    return values


def _edit_template(
    ctx: EntryContext,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    closed: str | None = None,
    draft_saved: bool = False,
) -> Template:
    context = {
        "draft_saved": draft_saved,
        "ctx": ctx,
        "values": values,
        "errors": errors,
        "closed": closed if closed is not None else ctx.closed_reason,
        "language": current_language(),
        "category_name": localized(ctx.category, "name"),
        "edition_name": localized(ctx.edition, "name"),
        "file_types": FILE_CONTENT_TYPES,
        "human_size": human_size,
    }
    return Template("intake/entrant/entry_form.html", context=context, status_code=status)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def attachment_response(path: Any, row: dict[str, Any], *, thumbnail: bool) -> File:
    """Stream a stored file: inline for images, ``attachment`` for PDFs; never sniffed,
    never cached by shared caches."""
    media_type = "image/webp" if thumbnail else row["content_type"]
    inline = media_type.startswith("image/")
    name = download_name(row["original_name"], media_type, "-thumbnail" if thumbnail else "")
    return File(
        path=path,
        media_type=media_type,
        filename=name,
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-cache"},
    )


class EntryPages(Controller):
    """The entrant's entries."""

    path = "/entries"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    @get("/", name="entries")
    async def dashboard(self, request: Req, entries: Entries, businesses: Businesses) -> Template:
        user = authenticated_user(request)
        rows = await entries.my_entries(user)
        now = now_utc()
        context = {
            "entries": rows,
            # Offer "withdraw" on the card while intake may still be open (the page says why
            # not when it is closed).
            "withdrawable": {
                row["id"]
                for row in rows
                if row["status"] != "withdrawn" and _aware(row["edition.intake_closes_at"]) > now
            },
            "memberships": await businesses.memberships(user.id),
            "localized": localized,
            "format_local": format_local,
        }
        return Template("intake/entrant/dashboard.html", context=context)

    @get("/new", name="entry_new")
    async def choose(
        self, request: Req, entries: Entries, businesses: Businesses
    ) -> Template | Redirect:
        user = authenticated_user(request)
        memberships = await businesses.memberships(user.id)
        if not memberships:
            flash(request, _("First create the profile of your business."), "info")
            return Redirect("/business/new", status_code=303)
        wanted = request.query_params.get("business", "")
        chosen = next((m for m in memberships if str(m.business_id) == wanted), memberships[0])
        context = {
            "choices": await entries.open_categories(user, chosen.business_id),
            "memberships": memberships,
            "chosen": chosen,
            "localized": localized,
            "format_local": format_local,
            "error": "",
        }
        return Template("intake/entrant/choose_category.html", context=context)

    @post("/new")
    async def create(
        self, request: Req, entries: Entries, data: URLEncodedBody[EntryCreateData]
    ) -> Redirect:
        try:
            entry_id = await entries.create_draft(
                authenticated_user(request), data.business_id, data.category_id
            )
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
            return Redirect(f"/entries/new?business={data.business_id}", status_code=303)
        flash(
            request, _("Your draft is ready. Fill in the form; you can save at any time."), "info"
        )
        return Redirect(f"/entries/{entry_id}/edit", status_code=303)

    @get("/{entry_id:int}", name="entry")
    async def view(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> Template:
        ctx = await entries.context(authenticated_user(request), entry_id)
        context = {
            "ctx": ctx,
            "language": current_language(),
            "category_name": localized(ctx.category, "name"),
            "edition_name": localized(ctx.edition, "name"),
            "format_local": format_local,
        }
        return Template("intake/entrant/entry.html", context=context)

    @get("/{entry_id:int}/edit", name="entry_edit")
    async def edit_form(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> Template:
        ctx = await entries.context(authenticated_user(request), entry_id)
        return _edit_template(ctx, dict(ctx.entry["answers"] or {}), {})

    @post("/{entry_id:int}/edit", request_max_body_size=ENTRY_FORM_BODY_LIMIT)
    async def save(
        self, request: Req, entries: Entries, attachments: Attachments, entry_id: FromPath[int]
    ) -> Template | Redirect:
        user = authenticated_user(request)
        ctx = await entries.context(user, entry_id)
        form = await request.form()
        values = _form_values(ctx, form)
        if (reason := closed_message(ctx.edition)) is not None:
            return _edit_template(ctx, values, {}, status=409, closed=reason)
        errors: dict[str, str] = {}
        for raw_id in form.getall("remove_attachment", []):
            try:
                await attachments.delete(user, entry_id, int(raw_id))
            except (ValueError, NotFoundError):
                continue
            except ValidationError as exc:
                errors |= exc.errors
        for spec in ctx.form.fields:
            if not isinstance(spec, FileField):
                continue
            for upload in form.getall(spec.key, []):
                if not isinstance(upload, UploadFile) or not upload.filename:
                    continue
                try:
                    await attachments.upload(
                        user, entry_id, spec.key, upload_chunks(upload), upload.filename
                    )
                except ValidationError as exc:
                    errors |= exc.errors
        submit = form.get("action") == "submit"
        was_submitted = ctx.entry["status"] == "submitted"
        saved = False
        try:
            ctx = await entries.save(user, entry_id, values, submit=submit and not errors)
            saved = True
        except ValidationError as exc:
            errors = exc.errors | errors
        except IntakeClosedError as exc:
            ctx = await entries.context(user, entry_id)
            return _edit_template(ctx, values, errors, status=409, closed=exc.message)
        if errors:
            ctx = await entries.context(user, entry_id)
            # A refused file does not lose the typed answers: say that the draft was saved.
            draft_saved = saved and ctx.entry["status"] == "draft"
            return _edit_template(ctx, values, errors, status=422, draft_saved=draft_saved)
        if ctx.entry["status"] == "submitted" and was_submitted:
            flash(request, _("Changes saved. The entry stays submitted; receipt number: "
                             "%(receipt)s.") % {"receipt": ctx.entry["receipt_number"]},
                  "success")  # fmt: skip
            return Redirect(f"/entries/{entry_id}", status_code=303)
        if ctx.entry["status"] == "submitted":
            flash(request, _("Your entry is submitted. Receipt number: %(receipt)s.")
                  % {"receipt": ctx.entry["receipt_number"]}, "success")  # fmt: skip
            return Redirect(f"/entries/{entry_id}", status_code=303)
        flash(request, _("Draft saved. You can continue later."), "success")
        return Redirect(f"/entries/{entry_id}/edit", status_code=303)

    @get("/{entry_id:int}/withdraw", name="entry_withdraw")
    async def withdraw_form(
        self, request: Req, entries: Entries, entry_id: FromPath[int]
    ) -> Template:
        ctx = await entries.context(authenticated_user(request), entry_id)
        context = {"ctx": ctx, "category_name": localized(ctx.category, "name")}
        return Template("intake/entrant/withdraw.html", context=context)

    @post("/{entry_id:int}/withdraw")
    async def withdraw(self, request: Req, entries: Entries, entry_id: FromPath[int]) -> Redirect:
        """Withdraw once; confirming again (a second tab, a double click) changes nothing and
        says so."""
        if await entries.withdraw(authenticated_user(request), entry_id):
            flash(request, _("The entry was withdrawn."), "info")
        else:
            flash(request, _("This entry was already withdrawn; nothing changed."), "info")
        return Redirect("/entries", status_code=303)


class AttachmentRoutes(Controller):
    """Upload, delete and download of entry attachments (pages; the API has its own)."""

    path = "/entries/{entry_id:int}/attachments"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    @post("/", request_max_body_size=ENTRY_FORM_BODY_LIMIT)
    async def upload(
        self, request: Req, attachments: Attachments, entry_id: FromPath[int]
    ) -> Redirect:
        """One file (``file``) into field ``field_key``; back to the form with a message."""
        form = await request.form()
        upload, key = form.get("file"), str(form.get("field_key", ""))
        if isinstance(upload, UploadFile) and upload.filename:
            try:
                await attachments.upload(
                    authenticated_user(request),
                    entry_id,
                    key,
                    upload_chunks(upload),
                    upload.filename,
                )
                flash(request, _("The file is uploaded."), "success")
            except ValidationError as exc:
                flash(request, " ".join(exc.errors.values()), "error")
        anchor = f"#field-{key}" if re.fullmatch(r"[a-z][a-z0-9_]{0,49}", key) else ""
        return Redirect(f"/entries/{entry_id}/edit{anchor}", status_code=303)

    @post("/{attachment_id:int}/delete")
    async def delete(
        self,
        request: Req,
        attachments: Attachments,
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> Redirect:
        try:
            await attachments.delete(authenticated_user(request), entry_id, attachment_id)
            flash(request, _("The file was removed."), "info")
        except ValidationError as exc:
            flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/entries/{entry_id}/edit", status_code=303)

    @get("/{attachment_id:int}", name="attachment")
    async def download(
        self,
        request: Req,
        attachments: Attachments,
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> File:
        row = await attachments.for_download(authenticated_user(request), entry_id, attachment_id)
        return attachment_response(attachments.path_of(row), row, thumbnail=False)

    @get("/{attachment_id:int}/thumbnail", name="attachment_thumbnail")
    async def thumbnail(
        self,
        request: Req,
        attachments: Attachments,
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> File:
        row = await attachments.for_download(authenticated_user(request), entry_id, attachment_id)
        return attachment_response(attachments.path_of(row, thumbnail=True), row, thumbnail=True)
