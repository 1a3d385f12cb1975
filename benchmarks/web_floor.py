"""Anugerah's web paths side by side with a bare Litestar + Piccolo floor, on SQLite and PostgreSQL.

    uv run python benchmarks/web_floor.py [--seconds 10] [--connections 64]
        [--entries 30000] [--databases sqlite,postgresql] [--postgres-url postgresql://...]
        [--paths landing,save,...] [--rounds 1] [--no-workers-check]

For each database: a fresh database gets the demo edition (accounts, 60 businesses with entries
and photos) plus ``--entries`` imported entries; then the project (``awards.cli:serving_app``,
what ``anugerah serve`` runs) and the floor (:func:`benchmarks.floor_app.floor_app`) are served
side by side by uvicorn, each with one worker pinned to core 0 (``taskset``), and the load
generator, pinned to core 1, runs every path for ``--seconds`` with ``--connections``
keep-alive connections, on the project and at once on the floor (one server idles while the
other is measured), ``--rounds`` times: a slow spell of the shared machine then falls on both
sides of a ratio. The table shows the median of the rounds' ratios, the median req/s and p50
and the worst p99 of each side. Both freeze their start-up heap (:mod:`awards.web.heap`).

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

Load generator (``--generator``): ``python`` (the main table's default) loads every path with
the Python client below; ``auto`` (the workers check's default) loads the GET paths with ``wrk``
when it is on PATH and the paths with a body (saves) with the Python client; ``wrk`` insists on
wrk for the GET paths. The table's last column says which ran. The main table keeps the Python
client by default: on this 2-core machine (2026-12-02), wrk's p99 on the SQLite read paths was
seconds, for the project and the floor alike (organizer list p50 233 ms, p99 7,540 ms; floor
p99 7,950 ms), where the Python client measured p99 578 ms (floor 840 ms) on the same app within
minutes; that tail is not understood, and ``--generator auto`` shows it. Both generators live
in :mod:`benchmarks.load_generator`, which other benchmarks reuse. The Python client: an asyncio
HTTP/1.1 client on raw sockets (keep-alive, Content-Length or chunked bodies), one coroutine per
connection, each sending its next request when the answer arrived (closed loop); latency is
measured per request. It costs far less CPU per request than httpx, so one core drives the
server's one core to saturation.

PostgreSQL only, afterwards: ``anugerah serve --workers 2`` against one worker on the landing
page, the entrant dashboard, the entry detail and the organizer list (:data:`WORKER_PATHS`;
server unpinned, generator on core 1), ``--rounds`` pairs of runs in alternating order with the
median ratio shown (and the details of that round), and
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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from awards import db
from awards.accounts.tables import User
from awards.intake.tables import Attachment, BusinessMember, Entry
from awards.scoring.tables import Assignment, ScoreSheet, ScoringRound
from awards.settings import Settings
from benchmarks.intake_common import fresh_database, write_entries_csv
from benchmarks.load_generator import (
    HOST,
    build_request,
    cookie_header,
    measure,
    pinned,
    run_wrk,
)
from benchmarks.proc_cpu import postgres_seconds, tree_seconds

ROOT = Path(__file__).resolve().parents[1]
PORTS = iter(range(8700, 8800))
FLOOR_PORTS = iter(range(8800, 8900))
DEMO_PASSWORD = "anugerah-demo-2026"
ORGANIZER = "panitia@anugerah.example.org"
DEMO_JUDGE = "juri@demo.example.org"
SECRET = "benchmark-secret-key-0123456789-abcdefghij-web"


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
#: Paths the PostgreSQL run also serves with ``--workers 2`` against one worker, from no
#: database work to the most: the landing page (no statement: how the app alone scales), the
#: entrant dashboard (three small statements), the entry detail (four, one a wide join) and the
#: organizer list (a page of 50 of 30,000 rows). The more of a request's CPU PostgreSQL takes on
#: the same two cores, the lower the ratio two workers can reach.
WORKER_PATHS = ("landing", "entrant dashboard", "entry detail", "organizer list (50)")


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
            fixture.cookies[who] = cookie_header(client.cookies)
            fixture.csrf[who] = client.cookies["csrftoken"]
    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        client.get("/")
        fixture.cookies["anonymous"] = cookie_header(client.cookies)


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
            fixture.cookies[who] = cookie_header(jar)
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


# -- one path under load ---------------------------------------------------------------------------


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
    if _uses_wrk(spec, fixture, args.generator or "python"):
        run_wrk(port, path, cookie, 1.0, args.connections)
        return run_wrk(port, path, cookie, args.seconds, args.connections) | {"generator": "wrk"}
    csrf = fixture.csrf.get(spec.who, "") if project else ""
    request = build_request(spec.method, path, cookie, csrf, spec.body(fixture))
    sheets = _sheet_connections(spec, fixture, project) if spec.sheets else None
    result = measure(port, request, args.seconds, args.connections, sheets)
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
    use_wrk = _uses_wrk(spec, fixture, args.generator or "auto")

    def run(seconds: float) -> dict[str, Any]:
        if use_wrk:
            return run_wrk(port, path, cookie, seconds, args.connections)
        request = build_request(spec.method, path, cookie, fixture.csrf.get(spec.who, ""), None)
        return measure(port, request, seconds, args.connections)  # its own 1 s warm-up first

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
        *(pinned(pin) if pin else []), sys.executable, "-m", "uvicorn", target, "--factory",
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


def _summary(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Any], float]:
    """One path's rounds as one row: the median of the rounds' ratios (project req/s / floor
    req/s, each pair measured back to back), the median req/s and p50 of each side, the worst
    p99 of each side, the errors summed over every round and the statuses merged."""

    def side(results: list[dict[str, Any]]) -> dict[str, Any]:
        statuses: dict[int, int] = {}
        for result in results:
            for status, count in result.get("statuses", {}).items():
                statuses[status] = statuses.get(status, 0) + count
        return {
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
            "p99": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "statuses": statuses,
            "generator": results[0]["generator"],
        }

    ratios = [m["rps"] / b["rps"] if b["rps"] else float("nan") for m, b in pairs]
    return side([m for m, _ in pairs]), side([b for _, b in pairs]), statistics.median(ratios)


def _workers_check(
    spec: PathSpec, env: dict[str, str], fixture: Fixture, args: argparse.Namespace, database: str
) -> None:
    """Print ``serve --workers 2`` against one worker on ``spec``: ``--rounds`` pairs of runs,
    the order alternating (1 then 2 workers, then 2 then 1) so that a slow spell of the shared
    machine falls on both sides of the ratio; the median ratio (the lower of two middles) with
    that round's details, and the bound ``cores x a1 / (a2 + p2 + g2)``."""
    pairs = []
    for turn in range(args.rounds):
        scale = {}
        for workers in (1, 2) if turn % 2 == 0 else (2, 1):
            port = next(PORTS)
            server = _serve("awards.cli:serving_app", port, env, workers=workers, pin=None)
            try:
                time.sleep(1)
                _refresh_cookies(port, fixture)
                scale[workers] = _measure_cpu(port, spec, fixture, args, server.pid, database)
            finally:
                _stop(server)
        pairs.append(scale)
    by_round = [pair[2]["rps"] / pair[1]["rps"] for pair in pairs]
    scale = pairs[by_round.index(statistics.median_low(by_round))]
    print(f"serve --workers 2 vs 1 on {spec.name} (unpinned): "
          f"{scale[2]['rps']:.0f} / {scale[1]['rps']:.0f} req/s = "
          f"{scale[2]['rps'] / scale[1]['rps']:.2f}x")  # fmt: skip
    if args.rounds > 1:
        print("    ratios by round: " + ", ".join(f"{r:.2f}" for r in by_round))
    for workers, got in sorted(scale.items()):
        print(f"    {workers} worker{'s' if workers > 1 else ' '}: generator "
              f"{got['generator']}, p50 {got['p50']:.1f} ms, p99 {got['p99']:.1f} ms, "
              f"errors {got['errors']}; CPU ms/request: app {got['app']:.2f}, "
              f"postgres {got['postgres']:.2f}, generator "
              f"{got['generator_cpu']:.3f}")  # fmt: skip
    # One worker is bound by its own core (a1 ms of CPU a request); with two, the machine's
    # cores carry the workers, PostgreSQL and the generator together.
    cores = os.cpu_count() or 1
    spent = {n: r["app"] + r["postgres"] + r["generator_cpu"] for n, r in scale.items()}
    print(f"    cores busy with these processes: 1 worker "
          f"{scale[1]['rps'] * spent[1] / 1000:.2f}, 2 workers "
          f"{scale[2]['rps'] * spent[2] / 1000:.2f} of {cores}; ratio when one worker "
          f"fills a core and two fill {cores}: {cores} x a1 / (a2 + p2 + g2) = "
          f"{cores * scale[1]['app'] / spent[2]:.2f}x")  # fmt: skip


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

        # Both servers run side by side (idle while the other is measured); each round measures
        # a path on the project and at once on the floor, so that a slow spell of the shared
        # machine falls on both sides of a ratio rather than on one.
        rounds: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        port, floor_port = next(PORTS), next(FLOOR_PORTS)
        server = _serve("awards.cli:serving_app", port, env)
        try:
            floor = _serve("benchmarks.floor_app:floor_app", floor_port, env)
            try:
                _sessions(port, fixture)
                for spec in paths:
                    for _round in range(args.rounds):
                        _refresh_cookies(port, fixture)
                        mine = _measure_path(port, spec, fixture, args, True)
                        base = _measure_path(floor_port, spec, fixture, args, False)
                        rounds.setdefault(spec.name, []).append((mine, base))
            finally:
                _stop(floor)
            rss = _rss_mb(server.pid)
        finally:
            _stop(server)

        print(f"\n{name}: {args.entries:,} imported entries; uvicorn 1 worker on core 0, "
              f"generator on core 1, {args.connections} connections, "
              f"{args.seconds:.0f} s/path")  # fmt: skip
        print(f"{'path':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'err':>6}"
              f"{'floor':>8}{'p50':>8}{'p99':>8}{'ratio':>7}  generator")  # fmt: skip
        ratios, errors, p99s = [], 0, []
        for spec in paths:
            mine, base, ratio = _summary(rounds[spec.name])
            ratios.append(ratio)
            errors += mine["errors"]
            p99s.append(mine["p99"])
            print(f"{spec.name:<22}{mine['rps']:8.0f}{mine['p50']:9.1f}{mine['p99']:9.1f}"
                  f"{mine['errors']:6d}{base['rps']:8.0f}{base['p50']:8.1f}{base['p99']:8.1f}"
                  f"{ratio:7.2f}  {mine['generator']}")  # fmt: skip
            if args.rounds > 1:
                print(
                    "    ratios by round: "
                    + ", ".join(f"{m['rps'] / b['rps']:.2f}" for m, b in rounds[spec.name])
                )
            if mine["errors"]:
                print(f"    statuses {mine['statuses']}")
        print(f"RSS of the project's worker after its run: {rss:.0f} MB")

        if name == "postgresql" and args.workers_check:
            for spec in [s for s in paths if s.name in WORKER_PATHS]:
                _workers_check(spec, env, fixture, args, scratch.rpartition("/")[2])
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
    parser.add_argument(
        "--rounds", type=int, default=1,
        help="measure each path this many times, project and floor back to back; the table "
        "shows the median ratio",
    )  # fmt: skip
    parser.add_argument("--no-workers-check", dest="workers_check", action="store_false")
    parser.add_argument(
        "--generator", choices=("auto", "wrk", "python"), default=None,
        help="load generator for GET paths (auto: wrk when on PATH; default: python for the "
        "main table, auto for the workers check); bodies always use python",
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
