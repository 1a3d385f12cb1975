"""``web_floor.py``'s workers check: two uvicorn workers against one, on PostgreSQL.

:func:`workers_check` serves one path (:data:`WORKER_PATHS`: the landing page, the entrant
dashboard, the entry detail and the organizer list) with one and with two uvicorn workers,
unpinned, with the generator on core 1: ``--rounds`` pairs of runs in alternating order, the
median ratio shown with the details of that round. The load comes from ``wrk`` when it is on
PATH (C, a few microseconds of CPU a request; Debian/Ubuntu package ``wrk``; run without a Lua
script: ``wrk -t1 -c64 -d10s --latency -H 'Cookie: ...' URL``), else from the Python generator
(tens of microseconds a request or more). Each run prints which generator ran and the CPU
milliseconds per request, over the measured run (:func:`measure_cpu`), of the app's processes
(a), of the PostgreSQL backends of the scratch database (p) and of the generator (g), from
``/proc`` (:mod:`benchmarks.proc_cpu`).

On a 2-core machine the two workers share the cores with PostgreSQL and the generator, so the
ratio is at most 2 x a1 / (a2 + p2 + g2) (a1: one worker's, which is bound by its one core; a2,
p2, g2: with two workers), printed with the cores the run kept busy (less than 2 when other
processes took a share); for a ratio near 2, run the database and the generator on other cores
or machines.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from benchmarks import servers
from benchmarks.load_generator import build_request, measure, run_wrk
from benchmarks.proc_cpu import postgres_seconds, tree_seconds
from benchmarks.servers import uvicorn_command
from benchmarks.web_floor_fixture import Fixture, PathSpec, refresh_cookies, uses_wrk

PORTS = iter(range(8900, 9000))

#: Paths the PostgreSQL run also serves with ``--workers 2`` against one worker, from no
#: database work to the most: the landing page (no statement: how the app alone scales), the
#: entrant dashboard (three small statements), the entry detail (four, one a wide join) and the
#: organizer list (a page of 50 of 30,000 rows). The more of a request's CPU PostgreSQL takes on
#: the same two cores, the lower the ratio two workers can reach.
WORKER_PATHS = ("landing", "entrant dashboard", "entry detail", "organizer list (50)")


def measure_cpu(
    port: int, spec: PathSpec, fixture: Fixture, args: Any, server: int, database: str
) -> dict[str, Any]:
    """The workers check's measurement of one path: a 1 s warm-up, then ``args.seconds`` of
    load from wrk when it is on PATH (a GET without a body), else from the Python generator;
    the result carries ``generator`` and the CPU milliseconds per request of the app processes
    (``app``), the PostgreSQL backends of ``database`` (``postgres``) and the generator
    (``generator``) over the measured run, and ``elapsed``."""
    path, cookie = spec.project(fixture), fixture.cookies.get(spec.who, "")
    use_wrk = uses_wrk(spec, fixture, args.generator or "auto")

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


def workers_check(
    spec: PathSpec, env: dict[str, str], fixture: Fixture, args: Any, database: str
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
            server = servers.start(
                uvicorn_command("awards.cli:serving_app", port, workers), port, env, probe="/login"
            )
            try:
                time.sleep(1)
                refresh_cookies(port, fixture)
                scale[workers] = measure_cpu(port, spec, fixture, args, server.pid, database)
            finally:
                servers.stop(server)
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
