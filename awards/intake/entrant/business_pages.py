"""Pages of the business profile: create/edit, logo, declaration per edition, members.

Thin: parse, call one service method, render the form again with errors beside the fields
(422) or redirect with 303. Non-members get 404 (``NotFoundError``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, URLEncodedBody
from litestar.response import File, Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.businesses.sizeclass import SizeThresholds, assess_size
from awards.intake.common import NotFoundError, uploads_root
from awards.intake.entrant.deps import Businesses
from awards.intake.entrant.errors import ENTRANT_EXCEPTION_HANDLERS
from awards.intake.entrant.forms import BusinessData, DeclarationData, InvitationData, TokenData
from awards.intake.entries.service import localized
from awards.intake.tables import Edition
from awards.intake.uploads import UploadRejected, download_name, resolve
from awards.intake.validators import ValidationErrors
from awards.web.auth import authenticated_user, requires_login
from awards.web.flash import flash
from awards.web.navigation import safe_next

__all__ = ["BusinessPages", "InvitationPages", "upload_chunks"]

Req = Request[Any, Any, Any]
LOGO_BODY_LIMIT = 3 * 1024 * 1024
CHUNK = 64 * 1024


async def upload_chunks(upload: UploadFile):
    """The uploaded file's bytes in chunks (the parser spooled big files to disk)."""
    await upload.seek(0)
    while chunk := await upload.read(CHUNK):
        yield chunk


