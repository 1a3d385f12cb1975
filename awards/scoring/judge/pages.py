"""The judge's scoring desk, phone first: dashboard, entry with the scoring form, attachments.

Every page works without JavaScript: the form posts to ``/sheet`` with a button naming the
action (save, submit, submit_next, skip). With htmx the form also autosaves drafts to
``/autosave``, which answers a small status fragment carrying the new version and key.
A refused save re-renders the page with the judge's input, the message beside the field (422),
or the reason at the top (409: stale version, round closed); nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import File, Redirect, Response, Template

from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _, current_language
from awards.intake.common import format_local, uploads_root
from awards.intake.entrant.pages import attachment_response
from awards.intake.uploads import resolve
from awards.scoring.common import (
    NotFoundError,
    RoundClosedError,
    StaleVersionError,
    now_utc,
)
from awards.scoring.judge import queries, sheets
from awards.scoring.judge.sheet_data import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rules import CONFIDENCES, accepts_scores
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS, new_key
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash
from awards.web.forms import form_fields

__all__ = ["JUDGE_GUARD", "JudgePages", "criteria_view", "sheet_input_from_form"]

Req = Request[Any, Any, Any]
JUDGE_GUARD = requires_role("judge", "admin")
ACTIONS = ("save", "submit", "submit_next", "skip")


def sheet_input_from_form(form: Mapping[str, Any]) -> SheetInput:
    """``score.<key>``, ``comment.<key>``, ``confidence``, ``comment_to_entrant`` and
    ``private_note`` fields as a :class:`SheetInput`."""
    scores = {k.removeprefix("score."): v for k, v in form.items() if k.startswith("score.")}
    comments = {k.removeprefix("comment."): v for k, v in form.items() if k.startswith("comment.")}
    return SheetInput(
        scores=scores,
        comments=comments,
        confidence=str(form.get("confidence") or "medium"),
        comment_to_entrant=str(form.get("comment_to_entrant") or ""),
        private_note=str(form.get("private_note") or ""),
    )


def criteria_view(rubric: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The rubric's criteria for the form: key, label, weight, the scale's values (as the
    strings the form posts), for each value its level descriptor (if the rubric describes one),
    and the criterion's translated texts (computed here once, not by the template per use)."""
    english = language.startswith("en")
    out = []
    for c in rubric.get("criteria", []):
        levels = {int(value): text for value, text in c.get("levels", [])}
        low, high = int(c.get("scale_min", 1)), int(c.get("scale_max", 10))
        label = c["label"].get("en" if english else "id") or c["label"]["id"]
        described = [
            {"value": value, "text": text.get("en" if english else "id")}
            for value, text in sorted(levels.items())
        ]
        out.append(
            {
                "key": c["key"],
                "label": label,
                "weight": c["weight"],
                "values": [str(value) for value in range(low, high + 1)],
                "low": low,
                "high": high,
                "levels": described,
                "weight_text": _("weight %(w)s") % {"w": c["weight"]},
                "score_label": _("Score for %(c)s") % {"c": label},
                "comment_label": _("Comment on %(c)s") % {"c": label},
            }
        )
    return out


