"""Delivery routes: certificate verification (public), certificate downloads (entrants their
own, organizers all), result exports (organizers any time; everyone once published, through
the visibility gate), webhook endpoints with their delivery log, and the fairness audit.

Controllers parse, call one service, render or redirect (303 after POST). Organizer pages are
sent ``private, no-store``.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import NotFoundError
from awards.intake.editions.service import can_manage
from awards.intake.tables import BusinessMember, Edition, Entry
from awards.results import certificates, exports, fairness
from awards.results.certificate_render import render_pdf
from awards.results.codes import format_code, normalize_code
from awards.results.delivery_tables import Certificate, WebhookAttempt, WebhookDelivery
from awards.results.webhooks import endpoints
from awards.results.webhooks.endpoints import SecretBox
from awards.settings import Settings
from awards.web.auth import authenticated_user, requires_login, requires_role
from awards.web.errors import http_exception_handler
from awards.web.flash import flash

__all__ = ["DELIVERY_ROUTE_HANDLERS"]

Req = Request[Any, Any, Any]
PRIVATE = {"cache-control": "private, no-store"}
PAGE_SIZE = 100


def _settings(request: Req) -> Settings:
    return request.app.state.settings


def _verify_url(request: Req, code: str) -> str:
    return f"{_settings(request).base_url.rstrip('/')}/v/{code}"


def _keep_secret(request: Req, secret: str) -> None:
    """Hold a new signing secret in the session until the next page shows it once."""
    if not isinstance(request.scope.get("session"), dict):
        request.set_session({})
    request.scope["session"]["webhook_secret"] = secret


def _pop_secret(request: Req) -> str | None:
    session = request.scope.get("session")
    return session.pop("webhook_secret", None) if isinstance(session, dict) else None


def _language(request: Req) -> str:
    lang = request.query_params.get("lang", "")
    if lang in ("id", "en"):
        return lang
    from awards.i18n import current_language

    return "en" if current_language().startswith("en") else "id"


async def _pdf(request: Req, cert: dict[str, Any], language: str) -> Response[bytes]:
    pdf = await asyncio.to_thread(
        render_pdf, cert["printed"], language, _verify_url(request, cert["code"])
    )
    name = f"sertifikat-{cert['code']}-{language}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={**PRIVATE, "content-disposition": f'attachment; filename="{name}"'},
    )


def _not_found(request: Req, _exc: Exception) -> Response[Any]:
    return http_exception_handler(request, NotFoundException())


class VerificationPages(Controller):
    """``/v``: anyone checks a certificate's code."""

    path = "/v"
    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    @get("/", name="delivery_verify_form")
    async def form(self, request: Req) -> Template | Redirect:
        typed = request.query_params.get("code", "")
        if typed:
            code = normalize_code(typed)
            if code is not None:
                return Redirect(f"/v/{code}", status_code=303)
        return Template(
            template_name="results/delivery/verify_form.html",
            context={"typed": typed, "invalid": bool(typed)},
        )

    @get("/{code:str}", name="delivery_verify")
    async def verify(self, request: Req, code: FromPath[str]) -> Template:
        shown = await certificates.verification(code)
        if shown is None:
            return Template(
                template_name="results/delivery/verify_form.html",
                context={"typed": code, "invalid": True, "unknown": True},
                status_code=404,
            )
        return Template(
            template_name="results/delivery/verify.html",
            context={"cert": shown, "code": format_code(shown["code"])},
        )


class EntrantCertificatePages(Controller):
    """``/entries/{id}/certificate.pdf``: an entrant downloads their entry's certificate."""

    path = "/entries"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False

    @get("/{entry_id:int}/certificate.pdf", name="delivery_entry_certificate")
    async def download(self, request: Req, entry_id: FromPath[int]) -> Response[bytes]:
        user = authenticated_user(request)
        entry = await Entry.select(Entry.business).where(Entry.id == entry_id).first()
        member = entry is not None and await BusinessMember.exists().where(
            (BusinessMember.user == user.id) & (BusinessMember.business == entry["business"])
        )
        if not member:
            raise NotFoundException()
        cert = await certificates.certificate_for_entry(entry_id)
        if cert is None:
            raise NotFoundException(_("No certificate yet: results are not published."))
        return await _pdf(request, cert, _language(request))


