"""The serving process's heap, frozen once the app has started.

CPython's cyclic garbage collector periodically scans every tracked object of the oldest
generation: in ``anugerah serve`` about 160,000 objects (modules, Litestar's routes, Piccolo's
tables, compiled templates, catalogs), a pause of 50-140 ms on this machine during which no
request progresses, so every request in flight at that moment gets that much slower: a tail
latency spike. Nearly all of those objects live as long as the process. :func:`freeze_heap`
(``gc.freeze``) moves them to the permanent generation after start-up, so later collections
scan only what was created since (``gc.freeze`` is the documented tool for this; Instagram
introduced it for the same reason).

Only the serving process does this (:func:`awards.cli.serving_app`): a process that creates
many apps (the tests) would keep each one's garbage forever.
"""

from __future__ import annotations

import gc

from litestar import Litestar

__all__ = ["freeze_heap", "freeze_heap_on_startup"]


def freeze_heap() -> None:
    """Collect what start-up left as garbage, then exclude every surviving object from later
    collections."""
    gc.collect()
    gc.freeze()


def freeze_heap_on_startup(app: Litestar) -> None:
    """Freeze the heap after ``app``'s other start-up hooks (pool, caches, workers) ran."""

    async def freeze() -> None:
        freeze_heap()

    app.on_startup.append(freeze)
