"""CPU seconds of processes from Linux ``/proc``, for benchmarks that say where the cores went.

:func:`tree_seconds` sums a process and its descendants (an app server and its workers);
:func:`postgres_seconds` sums local ``postgres`` processes, all of them or only the backends
connected to one database (other users of the same server are not counted then);
:func:`children_seconds` is the CPU of this process's finished children (a load generator run
with ``subprocess.run``). All are user + system time; take the difference over a run.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

__all__ = ["children_seconds", "postgres_seconds", "tree_seconds"]

_TICK = os.sysconf("SC_CLK_TCK")


def _stat_seconds(fields: list[str]) -> float:
    # Fields after the ")" of the command name: utime and stime are the 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / _TICK


def tree_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its descendants (0 once it is gone)."""
    total = 0.0
    try:
        total = _stat_seconds(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(tree_seconds(int(child)) for child in children)


def postgres_seconds(database: str | None = None) -> float:
    """User + system CPU seconds of every local ``postgres`` process, or with ``database`` only
    of the backends connected to it (their command line reads ``postgres: [<cluster>: ]<user>
    <database> <host>(<port>) <state>``); 0 when none is visible. A backend that exits takes
    its time with it, so measure over a run during which the pool's connections stay open."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if not text[text.index("(") + 1 : text.rindex(")")].startswith("postgres"):
                continue
            if database is not None:
                words = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").split()
                if database.encode() not in words[2:4]:
                    continue
        except OSError:
            continue
        total += _stat_seconds(text.rsplit(")", 1)[1].split())
    return total


def children_seconds() -> float:
    """User + system CPU seconds of this process's children that have finished and were
    waited for (``subprocess.run`` waits)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
