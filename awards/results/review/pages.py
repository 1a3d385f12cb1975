"""Organizer pages of results (``/organizer/results``): the editions' categories with their
state, one category's review (engine ranking, methods side by side, reliability, leniency, tie
flags, decisions, versions), and the forms: tie rule, panel decisions, freeze, publish now or
schedule (a correction needs a public reason), award tiers. Controllers parse, call one
service, render or redirect (303 after POST). Pages are ``Cache-Control: private, no-store``:
they show unpublished results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import format_local
from awards.intake.editions.lifecycle import EditionLockedError
from awards.intake.tables import Edition
from awards.moments import check_year
from awards.results import publishing, rules, snapshots
from awards.results.review.service import category_review, results_overview
from awards.results.tables import ResultSnapshot
from awards.scoring.common import ScoringRefusedError
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user, requires_role
from awards.web.flash import flash
from awards.web.forms import form_fields

__all__ = ["ResultsReviewPages"]

Req = Request[Any, Any, Any]
NO_STORE = {"Cache-Control": "private, no-store"}


def _float_or_none(value: Any, field: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise ValidationError({field: _("Enter a number.")}) from None


def _int(value: Any, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None


class ResultsReviewPages(Controller):
    """``/organizer/results``: review, freeze and publish results per category."""

    path = "/organizer/results"
    guards = [requires_role("organizer", "admin")]  # noqa: RUF012
    include_in_schema = False
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/", name="results_index")
    async def index(self, request: Req) -> Template:
        overview = await results_overview(authenticated_user(request))
        return Template(
            template_name="results/review/index.html",
            context={"editions": overview.editions, "categories": overview.categories},
            headers=NO_STORE,
        )

    async def _page(
        self, request: Req, category_id: int, errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:  # fmt: skip
        user = authenticated_user(request)
        round_id = request.query_params.get("round")
        review = await category_review(
            user, category_id, int(round_id) if round_id and round_id.isdigit() else None
        )
        tz = review.edition["time_zone"]
        for s in review.snapshots:
            s["frozen_local"] = format_local(s["frozen_at"], tz)
            pub = s["publication"]
            s["publish_local"] = format_local(pub["publish_at"], tz) if pub else ""
        return Template(
            template_name="results/review/category.html",
            context={
                "review": review,
                "judge_names": review.judge_names,
                "errors": errors or {},
                "policies": ("cascade", "shared", "jury"),
                "criteria": [
                    c["key"] for c in (review.category["rubric"] or {}).get("criteria", [])
                ],
                "specials": [t for t in review.tiers if t["kind"] == "special"],
            },
            headers=NO_STORE,
            status_code=status,
        )

    @get("/categories/{category_id:int}", name="results_category")
    async def category(self, request: Req, category_id: FromPath[int]) -> Template:
        return await self._page(request, category_id)

    def _back(self, category_id: int) -> Redirect:
        return Redirect(f"/organizer/results/categories/{category_id}", status_code=303)

    @post("/categories/{category_id:int}/rule", name="results_rule")
    async def rule(self, request: Req, category_id: FromPath[int]) -> Redirect | Template:
        form = await form_fields(request, lists=("criteria",))
        try:
            await rules.declare_rule(
                authenticated_user(request),
                category_id,
                policy=str(form.get("policy") or ""),
                criteria=[c for c in form.get("criteria") or [] if c],
                text=str(form.get("text") or ""),
                min_score=_float_or_none(form.get("min_score"), "min_score"),
                show_full_ranking=form.get("show_full_ranking") == "yes",
            )
        except ValidationError as exc:
            return await self._page(request, category_id, exc.errors, 422)
        except (ScoringRefusedError, EditionLockedError) as exc:
            flash(request, exc.message, "error")
            return self._back(category_id)
        flash(request, _("The tie rule is declared."), "success")
        return self._back(category_id)

    @post("/categories/{category_id:int}/decisions", name="results_decision")
    async def decision(self, request: Req, category_id: FromPath[int]) -> Redirect | Template:
        form = await form_fields(request, lists=("criteria",))
        user = authenticated_user(request)
        kind = form.get("kind")
        try:
            entry = _int(form.get("entry"), "entry")
            if form.get("clear") == "yes":
                await rules.clear_decision(user, category_id, entry, str(kind))
            elif kind == "special":
                await rules.record_special(
                    user, category_id, entry, str(form.get("tier") or ""),
                    str(form.get("citation") or ""),
                )  # fmt: skip
            else:
                await rules.record_order(
                    user, category_id, entry, _int(form.get("position"), "position"),
                    str(form.get("reason") or ""),
                )  # fmt: skip
        except ValidationError as exc:
            return await self._page(request, category_id, exc.errors, 422)
        except (ScoringRefusedError, EditionLockedError) as exc:
            flash(request, exc.message, "error")
            return self._back(category_id)
        flash(request, _("The decision is recorded."), "success")
        return self._back(category_id)

    @post("/categories/{category_id:int}/freeze", name="results_freeze")
    async def freeze(self, request: Req, category_id: FromPath[int]) -> Redirect:
        try:
            frozen = await snapshots.freeze(authenticated_user(request), category_id)
            flash(request, _("Version %(v)d is frozen.") % {"v": frozen.version}, "success")
        except (ScoringRefusedError, EditionLockedError) as exc:
            flash(request, exc.message, "error")
        return self._back(category_id)

    @post("/categories/{category_id:int}/publish", name="results_publish")
    async def publish(self, request: Req, category_id: FromPath[int]) -> Redirect | Template:
        form = await form_fields(request, lists=("criteria",))
        user = authenticated_user(request)
        latest = (
            await ResultSnapshot.select(ResultSnapshot.id)
            .where(ResultSnapshot.category == category_id)
            .order_by(ResultSnapshot.version, ascending=False)
            .first()
        )
        try:
            if form.get("confirm") != "yes":
                raise ValidationError({"confirm": _("Tick the box to confirm.")})
            when = None
            if form.get("when") == "schedule":
                try:
                    when = datetime.fromisoformat(str(form.get("publish_at") or ""))
                    check_year(when, "publish_at")
                except ValueError:
                    raise ValidationError(
                        {"publish_at": _("Enter the date and time, e.g. 2026-12-10 19:00.")}
                    ) from None
            if latest is None:
                raise ScoringRefusedError(_("Freeze the results first."))
            result = await publishing.publish(
                user, latest["id"], publish_at=when,
                public_reason=str(form.get("public_reason") or ""),
            )  # fmt: skip
        except ValidationError as exc:
            return await self._page(request, category_id, exc.errors, 422)
        except (ScoringRefusedError, EditionLockedError) as exc:
            flash(request, exc.message, "error")
            return self._back(category_id)
        flash(request, _("The results are published or scheduled."), "success")
        if result["edition_status"] == "published":
            flash(request, _("Every category is published: the edition is announced."), "info")
        return self._back(category_id)

    @get("/editions/{edition_id:int}/tiers", name="results_tiers")
    async def tiers(self, request: Req, edition_id: FromPath[int]) -> Template:
        return await self._tiers_page(request, edition_id)

    async def _tiers_page(
        self, request: Req, edition_id: int, errors: dict[str, str] | None = None,
        rows: list[dict[str, Any]] | None = None, status: int = 200,
    ) -> Template:  # fmt: skip
        from awards.scoring.common import require_manager

        user = authenticated_user(request)
        require_manager(user, edition_id)
        edition = (
            await Edition.select(Edition.id, Edition.name_id)
            .where(Edition.id == edition_id)
            .first()
        )
        tiers = rows if rows is not None else await rules.edition_tiers(edition_id)
        blank = {"code": "", "label_id": "", "label_en": "", "kind": "special",
                 "position": len(tiers) + 1, "max_recipients": 1}  # fmt: skip
        return Template(
            template_name="results/review/tiers.html",
            context={"edition": edition, "tiers": [*tiers, blank], "errors": errors or {}},
            headers=NO_STORE,
            status_code=status,
        )

    @post("/editions/{edition_id:int}/tiers", name="results_tiers_save")
    async def save_tiers(self, request: Req, edition_id: FromPath[int]) -> Redirect | Template:
        form = await request.form()
        rows = []
        for i in range(50):
            code = form.get(f"tiers.{i}.code")
            if code is None:
                break
            if not str(code).strip() and not str(form.get(f"tiers.{i}.label_id") or "").strip():
                continue
            rows.append(
                {
                    "code": str(code),
                    "label_id": str(form.get(f"tiers.{i}.label_id") or ""),
                    "label_en": str(form.get(f"tiers.{i}.label_en") or ""),
                    "kind": str(form.get(f"tiers.{i}.kind") or ""),
                    "position": i + 1,
                    "max_recipients": str(form.get(f"tiers.{i}.max_recipients") or "0"),
                }
            )
        try:
            for row in rows:
                row["max_recipients"] = (
                    int(row["max_recipients"]) if str(row["max_recipients"]).isdigit() else 0
                )
            if not rows:
                raise ValidationError({"tiers": _("Keep at least one award.")})
            await rules.save_tiers(authenticated_user(request), edition_id, rows)
        except ValidationError as exc:
            return await self._tiers_page(request, edition_id, exc.errors, rows, 422)
        except EditionLockedError as exc:
            flash(request, exc.message, "error")
        else:
            flash(request, _("The awards are saved."), "success")
        return Redirect(f"/organizer/results/editions/{edition_id}/tiers", status_code=303)
