"""Attachment storage: validate by content, stream with a size limit, strip metadata, thumbnail.

Flow of ``store_upload`` (and its async twin): chunks are written to a temporary file under
``<root>/tmp/`` while counting bytes, aborting as soon as ``policy.max_bytes`` is exceeded; the
kind is sniffed from magic bytes (never from the name); images are fully decoded with Pillow
(pixel-count limit against decompression bombs, truncated files refused), orientation applied,
re-encoded without EXIF/XMP metadata and thumbnailed; PDFs need ``%PDF-`` at the start and
``%%EOF`` near the end and are stored as-is. Files land under random names in a two-level tree
``<root>/ab/cd/<name>.<ext>``. On any refusal nothing is left behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import AsyncIterable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image, ImageOps

from awards.intake._messages import N_
from awards.intake.form.fields import FILE_CONTENT_TYPES
from awards.intake.validators import InvalidValue

__all__ = [
    "StoredFile",
    "UploadPolicy",
    "UploadRejected",
    "delete_stored",
    "download_name",
    "public_answers",
    "resolve",
    "sanitize_filename",
    "sniff_kind",
    "store_upload",
    "store_upload_async",
]

_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "pdf": ".pdf"}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_KEY = re.compile(
    r"^[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{16,64}(\.thumb)?\.(jpg|png|webp|pdf)$"
)


class UploadRejected(InvalidValue):
    """The upload was refused; the message is translatable and nothing was stored."""


@dataclass(frozen=True)
class UploadPolicy:
    """Limits for one upload: allowed kinds (jpeg/png/webp/pdf), bytes, decoded pixels.

    ``max_pixels`` (16 Mpx, e.g. 4,608 x 3,456 — a phone's full-resolution product photo) is
    checked from the image header before any pixel is decoded; an image is decoded at most
    ``MAX_CONCURRENT_DECODES`` (2) at a time per process, so concurrent uploads cannot add up
    their decoded sizes (16 Mpx RGBA is 64 MB while decoding)."""

    kinds: tuple[str, ...] = ("jpeg", "png", "webp", "pdf")
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 16_000_000
    max_dimension: int = 4096
    thumbnail_size: int = 320


@dataclass(frozen=True)
class StoredFile:
    """Metadata of a stored attachment; ``size`` and ``sha256`` describe the stored bytes
    (for images: the re-encoded file), ``key`` and ``thumbnail_key`` are relative to the root."""

    key: str
    original_name: str
    content_type: str
    kind: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields by name (as ``dataclasses.asdict``, without its recursive copy: every
        field is a str, an int or None)."""
        return {
            "key": self.key,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
            "width": self.width,
            "height": self.height,
            "thumbnail_key": self.thumbnail_key,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoredFile:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


_PRIVATE_FILE_KEYS = frozenset({"key", "thumbnail_key", "sha256"})


def public_answers(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """``answers`` for an API response: file answers lose their storage keys and hashes.

    A file answer is a list of ``StoredFile`` dicts; each keeps its ``attachment_id``, name,
    type, size and dimensions, and drops ``key``, ``thumbnail_key`` and ``sha256``.
    """
    out: dict[str, Any] = {}
    for name, value in (answers or {}).items():
        if isinstance(value, list) and all(isinstance(v, dict) and "key" in v for v in value):
            value = [
                {k: v for k, v in item.items() if k not in _PRIVATE_FILE_KEYS} for item in value
            ]
        out[name] = value
    return out


def download_name(original_name: str | None, content_type: str, suffix: str = "") -> str:
    """The file name to download a stored file under: the uploaded name's stem (plus
    ``suffix``) with the extension of the type detected from the content, so a PDF uploaded
    as ``page.html`` downloads as ``page.pdf``."""
    extension = {v: _EXTENSIONS[k] for k, v in FILE_CONTENT_TYPES.items() if k in _EXTENSIONS}
    stem = (original_name or "file").rsplit(".", 1)[0] or "file"
    return stem + suffix + extension.get(content_type, "")


def sniff_kind(head: bytes) -> str | None:
    """The file kind from its first bytes: JPEG ``FF D8 FF``, PNG ``89 50 4E 47 0D 0A 1A 0A``,
    WebP ``RIFF....WEBP``, PDF ``%PDF-``; ``None`` for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def sanitize_filename(name: str, *, limit: int = 120) -> str:
    """A display-safe original name: base name only, no control or path characters."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"[^\w .()+-]", "_", base).strip(" .")
    base = re.sub(r"\s+", " ", base)
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        base = (
            (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else base[:limit]
        )
    return base or "file"


def resolve(storage_root: str | os.PathLike[str], key: str) -> Path:
    """The absolute path of a stored key; refuses anything that is not one of our keys or that
    would leave ``storage_root`` (``..``, absolute paths, symlinks out of the tree)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError("not a storage key")
    root = Path(storage_root).resolve()
    path = (root / key).resolve()
    if not path.is_relative_to(root):
        raise ValueError("storage key escapes the storage root")
    return path


def delete_stored(storage_root: str | os.PathLike[str], stored: StoredFile) -> None:
    """Remove a stored file and its thumbnail (missing files are ignored)."""
    for key in (stored.key, stored.thumbnail_key):
        if key:
            resolve(storage_root, key).unlink(missing_ok=True)


def _temp_file(root: Path) -> tuple[Path, BinaryIO]:
    tmp_dir = root / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    path = tmp_dir / f"upload-{secrets.token_hex(16)}.part"
    return path, path.open("xb")


def _too_large(policy: UploadPolicy) -> UploadRejected:
    return UploadRejected(
        N_("The file is larger than %(limit)s MB."),
        limit=f"{policy.max_bytes / (1024 * 1024):g}",
    )


def store_upload(
    chunks: Iterable[bytes],
    *,
    filename: str,
    storage_root: str | os.PathLike[str],
    policy: UploadPolicy = UploadPolicy(),
) -> StoredFile:
    """Stream ``chunks`` into storage and return the metadata, or raise ``UploadRejected``."""
    root = Path(storage_root)
    temp, handle = _temp_file(root)
    try:
        with handle:
            received = 0
            for chunk in chunks:
                received += len(chunk)
                if received > policy.max_bytes:
                    raise _too_large(policy)
                handle.write(chunk)
        return _finish(temp, root, filename, policy)
    finally:
        temp.unlink(missing_ok=True)


async def store_upload_async(
    chunks: AsyncIterable[bytes],
    *,
    filename: str,
    storage_root: str | os.PathLike[str],
    policy: UploadPolicy = UploadPolicy(),
) -> StoredFile:
    """``store_upload`` for an async stream (e.g. a request body); decoding runs in a thread."""
    root = Path(storage_root)
    temp, handle = _temp_file(root)
    try:
        with handle:
            received = 0
            async for chunk in chunks:
                received += len(chunk)
                if received > policy.max_bytes:
                    raise _too_large(policy)
                handle.write(chunk)
        return await asyncio.to_thread(_finish, temp, root, filename, policy)
    finally:
        temp.unlink(missing_ok=True)


def _finish(temp: Path, root: Path, filename: str, policy: UploadPolicy) -> StoredFile:
    with temp.open("rb") as handle:
        head = handle.read(16)
    kind = sniff_kind(head)
    if kind is None or kind not in policy.kinds:
        raise UploadRejected(
            N_("This file type is not accepted; upload %(kinds)s."), kinds=policy.kinds
        )
    name = secrets.token_urlsafe(24)
    base = f"{name[:2]}/{name[2:4]}/{name}"
    written: list[Path] = []
    try:
        if kind == "pdf":
            _check_pdf(temp)
            key = base + ".pdf"
            target = root / key
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
            written.append(target)
            width = height = thumbnail_key = None
        else:
            key, thumbnail_key, width, height = _store_image(
                temp, root, base, kind, policy, written
            )
        data = (root / key).read_bytes()
        return StoredFile(
            key=key,
            original_name=sanitize_filename(filename),
            content_type=FILE_CONTENT_TYPES[kind],
            kind=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            width=width,
            height=height,
            thumbnail_key=thumbnail_key,
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _check_pdf(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 1024))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise UploadRejected(N_("The PDF is incomplete or damaged."))


_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _decode_refusal(exc: BaseException) -> UploadRejected:
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return UploadRejected(N_("The image has too many pixels."))
    return UploadRejected(N_("The image is damaged or incomplete."))


def _open_image(path: Path, kind: str, policy: UploadPolicy) -> Image.Image:
    """Decode fully with only the sniffed format's decoder; refuse bombs and damaged files.

    The pixel count ``width * height`` is checked against ``policy.max_pixels`` from the header,
    before any pixel data is decoded."""
    try:
        image = Image.open(path, formats=[_PIL_FORMATS[kind]])
    except _DECODE_ERRORS as exc:
        raise _decode_refusal(exc) from None
    try:
        width, height = image.size
        if width * height > policy.max_pixels:
            raise UploadRejected(N_("The image has too many pixels."))
        image.load()
    except UploadRejected:
        image.close()
        raise
    except _DECODE_ERRORS as exc:
        image.close()
        raise _decode_refusal(exc) from None
    return image


MAX_CONCURRENT_DECODES = 2
_decoding = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)


def _store_image(
    temp: Path, root: Path, base: str, kind: str, policy: UploadPolicy, written: list[Path]
) -> tuple[str, str, int, int]:
    with _decoding:
        return _store_image_now(temp, root, base, kind, policy, written)


def _store_image_now(
    temp: Path, root: Path, base: str, kind: str, policy: UploadPolicy, written: list[Path]
) -> tuple[str, str, int, int]:
    with _open_image(temp, kind, policy) as original:
        icc = original.info.get("icc_profile")
        ImageOps.exif_transpose(original, in_place=True)  # no second full-size copy
        image = original
        if kind == "jpeg" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif kind == "webp" and image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.info = {}  # drop EXIF, XMP, comments, text chunks before re-encoding
        if max(image.size) > policy.max_dimension:
            image.thumbnail((policy.max_dimension, policy.max_dimension))
        key = base + _EXTENSIONS[kind]
        target = root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"icc_profile": icc} if icc else {}
        if kind == "jpeg":
            options |= {"quality": 88, "optimize": True}
        elif kind == "webp":
            options |= {"quality": 85}
        else:
            options |= {"optimize": True}
        with target.open("xb") as handle:
            written.append(target)
            image.save(handle, format=_PIL_FORMATS[kind], **options)
        thumb = ImageOps.contain(image, (policy.thumbnail_size, policy.thumbnail_size))
        if thumb.mode not in ("RGB", "RGBA"):
            thumb = thumb.convert("RGBA" if "A" in thumb.getbands() else "RGB")
        thumbnail_key = base + ".thumb.webp"
        thumb_path = root / thumbnail_key
        with thumb_path.open("xb") as handle:
            written.append(thumb_path)
            thumb.save(handle, format="WEBP", quality=80)
        return key, thumbnail_key, image.width, image.height
