"""Winners' photos for pages and link previews, derived behind the visibility gate.

:func:`og_photo` serves the product photo of an entry **only** when the entry holds an award in
a visible result (:func:`awards.results.public.reader.photo_entry`); the share-sized JPEG
(:func:`awards.results.public.og_image.derive_og_jpeg`) is cached under
``<DATA_DIR>/results_og/<sha256 of the stored photo>.jpg`` — outside ``static/``, so nothing is
reachable before publication, and the cache is keyed by content, so a replaced photo gives a
new file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import anyio.to_thread

from awards.intake.common import uploads_root
from awards.intake.tables import Attachment
from awards.intake.uploads import resolve
from awards.results.public.og_image import derive_og_jpeg
from awards.results.public.reader import photo_entry
from awards.settings import Settings

__all__ = ["og_cache_dir", "og_photo"]


def og_cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "results_og"


def _derive_cached(source: Path, target: Path) -> bytes:
    if target.is_file():
        return target.read_bytes()
    data = derive_og_jpeg(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(target)
    return data


async def og_photo(settings: Settings, entry_id: int) -> tuple[bytes, str] | None:
    """``(jpeg bytes, sha256 hex)`` of the entry's photo, or ``None`` if it may not be shown
    or there is none."""
    attachment_id = await photo_entry(entry_id)
    if attachment_id is None:
        return None
    row = (
        await Attachment.select(Attachment.storage_key, Attachment.sha256)
        .where(Attachment.id == attachment_id)
        .first()
    )
    if row is None:
        return None
    try:
        source = resolve(uploads_root(settings), row["storage_key"])
    except ValueError:
        return None
    if not source.is_file():
        return None
    target = og_cache_dir(settings) / f"{row['sha256']}.jpg"
    data = await anyio.to_thread.run_sync(_derive_cached, source, target)
    return data, hashlib.sha256(data).hexdigest()
