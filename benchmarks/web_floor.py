"""Anugerah's web paths side by side with a bare Litestar + Piccolo floor, on SQLite and PostgreSQL.

    uv run python benchmarks/web_floor.py [--seconds 10] [--connections 64]
        [--entries 30000] [--databases sqlite,postgresql] [--postgres-url postgresql://...]
        [--paths landing,save,...] [--no-workers-check]

For each database: a fresh database gets the demo edition (accounts, 60 businesses with entries
and photos) plus ``--entries`` imported entries; then the project (``awards.cli:serving_app``,
what ``anugerah serve`` runs) and the floor (:func:`floor_app`, below) are served in turn by
uvicorn with one worker pinned to core 0 (``taskset``), and the load generator, pinned to core
1, runs every path for ``--seconds`` with ``--connections`` keep-alive connections. Both freeze
their start-up heap (:mod:`awards.web.heap`).

The floor is a bare Litestar app on the same database and tables with the same Piccolo engine
(``awards.db``) doing the path's essential queries: loading the session's user and grants with
the project's own single query, sent as the project sends it (by a fixed id: no cookie, no
CSRF, no i18n, no guards), the page's rows, and rendering a minimal autoescaped Jinja table of
the same rows (the data pages' templates need the context the project's services build, so the
floor stands in a table of the same rows). The landing and login pages need no such context:
the floor renders the project's own templates for them (``landing.html``,
``accounts/login.html``) with the project's Jinja environment, so those two ratios measure only
the project's per-request work (session, CSRF, current user, headers) around the same page.
The ratio is project req/s / floor req/s.

Paths: landing page, login page (GET; the POST is argon2-bound by design), entrant dashboard,
entry save (PATCH /api/v1/entries/{id} with the entry's full answers; floor: the project's own
statements with the same arguments, sent as the project sends them (``awards.db.fetch``): the
user, then in one write transaction the entry with its business, category, edition,
declaration and the category's other entries (``CONTEXT_IN_WRITE_SQL``, on PostgreSQL with the
edition held ``FOR SHARE``), its attachments, and the UPDATE of the same six columns returning
the row; the answers are stored as sent, without validation, and answered with the row and the
attachments as JSON), organizer entry list (50 rows of all entries), organizer entry detail,
API entry list (50 rows), the judge's queue (``GET /api/v1/judge/queue`` of the demo judge;
floor: the user, assignments, rounds, sheets as JSON) and a score save (``PUT .../sheet`` of a
complete sheet; the judging demo is loaded and each connection saves its own sheet, as one of
the demo's judges, alternating two score sets so that every save writes, with the version the
previous answer gave; floor: the user, then in one write transaction the assignment check, the
sheet read, a compare-and-swap update and the history row). More paths are added by appending
to :data:`EXTRA_PATHS` a :class:`PathSpec`.
Ports: the project on 8700-8799, the floor on 8800-8899.

Load generator (``--generator``): ``auto`` (the default) loads the GET paths with ``wrk`` when
it is on PATH (below) and the paths with a body (saves) with the Python client; ``python`` loads
every path with the Python client; ``wrk`` insists on wrk for the GET paths. The table's last
column says which ran. The Python client: an asyncio HTTP/1.1 client on raw sockets
(keep-alive, Content-Length or chunked bodies), one coroutine per connection, each sending its
next request when the answer arrived (closed loop); latency is measured per request. It costs
far less CPU per request than httpx, so one core drives the server's one core to saturation.

PostgreSQL only, afterwards: ``anugerah serve --workers 2`` against one worker on the entry
detail and the organizer list (:data:`WORKER_PATHS`; server unpinned, generator on core 1), and
the RSS of the one-worker project process after its run. The workers check's load comes from
``wrk`` when it is on PATH (C, a few microseconds of CPU a request; Debian/Ubuntu package
``wrk``; run without a Lua script: ``wrk -t1 -c64 -d10s --latency -H 'Cookie: ...' URL``), else
from the Python generator above (tens of microseconds a request or more). Each run prints which
generator ran and the CPU milliseconds per request, over the measured run, of the app's
processes (a), of the PostgreSQL backends of the scratch database (p) and of the generator (g),
from ``/proc`` (:mod:`benchmarks.proc_cpu`). On a 2-core machine the two workers share the cores
with PostgreSQL and the generator, so the ratio is at most 2 x a1 / (a2 + p2 + g2) (a1: one
worker's, which is bound by its one core; a2, p2, g2: with two workers), printed with the cores
the run kept busy (less than 2 when other processes took a share); for a ratio near 2, run the
database and the generator on other cores or machines. Output ends with one line per database:
``web-floor: <db> worst_ratio=<r> errors=<n> p99_max=<ms>``.

SQLite with several workers: each worker process has its own writer and reader connections
(``awards.sqlite_engine``); SQLite's file lock serializes writes across processes (a waiting
``BEGIN IMMEDIATE`` retries with async sleeps), reads run in parallel under WAL. Read-heavy
paths scale with workers; saves do not (one writer at a time), and PostgreSQL is the way to
scale writes.

In-process profiles of the same paths (robust to the machine's noise):
``benchmarks/profile_paths.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jinja2 import ChoiceLoader, DictLoader
from litestar import Litestar, Response, get, patch, put
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from awards import db
from awards.accounts.forms import LoginData
from awards.accounts.services import _LOAD_USER_SQL as LOAD_USER_SQL
from awards.accounts.tables import User
from awards.intake.entry_sql import (
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
from benchmarks.intake_common import fresh_database, write_entries_csv
from benchmarks.proc_cpu import children_seconds, postgres_seconds, tree_seconds

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PORTS = iter(range(8700, 8800))
FLOOR_PORTS = iter(range(8800, 8900))
DEMO_PASSWORD = "anugerah-demo-2026"
ORGANIZER = "panitia@anugerah.example.org"
DEMO_JUDGE = "juri@demo.example.org"
SECRET = "benchmark-secret-key-0123456789-abcdefghij-web"
#: The columns an entrant's save writes (``awards.intake.entries.Entries.save``, a draft or an
#: already submitted entry).
SAVE_COLUMNS = ("answers", "updated_at", "business_name", "district", "sector", "size_class")


# -- what is measured --------------------------------------------------------------------------


@dataclass
class Fixture:
    """Ids and sessions the paths use (filled by :func:`prepare` and :func:`_sessions`)."""

    edition: int
    entry: int  # the entrant's entry (dashboard, save)
    detail: int  # an entry with attachments (organizer detail)
    entrant: int
    organizer: int
    answers: dict[str, Any]
    judge: int = 0  # the demo judge (queue)
    #: Sheets the score save writes, one per connection: judge id and email, round, entry,
    #: complete scores (two alternating sets, so that every save changes the sheet).
    sheets: list[dict[str, Any]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # who -> Cookie header
    csrf: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PathSpec:
    """One measured path: project request and floor request built from the fixture."""

    name: str
    who: str  # "anonymous", "entrant" or "organizer" (whose session the project request uses)
    method: str
    project: Callable[[Fixture], str]
    floor: Callable[[Fixture], str]
    body: Callable[[Fixture], bytes | None] = lambda f: None
    sheets: bool = False  # score save: one sheet per connection, version read from answers


PATHS = [
    PathSpec("landing", "anonymous", "GET", lambda f: "/", lambda f: "/"),
    PathSpec("login page", "anonymous", "GET", lambda f: "/login", lambda f: "/login"),
    PathSpec("entrant dashboard", "entrant", "GET", lambda f: "/entries", lambda f: "/entries"),
    PathSpec(
        "entry save (PATCH)",
        "entrant",
        "PATCH",
        lambda f: f"/api/v1/entries/{f.entry}",
        lambda f: f"/entries/{f.entry}",
        lambda f: json.dumps({"answers": f.answers}).encode(),
    ),
    PathSpec(
        "organizer list (50)",
        "organizer",
        "GET",
        lambda f: f"/organizer/editions/{f.edition}/entries",
        lambda f: f"/organizer/editions/{f.edition}/entries",
    ),
    PathSpec(
        "entry detail",
        "organizer",
        "GET",
        lambda f: f"/organizer/entries/{f.detail}",
        lambda f: f"/organizer/entries/{f.detail}",
    ),
    PathSpec(
        "API list (50)",
        "organizer",
        "GET",
        lambda f: f"/api/v1/editions/{f.edition}/entries",
        lambda f: f"/api/v1/editions/{f.edition}/entries",
    ),
]
#: Scoring: the judge's queue (API) and a score save (PUT of a complete sheet, each connection
#: on its own sheet with the version the previous answer gave).
SCORING_PATHS = [
    PathSpec("judge queue (API)", "judge", "GET", lambda f: "/api/v1/judge/queue",
             lambda f: "/judge/queue"),
    PathSpec("score save (PUT)", "judge", "PUT",
             lambda f: "/api/v1/judge/rounds/{round}/entries/{entry}/sheet",
             lambda f: "/judge/rounds/{round}/entries/{entry}/sheet?judge={judge}",
             sheets=True),
]  # fmt: skip
#: Paths added by other capabilities.
EXTRA_PATHS: list[PathSpec] = []
#: Paths the PostgreSQL run also serves with ``--workers 2`` against one worker: a page bound
#: by the app's own work, and one with the most database work.
WORKER_PATHS = ("entry detail", "organizer list (50)")


# -- the floor app -----------------------------------------------------------------------------

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

    # The entry save's statements are the project's own (awards.intake.entry_sql), with the
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


# -- data --------------------------------------------------------------------------------------


async def prepare(settings: Any, entries: int, csv_path: Path, connections: int = 64) -> Fixture:
    """Demo edition + ``entries`` imported entries; ids for the paths."""
    from awards.demo import generate_demo
    from awards.demo.load import load_demo_edition
    from awards.intake.bulk import service as bulk
    from awards.intake.editions import edition_categories
    from awards.intake.tables import Edition

    result = await load_demo_edition(settings, generate_demo(seed=2026, n_businesses=60))
    edition = await Edition.select().output(load_json=True).first()
    categories = await edition_categories(edition["id"])
    # The judging demo first: it enters the demo businesses (not the imported ones) again.
    judge, sheets = await _scoring(settings, connections)
    if entries:
        write_entries_csv(csv_path, entries, categories)
        report = await bulk.validate_file(edition, csv_path, csv_path.name)
        await bulk.import_rows(edition, report)
    emails = [line.email for line in result.accounts if line.role == "entrant"]
    for email in emails:
        user = await User.select(User.id).where(User.email == email).first()
        member = await BusinessMember.select(BusinessMember.business).where(
            BusinessMember.user == user["id"]
        )
        drafts = await (  # drafts or submitted entries
            Entry.select(Entry.id, Entry.answers)
            .where(Entry.business.is_in([m["business"] for m in member] or [0]))
            .where(Entry.status != "withdrawn")
            .output(load_json=True)
        )
        if drafts:
            break
    else:
        raise SystemExit("no demo entrant has an entry")
    organizer = await User.select(User.id).where(User.email == ORGANIZER).first()
    attached = await Attachment.select(Attachment.entry).where(Attachment.entry.is_not_null())
    return Fixture(
        edition=edition["id"],
        entry=drafts[0]["id"],
        detail=attached[0]["entry"],
        entrant=user["id"],
        organizer=organizer["id"],
        answers=drafts[0]["answers"],
        judge=judge,
        sheets=sheets,
        cookies={"entrant_email": email},
    )


async def _scoring(settings: Any, connections: int) -> tuple[int, list[dict[str, Any]]]:
    """The judging demo (open final rounds); every active assignment of an open round declared
    clear; the demo judge's id and up to ``connections`` writable sheets (distinct
    round/entry/judge, not abstained or recused, judges' accounts with the demo password)."""
    from awards.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
    from awards.demo.scoring import load_demo_scoring
    from awards.scoring.rules import criteria_of

    await load_demo_accounts(settings)  # as ``anugerah demo``: the judging demo's organizer
    await load_demo_scoring(settings, next(a.email for a in DEMO_ACCOUNTS if a.role == "organizer"))
    open_rounds = (
        await ScoringRound.select().where(ScoringRound.status == "open").output(load_json=True)
    )
    ids = [r["id"] for r in open_rounds] or [0]
    async with db.write_transaction():
        await Assignment.update({Assignment.declaration: "clear"}).where(
            Assignment.round.is_in(ids) & (Assignment.status == "active")
        )
    closed = {
        (s["round"], s["entry"], s["judge"])
        for s in await ScoreSheet.select(
            ScoreSheet.round, ScoreSheet.entry, ScoreSheet.judge
        ).where(ScoreSheet.round.is_in(ids) & ScoreSheet.status.is_in(["abstained", "recused"]))
    }
    rows = await (
        Assignment.select(Assignment.round, Assignment.entry, Assignment.judge,
                          Assignment.judge.email.as_alias("email"))
        .where(Assignment.round.is_in(ids) & (Assignment.status == "active"))
        .order_by(Assignment.id)
    )  # fmt: skip
    rubric = {r["id"]: criteria_of(r["rubric"]) for r in open_rounds}
    sheets = []
    for row in rows:
        if (row["round"], row["entry"], row["judge"]) in closed:
            continue
        criteria = rubric[row["round"]]
        sets = [
            {"scores": {c.key: (c.low + c.high) // 2 + shift for c in criteria},
             "comments": {c.key: "Catatan juri" for c in criteria}}
            for shift in (0, 1)
        ]  # fmt: skip
        sheets.append({**row, "bodies": sets})
        if len(sheets) == connections:
            break
    demo = await User.select(User.id).where(User.email == DEMO_JUDGE).first()
    return demo["id"], sheets


def _sessions(port: int, fixture: Fixture) -> None:
    """Log the entrant, the organizer and the judges in on the project server; keep their
    cookies (judges writing sheets under ``judge:<email>``)."""
    import httpx

    from awards.demo.scoring import DEMO_JUDGE_PASSWORD

    logins = [
        ("entrant", fixture.cookies["entrant_email"], DEMO_PASSWORD),
        ("organizer", ORGANIZER, DEMO_PASSWORD),
        ("judge", DEMO_JUDGE, DEMO_JUDGE_PASSWORD),
    ]
    logins += [(f"judge:{e}", e, DEMO_JUDGE_PASSWORD) for e in {s["email"] for s in fixture.sheets}]
    for who, email, password in logins:
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
            client.get("/login")
            token = client.cookies["csrftoken"]
            answer = client.post(
                "/login", data={"email": email, "password": password, "_csrf_token": token}
            )
            if answer.status_code != 303:
                raise SystemExit(f"login of {email} failed: {answer.status_code}")
            fixture.cookies[who] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            fixture.csrf[who] = client.cookies["csrftoken"]
    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        client.get("/")
        fixture.cookies["anonymous"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _refresh_cookies(port: int, fixture: Fixture) -> None:
    """Bring every stored session cookie up to date, as a browser keeps the latest one.

    A session's cookie is re-issued when its ``seen`` time is a minute old
    (``awards.web.auth._SEEN_RESOLUTION``); a load generator replaying the cookie from the
    login would have every request of a path measured more than a minute later re-issue it (an
    encrypted ``Set-Cookie`` on every response, which no browser causes). One GET of the
    landing page per session, before each path, takes the new cookie."""
    import httpx

    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        for who, cookie in list(fixture.cookies.items()):
            if who == "entrant_email" or not cookie:
                continue
            answer = client.get("/", headers={"Cookie": cookie})
            if not answer.cookies:
                continue
            jar = dict(part.split("=", 1) for part in cookie.split("; "))
            jar.update(answer.cookies.items())
            fixture.cookies[who] = "; ".join(f"{k}={v}" for k, v in jar.items())
            if "csrftoken" in answer.cookies:
                fixture.csrf[who] = answer.cookies["csrftoken"]


def _sheet_connections(spec: PathSpec, fixture: Fixture, project: bool) -> list[dict[str, Any]]:
    """Per connection of the score save: the request line's path, cookie, CSRF token and the
    two alternating bodies (``__VERSION__`` is replaced by the version last answered)."""
    out = []
    for sheet in fixture.sheets:
        ids = {"round": sheet["round"], "entry": sheet["entry"], "judge": sheet["judge"]}
        who = f"judge:{sheet['email']}"
        bodies = [
            json.dumps({"version": "__VERSION__", "submit": False, **body}).replace(
                '"__VERSION__"', "__VERSION__"
            )
            for body in sheet["bodies"]
        ]
        out.append({
            "method": spec.method,
            "path": (spec.project if project else spec.floor)(fixture).format(**ids),
            "cookie": fixture.cookies.get(who, "") if project else "",
            "csrf": fixture.csrf.get(who, "") if project else "",
            "bodies": bodies,
        })  # fmt: skip
    return out


# -- load generator ----------------------------------------------------------------------------


def _request(method: str, path: str, cookie: str, csrf: str, body: bytes | None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Accept: */*"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        if csrf:
            lines.append(f"x-csrftoken: {csrf}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    body = b""
    status = int(head[9:12])
    headers = head.decode("latin-1").lower()
    closing = "connection: close" in headers
    if "transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            body += (await reader.readexactly(size + 2))[:size]
            if size == 0:
                break
    else:
        for line in headers.split("\r\n"):
            if line.startswith("content-length:"):
                body = await reader.readexactly(int(line.split(":", 1)[1]))
                break
    return status, closing, body


_VERSION = re.compile(rb'"version":\s*(\d+)')


async def _load(
    port: int, request: bytes, seconds: float, connections: int, sheets: list | None = None
) -> dict[str, Any]:
    """Closed-loop load: ``connections`` keep-alive connections sending ``request``; or, with
    ``sheets`` (one per connection), each connection saving its own sheet: a first save (not
    measured) learns the stored version, then every save alternates between the two bodies
    with the version the previous answer gave."""
    if sheets is not None:
        connections = min(connections, len(sheets))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures = 0
    deadline = time.perf_counter() + seconds

    async def one(index: int) -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(HOST, port)
        sheet = sheets[index] if sheets is not None else None
        version, turn = b"0", 0

        def next_request() -> bytes:
            if sheet is None:
                return request
            body = sheet["bodies"][turn % 2].replace("__VERSION__", version.decode()).encode()
            return _request(sheet["method"], sheet["path"], sheet["cookie"], sheet["csrf"], body)

        if sheet is not None:  # learn the stored version (a 200 or a 409 both carry it)
            writer.write(next_request())
            _, _, body = await _read_response(reader)
            found = _VERSION.search(body)
            version, turn = (found.group(1) if found else b"0"), 1
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(next_request())
                try:
                    status, closing, body = await asyncio.wait_for(_read_response(reader), 30)
                except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    failures += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if sheet is not None:
                    found = _VERSION.search(body)
                    version, turn = (found.group(1) if found else version), turn + 1
                if closing:
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
        finally:
            writer.close()

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    latencies.sort()
    n = len(latencies)
    errors = failures + sum(count for status, count in statuses.items() if not 200 <= status < 300)
    return {
        "rps": n / elapsed,
        "p50": latencies[n // 2] * 1000 if n else float("nan"),
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "errors": errors,
        "statuses": statuses,
        "requests": n,
        "cpu": cpu,  # this generator's CPU seconds over the run (not its start-up)
    }


def _measure(
    port: int, spec_request: bytes, seconds: float, connections: int, sheets: list | None = None
) -> dict[str, Any]:
    """Run the generator pinned to core 1 in a child process; its result as a dict."""
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); "
        "from benchmarks.web_floor import _load; "
        "sheets = json.load(open(sys.argv[6])) if sys.argv[6] else None; "
        "print(json.dumps(asyncio.run(_load(int(sys.argv[2]), bytes.fromhex(sys.argv[3]), "
        "float(sys.argv[4]), int(sys.argv[5]), sheets))))"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json") as spec:
        if sheets is not None:
            json.dump(sheets, spec)
            spec.flush()
        # Warm-up (1 s), then the measurement.
        for duration in (1.0, seconds):
            out = subprocess.run(
                [*_pin("1"), sys.executable, "-c", code, str(ROOT), str(port), spec_request.hex(),
                 str(duration), str(connections), spec.name if sheets is not None else ""],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
    result = json.loads(out.stdout)
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


def _pin(cores: str) -> list[str]:
    return ["taskset", "-c", cores] if os.cpu_count() and os.cpu_count() > 1 else []


_WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict[str, Any]:
    """One run of ``wrk`` (one thread, ``connections`` keep-alive connections, GET ``path``
    with the session cookie; no Lua script), pinned to core 1; its result as :func:`_load`'s,
    with ``cpu`` the CPU seconds wrk used."""
    command = [
        *_pin("1"), "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--latency", "--timeout", "30s", "-H", "Accept: */*",
        *(["-H", f"Cookie: {cookie}"] if cookie else []), f"http://{HOST}:{port}{path}",
    ]  # fmt: skip
    cpu_began = children_seconds()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = children_seconds() - cpu_began
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if done is None or rps is None:
        raise SystemExit(f"cannot read wrk's output:\n{out}")
    latency = {q: float(v) * _WRK_UNITS[unit] for q, v, unit in _WRK_LATENCY.findall(out)}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(map(int, socket.groups())) if socket else 0) + (
        int(non_2xx.group(1)) if non_2xx else 0
    )
    return {
        "rps": float(rps.group(1)),
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "errors": errors,
        "statuses": {},
        "requests": int(done.group(1)),
        "cpu": cpu,
    }


def _uses_wrk(spec: PathSpec, fixture: Fixture, generator: str) -> bool:
    """Whether ``wrk`` loads this path: a GET without a body, with ``--generator wrk``, or
    ``auto`` and wrk on PATH."""
    simple = spec.method == "GET" and spec.body(fixture) is None and not spec.sheets
    if generator == "python" or not simple:
        return False
    if shutil.which("wrk") is None:
        if generator == "wrk":
            raise SystemExit("--generator wrk: wrk is not on PATH (Debian/Ubuntu package wrk)")
        return False
    return True


def _measure_path(
    port: int, spec: PathSpec, fixture: Fixture, args: Any, project: bool
) -> dict[str, Any]:
    """One path of the main table against the project (``project``) or the floor: a 1 s
    warm-up, then ``args.seconds`` of load from the generator :func:`_uses_wrk` picks; the
    result carries ``generator``."""
    path = spec.project(fixture) if project else spec.floor(fixture)
    cookie = fixture.cookies.get(spec.who, "") if project else ""
    if _uses_wrk(spec, fixture, args.generator):
        _wrk(port, path, cookie, 1.0, args.connections)
        return _wrk(port, path, cookie, args.seconds, args.connections) | {"generator": "wrk"}
    csrf = fixture.csrf.get(spec.who, "") if project else ""
    request = _request(spec.method, path, cookie, csrf, spec.body(fixture))
    sheets = _sheet_connections(spec, fixture, project) if spec.sheets else None
    result = _measure(port, request, args.seconds, args.connections, sheets)
    return result | {"generator": "python"}


def _measure_cpu(
    port: int, spec: PathSpec, fixture: Fixture, args: Any, server: int, database: str
) -> dict[str, Any]:
    """The workers check's measurement of one path: a 1 s warm-up, then ``args.seconds`` of
    load from wrk when it is on PATH (a GET without a body), else from the Python generator;
    the result carries ``generator`` and the CPU milliseconds per request of the app processes
    (``app``), the PostgreSQL backends of ``database`` (``postgres``) and the generator
    (``generator``) over the measured run, and ``elapsed``."""
    path, cookie = spec.project(fixture), fixture.cookies.get(spec.who, "")
    use_wrk = _uses_wrk(spec, fixture, args.generator)

    def run(seconds: float) -> dict[str, Any]:
        if use_wrk:
            return _wrk(port, path, cookie, seconds, args.connections)
        request = _request(spec.method, path, cookie, fixture.csrf.get(spec.who, ""), None)
        return _measure(port, request, seconds, args.connections)  # its own 1 s warm-up first

    if use_wrk:
        run(1.0)
    app, pg, began = tree_seconds(server), postgres_seconds(database), time.perf_counter()
    result = run(args.seconds)
    elapsed = time.perf_counter() - began
    app, pg = tree_seconds(server) - app, postgres_seconds(database) - pg
    per_request = 1000 / max(1, result["requests"])
    result |= {
        "generator": "wrk" if use_wrk else "python",
        "app": app * per_request,
        "postgres": pg * per_request,
        "generator_cpu": result["cpu"] * per_request,
        "elapsed": elapsed,
    }
    return result


# -- servers -----------------------------------------------------------------------------------


def _serve(target: str, port: int, env: dict[str, str], workers: int = 1, pin: str | None = "0"):
    command = [
        *(_pin(pin) if pin else []), sys.executable, "-m", "uvicorn", target, "--factory",
        "--host", HOST, "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://{HOST}:{port}/login", timeout=2)
            return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"{target} did not start on port {port}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- one database ------------------------------------------------------------------------------


def run_database(name: str, url: str, args: argparse.Namespace) -> tuple[float, int, float]:
    paths = [*PATHS, *SCORING_PATHS, *EXTRA_PATHS]
    if args.paths:
        wanted = [word.strip() for word in args.paths.split(",") if word.strip()]
        paths = [spec for spec in paths if any(word in spec.name for word in wanted)]
    with tempfile.TemporaryDirectory() as tmp, fresh_database(url) as scratch:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")},
            "ANUGERAH_DATABASE_URL": scratch,
            "ANUGERAH_DATA_DIR": tmp,
            "ANUGERAH_SECRET_KEY": SECRET,
            "PYTHONPATH": str(ROOT),
        }
        settings = Settings.from_env(env)
        started = time.perf_counter()
        fixture = asyncio.run(
            prepare(settings, args.entries, Path(tmp) / "entries.csv", args.connections)
        )
        print(f"[{name}] data ready in {time.perf_counter() - started:.0f} s", flush=True)
        env |= {
            "FLOOR_ENTRANT": str(fixture.entrant),
            "FLOOR_ORGANIZER": str(fixture.organizer),
            "FLOOR_JUDGE": str(fixture.judge),
        }
        print(f"[{name}] score save: {len(fixture.sheets)} sheets (one per connection)")

        results: dict[str, dict[str, dict[str, Any]]] = {"project": {}, "floor": {}}
        port = next(PORTS)
        server = _serve("awards.cli:serving_app", port, env)
        try:
            _sessions(port, fixture)
            for spec in paths:
                _refresh_cookies(port, fixture)
                results["project"][spec.name] = _measure_path(port, spec, fixture, args, True)
            rss = _rss_mb(server.pid)
        finally:
            _stop(server)
        port = next(FLOOR_PORTS)
        server = _serve("benchmarks.web_floor:floor_app", port, env)
        try:
            for spec in paths:
                results["floor"][spec.name] = _measure_path(port, spec, fixture, args, False)
        finally:
            _stop(server)

        print(f"\n{name}: {args.entries:,} imported entries; uvicorn 1 worker on core 0, "
              f"generator on core 1, {args.connections} connections, "
              f"{args.seconds:.0f} s/path")  # fmt: skip
        print(f"{'path':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'err':>6}"
              f"{'floor':>8}{'p50':>8}{'p99':>8}{'ratio':>7}  generator")  # fmt: skip
        ratios, errors, p99s = [], 0, []
        for spec in paths:
            mine, base = results["project"][spec.name], results["floor"][spec.name]
            ratio = mine["rps"] / base["rps"] if base["rps"] else float("nan")
            ratios.append(ratio)
            errors += mine["errors"]
            p99s.append(mine["p99"])
            print(f"{spec.name:<22}{mine['rps']:8.0f}{mine['p50']:9.1f}{mine['p99']:9.1f}"
                  f"{mine['errors']:6d}{base['rps']:8.0f}{base['p50']:8.1f}{base['p99']:8.1f}"
                  f"{ratio:7.2f}  {mine['generator']}")  # fmt: skip
            if mine["errors"]:
                print(f"    statuses {mine['statuses']}")
        print(f"RSS of the project's worker after its run: {rss:.0f} MB")

        if name == "postgresql" and args.workers_check:
            for spec in [s for s in paths if s.name in WORKER_PATHS]:
                scale = {}
                for workers in (1, 2):
                    port = next(PORTS)
                    server = _serve("awards.cli:serving_app", port, env, workers=workers, pin=None)
                    try:
                        time.sleep(1)
                        _refresh_cookies(port, fixture)
                        scale[workers] = _measure_cpu(
                            port, spec, fixture, args, server.pid, scratch.rpartition("/")[2]
                        )
                    finally:
                        _stop(server)
                print(f"serve --workers 2 vs 1 on {spec.name} (unpinned): "
                      f"{scale[2]['rps']:.0f} / {scale[1]['rps']:.0f} req/s = "
                      f"{scale[2]['rps'] / scale[1]['rps']:.2f}x")  # fmt: skip
                for workers, got in scale.items():
                    print(f"    {workers} worker{'s' if workers > 1 else ' '}: generator "
                          f"{got['generator']}, p50 {got['p50']:.1f} ms, p99 {got['p99']:.1f} ms, "
                          f"errors {got['errors']}; CPU ms/request: app {got['app']:.2f}, "
                          f"postgres {got['postgres']:.2f}, generator "
                          f"{got['generator_cpu']:.3f}")  # fmt: skip
                # One worker is bound by its own core (a1 ms of CPU a request); with two, the
                # machine's cores carry the workers, PostgreSQL and the generator together.
                cores = os.cpu_count() or 1
                spent = {n: r["app"] + r["postgres"] + r["generator_cpu"] for n, r in scale.items()}
                print(f"    cores busy with these processes: 1 worker "
                      f"{scale[1]['rps'] * spent[1] / 1000:.2f}, 2 workers "
                      f"{scale[2]['rps'] * spent[2] / 1000:.2f} of {cores}; ratio when one worker "
                      f"fills a core and two fill {cores}: {cores} x a1 / (a2 + p2 + g2) = "
                      f"{cores * scale[1]['app'] / spent[2]:.2f}x")  # fmt: skip
        return min(ratios), errors, max(p99s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--entries", type=int, default=30_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="server to create the scratch database on",
    )  # fmt: skip
    parser.add_argument("--no-workers-check", dest="workers_check", action="store_false")
    parser.add_argument(
        "--generator", choices=("auto", "wrk", "python"), default="auto",
        help="load generator for GET paths (auto: wrk when on PATH); bodies always use python",
    )  # fmt: skip
    parser.add_argument(
        "--paths", default="", help="only the paths whose names contain one of these (a,b,...)"
    )
    args = parser.parse_args(argv)
    summary = []
    for name in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'web.sqlite'}" if name == "sqlite" else args.postgres_url
            summary.append((name, *run_database(name, url, args)))
    print()
    for name, worst, errors, p99 in summary:
        print(f"web-floor: {name} worst_ratio={worst:.2f} errors={errors} p99_max={p99:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
