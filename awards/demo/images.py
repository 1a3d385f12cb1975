"""Generated product photos for the demo: a coloured background, a simple product shape, the name.

Images are described by an :class:`ImageSpec` (cheap, part of the demo data) and drawn only when
:func:`render_image` is called, so loading the demo without photos costs nothing. Drawing is
deterministic: the same spec gives the same bytes (for one Pillow build). Text uses Pillow's
bundled font (``ImageFont.load_default(size=...)``), so no system fonts are needed.
"""

from __future__ import annotations

import io
import random
import textwrap
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

__all__ = ["SHAPES", "ImageSpec", "render_image"]

SHAPES = ("jar", "bag", "box", "cup", "bottle", "fabric", "screen", "fruit", "mask")
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}

Rgb = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """What one demo product photo shows; ``render_image(spec)`` turns it into file bytes."""

    key: str  # unique across the demo, e.g. "e0042-1"
    filename: str  # e.g. "keripik-tempe-balado-1.jpg"
    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    shape: str  # one of SHAPES
    title: str  # the product name written on the image
    background: Rgb
    accent: Rgb
    seed: int  # drives the decoration (pattern, highlights)

    @property
    def content_type(self) -> str:
        """The MIME type of the rendered bytes."""
        return FORMATS[self.format]


