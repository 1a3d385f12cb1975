"""The benchmarks' HTTP load generators and their measurements.

:func:`measure` runs :func:`run_load` in a child process pinned to core 1 (a 1 s warm-up, then
the measured run): an asyncio HTTP/1.1 client on raw sockets (keep-alive, Content-Length or
chunked bodies, requests from :func:`build_request`, answers read by :func:`read_response`),
one coroutine per connection, each sending its next request when the answer arrived (closed
loop); latency is measured per request. It costs far less CPU per request than httpx, so one
core drives a server's one core to saturation. :func:`run_wrk` runs ``wrk`` (C, a few
microseconds of CPU a request; GET without a body) pinned to core 1 and reads its output into
the same result. :func:`pinned` is the ``taskset`` prefix that pins a command to cores;
:func:`cookie_header` turns a logged-in httpx client's cookies into a ``Cookie`` header.

Used by ``web_floor.py``, ``results_publish.py`` and ``scoring_load.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.proc_cpu import children_seconds

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def cookie_header(cookies: Mapping[str, str]) -> str:
    """``cookies`` (an httpx client's ``.cookies`` or any name -> value mapping) as the value of a
    ``Cookie`` header, for replaying a logged-in session outside httpx."""
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def build_request(method: str, path: str, cookie: str, csrf: str, body: bytes | None) -> bytes:
    """The bytes of one HTTP/1.1 request to :data:`HOST` (with the cookie when given; a JSON
    body with its length and the CSRF header when given)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Accept: */*"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        if csrf:
            lines.append(f"x-csrftoken: {csrf}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """Read one HTTP/1.1 answer: its status, whether the server closes the connection, and
    its body (Content-Length or chunked)."""
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


async def run_load(
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
            return build_request(
                sheet["method"], sheet["path"], sheet["cookie"], sheet["csrf"], body
            )

        if sheet is not None:  # learn the stored version (a 200 or a 409 both carry it)
            writer.write(next_request())
            _, _, body = await read_response(reader)
            found = _VERSION.search(body)
            version, turn = (found.group(1) if found else b"0"), 1
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(next_request())
                try:
                    status, closing, body = await asyncio.wait_for(read_response(reader), 30)
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


def measure(
    port: int, spec_request: bytes, seconds: float, connections: int, sheets: list | None = None
) -> dict[str, Any]:
    """Run the generator pinned to core 1 in a child process; its result as a dict."""
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); "
        "from benchmarks.load_generator import run_load; "
        "sheets = json.load(open(sys.argv[6])) if sys.argv[6] else None; "
        "print(json.dumps(asyncio.run(run_load(int(sys.argv[2]), bytes.fromhex(sys.argv[3]), "
        "float(sys.argv[4]), int(sys.argv[5]), sheets))))"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json") as spec:
        if sheets is not None:
            json.dump(sheets, spec)
            spec.flush()
        # Warm-up (1 s), then the measurement.
        for duration in (1.0, seconds):
            out = subprocess.run(
                [*pinned("1"), sys.executable, "-c", code, str(ROOT), str(port), spec_request.hex(),
                 str(duration), str(connections), spec.name if sheets is not None else ""],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
    result = json.loads(out.stdout)
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


def pinned(cores: str) -> list[str]:
    """The command prefix that pins a command to ``cores`` (``taskset``; none on one core)."""
    return ["taskset", "-c", cores] if os.cpu_count() and os.cpu_count() > 1 else []


_WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict[str, Any]:
    """One run of ``wrk`` (one thread, ``connections`` keep-alive connections, GET ``path``
    with the session cookie; no Lua script), pinned to core 1; its result as :func:`run_load`'s,
    with ``cpu`` the CPU seconds wrk used."""
    command = [
        *pinned("1"), "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
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