class DeliveryPages(Controller):
    """``/organizer/results``: certificates, exports, webhooks and the fairness audit."""

    path = "/organizer/results"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = {NotFoundError: _not_found}  # noqa: RUF012

    async def _edition(self, request: Req, edition_id: int) -> dict[str, Any]:
        user = authenticated_user(request)
        edition = await Edition.select().where(Edition.id == edition_id).first()
        if edition is None or not can_manage(user, edition_id):
            raise NotFoundException()
        return edition

    @get("/editions/{edition_id:int}/delivery", name="delivery_hub")
    async def hub(self, request: Req, edition_id: FromPath[int]) -> Template:
        edition = await self._edition(request, edition_id)
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        rows = await certificates.certificates_of_edition(
            edition_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
        )
        return Template(
            template_name="results/delivery/hub.html",
            context={
                "edition": edition,
                "certificates": rows[:PAGE_SIZE],
                "counts": await certificates.certificate_counts(edition_id),
                "page": page,
                "has_next": len(rows) > PAGE_SIZE,
                "formats": exports.FORMATS,
            },
            headers=PRIVATE,
        )

    @get("/editions/{edition_id:int}/export/{fmt:str}", name="delivery_export")
    async def export(
        self, request: Req, edition_id: FromPath[int], fmt: FromPath[str]
    ) -> Response[bytes]:
        if fmt not in exports.FORMATS:
            raise NotFoundException()
        edition, rows = await exports.organizer_rows(authenticated_user(request), edition_id)
        return _export_response(edition, rows, fmt, private=True)

    @get("/editions/{edition_id:int}/certificates.zip", name="delivery_certificates_zip")
    async def certificates_zip(self, request: Req, edition_id: FromPath[int]) -> Response[bytes]:
        edition = await self._edition(request, edition_id)
        category = request.query_params.get("category", "")
        rows = await certificates.certificates_of_edition(
            edition_id, int(category) if category.isdigit() else None
        )
        language = _language(request)
        jobs = [(r["printed"], _verify_url(request, r["code"]), r["code"]) for r in rows]
        data = await asyncio.to_thread(_zip, jobs, language)
        name = f"sertifikat-{edition['slug']}-{language}.zip"
        return Response(
            data,
            media_type="application/zip",
            headers={**PRIVATE, "content-disposition": f'attachment; filename="{name}"'},
        )

    @get("/certificates/{certificate_id:int}/pdf", name="delivery_certificate_pdf")
    async def certificate_pdf(self, request: Req, certificate_id: FromPath[int]) -> Response[bytes]:
        cert = (
            await Certificate.select()
            .where(Certificate.id == certificate_id)
            .output(load_json=True)
            .first()
        )
        if cert is None:
            raise NotFoundException()
        await self._edition(request, cert["edition"])
        return await _pdf(request, cert, _language(request))

    @get("/editions/{edition_id:int}/fairness", name="delivery_fairness")
    async def fairness_page(self, request: Req, edition_id: FromPath[int]) -> Template:
        edition, audits = await fairness.edition_audit(authenticated_user(request), edition_id)
        return Template(
            template_name="results/delivery/fairness.html",
            context={
                "edition": edition,
                "audits": audits,
                "level": fairness.LEVEL,
                "min_scores": fairness.MIN_SCORES,
            },
            headers=PRIVATE,
        )

    # -- webhooks ------------------------------------------------------------------------

    @get("/editions/{edition_id:int}/webhooks", name="delivery_webhooks")
    async def webhooks(self, request: Req, edition_id: FromPath[int]) -> Template:
        edition = await self._edition(request, edition_id)
        rows = await endpoints.list_endpoints(authenticated_user(request), edition_id)
        return Template(
            template_name="results/delivery/webhooks.html",
            context={
                "edition": edition,
                "endpoints": rows,
                "event_types": endpoints.EVENT_TYPES,
                "errors": {},
                "form": {},
                "secret": _pop_secret(request),
            },
            headers=PRIVATE,
        )

    @post("/editions/{edition_id:int}/webhooks", name="delivery_webhook_create")
    async def create_webhook(self, request: Req, edition_id: FromPath[int]) -> Any:
        form = await request.form()
        edition = await self._edition(request, edition_id)
        settings = _settings(request)
        try:
            _id, secret = await endpoints.create_endpoint(
                authenticated_user(request),
                edition_id,
                str(form.get("url") or ""),
                SecretBox(settings.secret_key),
                description=str(form.get("description") or ""),
                event_types=[str(v) for v in form.getall("event_types", [])],
                production=settings.is_production,
            )
        except ValidationError as exc:
            rows = await endpoints.list_endpoints(authenticated_user(request), edition_id)
            return Template(
                template_name="results/delivery/webhooks.html",
                context={
                    "edition": edition,
                    "endpoints": rows,
                    "event_types": endpoints.EVENT_TYPES,
                    "errors": exc.errors,
                    "form": {k: form.get(k) for k in ("url", "description")},
                    "secret": None,
                },
                status_code=422,
                headers=PRIVATE,
            )
        _keep_secret(request, secret)
        flash(request, _("Endpoint added. Copy its signing secret now."), "success")
        return Redirect(f"/organizer/results/editions/{edition_id}/webhooks", status_code=303)

    @get("/webhooks/{endpoint_id:int}", name="delivery_webhook")
    async def webhook(self, request: Req, endpoint_id: FromPath[int]) -> Template:
        row = await endpoints.managed_endpoint(authenticated_user(request), endpoint_id)
        deliveries = (
            await WebhookDelivery.select(
                WebhookDelivery.id,
                WebhookDelivery.state,
                WebhookDelivery.attempts,
                WebhookDelivery.next_attempt_at,
                WebhookDelivery.last_status,
                WebhookDelivery.last_error,
                WebhookDelivery.delivered_at,
                WebhookDelivery.event.type.as_alias("type"),
                WebhookDelivery.event.event_id.as_alias("event_id"),
            )
            .where(WebhookDelivery.endpoint == endpoint_id)
            .order_by(WebhookDelivery.id, ascending=False)
            .limit(50)
        )
        attempts = (
            await WebhookAttempt.select()
            .where(WebhookAttempt.delivery.is_in([d["id"] for d in deliveries] or [0]))
            .order_by(WebhookAttempt.number)
        )
        by_delivery: dict[int, list[dict[str, Any]]] = {}
        for attempt in attempts:
            by_delivery.setdefault(attempt["delivery"], []).append(attempt)
        edition = await Edition.select().where(Edition.id == row["edition"]).first()
        return Template(
            template_name="results/delivery/webhook.html",
            context={
                "edition": edition,
                "endpoint": row,
                "deliveries": deliveries,
                "attempts": by_delivery,
                "secret": _pop_secret(request),
            },
            headers=PRIVATE,
        )

    @post("/webhooks/{endpoint_id:int}/{action:str}", name="delivery_webhook_action")
    async def webhook_action(
        self, request: Req, endpoint_id: FromPath[int], action: FromPath[str]
    ) -> Redirect:
        user = authenticated_user(request)
        row = await endpoints.managed_endpoint(user, endpoint_id)
        back = f"/organizer/results/webhooks/{endpoint_id}"
        if action == "enable":
            await endpoints.set_enabled(user, endpoint_id, True)
            flash(request, _("Endpoint enabled."), "success")
        elif action == "disable":
            await endpoints.set_enabled(user, endpoint_id, False)
            flash(request, _("Endpoint disabled."), "success")
        elif action == "rotate":
            secret = await endpoints.rotate_secret(
                user, endpoint_id, SecretBox(_settings(request).secret_key)
            )
            _keep_secret(request, secret)
            flash(request, _("New signing secret made; the old one signs too until the next."))
        elif action == "retry":
            count = await endpoints.retry_failed(user, endpoint_id)
            flash(request, _("%(num)s failed deliveries will be sent again.") % {"num": count})
        elif action == "delete":
            await endpoints.delete_endpoint(user, endpoint_id)
            flash(request, _("Endpoint deleted."), "success")
            back = f"/organizer/results/editions/{row['edition']}/webhooks"
        else:
            raise NotFoundException()
        return Redirect(back, status_code=303)


