"""``anugerah publish --static DIR --edition SLUG``: the public results as static files.

The export **is** the served site: it starts the application in-process and GETs the public
pages as an anonymous visitor over an ASGI transport (no session, no override of the visibility
gate), so an embargoed category is absent exactly as it is on the web, and every file holds the
bytes a browser would have received (a test compares them).

Crawl: from ``/results``, ``/results/<slug>`` and their English twins (``/en/...``), follow every
``href``/``src`` that stays within the edition's pages, the businesses' award pages and the
winners' photos. A page ``/results/x`` is written to ``DIR/results/x/index.html``, a photo
``/results/photos/7.jpg`` to ``DIR/results/photos/7.jpg``; the stylesheets and icon go to
``DIR/static/``. Everything is first written to a fresh sibling directory and then renamed into
place, so a reader of ``DIR`` never sees a half-written site; links other than these (login,
other editions) stay absolute paths of the live site.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from awards.settings import Settings

__all__ = ["ExportError", "ExportResult", "export_edition", "file_for"]

_LINK = re.compile(r'(?:href|src)="(/[^"#?]*)"')
_STATIC_FILES = ("style.css", "results.css", "favicon.svg", "favicon.ico")


class ExportError(Exception):
    """Nothing can be exported (unknown edition, nothing published yet, bad target)."""


@dataclass
class ExportResult:
    """What was written: site paths and their files."""

    directory: Path
    pages: dict[str, Path] = field(default_factory=dict)


def file_for(root: Path, path: str) -> Path:
    """Where ``path`` (a site path) is written under ``root``; refuses paths leaving it."""
    clean = posixpath.normpath(path)
    if not path.startswith("/") or {".", ".."} & set(path.split("/")) or "\\" in path:
        raise ExportError(f"refusing path {path!r}")
    relative = clean.lstrip("/")
    if relative.rsplit("/", 1)[-1].endswith((".jpg", ".xml")):
        target = root / relative
    else:
        target = root / relative / "index.html"
    if not target.resolve().is_relative_to(root.resolve()):
        raise ExportError(f"refusing path {path!r}")
    return target


def _in_scope(path: str, slug: str) -> bool:
    bare = path.removeprefix("/en")
    return (
        bare in ("/results", "/results/feed.xml", f"/results/{slug}")
        or bare.startswith((f"/results/{slug}/", "/results/businesses/"))
        or path.startswith("/results/photos/")
    )


async def _crawl(client: httpx.AsyncClient, slug: str, root: Path) -> dict[str, Path]:
    start = ["/results", "/en/results", f"/results/{slug}", f"/en/results/{slug}"]
    queue, seen, written = deque(start), set(start), {}
    while queue:
        path = queue.popleft()
        response = await client.get(path)
        if response.status_code == 404 and path not in start[2:]:
            continue
        if response.status_code != 200:
            raise ExportError(f"{path} answered {response.status_code}")
        target = file_for(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.content)
        written[path] = target
        if response.headers.get("content-type", "").startswith("text/html"):
            for link in _LINK.findall(response.text):
                if link not in seen and _in_scope(link, slug):
                    seen.add(link)
                    queue.append(link)
    return written


async def _export_into(app, settings: Settings, slug: str, staging: Path) -> dict[str, Path]:
    """Crawl the edition's public pages into ``staging`` (removed again on failure)."""
    from awards.app import STATIC_DIR
    from awards.results.public.reader import edition_state

    edition, publications = await edition_state(slug)
    if edition is None:
        raise ExportError(f"no edition with slug {slug!r}")
    if not publications:
        raise ExportError(f"edition {slug!r} has no published results yet")
    staging.mkdir(parents=True)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as client:
            pages = await _crawl(client, edition["slug"], staging)
        (staging / "static").mkdir()
        for name in _STATIC_FILES:
            if (STATIC_DIR / name).is_file():
                shutil.copy2(STATIC_DIR / name, staging / "static" / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return pages


async def export_edition(
    settings: Settings, slug: str, directory: Path, *, app: Any = None
) -> ExportResult:
    """Write the public results of edition ``slug`` into ``directory`` (replacing it).

    Without ``app`` a fresh application is built and started (the command line); with one,
    that running application is crawled (a server process, or the tests' app)."""
    from awards.app import create_app

    directory = directory.expanduser().resolve()
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is not a directory")
    staging = directory.parent / f".{directory.name}.new-{uuid.uuid4().hex[:8]}"
    if app is not None:
        pages = await _export_into(app, settings, slug, staging)
    else:
        app = create_app(settings)
        failure: ExportError | None = None
        async with app.lifespan():
            try:
                pages = await _export_into(app, settings, slug, staging)
            except ExportError as exc:  # re-raised outside the lifespan's task group
                failure = exc
        if failure is not None:
            raise failure
    old = directory.parent / f".{directory.name}.old-{uuid.uuid4().hex[:8]}"
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return ExportResult(
        directory=directory,
        pages={path: directory / target.relative_to(staging) for path, target in pages.items()},
    )