def criteria_with_input(
    criteria: list[dict[str, Any]], form: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """Each criterion of :func:`criteria_view` with what the form shows for it: the chosen
    score (``score.<key>``), its comment (``comment.<key>``) and the errors of both."""
    return [
        {
            **c,
            "chosen": str(form.get(f"score.{c['key']}") or ""),
            "comment": form.get(f"comment.{c['key']}") or "",
            "error": errors.get(f"scores.{c['key']}"),
            "comment_error": errors.get(f"comments.{c['key']}"),
        }
        for c in criteria
    ]


def _form_of(sheet: sheets.SheetView) -> dict[str, Any]:
    form: dict[str, Any] = {f"score.{k}": str(v) for k, v in sheet.scores.items()}
    form |= {f"comment.{k}": v for k, v in sheet.comments.items()}
    form |= {
        "confidence": sheet.confidence,
        "comment_to_entrant": sheet.comment_to_entrant,
        "private_note": sheet.private_note,
    }
    return form


async def _entry_page(
    user: CurrentUser,
    round_id: int,
    entry_id: int,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    version: int | None = None,
    status_code: int = 200,
) -> Template:
    language = current_language()
    view = await queries.judge_entry(user, round_id, entry_id, language)
    round_row = view.round
    accepting = accepts_scores(
        round_row["status"], round_row["opens_at"], round_row["closes_at"], now_utc()
    )
    shown = form if form is not None else _form_of(view.sheet)
    errors = errors or {}
    criteria = criteria_view(round_row["rubric"], language)
    context = {
        "view": view,
        "round": round_row,
        "criteria": criteria_with_input(criteria, shown, errors),
        "form": shown,
        "errors": errors,
        "message": message,
        "version": view.sheet.version if version is None else version,
        "key": new_key(),
        "autosave_key": new_key(),
        "confidences": CONFIDENCES,
        "accepting": accepting,
        "deadline": format_local(round_row["closes_at"], view.time_zone),
        "base": f"/judge/rounds/{round_id}/entries/{entry_id}",
        "discussion": view.sheet.status == "submitted" and view.review_open,
    }
    template = "scoring/judge/entry.html" if view.declared else "scoring/judge/declare.html"
    return Template(template_name=template, context=context, status_code=status_code)


class JudgePages(Controller):
    """``/judge``: the scoring desk."""

    path = "/judge"
    guards = [JUDGE_GUARD]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/", name="judge_dashboard")
    async def dashboard(self, request: Req) -> Template:
        user = authenticated_user(request)
        rounds = await queries.judge_queue(user)
        for queue in rounds:
            queue.deadline = format_local(queue.closes_at, queue.time_zone)  # type: ignore[attr-defined]
        return Template(template_name="scoring/judge/dashboard.html", context={"rounds": rounds})

    @get("/rounds/{round_id:int}/entries/{entry_id:int}", name="judge_entry")
    async def entry(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Template:
        return await _entry_page(authenticated_user(request), round_id, entry_id)

    @post("/rounds/{round_id:int}/entries/{entry_id:int}/declaration", name="judge_declare")
    async def declare(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Response[Any]:
        user = authenticated_user(request)
        form = await form_fields(request)
        conflict = form.get("answer") == "conflict"
        try:
            await conflicts.declare(
                user,
                round_id,
                entry_id,
                conflict,
                str(form.get("reason") or ""),
                request.app.state.scoring_mailer,
            )
        except ValidationError as exc:
            view = await queries.judge_entry(user, round_id, entry_id, current_language())
            return Template(
                template_name="scoring/judge/declare.html",
                context={
                    "view": view,
                    "errors": exc.errors,
                    "form": form,
                    "base": f"/judge/rounds/{round_id}/entries/{entry_id}",
                },
                status_code=422,
            )
        if conflict:
            flash(request, _("Thank you. The entry was passed to another judge."), "success")
            return Redirect("/judge/", status_code=303)
        return Redirect(f"/judge/rounds/{round_id}/entries/{entry_id}", status_code=303)

    @post("/rounds/{round_id:int}/entries/{entry_id:int}/abstain", name="judge_abstain")
    async def abstain(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Response[Any]:
        user = authenticated_user(request)
        form = await form_fields(request)
        try:
            await conflicts.abstain(
                user,
                round_id,
                entry_id,
                str(form.get("reason") or ""),
                request.app.state.scoring_mailer,
            )
        except ValidationError as exc:
            return await _entry_page(
                user,
                round_id,
                entry_id,
                errors={"abstain_reason": exc.errors.get("reason", "")},
                status_code=422,
            )
        flash(request, _("Your abstention was recorded."), "success")
        return Redirect("/judge/", status_code=303)

    @post("/rounds/{round_id:int}/entries/{entry_id:int}/sheet", name="judge_sheet")
    async def save(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Response[Any]:
        user = authenticated_user(request)
        form = await form_fields(request)
        action = form.get("action") if form.get("action") in ACTIONS else "save"
        base = f"/judge/rounds/{round_id}/entries/{entry_id}"
        if action == "skip":
            view = await queries.judge_entry(user, round_id, entry_id)
            target = view.next_entry
            return Redirect(
                f"/judge/rounds/{round_id}/entries/{target}" if target else "/judge/",
                status_code=303,
            )
        version = _int(form.get("version"))
        try:
            saved = await sheets.save_sheet(
                user,
                round_id,
                entry_id,
                sheet_input_from_form(form),
                version=version,
                submit=action in ("submit", "submit_next"),
                key=str(form.get("key") or "") or None,
            )
        except ValidationError as exc:
            message = _("Not saved yet: correct the marked fields.")
            return await _entry_page(
                user,
                round_id,
                entry_id,
                form=form,
                errors=exc.errors,
                message=message,
                version=version,
                status_code=422,
            )
        except StaleVersionError as exc:
            return await _entry_page(
                user,
                round_id,
                entry_id,
                form=form,
                message=exc.message,
                version=exc.current.version,
                status_code=409,
            )
        except RoundClosedError as exc:
            return await _entry_page(
                user,
                round_id,
                entry_id,
                form=form,
                message=exc.message,
                version=version,
                status_code=409,
            )
        if action == "save":
            flash(request, _("Draft saved."), "success")
            return Redirect(base, status_code=303)
        flash(request, _("Score submitted."), "success")
        if action == "submit_next":
            view = await queries.judge_entry(user, round_id, entry_id)
            if view.next_entry is not None:
                return Redirect(
                    f"/judge/rounds/{round_id}/entries/{view.next_entry}", status_code=303
                )
            return Redirect("/judge/", status_code=303)
        return Redirect(base if saved.id else "/judge/", status_code=303)

    @post("/rounds/{round_id:int}/entries/{entry_id:int}/autosave", name="judge_autosave")
    async def autosave(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> Template:
        """htmx: save the draft (or the re-submitted sheet) and answer the status fragment."""
        user = authenticated_user(request)
        form = await form_fields(request)
        version = _int(form.get("version"))
        context: dict[str, Any] = {"base": f"/judge/rounds/{round_id}/entries/{entry_id}"}
        status = 200
        try:
            saved = await sheets.save_sheet(
                user,
                round_id,
                entry_id,
                sheet_input_from_form(form),
                version=version,
                key=str(form.get("key") or "") or None,
            )
            context |= {"ok": True, "version": saved.version, "saved_at": saved.updated_at}
        except ValidationError as exc:
            status = 422
            context |= {"ok": False, "version": version, "errors": exc.errors}
        except (StaleVersionError, RoundClosedError) as exc:
            status = 409
            context |= {"ok": False, "version": version, "message": exc.message}
        context["key"] = new_key()
        return Template(
            template_name="scoring/judge/_save_status.html", context=context, status_code=status
        )

    @get(
        "/rounds/{round_id:int}/entries/{entry_id:int}/attachments/{attachment_id:int}",
        name="judge_attachment",
    )
    async def attachment(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> File:
        return await _file(request, round_id, entry_id, attachment_id, thumbnail=False)

    @get(
        "/rounds/{round_id:int}/entries/{entry_id:int}/attachments/{attachment_id:int}/thumbnail",
        name="judge_attachment_thumbnail",
    )
    async def thumbnail(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        attachment_id: FromPath[int],
    ) -> File:
        return await _file(request, round_id, entry_id, attachment_id, thumbnail=True)


async def _file(
    request: Req, round_id: int, entry_id: int, attachment_id: int, *, thumbnail: bool
) -> File:
    row = await queries.judge_attachment(
        authenticated_user(request), round_id, entry_id, attachment_id
    )
    key = row["thumbnail_key"] if thumbnail else row["storage_key"]
    if not key:
        raise NotFoundError(attachment_id)
    try:
        path = resolve(uploads_root(request.app.state.settings), key)
    except ValueError:
        raise NotFoundError(attachment_id) from None
    if not path.is_file():
        raise NotFoundError(attachment_id)
    return attachment_response(path, row, thumbnail=thumbnail)


def _int(value: Any) -> int:
    try:
        return max(0, int(str(value)))
    except (TypeError, ValueError):
        return 0