class PublicExports(Controller):
    """``/results/{edition}/data/{csv,xlsx,json}``: published results, for anyone."""

    path = "/results"
    opt = {"public": True}  # noqa: RUF012
    include_in_schema = False

    @get("/{edition_slug:str}/data/{fmt:str}", name="delivery_public_export")
    async def export(self, edition_slug: FromPath[str], fmt: FromPath[str]) -> Response[bytes]:
        if fmt not in exports.FORMATS:
            raise NotFoundException()
        found = await exports.public_rows(edition_slug)
        if found is None:
            raise NotFoundException()
        edition, rows = found
        return _export_response(edition, rows, fmt, private=False)


def _export_response(
    edition: dict[str, Any], rows: list[dict[str, Any]], fmt: str, *, private: bool
) -> Response[bytes]:
    if fmt == "csv":
        data = exports.to_csv(rows)
    elif fmt == "xlsx":
        data = exports.to_xlsx(rows, edition["slug"])
    else:
        data = exports.to_json(edition, rows)
    name = f"hasil-{edition['slug']}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    headers["cache-control"] = "private, no-store" if private else "public, max-age=300"
    return Response(data, media_type=exports.FORMATS[fmt], headers=headers)


def _zip(jobs: list[tuple[dict[str, Any], str, str]], language: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for printed, url, code in jobs:
            archive.writestr(
                f"sertifikat-{code}-{language}.pdf", render_pdf(printed, language, url)
            )
    return buffer.getvalue()


DELIVERY_ROUTE_HANDLERS = [
    VerificationPages,
    EntrantCertificatePages,
    DeliveryPages,
    PublicExports,
]