def render_image(spec: ImageSpec) -> bytes:
    """Draw ``spec`` and return the encoded JPEG or PNG bytes (``spec.width`` x ``spec.height``)."""
    if spec.shape not in SHAPES:
        raise ValueError(f"unknown shape {spec.shape!r}; expected one of {SHAPES}")
    if spec.format not in FORMATS:
        raise ValueError(f"unknown format {spec.format!r}; expected JPEG or PNG")
    rng = random.Random(spec.seed)
    image = Image.new("RGB", (spec.width, spec.height), spec.background)
    draw = ImageDraw.Draw(image)
    w, h = spec.width, spec.height
    # A lighter "table" band under the product.
    draw.rectangle((0, int(h * 0.72), w, h), fill=_mix(spec.background, (255, 255, 255), 0.35))
    box = (int(w * 0.3), int(h * 0.12), int(w * 0.7), int(h * 0.74))
    _SHAPE_DRAWERS[spec.shape](draw, box, spec.accent, rng)
    _draw_title(draw, spec, w, h)
    buffer = io.BytesIO()
    if spec.format == "JPEG":
        image.save(buffer, format="JPEG", quality=85, optimize=False)
    else:
        image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    """Linear blend ``(1 - t) * a + t * b`` per channel."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _draw_title(draw: ImageDraw.ImageDraw, spec: ImageSpec, w: int, h: int) -> None:
    size = max(10, h // 16)
    font = ImageFont.load_default(size=size)
    small = ImageFont.load_default(size=max(8, h // 34))
    lines = textwrap.wrap(spec.title, width=max(12, w // (size // 2 + 1))) or [""]
    y = int(h * 0.78)
    for line in lines[:2]:
        draw.text((w // 2, y), line, fill=(30, 30, 30), font=font, anchor="ma")
        y += int(size * 1.2)
    draw.text((8, 8), "FOTO DEMO", fill=(70, 70, 70), font=small)


def _jar(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    lid_h = (y1 - y0) // 8
    draw.rounded_rectangle(
        (x0 + 10, y0, x1 - 10, y0 + lid_h), radius=6, fill=_mix(c, (0, 0, 0), 0.4)
    )
    draw.rounded_rectangle((x0, y0 + lid_h, x1, y1), radius=24, fill=c)
    label = (x0 + 8, y0 + (y1 - y0) // 3, x1 - 8, y0 + 2 * (y1 - y0) // 3)
    draw.rectangle(label, fill=(250, 245, 230))
    draw.ellipse(_shrink(label, 0.3), outline=c, width=3)


def _bag(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    draw.polygon([(x0 + 12, y0), (x1 - 12, y0), (x1, y1), (x0, y1)], fill=c)
    draw.rectangle((x0 + 12, y0, x1 - 12, y0 + 14), fill=_mix(c, (0, 0, 0), 0.3))
    window = _shrink((x0, y0 + (y1 - y0) // 3, x1, y1 - 20), 0.25)
    draw.ellipse(window, fill=_mix(c, (255, 255, 255), 0.6))


def _box(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    top = (y1 - y0) // 5
    draw.polygon(
        [(x0, y0 + top), (x0 + top, y0), (x1, y0), (x1 - top, y0 + top)],
        fill=_mix(c, (255, 255, 255), 0.3),
    )
    draw.polygon(
        [(x1 - top, y0 + top), (x1, y0), (x1, y1 - top), (x1 - top, y1)],
        fill=_mix(c, (0, 0, 0), 0.3),
    )
    draw.rectangle((x0, y0 + top, x1 - top, y1), fill=c)
    draw.line((x0, y0 + top + 20, x1 - top, y0 + top + 20), fill=(250, 245, 230), width=6)


def _cup(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    y0 += (y1 - y0) // 4
    draw.polygon([(x0, y0), (x1, y0), (x1 - 18, y1), (x0 + 18, y1)], fill=c)
    draw.ellipse((x0, y0 - 12, x1, y0 + 12), fill=_mix(c, (60, 30, 10), 0.6))
    draw.arc((x1 - 30, y0 + 20, x1 + 30, y0 + 80), start=-90, end=90, fill=c, width=8)


def _bottle(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    mid = (x0 + x1) // 2
    neck = (x1 - x0) // 6
    draw.rectangle((mid - neck, y0, mid + neck, y0 + (y1 - y0) // 4), fill=c)
    draw.rectangle((mid - neck - 2, y0, mid + neck + 2, y0 + 10), fill=_mix(c, (0, 0, 0), 0.5))
    draw.rounded_rectangle((x0 + 15, y0 + (y1 - y0) // 4, x1 - 15, y1), radius=20, fill=c)
    draw.rectangle(
        (x0 + 20, y0 + (y1 - y0) // 2, x1 - 20, y0 + 3 * (y1 - y0) // 4), fill=(250, 245, 230)
    )


def _fabric(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    x0, x1 = x0 - (x1 - x0) // 3, x1 + (x1 - x0) // 3
    draw.rectangle((x0, y0, x1, y1), fill=_mix(c, (255, 255, 255), 0.7))
    step = max(12, (x1 - x0) // rng.randint(5, 9))
    for y in range(y0 + step // 2, y1, step):
        for x in range(x0 + step // 2, x1, step):
            r = step // 3
            if rng.random() < 0.5:
                draw.ellipse((x - r, y - r, x + r, y + r), outline=c, width=2)
            else:
                draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=c)


def _screen(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    x0, x1 = x0 - (x1 - x0) // 4, x1 + (x1 - x0) // 4
    draw.rounded_rectangle((x0, y0, x1, y1 - 20), radius=10, fill=(40, 40, 48))
    inner = (x0 + 10, y0 + 10, x1 - 10, y1 - 30)
    draw.rectangle(inner, fill=(245, 245, 250))
    draw.rectangle((inner[0], inner[1], inner[2], inner[1] + 24), fill=c)
    for i in range(4):
        y = inner[1] + 40 + i * 30
        length = rng.randint((inner[2] - inner[0]) // 3, inner[2] - inner[0] - 20)
        draw.rectangle(
            (inner[0] + 10, y, inner[0] + 10 + length, y + 12), fill=_mix(c, (255, 255, 255), 0.5)
        )
    draw.rectangle((x0 - 20, y1 - 20, x1 + 20, y1), fill=(90, 90, 100))


def _fruit(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    draw.pieslice(
        (x0 - 20, y0 + (y1 - y0) // 2, x1 + 20, y1 + (y1 - y0) // 2), 180, 360, fill=(150, 100, 50)
    )
    r = (x1 - x0) // 6
    for _ in range(7):
        cx = rng.randint(x0 + r, x1 - r)
        cy = rng.randint(y0 + (y1 - y0) // 3, y0 + 2 * (y1 - y0) // 3)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_mix(c, (0, 0, 0), rng.random() * 0.3))
        draw.line((cx, cy - r, cx + 4, cy - r - 10), fill=(60, 120, 40), width=3)


def _mask(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], c: Rgb, rng: random.Random):
    x0, y0, x1, y1 = box
    draw.ellipse((x0, y0, x1, y1), fill=c)
    ew, eh = (x1 - x0) // 6, (y1 - y0) // 12
    ey = y0 + (y1 - y0) // 3
    for ex in (x0 + (x1 - x0) // 3, x0 + 2 * (x1 - x0) // 3):
        draw.ellipse((ex - ew, ey - eh, ex + ew, ey + eh), fill=(255, 255, 255))
        draw.ellipse((ex - eh, ey - eh, ex + eh, ey + eh), fill=(20, 20, 20))
    my = y0 + 2 * (y1 - y0) // 3
    draw.arc(
        (x0 + (x1 - x0) // 4, my - 30, x1 - (x1 - x0) // 4, my + 20),
        20,
        160,
        fill=(120, 0, 0),
        width=5,
    )


def _shrink(box: tuple[int, int, int, int], t: float) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    dx, dy = int((x1 - x0) * t / 2), int((y1 - y0) * t / 2)
    return (x0 + dx, y0 + dy, x1 - dx, y1 - dy)


_SHAPE_DRAWERS = {
    "jar": _jar,
    "bag": _bag,
    "box": _box,
    "cup": _cup,
    "bottle": _bottle,
    "fabric": _fabric,
    "screen": _screen,
    "fruit": _fruit,
    "mask": _mask,
}
