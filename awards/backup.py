"""Backups: the database and the uploaded files in one archive, and their restoration.

An archive is an uncompressed tar file (uploads are already compressed images and PDFs) holding

* ``manifest.json`` — ``{"format": 1, "database": "sqlite" | "postgresql", "created_at",
  "migrations": [...], "uploads": <file count>}``;
* ``database.sqlite`` — SQLite: a consistent copy made with SQLite's online backup API while
  the application keeps serving; or ``database.dump`` — PostgreSQL: ``pg_dump --format=custom``
  (one consistent snapshot);
* ``uploads/...`` — every file under ``<DATA_DIR>/uploads``.

Restoring replaces the database's contents (SQLite: the backup API copies the archived
database into the configured file; PostgreSQL: ``pg_restore --clean --if-exists
--no-owner``) and the uploads folder. An archive restores only into the same kind of
database it came from. Stop the application while restoring.

Exception hierarchy::

    Exception
     └── BackupError   the archive or the tools are unusable; the message says what to do
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from awards import db
from awards.settings import Settings

__all__ = ["FORMAT", "BackupError", "backup", "restore"]

FORMAT = 1
_MANIFEST = "manifest.json"
_SQLITE = "database.sqlite"
_DUMP = "database.dump"
_UPLOADS = "uploads"


class BackupError(Exception):
    """The archive or the database tools are unusable; the message says what to do."""


def _uploads(settings: Settings) -> Path:
    return settings.data_dir / _UPLOADS


def _kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's major "
            "version or newer (Debian/Ubuntu: apt-get install postgresql-client)"
        )
    return path


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` into ``target`` page by page (SQLite online backup API)."""
    src = sqlite3.connect(source, timeout=db.SQLITE_BUSY_TIMEOUT_SECONDS)
    dst = sqlite3.connect(target, timeout=db.SQLITE_BUSY_TIMEOUT_SECONDS)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _migrations(settings: Settings) -> list[str]:
    import asyncio

    from piccolo.apps.migrations.tables import Migration

    db.configure(settings.database_url)

    async def applied() -> list[str]:
        if not await Migration.table_exists().run():
            return []
        rows = await Migration.select(Migration.name).order_by(Migration.id).run()
        return [row["name"] for row in rows]

    return asyncio.run(applied())


def backup(settings: Settings, archive: Path) -> dict[str, object]:
    """Write the database and the uploads to ``archive``; return the manifest."""
    archive = Path(archive)
    uploads = _uploads(settings)
    files = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []
    manifest: dict[str, object] = {
        "format": FORMAT,
        "database": _kind(settings),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "migrations": _migrations(settings),
        "uploads": len(files),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if settings.is_sqlite:
            dump, name = work / _SQLITE, _SQLITE
            _sqlite_copy(db.sqlite_path(settings.database_url), dump)
        else:
            dump, name = work / _DUMP, _DUMP
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}",
                 f"--dbname={settings.database_url}"]
            )  # fmt: skip
        (work / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_name(archive.name + ".partial")
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(partial, "w") as tar:
            tar.add(work / _MANIFEST, arcname=_MANIFEST)
            tar.add(dump, arcname=name)
            for path in files:
                tar.add(path, arcname=f"{_UPLOADS}/{path.relative_to(uploads).as_posix()}")
        partial.replace(archive)  # never a half-written archive under the final name
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict[str, object]:
    try:
        member = tar.extractfile(_MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not an Anugerah backup archive (no manifest.json of format 1)")
    return manifest


def restore(settings: Settings, archive: Path) -> dict[str, object]:
    """Replace the database and the uploads with those in ``archive``; return its manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    if not tarfile.is_tarfile(archive):
        raise BackupError(f"{archive}: not a tar archive")
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(tar)
        if manifest.get("database") != _kind(settings):
            raise BackupError(
                f"the archive holds a {manifest.get('database')} database; the configured "
                f"database is {_kind(settings)}"
            )
        work = Path(tmp)
        tar.extractall(work, filter="data")  # refuses absolute paths, .., links out of the tree
        if settings.is_sqlite:
            _sqlite_copy(work / _SQLITE, db.sqlite_path(settings.database_url))
        else:
            _run(
                [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                 "--single-transaction", f"--dbname={settings.database_url}", str(work / _DUMP)]
            )  # fmt: skip
        uploads = _uploads(settings)
        if uploads.exists():
            shutil.rmtree(uploads)
        if (work / _UPLOADS).exists():
            shutil.copytree(work / _UPLOADS, uploads)
    return manifest
