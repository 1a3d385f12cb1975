"""Open Graph images: a share-sized JPEG derived from a winner's stored product photo.

WhatsApp and most link previews want an image under 300 KB at an absolute URL. From the stored
photo we make a JPEG that fits in ``1200 x 630`` (the Open Graph landscape size, aspect kept,
never enlarged), in RGB, without metadata, at quality 82; while it is larger than
:data:`MAX_BYTES` the quality steps down by 10 (to 42) and then the size halves. The result is
deterministic for a given photo, so its bytes can be hashed into an ETag.

The image is served by a gated route (the category must be visible) and cached under the data
directory, never written into ``static/``.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

__all__ = ["MAX_BYTES", "OG_SIZE", "derive_og_jpeg"]

MAX_BYTES = 300 * 1024
OG_SIZE = (1200, 630)


def _encode(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def derive_og_jpeg(source: Path | bytes, max_bytes: int = MAX_BYTES) -> bytes:
    """A JPEG of ``source`` (a path or encoded bytes) within :data:`OG_SIZE` and ``max_bytes``."""
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    image.thumbnail(OG_SIZE, Image.Resampling.LANCZOS)
    while True:
        for quality in (82, 72, 62, 52, 42):
            data = _encode(image, quality)
            if len(data) <= max_bytes:
                return data
        width, height = image.size
        if width <= 16 or height <= 16:
            return data
        image = image.resize((width // 2, height // 2), Image.Resampling.LANCZOS)
