"""Scoring under load: N simulated judges against ``anugerah serve`` over loopback.

Each judge logs in (not timed), then until the time is up: opens its queue (API), opens an
entry (page), saves two drafts and submits (``PUT /api/v1/judge/.../sheet`` with the version it
read), then the next entry; after the last entry it re-submits changed scores. Every save
changes the sheet, so each acknowledged save is one history row: ``stored`` counts the rows of
``scoring_sheet_revision`` afterwards and must equal ``saves``.

SQLite: one app process. PostgreSQL: ``--workers 2`` (default) on a scratch database.
Set-up: one edition in judging, one category (the demo rubric), ``judges * entries-per-judge /
k`` entries, one open round assigned by the engine (k = 2), declarations answered.

Last line per database, exactly::

    scoring-load: <sqlite|postgresql> judges=<n> saves=<acknowledged> stored=<found in db>
    errors=<non-2xx> p50=<ms> p99=<ms> rps=<r>

With the default ``--think 0`` every judge sends its next request the moment the answer
arrives: 64 requests are always in flight (a closed-loop stress test), so by Little's law the
mean latency is 64 / throughput, and p99 <= 250 ms would need well over 256 requests per second
from one machine that also runs the load generator. ``--think S`` makes each judge wait
0.5-1.5 x S seconds after each answer, as a person reading an entry and tapping scores does;
the figure then shows the latency 64 judges at that pace see.

Usage: ``uv run python benchmarks/scoring_load.py [--database sqlite|postgresql|both]
[--judges 200] [--concurrency 64] [--duration 60] [--warmup 5] [--port 8260] [--think 0]
[--pool-size N]``.

Besides the latencies it prints where the two cores went during the run (the app's processes,
every local ``postgres`` process, this generator; in cores, from ``/proc``) and the generator's
own event-loop lag (how late a 10 ms sleep wakes): when the cores are all busy, latency is
queueing, and a large lag means part of it is the generator waiting for CPU, not the server.

The first ``--warmup`` seconds (default 5; 0 measures from the first request) are not timed: the
PostgreSQL pools open their connections, statements are prepared and templates compiled as the
first requests need them, as web_floor.py's one-second warm-up does. ``rps`` is the measured
requests over ``--duration``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake_common import fresh_database
from proc_cpu import postgres_seconds, tree_seconds

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.passwords import hash_password
from awards.accounts.tables import RoleGrant, User
from awards.intake.bulk.service import chunks
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import Business, Category, Edition, Entry
from awards.scoring.rounds import assignments
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import Assignment, JudgeProfile, SheetRevision
from benchmarks import servers
from benchmarks.load_generator import HOST, build_request, cookie_header, read_response

PASSWORD = "bench-judge-2026"
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
KEYS = [c.key for c in DEMO_RUBRIC.criteria]


async def _setup(n_judges: int, per_judge: int, k: int) -> tuple[list[str], int]:
    """Edition, category, entries, judges, open round with its assignment; (emails, round)."""
    now = datetime.now(UTC)
    edition = (
        await Edition.insert(
            Edition(slug="bench-scoring", year=2026, name_id="Bench", time_zone="Asia/Jakarta",
                    intake_opens_at=now - timedelta(days=60),
                    intake_closes_at=now - timedelta(days=30),
                    judging_starts_at=now - timedelta(days=1),
                    judging_ends_at=now + timedelta(days=30), status="judging")
        ).returning(Edition.id)
    )[0]["id"]  # fmt: skip
    category = (
        await Category.insert(
            Category(edition=edition, slug="kuliner", code="KUL", name_id="Kuliner",
                     rubric=DEMO_RUBRIC.to_dict())
        ).returning(Category.id)
    )[0]["id"]  # fmt: skip
    n_entries = max(1, n_judges * per_judge // k)
    businesses = [
        Business(name=f"Usaha {i}", owner_name=f"Pemilik {i}", nib=f"9{i:012d}")
        for i in range(n_entries)
    ]
    for chunk in chunks(businesses):
        await Business.insert(*chunk)
    ids = [r["id"] for r in await Business.select(Business.id).order_by(Business.id)]
    entries = [
        Entry(edition=edition, category=category, business=b, status="submitted",
              screening="eligible", business_name=f"Usaha {i}")
        for i, b in enumerate(ids)
    ]  # fmt: skip
    for chunk in chunks(entries):
        await Entry.insert(*chunk)
    password_hash = await hash_password(PASSWORD)
    emails = [f"juri{i:04d}@bench.example.org" for i in range(n_judges)]
    users = [User(email=e, password_hash=password_hash, display_name=e) for e in emails]
    for chunk in chunks(users):
        await User.insert(*chunk)
    judge_ids = [r["id"] for r in await User.select(User.id).order_by(User.id)]
    await RoleGrant.insert(
        *[RoleGrant(user=u, role="judge", edition_id=edition) for u in judge_ids]
    )
    await JudgeProfile.insert(*[JudgeProfile(edition=edition, user=u) for u in judge_ids])
    boss = await User.insert(
        User(email="panitia@bench.example.org", password_hash=password_hash)
    ).returning(User.id)
    organizer = CurrentUser(boss[0]["id"], "panitia@bench.example.org", "", "id", 1,
                            frozenset({("organizer", None)}))  # fmt: skip
    round_id = await rounds.create_round(
        organizer, category, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
        judges_per_entry=k,
    )  # fmt: skip
    await rounds.set_entrants(organizer, round_id, "all")
    await rounds.open_round(organizer, round_id)
    await assignments.apply_assignment(organizer, round_id)
    await Assignment.update({Assignment.declaration: "clear"}).where(Assignment.round == round_id)
    return emails, round_id


def _p99(ordered: list[float]) -> float:
    """The 99th percentile of sorted values (nearest rank below)."""
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0


def _window_p99s(stats: Stats, seconds: float = 10.0) -> list[float]:
    """p99 of the latencies whose answers arrived in each ``seconds`` window after the warm-up:
    a steady queue shows equal windows, a stall (a checkpoint, another process) one high one."""
    windows: dict[int, list[float]] = {}
    for ms, at in zip(stats.latency, stats.finished, strict=True):
        windows.setdefault(int((at - stats.measured_from) // seconds), []).append(ms)
    return [_p99(sorted(values)) for _, values in sorted(windows.items())]


class Stats:
    """Latency per request (ms) and per kind of request of the requests sent after the warm-up
    (``measured_from``, a ``perf_counter`` time); non-2xx answers, acknowledged saves and the
    number of requests of the whole run, warm-up included."""

    def __init__(self, measured_from: float = 0.0) -> None:
        self.measured_from = measured_from
        self.latency: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.errors = 0
        self.saves = 0
        self.requests = 0
        self.lag: list[float] = []  # the generator's own event-loop lag (ms), see _watch_loop
        self.finished: list[float] = []  # perf_counter time each measured answer arrived

    def record(self, kind: str, started: float, status: int) -> None:
        self.requests += 1
        if not 200 <= status < 300:
            self.errors += 1
        if started >= self.measured_from:
            now = time.perf_counter()
            ms = (now - started) * 1000
            self.latency.append(ms)
            self.finished.append(now)
            self.by_kind.setdefault(kind, []).append(ms)


class Judge:
    """One judge's keep-alive connection: the logged-in session's cookie and CSRF token, and
    requests written and read on a raw socket (:mod:`benchmarks.load_generator`'s HTTP/1.1
    client), which costs the load generator far less CPU per request than httpx, so the latency
    measured is the server's and not the generator's queue."""

    def __init__(self, port: int, cookie: str, csrf: str, stats: Stats) -> None:
        self.port, self.cookie, self.csrf, self.stats = port, cookie, csrf, stats
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def call(self, kind: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send one request; (status, decoded JSON body or None). A broken connection counts as
        an error and is opened again for the next request."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        payload = None if body is None else json.dumps(body).encode()
        started = time.perf_counter()
        self.writer.write(build_request(method, path, self.cookie, self.csrf, payload))
        try:
            status, closing, raw = await asyncio.wait_for(read_response(self.reader), 30)
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            self.stats.record(kind, started, 599)
            self.close()
            return 599, None
        self.stats.record(kind, started, status)
        if closing:
            self.close()
        if kind == "page":
            return status, None
        return status, json.loads(raw) if raw else None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _login(port: int, email: str) -> tuple[str, str]:
    """Log ``email`` in (not timed); the Cookie header and CSRF token of its session."""
    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        client.get("/login")
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD,
                  "_csrf_token": client.cookies["csrftoken"]},
        )  # fmt: skip
        if response.status_code != 303:
            raise RuntimeError(f"login of {email} failed: {response.status_code}")
        cookie = cookie_header(client.cookies)
        return cookie, client.cookies["csrftoken"]


async def _judge(judge: Judge, stop: float, seed: int, think: float = 0.0) -> None:
    """One judge's loop; ``think`` > 0 waits 0.5-1.5 x ``think`` seconds after each answer
    (reading the entry, choosing scores), as a person at a phone does; 0 sends at once."""
    rng = random.Random(seed)

    async def pause() -> None:
        if think > 0:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    round_trip = 0
    while time.monotonic() < stop:
        status, queue = await judge.call("queue", "GET", "/api/v1/judge/queue")
        await pause()
        if status != 200 or not queue:
            return
        round_id = queue[0]["id"]
        for item in queue[0]["items"]:
            if time.monotonic() >= stop:
                return
            await judge.call("page", "GET", f"/judge/rounds/{round_id}/entries/{item['entry']}")
            api = f"/api/v1/judge/rounds/{round_id}/entries/{item['entry']}/sheet"
            status, sheet = await judge.call("sheet", "GET", api)
            if status != 200:
                continue
            version = sheet["version"]
            await pause()
            submitted = version > 0
            steps = ("submit",) if submitted else ("draft1", "draft2", "submit")
            for step in steps:
                if time.monotonic() >= stop:
                    return
                value = 1 + (round_trip + len(step) + rng.randrange(3)) % 10
                if step == "draft1":
                    scores = {KEYS[0]: value}
                elif step == "draft2":
                    scores = {KEYS[0]: value, KEYS[1]: value}
                else:
                    scores = {key: 1 + (value + i + round_trip) % 10 for i, key in enumerate(KEYS)}
                body = {"version": version, "scores": scores, "submit": step == "submit",
                        "private_note": f"{round_trip}-{step}-{rng.random()}"}  # fmt: skip
                status, answer = await judge.call("save", "PUT", api, body)
                if status != 200:
                    break
                judge.stats.saves += 1
                version = answer["version"]
                await pause()
        round_trip += 1


async def _drive(
    port: int, sessions: list[tuple[str, str]], concurrency: int, duration: float,
    think: float = 0.0, warmup: float = 0.0,
) -> Stats:  # fmt: skip
    """Run the judges for ``warmup`` + ``duration`` seconds; latencies of the last ``duration``."""
    stats = Stats(measured_from=time.perf_counter() + warmup)
    judges = [Judge(port, cookie, csrf, stats) for cookie, csrf in sessions]
    stop = time.monotonic() + warmup + duration
    running = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with running:
            try:
                await _judge(judges[index], stop, index, think)
            finally:
                judges[index].close()

    watcher = asyncio.create_task(_watch_loop(stats, stop))

    # Judges take turns in waves of ``concurrency``; each stays until the time is up.
    await asyncio.gather(*(one(i) for i in range(len(judges))))
    await watcher
    return stats


async def _watch_loop(stats: Stats, stop: float, every: float = 0.01) -> None:
    """Record how late a ``every``-second sleep of the generator's own event loop wakes (ms)
    after the warm-up: the time an answer that has arrived may wait before the generator reads
    it, which the latencies include. Large values mean the generator, not the server, is short
    of CPU (on this 2-core machine it shares the cores with the workers and the database)."""
    loop = asyncio.get_running_loop()
    while time.monotonic() < stop:
        planned = loop.time() + every
        await asyncio.sleep(every)
        if time.perf_counter() >= stats.measured_from:
            stats.lag.append(max(0.0, (loop.time() - planned) * 1000))


def _serve(
    url: str, port: int, workers: int, data_dir: Path, pin: str = "", pool_size: int = 0
) -> subprocess.Popen:
    """``anugerah serve`` on ``url`` with ``workers`` processes (on the cores ``pin`` names),
    returned once ``/healthz`` answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")}
    env.update(
        ANUGERAH_DATABASE_URL=url,
        ANUGERAH_DATA_DIR=str(data_dir),
        ANUGERAH_SECRET_KEY=SECRET,
        ANUGERAH_BASE_URL=f"http://{HOST}:{port}",
    )
    if pool_size:
        env["ANUGERAH_DB_POOL_SIZE"] = str(pool_size)
    command = [sys.executable, "-m", "awards.cli", "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    # ``anugerah serve`` logs every request on stdout (uvicorn's access log): dropped here.
    return servers.start(command, port, env, pin=pin or None, limit=60, stdout=subprocess.DEVNULL)


def run_one(kind: str, url: str, args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="scoring-load-") as tmp, fresh_database(url) as live:
        db.configure(live)
        start = time.perf_counter()
        emails, _round = asyncio.run(_setup(args.judges, args.per_judge, 2))
        print(f"{kind}: set up {args.judges} judges in {time.perf_counter() - start:.1f} s")
        workers = 1 if kind == "sqlite" else args.workers
        # One worker: the server on core 0 and this generator on core 1, as web_floor.py does;
        # several workers share both cores with the generator and the database.
        pinned = workers == 1 and (os.cpu_count() or 1) > 1
        server = _serve(live, args.port, workers, Path(tmp), "0" if pinned else "", args.pool_size)
        try:
            with ThreadPoolExecutor(8) as pool:
                sessions = list(pool.map(lambda e: _login(args.port, e), emails))
            affinity = os.sched_getaffinity(0)
            if pinned:
                os.sched_setaffinity(0, {1})
            began, cpu_began = time.perf_counter(), tree_seconds(server.pid)
            pg_began, own_began = postgres_seconds(), time.process_time()
            try:
                stats = asyncio.run(
                    _drive(
                        args.port,
                        sessions,
                        args.concurrency,
                        args.duration,
                        args.think,
                        args.warmup,
                    )
                )
            finally:
                os.sched_setaffinity(0, affinity)
            elapsed = time.perf_counter() - began
            server_cpu = tree_seconds(server.pid) - cpu_began
            postgres_cpu = postgres_seconds() - pg_began
            generator_cpu = time.process_time() - own_began
        finally:
            servers.stop(server)
        db.configure(live)
        stored = asyncio.run(SheetRevision.count().run())
    ordered = sorted(stats.latency) or [0.0]
    p50 = statistics.median(ordered)
    p99 = _p99(ordered)
    rps = len(stats.latency) / args.duration if args.duration else 0.0
    print(
        f"{kind}: {stats.requests} requests in {elapsed:.1f} s (logins before, not timed; "
        f"latencies of the {len(stats.latency)} after the {args.warmup:g} s warm-up); "
        f"app CPU {server_cpu * 1000 / max(1, stats.requests):.2f} ms/request"
    )
    for name, values in sorted(stats.by_kind.items()):
        values.sort()
        print(
            f"{kind}:   {name:6} n={len(values):6d} p50={statistics.median(values):.0f} "
            f"p99={_p99(values):.0f} ms"
        )
    print(f"{kind}: p99 per 10 s window: " + " ".join(f"{v:.0f}" for v in _window_p99s(stats)))
    cores = len(os.sched_getaffinity(0))
    shares = {"app": server_cpu, "postgres": postgres_cpu, "generator": generator_cpu}
    print(
        f"{kind}: CPU over the run, in cores of {cores}: "
        + " ".join(f"{name}={seconds / elapsed:.2f}" for name, seconds in shares.items())
        + f" (idle {max(0.0, cores - sum(shares.values()) / elapsed):.2f})"
    )
    lag = sorted(stats.lag) or [0.0]
    print(
        f"{kind}: generator loop lag p50={statistics.median(lag):.1f} "
        f"p99={_p99(lag):.1f} max={lag[-1]:.1f} ms"
    )
    if args.think:
        print(f"{kind}: judges think 0.5-1.5 x {args.think:g} s after each answer")
    return (
        f"scoring-load: {kind} judges={args.judges} saves={stats.saves} stored={stored} "
        f"errors={stats.errors} p50={p50:.0f} p99={p99:.0f} rps={rps:.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--judges", type=int, default=200)
    parser.add_argument("--per-judge", type=int, default=10, help="entries per judge")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument(
        "--warmup", type=float, default=5.0,
        help="seconds the judges run before latencies count (pools fill, templates compile); "
        "their saves count in saves and stored",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=8260)
    parser.add_argument("--workers", type=int, default=2, help="app processes on PostgreSQL")
    parser.add_argument(
        "--pool-size", type=int, default=0,
        help="ANUGERAH_DB_POOL_SIZE of each app process (0: the app's default)",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, default=0.0,
        help="seconds a judge waits after each answer (0.5-1.5x, random); 0: none (a stress test)",
    )  # fmt: skip
    parser.add_argument("--sqlite-url", default="")
    parser.add_argument("--postgresql-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    lines = []
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="scoring-load-db-") as tmp:
            url = args.sqlite_url or f"sqlite:///{tmp}/bench.sqlite"
            lines.append(run_one("sqlite", url, args))
            print(lines[-1], flush=True)
    if args.database in ("postgresql", "both"):
        lines.append(run_one("postgresql", args.postgresql_url, args))
        print(lines[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