class BusinessPages(Controller):
    """The business profile of the logged-in entrant."""

    path = "/business"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = ENTRANT_EXCEPTION_HANDLERS

    async def _form_context(
        self, businesses: Businesses, form: Any, errors: dict[str, str]
    ) -> dict:
        districts, sectors = await businesses.choices()
        return {
            "form": form,
            "errors": errors,
            "districts": districts,
            "sectors": sectors,
            "language": current_language(),
        }

    @get("/", name="business_home")
    async def home(self, request: Req, businesses: Businesses) -> Template | Redirect:
        memberships = await businesses.memberships(authenticated_user(request).id)
        if not memberships:
            return Redirect("/business/new", status_code=303)
        if len(memberships) == 1:
            return Redirect(f"/business/{memberships[0].business_id}", status_code=303)
        return Template("intake/entrant/business_list.html", context={"items": memberships})

    @get("/new", name="business_new")
    async def new_form(self, request: Req, businesses: Businesses) -> Template:
        """An empty profile form; the business email starts as the account's email."""
        context = await self._form_context(
            businesses, BusinessData(email=authenticated_user(request).email), {}
        )
        return Template("intake/entrant/business_form.html", context=context)

    @post("/new")
    async def create(
        self, request: Req, businesses: Businesses, data: URLEncodedBody[BusinessData]
    ) -> Template | Redirect:
        try:
            business_id = await businesses.create(authenticated_user(request), data.as_dict())
        except ValidationError as exc:
            context = await self._form_context(businesses, data, exc.errors)
            return Template("intake/entrant/business_form.html", context=context, status_code=422)
        flash(request, _("Your business profile is saved. Now declare its size."), "success")
        return Redirect(f"/business/{business_id}", status_code=303)

    @get("/{business_id:int}", name="business_profile")
    async def profile(
        self, request: Req, businesses: Businesses, business_id: FromPath[int]
    ) -> Template:
        view = await businesses.profile(authenticated_user(request), business_id)
        context = {
            "form": BusinessData(**_profile(view.business)),
            "errors": {},
            "districts": view.districts,
            "sectors": view.sectors,
            "language": current_language(),
            "business": view.business,
            "role": view.role,
            "declarations": [
                {"edition": edition, "declaration": row} for edition, row in view.declarations
            ],
            "logo": view.logo,
            "logo_error": "",
        }
        return Template("intake/entrant/business_profile.html", context=context)

    @post("/{business_id:int}")
    async def update(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        data: URLEncodedBody[BusinessData],
    ) -> Template | Redirect:
        user = authenticated_user(request)
        try:
            await businesses.update(user, business_id, data.as_dict())
        except ValidationError as exc:
            business = await businesses.get(user, business_id)
            context = await self._form_context(businesses, data, exc.errors)
            context |= {"business": business, "edit_only": True}
            return Template("intake/entrant/business_form.html", context=context, status_code=422)
        flash(request, _("The business profile is saved."), "success")
        return Redirect(f"/business/{business_id}", status_code=303)

    @post("/{business_id:int}/logo", request_max_body_size=LOGO_BODY_LIMIT)
    async def upload_logo(
        self, request: Req, businesses: Businesses, business_id: FromPath[int]
    ) -> Redirect:
        form = await request.form()
        upload = form.get("logo")
        user = authenticated_user(request)
        if not isinstance(upload, UploadFile) or not upload.filename:
            flash(request, _("Choose an image file first."), "error")
        else:
            try:
                await businesses.set_logo(user, business_id, upload_chunks(upload), upload.filename)
                flash(request, _("The logo is saved."), "success")
            except UploadRejected as exc:
                flash(request, ValidationErrors([exc.at("logo")]).as_dict(_)["logo"][0], "error")
        return Redirect(f"/business/{business_id}", status_code=303)

    @get("/{business_id:int}/logo", name="business_logo")
    async def logo(self, request: Req, businesses: Businesses, business_id: FromPath[int]) -> File:
        row = await businesses.logo(authenticated_user(request), business_id)
        if row is None:
            raise NotFoundError(business_id)
        return File(
            path=resolve(uploads_root(businesses.settings), row["storage_key"]),
            media_type=row["content_type"],
            content_disposition_type="inline",
            filename=download_name(row["original_name"], row["content_type"]),
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=0"},
        )

    @get("/{business_id:int}/declaration/{edition_id:int}", name="business_declaration")
    async def declaration_form(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        edition_id: FromPath[int],
    ) -> Template:
        business = await businesses.get(authenticated_user(request), business_id)
        row = await businesses.declaration(business_id, edition_id)
        form = DeclarationData(
            capital=_rupiah(row["capital"]) if row else "",
            turnover=_rupiah(row["turnover"]) if row else "",
            next=safe_next(request.query_params.get("next"), ""),
        )
        return await _declaration_page(business, edition_id, form, {}, row)

    @post("/{business_id:int}/declaration/{edition_id:int}")
    async def declare(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        edition_id: FromPath[int],
        data: URLEncodedBody[DeclarationData],
    ) -> Template | Redirect:
        user = authenticated_user(request)
        try:
            assessment = await businesses.declare(
                user, business_id, edition_id, data.capital, data.turnover
            )
        except ValidationError as exc:
            business = await businesses.get(user, business_id)
            row = await businesses.declaration(business_id, edition_id)
            return await _declaration_page(business, edition_id, data, exc.errors, row, 422)
        label = _size_label(assessment.size_class.value if assessment.size_class else "")
        flash(
            request, _("Saved. Your business is classed as: %(size)s.") % {"size": label}, "success"
        )
        default = f"/entries/new?business={business_id}"
        return Redirect(safe_next(data.next, default), status_code=303)

    @get("/{business_id:int}/members", name="business_members")
    async def members(
        self, request: Req, businesses: Businesses, business_id: FromPath[int]
    ) -> Template:
        return await _members_page(request, businesses, business_id, InvitationData(), {})

    @post("/{business_id:int}/members/invite")
    async def invite(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        data: URLEncodedBody[InvitationData],
    ) -> Template | Redirect:
        try:
            await businesses.invite(authenticated_user(request), business_id, data.email)
        except ValidationError as exc:
            return await _members_page(request, businesses, business_id, data, exc.errors, 422)
        flash(
            request, _("Invitation sent to %(email)s.") % {"email": data.email.strip()}, "success"
        )
        return Redirect(f"/business/{business_id}/members", status_code=303)

    @post("/{business_id:int}/members/{member_id:int}/remove")
    async def remove(
        self,
        request: Req,
        businesses: Businesses,
        business_id: FromPath[int],
        member_id: FromPath[int],
    ) -> Template | Redirect:
        try:
            await businesses.remove_member(authenticated_user(request), business_id, member_id)
        except ValidationError as exc:
            return await _members_page(
                request, businesses, business_id, InvitationData(), exc.errors, 403
            )
        flash(request, _("The member was removed."), "success")
        return Redirect(f"/business/{business_id}/members", status_code=303)


