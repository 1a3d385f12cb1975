"""The servers a benchmark measures, run as child processes: start, wait until ready, stop, RSS.

:func:`uvicorn_command` is the command line of a uvicorn app factory (what ``anugerah serve``
runs, or a floor app); :func:`start` runs a command, pinned to cores with ``taskset`` when asked,
and returns once a probe path answers 200; :func:`stop` ends it (SIGTERM, then SIGKILL after
30 s); :func:`rss_mb` reads a process's resident memory from ``/proc``.

The server's own output (uvicorn's warnings, a traceback) goes to the benchmark's stdout and
stderr (its stdout may be dropped), so no error is lost and no pipe fills up unread; a server
that exits before it is ready stops the benchmark with its exit code.

Used by ``web_floor.py``, ``web_floor_workers.py``, ``results_publish.py`` and
``scoring_load.py``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks.load_generator import HOST, pinned

ROOT = Path(__file__).resolve().parents[1]


def uvicorn_command(target: str, port: int, workers: int = 1) -> list[str]:
    """``python -m uvicorn <target> --factory`` on ``HOST:port`` with ``workers`` processes,
    warnings only and no access log (a log line per request would be measured too)."""
    return [
        sys.executable, "-m", "uvicorn", target, "--factory", "--host", HOST, "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip


def start(
    command: list[str],
    port: int,
    env: Mapping[str, str],
    *,
    pin: str | None = None,
    probe: str = "/healthz",
    limit: float = 90,
    stdout: int | None = None,
) -> subprocess.Popen:
    """Run ``command`` from the project's root with ``env`` (on the cores ``pin`` names, e.g.
    ``"0"``, when given) and return the process once ``GET probe`` on ``port`` answers 200.

    ``stdout=subprocess.DEVNULL`` drops what the server prints on stdout (uvicorn's access log,
    a line per request), keeping its stderr (warnings, tracebacks).
    Raises SystemExit when the process exits first (with its exit code; its output is above)
    or when the probe has not answered 200 within ``limit`` seconds (with the last answer)."""
    import httpx

    process = subprocess.Popen(
        [*(pinned(pin) if pin else []), *command], env=dict(env), cwd=ROOT, stdout=stdout
    )
    deadline, last = time.monotonic() + limit, "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[:5]} exited with code {process.returncode} before ready")
        try:
            answer = httpx.get(f"http://{HOST}:{port}{probe}", timeout=5)
            if answer.status_code == 200:
                return process
            last = f"{answer.status_code}: {answer.text[:300]}"
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    stop(process)
    raise SystemExit(f"{command[:5]} did not answer {probe} with 200 on port {port} ({last})")


def stop(process: subprocess.Popen) -> None:
    """End ``process``: SIGTERM (uvicorn shuts down cleanly), SIGKILL after 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
