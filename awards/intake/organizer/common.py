"""Helpers shared by the organizer pages and API: form input, errors, local times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.numbers import format_decimal
from litestar import Request
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.response import Response, Template

from awards.i18n import _, current_language
from awards.intake._messages import N_
from awards.intake.businesses.identity import DEFAULT_SECTORS
from awards.intake.businesses.sizeclass import SIZE_CLASS_LABELS, SizeClass
from awards.intake.common import NotFoundError, zone
from awards.intake.editions.lifecycle import EditionLockedError
from awards.intake.editions.service import ForbiddenError
from awards.web.auth import requires_role
from awards.web.errors import http_exception_handler, wants_json
from awards.web.forms import form_fields

__all__ = [
    "FIELD_TYPE_LABELS",
    "ORGANIZER_GUARD",
    "field_type_labels",
    "form_input",
    "local_input",
    "organizer_exception_handlers",
    "percent",
    "sector_label",
    "size_label",
]

Req = Request[Any, Any, Any]

#: Controller guard: organizers (any edition) and admins; services narrow to the edition.
ORGANIZER_GUARD = requires_role("organizer", "admin")


async def form_input(request: Req) -> dict[str, Any]:
    """The submitted form as ``{name: value}``; names given several times map to a list (the
    services read such names as lists). See :func:`awards.web.forms.form_fields`."""
    return await form_fields(request, several="list")


def local_input(moment: datetime | None, time_zone: str) -> str:
    """``moment`` as the value of a ``datetime-local`` input in ``time_zone``."""
    if moment is None:
        return ""
    return moment.astimezone(zone(time_zone)).strftime("%Y-%m-%dT%H:%M")


_SECTORS = {sector.key: sector for sector in DEFAULT_SECTORS}

#: The form builder's field types as people name them (translated when shown).
FIELD_TYPE_LABELS = {
    "short_text": N_("Short text"),
    "long_text": N_("Long text"),
    "number": N_("Number"),
    "single_choice": N_("Single choice"),
    "multiple_choice": N_("Multiple choice"),
    "date": N_("Date"),
    "url": N_("Web address"),
    "file": N_("File upload"),
}


def field_type_labels() -> dict[str, str]:
    """Field type -> its name in the current language (an unknown type is shown as written)."""
    return {kind: _(label) for kind, label in FIELD_TYPE_LABELS.items()}


def percent(share: float) -> str:
    """A share (0.25) as a percentage in the current language's notation: ``25 %`` /
    ``23,8 %`` (one decimal at most)."""
    language = "en" if current_language().startswith("en") else "id"
    return format_decimal(share * 100, format="0.#", locale=language) + " %"


def size_label(size: str | None) -> str:
    """A size class (``"micro"``) as its name in the current language; "" for none."""
    if not size:
        return ""
    try:
        return _(SIZE_CLASS_LABELS[SizeClass(size)])
    except ValueError:
        return size


def sector_label(key: str | None) -> str:
    """A sector key (``"kuliner"``) as its name in the current language; an edition's own
    sector (not among the defaults) is shown as written."""
    sector = _SECTORS.get(key or "")
    if sector is None:
        return key or ""
    return sector.label_en if current_language().startswith("en") else sector.label_id


def _not_found(request: Req, _exc: Exception) -> Response[Any]:
    return http_exception_handler(request, NotFoundException())


def _forbidden(request: Req, _exc: Exception) -> Response[Any]:
    return http_exception_handler(request, PermissionDeniedException())


def _locked(request: Req, exc: EditionLockedError) -> Response[Any]:
    """409 with the life cycle's translated reason (page or ``{"detail": ...}``)."""
    if wants_json(request):
        return Response({"status_code": 409, "detail": exc.message}, status_code=409)
    return Template(  # type: ignore[return-value]
        template_name="errors/error.html",
        context={"status": 409, "message": exc.message},
        status_code=409,
    )


organizer_exception_handlers: dict[Any, Any] = {
    NotFoundError: _not_found,
    ForbiddenError: _forbidden,
    EditionLockedError: _locked,
}
