"""Where a request's time goes: each hot path profiled in-process (cProfile), robust to noise.

    uv run python benchmarks/profile_paths.py [--requests 200] [--entries 2000]
        [--database-url sqlite:///... | postgresql://postgres@127.0.0.1:5432/postgres]
        [--paths landing,login,...] [--top 25] [--sort tottime|cumulative] [--sql]
        [--no-profile]

A fresh database gets the demo edition plus ``--entries`` imported entries (as
``web_floor.py``) and a small judging world (as ``scoring_load.py``: 8 judges, an open round).
The app (``awards.app:create_app``) runs in this process and on this thread behind httpx's ASGI
transport (no sockets, no uvicorn), so the profile shows only the app's own work: middleware,
session, CSRF, guards, the handler, Piccolo, the database driver, templates and JSON. Each path
runs once to warm up, then ``--requests`` times under cProfile; the script prints the mean time
per request (CPU of this process, wall clock) and the functions taking the most time; with
``--sql``, first the statements one request of the path sends.

Paths: landing, login (GET page), login-post (argon2 verify: few requests), dashboard, save
(entry PATCH), list (organizer, 50 rows), detail, api-list, queue (judge API queue), judge-entry
(judge page), sheet (the judge's sheet GET), score-save (sheet PUT).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx

from awards import db
from awards.app import create_app
from awards.settings import Settings
from benchmarks.intake_common import fresh_database
from benchmarks.scoring_load import KEYS
from benchmarks.scoring_load import PASSWORD as JUDGE_PASSWORD
from benchmarks.scoring_load import _setup as setup_judging
from benchmarks.web_floor_fixture import DEMO_PASSWORD, ORGANIZER, SECRET, prepare

ALL_PATHS = (
    "landing", "login", "login-post", "dashboard", "save", "list", "detail", "api-list",
    "queue", "judge-entry", "sheet", "score-save",
)  # fmt: skip


async def _login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    client.cookies.clear()
    await client.get("/login")
    token = client.cookies["csrftoken"]
    answer = await client.post(
        "/login",
        data={"email": email, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, (email, answer.status_code, answer.text[-3000:])
    return _jar(client)


async def profile(args: argparse.Namespace, url: str, tmp: Path) -> None:
    settings = Settings.from_env(
        {
            "ANUGERAH_DATABASE_URL": url,
            "ANUGERAH_DATA_DIR": str(tmp),
            "ANUGERAH_SECRET_KEY": SECRET,
        }
    )
    fixture = await prepare(settings, args.entries, tmp / "entries.csv")
    emails, round_id = await setup_judging(8, 4, 2)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
    ):
        sessions = {
            "entrant": await _login(client, fixture.cookies["entrant_email"], DEMO_PASSWORD),
            "organizer": await _login(client, ORGANIZER, DEMO_PASSWORD),
            "judge": await _login(client, emails[0], JUDGE_PASSWORD),
        }
        client.cookies.clear()
        queue = (await _with(client, sessions["judge"]).get("/api/v1/judge/queue")).json()
        judge_entry = queue[0]["items"][0]["entry"]
        sheet = f"/api/v1/judge/rounds/{round_id}/entries/{judge_entry}/sheet"
        version = {"v": (await client.get(sheet)).json()["version"]}
        counter = {"n": 0}

        def score_body() -> dict[str, Any]:
            counter["n"] += 1
            scores = {key: 1 + (counter["n"] + i) % 10 for i, key in enumerate(KEYS)}
            return {"version": version["v"], "scores": scores, "submit": False}

        async def score_save() -> Any:
            answer = await client.put(
                sheet, json=score_body(), headers={"x-csrftoken": client.cookies["csrftoken"]}
            )
            version["v"] = answer.json()["version"]
            return answer

        async def login_post() -> Any:
            client.cookies.clear()
            await client.get("/login")
            return await client.post(
                "/login",
                data={
                    "email": ORGANIZER,
                    "password": DEMO_PASSWORD,
                    "_csrf_token": client.cookies["csrftoken"],
                },
                follow_redirects=False,
            )

        def csrf() -> dict[str, str]:
            return {"x-csrftoken": client.cookies["csrftoken"]}

        paths = {
            "landing": (None, lambda: client.get("/")),
            "login": (None, lambda: client.get("/login")),
            "login-post": (None, login_post),
            "dashboard": ("entrant", lambda: client.get("/entries")),
            "save": (
                "entrant",
                lambda: client.patch(
                    f"/api/v1/entries/{fixture.entry}",
                    content=json.dumps({"answers": fixture.answers}),
                    headers={"content-type": "application/json", **csrf()},
                ),
            ),
            "list": (
                "organizer",
                lambda: client.get(f"/organizer/editions/{fixture.edition}/entries"),
            ),
            "detail": ("organizer", lambda: client.get(f"/organizer/entries/{fixture.detail}")),
            "api-list": (
                "organizer",
                lambda: client.get(f"/api/v1/editions/{fixture.edition}/entries"),
            ),
            "queue": ("judge", lambda: client.get("/api/v1/judge/queue")),
            "judge-entry": (
                "judge",
                lambda: client.get(f"/judge/rounds/{round_id}/entries/{judge_entry}"),
            ),
            "sheet": ("judge", lambda: client.get(sheet)),
            "score-save": ("judge", score_save),
        }
        for name in args.paths.split(","):
            who, call = paths[name]
            client.cookies.clear()
            if who:
                client.cookies.update(sessions[who])
            answer = await call()
            assert 200 <= answer.status_code < 400, (name, answer.status_code, answer.text[:300])
            if args.sql:
                statements: list[str] = []
                db.add_query_listener(statements.append)
                try:
                    await call()
                finally:
                    db.remove_query_listener(statements.append)
                print(f"\n--- {name}: {len(statements)} statements")
                for number, sql in enumerate(statements, 1):
                    print(f"{number:>3}. {' '.join(sql.split())[:300]}")
            n = 5 if name == "login-post" else args.requests
            profiler = cProfile.Profile()
            pauses = _GcPauses()
            started_cpu, started = time.process_time(), time.perf_counter()
            if not args.no_profile:
                profiler.enable()
            with pauses:
                for _ in range(n):
                    answer = await call()
            profiler.disable()
            cpu = (time.process_time() - started_cpu) / n * 1000
            wall = (time.perf_counter() - started) / n * 1000
            assert 200 <= answer.status_code < 400, (name, answer.status_code)
            print(f"\n=== {name}: {wall:.2f} ms/request wall, {cpu:.2f} ms CPU ({n} requests)")
            print(f"    gc: {pauses}")
            if args.no_profile:
                continue
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
            print("\n".join(out.getvalue().splitlines()[6:]))
            if who:
                sessions[who] = _jar(client)


class _GcPauses:
    """The garbage collector's collections while active: count per generation, total and
    longest pause (a long gen-2 pause is a tail-latency spike for every request in flight)."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]
        self.total = self.longest = 0.0
        self._began = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
            return
        pause = time.perf_counter() - self._began
        self.counts[info["generation"]] += 1
        self.total += pause
        self.longest = max(self.longest, pause)

    def __enter__(self) -> _GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def __str__(self) -> str:
        gens = "/".join(str(c) for c in self.counts)
        return (
            f"collections gen0/1/2 {gens}, total {self.total * 1000:.1f} ms, "
            f"longest {self.longest * 1000:.1f} ms"
        )


def _jar(client: httpx.AsyncClient) -> dict[str, str]:
    """The client's cookies by name (the latest value when one is set twice)."""
    return {cookie.name: cookie.value for cookie in client.cookies.jar}


def _with(client: httpx.AsyncClient, cookies: dict[str, str]) -> httpx.AsyncClient:
    client.cookies.clear()
    client.cookies.update(cookies)
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--paths", default=",".join(ALL_PATHS))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--sql", action="store_true", help="print each path's statements once")
    parser.add_argument(
        "--no-profile", action="store_true",
        help="time the requests without cProfile (whose per-call cost inflates template code)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-paths-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/profile.sqlite"
        with fresh_database(url) as live:
            asyncio.run(profile(args, live, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
