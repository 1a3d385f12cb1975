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

PostgreSQL only, afterwards: the workers check (:mod:`benchmarks.web_floor_workers`, ports
8900-8999) serves the landing page, the entrant dashboard, the entry detail and the organizer
list with ``anugerah serve --workers 2`` against one worker, ``--rounds`` pairs of runs, with the
CPU each process spent a request and the ratio two workers can reach on this machine's cores;
and the RSS of the one-worker project process after its run is printed. Output ends with one
line per database: ``web-floor: <db> worst_ratio=<r> errors=<n> p99_max=<ms>``.

The data, the sessions and the paths' definitions are in :mod:`benchmarks.web_floor_fixture`;
the servers are started and stopped by :mod:`benchmarks.servers`.

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
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from awards.settings import Settings
from benchmarks import servers
from benchmarks.intake_common import fresh_database
from benchmarks.load_generator import build_request, measure, run_wrk
from benchmarks.servers import uvicorn_command
from benchmarks.web_floor_fixture import (
    SECRET,
    Fixture,
    PathSpec,
    log_in,
    prepare,
    refresh_cookies,
    uses_wrk,
)
from benchmarks.web_floor_workers import WORKER_PATHS, workers_check

PORTS = iter(range(8700, 8800))
FLOOR_PORTS = iter(range(8800, 8900))


# -- what is measured --------------------------------------------------------------------------


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


def _measure_path(
    port: int, spec: PathSpec, fixture: Fixture, args: Any, project: bool
) -> dict[str, Any]:
    """One path of the main table against the project (``project``) or the floor: a 1 s
    warm-up, then ``args.seconds`` of load from the generator :func:`_uses_wrk` picks; the
    result carries ``generator``."""
    path = spec.project(fixture) if project else spec.floor(fixture)
    cookie = fixture.cookies.get(spec.who, "") if project else ""
    if uses_wrk(spec, fixture, args.generator or "python"):
        run_wrk(port, path, cookie, 1.0, args.connections)
        return run_wrk(port, path, cookie, args.seconds, args.connections) | {"generator": "wrk"}
    csrf = fixture.csrf.get(spec.who, "") if project else ""
    request = build_request(spec.method, path, cookie, csrf, spec.body(fixture))
    sheets = _sheet_connections(spec, fixture, project) if spec.sheets else None
    result = measure(port, request, args.seconds, args.connections, sheets)
    return result | {"generator": "python"}


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


def _serve(target: str, port: int, env: dict[str, str]):
    """One uvicorn worker of ``target`` pinned to core 0, once ``/login`` answers."""
    return servers.start(uvicorn_command(target, port), port, env, pin="0", probe="/login")


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
            "PYTHONPATH": str(servers.ROOT),
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
                log_in(port, fixture)
                for spec in paths:
                    for _round in range(args.rounds):
                        refresh_cookies(port, fixture)
                        mine = _measure_path(port, spec, fixture, args, True)
                        base = _measure_path(floor_port, spec, fixture, args, False)
                        rounds.setdefault(spec.name, []).append((mine, base))
            finally:
                servers.stop(floor)
            rss = servers.rss_mb(server.pid)
        finally:
            servers.stop(server)

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
                workers_check(spec, env, fixture, args, scratch.rpartition("/")[2])
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