class InvitationPages(Controller):
    """The invitation link from the email. Both steps need a login: an anonymous visitor is sent
    to the login page and comes back here (new people sign up first, then open the link again)."""

    path = "/invitations"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False

    @get("/accept", name="invitation")
    async def show(self, request: Req, businesses: Businesses) -> Template:
        token = request.query_params.get("token", "")
        try:
            invitation = await businesses.invitation(token)
            error = ""
        except ValidationError as exc:
            invitation, error = None, exc.errors["token"]
        context = {"invitation": invitation, "token": token, "error": error}
        return Template("intake/entrant/invitation.html", context=context, status_code=200)

    @post("/accept")
    async def accept(
        self, request: Req, businesses: Businesses, data: URLEncodedBody[TokenData]
    ) -> Template | Redirect:
        try:
            business_id = await businesses.accept(authenticated_user(request), data.token)
        except ValidationError as exc:
            try:
                invitation = await businesses.invitation(data.token)
            except ValidationError:
                invitation = None
            context = {"invitation": invitation, "token": data.token, "error": exc.errors["token"]}
            return Template("intake/entrant/invitation.html", context=context, status_code=422)
        flash(request, _("You now manage this business."), "success")
        return Redirect(f"/business/{business_id}", status_code=303)


def _profile(business: dict[str, Any]) -> dict[str, Any]:
    values = {name: business[name] for name in BusinessData.__struct_fields__}
    for name in ("year_founded", "employees"):
        values[name] = "" if values[name] is None else str(values[name])
    return values


def _rupiah(amount: int | None) -> str:
    """``1500000`` -> ``1.500.000`` (Indonesian grouping), ``None`` -> ""."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def _size_label(size: str) -> str:
    labels = {
        "micro": _("micro"),
        "small": _("small"),
        "medium": _("medium"),
        "large": _("large (not UMKM)"),
    }
    return labels.get(size, _("not declared"))


async def _declaration_page(
    business: dict[str, Any],
    edition_id: int,
    form: DeclarationData,
    errors: dict[str, str],
    row: dict[str, Any] | None,
    status: int = 200,
) -> Template:
    edition = await Edition.select().where(Edition.id == edition_id).output(load_json=True).first()
    if edition is None or edition["status"] == "draft":
        raise NotFoundError(edition_id)
    thresholds = SizeThresholds.from_dict(edition["size_thresholds"] or {})
    assessment = None
    if row and row["capital"] is not None:
        assessment = assess_size(row["capital"], row["turnover"], thresholds)
    context = {
        "business": business,
        "edition": edition,
        "edition_name": localized(edition, "name"),
        "form": form,
        "errors": errors,
        "thresholds": thresholds,
        "assessment": assessment,
        "size_label": _size_label,
    }
    return Template("intake/entrant/declaration.html", context=context, status_code=status)


async def _members_page(
    request: Req,
    businesses: Businesses,
    business_id: int,
    form: InvitationData,
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    user = authenticated_user(request)
    view = await businesses.members(user, business_id)
    context = {
        "business": view.business,
        "members": view.people,
        "invitations": view.invitations,
        "role": view.role,
        "form": form,
        "errors": errors,
        "me": user.id,
    }
    return Template("intake/entrant/members.html", context=context, status_code=status)
