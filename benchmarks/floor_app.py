"""The bare floor that ``benchmarks/web_floor.py`` measures the project against.

:func:`floor_app` (a uvicorn factory, ``benchmarks.floor_app:floor_app``) is a bare Litestar app
on ``ANUGERAH_DATABASE_URL`` with the project's Piccolo engine (``awards.db``) and no middleware:
for each path of ``web_floor.py`` it loads the user by a fixed id (``FLOOR_ENTRANT``,
``FLOOR_ORGANIZER``, ``FLOOR_JUDGE``) with the project's single query, runs the path's
essential queries and renders a minimal autoescaped Jinja table of the rows (landing and login:
the project's own templates with the project's Jinja environment), or answers JSON for the API
paths and the saves. ``web_floor.py``'s docstring says what each path does.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from jinja2 import ChoiceLoader, DictLoader
from litestar import Litestar, Response, get, patch, put
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from awards import db
from awards.accounts.forms import LoginData
from awards.accounts.services import _LOAD_USER_SQL as LOAD_USER_SQL
from awards.intake.entries.sql import (
    ATTACHMENTS_SQL,
    CONTEXT_IN_WRITE_SQL,
    IN_WRITE_SHARE,
    dump_json,
    update_entry_sql,
)
from awards.intake.tables import Attachment, Business, BusinessMember, Category, Entry
from awards.scoring.tables import Assignment, ScoreSheet, ScoringRound, SheetRevision
from awards.settings import Settings
from awards.web.heap import freeze_heap_on_startup
from awards.web.templating import build_environment

#: The columns an entrant's save writes (``awards.intake.entries.service.EntryService.save``, a
#: draft or an already submitted entry).
SAVE_COLUMNS = ("answers", "updated_at", "business_name", "district", "sector", "size_class")

_TEMPLATES = {
    "page.html": (
        "<!doctype html><html lang=id><head><meta charset=utf-8><title>{{ title }}</title>"
        "</head><body><h1>{{ title }}</h1><p>{{ user }}</p><table>{% for row in rows %}<tr>"
        "{% for value in row.values() %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}"
        "</table></body></html>"
    ),
}


def floor_app() -> Litestar:
    """The bare floor: Litestar + Piccolo on ``ANUGERAH_DATABASE_URL``, no middleware."""
    settings = Settings.from_env()
    db.configure(settings.database_url)
    entrant = int(os.environ["FLOOR_ENTRANT"])
    organizer = int(os.environ["FLOOR_ORGANIZER"])

    judge_id = int(os.environ["FLOOR_JUDGE"])

    async def user(user_id: int) -> str:
        rows = await db.fetch(LOAD_USER_SQL, user_id)  # the project's one query, sent its way
        return rows[0]["email"]

    def page(title: str, who: str, rows: list[dict]) -> Template:
        return Template("page.html", context={"title": title, "user": who, "rows": rows})

    list_columns = (
        Entry.id, Entry.business_name, Entry.district, Entry.size_class, Entry.status,
        Entry.screening, Entry.receipt_number, Entry.category.name_id, Entry.updated_at,
    )  # fmt: skip

    async def entry_page(edition_id: int) -> tuple[int, list[dict]]:
        total = await Entry.count().where(Entry.edition == edition_id)
        rows = await (
            Entry.select(*list_columns)
            .where(Entry.edition == edition_id)
            .order_by(Entry.id, ascending=False)
            .limit(50)
        )
        return total, rows

    @get("/")
    async def landing() -> Template:
        return Template("landing.html")  # the project's own page, as the project serves it

    @get("/login")
    async def login() -> Template:
        return Template("accounts/login.html", context={"form": LoginData(next="")})

    @get("/entries")
    async def dashboard() -> Template:
        who = await user(entrant)
        members = await BusinessMember.select(BusinessMember.business).where(
            BusinessMember.user == entrant
        )
        ids = [m["business"] for m in members]
        rows = await Entry.select(*list_columns).where(Entry.business.is_in(ids or [0]))
        return page("Pendaftaran", who, rows)

    # The entry save's statements are the project's own (awards.intake.entries.sql), with the
    # same arguments and transaction: the entry with everything around it, its attachments,
    # the UPDATE of the same six columns returning the row.
    in_write_sql = CONTEXT_IN_WRITE_SQL + (IN_WRITE_SHARE if db.is_postgres() else "")
    save_sql = update_entry_sql(SAVE_COLUMNS)

    @patch("/entries/{entry_id:int}")
    async def save(entry_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """The user, then in one write transaction the context row, the attachments and the
        UPDATE ... RETURNING (no validation: the request's answers are stored as sent)."""
        await user(entrant)
        async with db.write_transaction():
            rows = await db.fetch(in_write_sql, "withdrawn", entry_id, entrant)
            row = rows[0]
            files = await db.fetch(ATTACHMENTS_SQL, entry_id)
            saved = await db.fetch(
                save_sql,
                dump_json(data["answers"]),
                datetime.now(UTC),
                row["b_name"],
                row["b_district"],
                row["b_sector"],
                row["e_size_class"],
                entry_id,
            )
        return {**saved[0], "answers": data["answers"], "attachments": files}

    @get("/organizer/editions/{edition_id:int}/entries")
    async def organizer_list(edition_id: int) -> Template:
        who = await user(organizer)
        total, rows = await entry_page(edition_id)
        return page(f"{total} pendaftaran", who, rows)

    @get("/organizer/entries/{entry_id:int}")
    async def detail(entry_id: int) -> Template:
        who = await user(organizer)
        entry = await Entry.select().where(Entry.id == entry_id).output(load_json=True).first()
        category = await Category.select(Category.name_id).where(Category.id == entry["category"])
        business = await Business.select().where(Business.id == entry["business"]).first()
        files = await Attachment.select().where(Attachment.entry == entry_id)
        answers = [{"key": key, "value": value} for key, value in entry["answers"].items()]
        return page(category[0]["name_id"], who, [business, *answers, *files])

    @get("/api/v1/editions/{edition_id:int}/entries")
    async def api_list(edition_id: int) -> dict[str, Any]:
        await user(organizer)
        total, rows = await entry_page(edition_id)
        return {"total": total, "rows": rows}

    @get("/judge/queue")
    async def judge_queue() -> list[dict[str, Any]]:
        await user(judge_id)
        rows = await (
            Assignment.select(
                Assignment.round, Assignment.entry, Assignment.status, Assignment.declaration,
                Assignment.entry.business_name.as_alias("label"),
            )
            .where(Assignment.judge == judge_id)
            .order_by(Assignment.entry)
        )  # fmt: skip
        round_ids = sorted({row["round"] for row in rows}) or [0]
        rounds = await ScoringRound.select(
            ScoringRound.id, ScoringRound.name, ScoringRound.status, ScoringRound.closes_at,
            ScoringRound.category.name_id.as_alias("category"),
        ).where(ScoringRound.id.is_in(round_ids))  # fmt: skip
        sheets = await ScoreSheet.select(
            ScoreSheet.round, ScoreSheet.entry, ScoreSheet.status
        ).where((ScoreSheet.judge == judge_id) & ScoreSheet.round.is_in(round_ids))
        status = {(s["round"], s["entry"]): s["status"] for s in sheets}
        return [
            {**r, "items": [
                {"entry": a["entry"], "label": a["label"],
                 "status": status.get((a["round"], a["entry"]), "new")}
                for a in rows if a["round"] == r["id"]
            ]}
            for r in rounds
        ]  # fmt: skip

    @put("/judge/rounds/{round_id:int}/entries/{entry_id:int}/sheet")
    async def score_save(
        round_id: int, entry_id: int, judge: int, data: dict[str, Any]
    ) -> Response[dict[str, Any]]:
        """Assignment check, sheet read, compare-and-swap write, history row: one transaction."""
        await user(judge)
        version = data["version"]
        async with db.write_transaction():
            assigned = await Assignment.exists().where(
                (Assignment.round == round_id) & (Assignment.entry == entry_id)
                & (Assignment.judge == judge) & (Assignment.status == "active")
            )  # fmt: skip
            row = await ScoreSheet.select(ScoreSheet.id, ScoreSheet.version).where(
                (ScoreSheet.round == round_id) & (ScoreSheet.entry == entry_id)
                & (ScoreSheet.judge == judge)
            ).first()  # fmt: skip
            current = row["version"] if row else 0
            if not assigned or current != version:
                return Response({"version": current}, status_code=409)
            values = {"scores": data["scores"], "comments": data["comments"]}
            if row is None:
                inserted = await ScoreSheet.insert(
                    ScoreSheet(round=round_id, entry=entry_id, judge=judge, version=1, **values)
                ).returning(ScoreSheet.id)
                sheet_id = inserted[0]["id"]
            else:
                sheet_id = row["id"]
                await ScoreSheet.update(
                    {ScoreSheet.scores: data["scores"], ScoreSheet.comments: data["comments"],
                     ScoreSheet.version: version + 1}
                ).where((ScoreSheet.id == sheet_id) & (ScoreSheet.version == version))  # fmt: skip
            await SheetRevision.insert(
                SheetRevision(sheet=sheet_id, version=version + 1, actor=judge, action="draft",
                              old_value={}, new_value=values)
            )  # fmt: skip
        return Response({"id": sheet_id, "version": version + 1, **values})

    async def start() -> None:
        await db.start(settings.db_pool_size, settings.db_pool_min)

    async def stop() -> None:
        await db.stop()

    # The data pages' minimal table, and the project's own templates (landing and login are
    # rendered with the project's Jinja environment: same templates, translations and globals).
    environment = build_environment()
    environment.loader = ChoiceLoader([DictLoader(_TEMPLATES), environment.loader])
    app = Litestar(
        route_handlers=[
            landing,
            login,
            dashboard,
            save,
            organizer_list,
            detail,
            api_list,
            judge_queue,
            score_save,
        ],
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment)),
        on_startup=[start],
        on_shutdown=[stop],
        debug=False,
        logging_config=None,
    )
    freeze_heap_on_startup(app)  # as the project's serving process does (awards.web.heap)
    return app
