"""Organizer console, entry pages: the list with search/filters/pages, entry detail with the
screening decision and notes, bulk import (validate -> report -> confirm) and exports.

The import keeps the uploaded file between the report and the confirmation under
``<DATA_DIR>/imports/<user>-<edition>-<random>.<ext>``; the confirmation validates the file again
and imports it all-or-nothing, then deletes it. Files never confirmed are deleted by the next
upload once they are older than :data:`IMPORT_FILE_MAX_AGE`.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from pathlib import Path
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from awards.errors import ValidationError
from awards.i18n import _, current_language, ngettext
from awards.intake.bulk import service as bulk
from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.common import NotFoundError
from awards.intake.editions.lifecycle import Action, EditionLockedError, refusal
from awards.intake.editions.service import EditionService
from awards.intake.editions.status import local_name
from awards.intake.entries.listing import EntryListService, ListQuery
from awards.intake.entries.screening import ScreeningService, local_time
from awards.intake.organizer.common import (
    ORGANIZER_GUARD,
    form_input,
    organizer_exception_handlers,
    sector_label,
    size_label,
)
from awards.intake.tables import EntryStatus, Screening
from awards.web.auth import authenticated_user
from awards.web.flash import flash
from awards.web.limits import INT_MAX

__all__ = ["IMPORT_FILE_MAX_AGE", "OrganizerEntryPages", "list_query", "sweep_imports"]

Req = Request[Any, Any, Any]
Editions = NamedDependency[EditionService]
Screenings = NamedDependency[ScreeningService]
EntryLists = NamedDependency[EntryListService]
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(csv|xlsx)$")
MAX_IMPORT_BYTES = 50 * 1024 * 1024
#: Seconds an uploaded import file is kept waiting for its confirmation (24 h).
IMPORT_FILE_MAX_AGE = 24 * 3600
STATUSES = [s.value for s in EntryStatus]
SCREENINGS = [s.value for s in Screening]
SIZE_CLASSES = [s.value for s in SizeClass]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def list_query(params: Any) -> ListQuery:
    """The list's search and filters from query parameters; ``category`` and ``page`` must be
    whole numbers from 1 to 2**31 - 1 (:class:`ValidationError` naming the parameter)."""

    def number(name: str) -> int | None:
        text = str(params.get(name) or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= INT_MAX:
            raise ValidationError(
                {name: _("Enter a whole number from 1 to %(max)d.") % {"max": INT_MAX}}
            )
        return int(text)

    return ListQuery(
        q=str(params.get("q") or "")[:100],
        status=str(params.get("status") or ""),
        screening=str(params.get("screening") or ""),
        category=number("category"),
        district=str(params.get("district") or ""),
        size_class=str(params.get("size_class") or ""),
        page=number("page") or 1,
    )


class _Labels(dict[Any, str]):
    """Value -> its label once per page (not once per row); a value without a label is shown
    as written (as ``size_label`` does)."""

    def __missing__(self, key: Any) -> str:
        return "" if key is None else str(key)


def _imports_dir(request: Req) -> Path:
    return request.app.state.settings.data_dir / "imports"


def sweep_imports(folder: Path, *, max_age: float = IMPORT_FILE_MAX_AGE) -> int:
    """Delete kept import files older than ``max_age`` seconds (uploads never confirmed);
    return how many were deleted."""
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process swept it first
            continue
    return removed


def _import_error(message: str) -> dict[str, str]:
    return {"file": message}


class OrganizerEntryPages(Controller):
    """``/organizer``: entries of an edition."""

    path = "/organizer"
    guards = [ORGANIZER_GUARD]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = organizer_exception_handlers

    @get("/editions/{edition_id:int}/entries", name="organizer_entries")
    async def entries(
        self, request: Req, entry_lists: EntryLists, edition_id: FromPath[int]
    ) -> Template:
        query = list_query(request.query_params)
        listing = await entry_lists.entry_list(authenticated_user(request), edition_id, query)
        context = {
            "edition": listing.edition,
            "page": listing.page,
            "query": query,
            "statuses": STATUSES,
            "screenings": SCREENINGS,
            "size_classes": SIZE_CLASSES,
            "size_names": _Labels({s: size_label(s) for s in SIZE_CLASSES}),
            "category_names": _Labels({c["id"]: local_name(c) for c in listing.categories}),
            "due_notices": listing.due_notices,
            "categories": listing.categories,
            "districts": listing.districts,
        }
        return Template("intake/organizer/entries.html", context=context)

    @get("/entries/{entry_id:int}", name="organizer_entry")
    async def entry(self, request: Req, screening: Screenings, entry_id: FromPath[int]) -> Template:
        return await self._entry_page(request, screening, entry_id)

    async def _entry_page(
        self, request: Req, screening: ScreeningService, entry_id: int, **extra: Any
    ) -> Template:
        detail = await screening.detail(authenticated_user(request), entry_id, current_language())
        context = {
            "detail": detail,
            "screening_locked": refusal(Action.screening, detail.edition["status"]),
            "screened_by": detail.screened_by_name,
            "local_time": local_time,
            "size_label": size_label,
            "sector_label": sector_label,
            "errors": extra.pop("errors", {}),
            "form": extra.pop("form", {}),
        }
        return Template(
            "intake/organizer/entry.html", context=context, status_code=extra.pop("status", 200)
        )

    @post("/entries/{entry_id:int}/screening")
    async def decide(
        self, request: Req, screening: Screenings, entry_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await screening.decide(
                authenticated_user(request),
                entry_id,
                str(data.get("decision", "")),
                str(data.get("reason", "")),
            )
        except ValidationError as exc:
            return await self._entry_page(
                request, screening, entry_id, errors=exc.errors, form=data, status=422
            )
        except EditionLockedError as exc:
            return await self._entry_page(
                request,
                screening,
                entry_id,
                errors={"decision": exc.message},
                form=data,
                status=409,
            )
        flash(
            request,
            _("Decision saved. The business is emailed only when you send the notice."),
            "success",
        )
        return Redirect(f"/organizer/entries/{entry_id}#screening", status_code=303)

    @post("/entries/{entry_id:int}/screening/notify")
    async def notify(
        self, request: Req, screening: Screenings, entry_id: FromPath[int]
    ) -> Redirect:
        if await screening.notify(authenticated_user(request), entry_id):
            flash(request, _("The business was emailed the decision."), "success")
        else:
            flash(request, _("The business already has this decision; nothing was sent."), "info")
        return Redirect(f"/organizer/entries/{entry_id}#screening", status_code=303)

    @post("/editions/{edition_id:int}/screening/notify")
    async def notify_edition(
        self, request: Req, screening: Screenings, edition_id: FromPath[int]
    ) -> Redirect:
        sent = await screening.notify_edition(authenticated_user(request), edition_id)
        flash(
            request,
            ngettext(
                "%(num)d business was emailed its decision.",
                "%(num)d businesses were emailed their decisions.",
                sent,
            )
            % {"num": sent},
            "success",
        )
        return Redirect(f"/organizer/editions/{edition_id}/entries", status_code=303)

    @post("/entries/{entry_id:int}/notes")
    async def add_note(
        self, request: Req, screening: Screenings, entry_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_input(request)
        try:
            await screening.add_note(
                authenticated_user(request), entry_id, str(data.get("body", ""))
            )
        except ValidationError as exc:
            return await self._entry_page(
                request, screening, entry_id, errors=exc.errors, form=data, status=422
            )
        flash(request, _("Note added."), "success")
        return Redirect(f"/organizer/entries/{entry_id}#notes", status_code=303)

    # -- import ----------------------------------------------------------------------------

    @get("/editions/{edition_id:int}/import", name="organizer_import")
    async def import_form(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template:
        edition = await editions.edition(authenticated_user(request), edition_id)
        context = {"edition": edition, "report": None, "errors": {}}
        context["locked"] = refusal(Action.import_entries, edition["status"])
        return Template("intake/organizer/import.html", context=await _with_categories(context))

    @post("/editions/{edition_id:int}/import", request_max_body_size=MAX_IMPORT_BYTES + 65536)
    async def import_check(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template:
        """Validate the uploaded file and show the row-level report; nothing is written."""
        user = authenticated_user(request)
        edition = await editions.edition(user, edition_id)
        context: dict[str, Any] = {"edition": edition, "report": None, "errors": {}}
        await _with_categories(context)
        context["locked"] = refusal(Action.import_entries, edition["status"])
        if context["locked"]:
            context["errors"] = _import_error(context["locked"])
            return Template("intake/organizer/import.html", context=context, status_code=409)
        upload = (await request.form()).get("file")
        upload = upload if isinstance(upload, UploadFile) else None
        suffix = Path(upload.filename or "").suffix.lower() if upload else ""
        if upload is None or suffix not in (".csv", ".xlsx"):
            context["errors"] = _import_error(_("Choose a .csv or .xlsx file."))
            return Template("intake/organizer/import.html", context=context, status_code=422)
        content = await upload.read()
        if len(content) > MAX_IMPORT_BYTES:
            context["errors"] = _import_error(_("The file is larger than 50 MB."))
            return Template("intake/organizer/import.html", context=context, status_code=422)
        sweep_imports(_imports_dir(request))
        report = await bulk.validate_file(edition, content, upload.filename)
        context["report"] = report
        context["render"] = lambda error: error.render(_)
        if report.ok and report.rows:
            folder = _imports_dir(request)
            folder.mkdir(parents=True, exist_ok=True)
            token = f"{secrets.token_urlsafe(24)}{suffix}"
            (folder / f"{user.id}-{edition_id}-{token}").write_bytes(content)
            context["token"] = token
        return Template(
            "intake/organizer/import.html", context=context, status_code=200 if report.ok else 422
        )

    @post("/editions/{edition_id:int}/import/confirm")
    async def import_confirm(
        self, request: Req, editions: Editions, edition_id: FromPath[int]
    ) -> Template | Redirect:
        """Validate the kept file again and import it all-or-nothing."""
        user = authenticated_user(request)
        edition = await editions.edition(user, edition_id)
        token = str((await form_input(request)).get("token", ""))
        path = _imports_dir(request) / f"{user.id}-{edition_id}-{token}"
        if not _TOKEN.match(token) or not path.is_file():
            flash(request, _("The uploaded file has expired; upload it again."), "error")
            return Redirect(f"/organizer/editions/{edition_id}/import", status_code=303)
        report = await bulk.validate_file(edition, path.read_bytes(), path.name)
        if not report.ok:
            context = await _with_categories({"edition": edition, "report": report, "errors": {}})
            context["render"] = lambda error: error.render(_)
            return Template("intake/organizer/import.html", context=context, status_code=422)
        try:
            outcome = await bulk.import_rows(edition, report, user_id=user.id)
        except EditionLockedError as exc:
            flash(request, exc.message, "error")
            return Redirect(f"/organizer/editions/{edition_id}/import", status_code=303)
        path.unlink(missing_ok=True)
        flash(
            request,
            _("Import finished: %(new)d new, %(old)d already imported.")
            % {"new": outcome.created, "old": outcome.skipped},
            "success",
        )
        return Redirect(f"/organizer/editions/{edition_id}/entries", status_code=303)

    # -- files -----------------------------------------------------------------------------

    @get("/editions/{edition_id:int}/template/{fmt:str}", name="organizer_import_template")
    async def template(
        self, request: Req, editions: Editions, edition_id: FromPath[int], fmt: FromPath[str]
    ) -> Response[bytes]:
        edition = await editions.edition(authenticated_user(request), edition_id)
        if fmt not in CONTENT_TYPES:
            raise NotFoundError(fmt)
        category = str(request.query_params.get("category") or "") or None
        if category is not None and fmt != "csv":
            raise NotFoundError(category)
        try:
            content = await bulk.import_template(
                edition, fmt, current_language(), category=category, gettext=_
            )
        except LookupError:
            raise NotFoundError(category) from None
        name = (
            f"{edition['slug']}-{category}-template" if category else f"{edition['slug']}-template"
        )
        return _download(content, f"{name}.{fmt}", fmt)

    @get("/editions/{edition_id:int}/export/{fmt:str}", name="organizer_export")
    async def export(
        self, request: Req, editions: Editions, edition_id: FromPath[int], fmt: FromPath[str]
    ) -> Response[bytes]:
        edition = await editions.edition(authenticated_user(request), edition_id)
        if fmt not in CONTENT_TYPES:
            raise NotFoundError(fmt)
        buffer = io.BytesIO()
        await bulk.export_entries(edition, fmt, buffer, current_language())
        return _download(buffer.getvalue(), f"{edition['slug']}-entries.{fmt}", fmt)


async def _with_categories(context: dict[str, Any]) -> dict[str, Any]:
    """Add the edition's categories (for the per-category CSV template links)."""
    categories = await bulk.import_categories(context["edition"]["id"])
    language = current_language()
    context["template_categories"] = [
        {
            "slug": c.slug,
            "name": ((c.name_en if language.startswith("en") else "") or c.name_id) or c.slug,
        }
        for c in categories
    ]
    return context


def _download(content: bytes, filename: str, fmt: str) -> Response[bytes]:
    return Response(
        content,
        media_type=CONTENT_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
