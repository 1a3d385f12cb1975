"""Open Graph JPEGs: within 1200x630 and under 300 KB, whatever the stored photo."""

from __future__ import annotations

import io
import random

from PIL import Image

from awards.results.public.og_image import MAX_BYTES, derive_og_jpeg


def _noisy_png(width: int, height: int) -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_derive_og_jpeg_noisy_large_photo_fits_limits():
    """A 2400x1800 photo of pure noise (incompressible) still ends under 300 KB, as JPEG."""
    source = _noisy_png(2400, 1800)
    assert len(source) > MAX_BYTES
    data = derive_og_jpeg(source)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.width <= 1200
        assert image.height <= 630
        assert abs(image.width / image.height - 4 / 3) < 0.02
    assert len(data) <= MAX_BYTES


def test_derive_og_jpeg_small_photo_not_enlarged_and_deterministic(tmp_path):
    """A small photo keeps its size; the same file gives the same bytes."""
    path = tmp_path / "p.png"
    Image.new("RGBA", (300, 200), (10, 200, 30, 128)).save(path)
    first, second = derive_og_jpeg(path), derive_og_jpeg(path)
    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (300, 200)
