"""Attachment storage: content sniffing, streaming size limit, metadata stripping, safe paths."""

import asyncio
import dataclasses
import hashlib
import io
import itertools

import pytest
from PIL import ExifTags, Image

from awards.intake.uploads import (
    StoredFile,
    UploadPolicy,
    UploadRejected,
    delete_stored,
    resolve,
    sanitize_filename,
    sniff_kind,
    store_upload,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
IMAGES_ONLY = UploadPolicy(kinds=("jpeg", "png", "webp"))


def image_bytes(fmt, size=(640, 480), mode="RGB", **save):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 120, 40) if mode == "RGB" else 0).save(buffer, fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6  # rotate 90 degrees clockwise to display
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (7.0, 58.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (112.0, 37.0, 48.0),
    }
    return image_bytes("JPEG", size=(400, 300), exif=exif)


def chunks(data, size=1000):
    return [data[i : i + size] for i in range(0, len(data), size)]


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_sniff_kind_recognizes_magic_bytes():
    """JPEG, PNG, WebP and PDF are recognized from their first bytes; text is not."""
    found = [
        sniff_kind(image_bytes("JPEG")[:16]),
        sniff_kind(image_bytes("PNG")[:16]),
        sniff_kind(image_bytes("WEBP")[:16]),
        sniff_kind(PDF[:16]),
        sniff_kind(b"hello, world...."),
    ]
    assert found == ["jpeg", "png", "webp", "pdf", None]


def test_store_jpeg_strips_exif_gps_and_applies_orientation(tmp_path):
    """A phone JPEG with GPS EXIF is stored without any EXIF, rotated upright."""
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # precondition
    stored = store_upload(chunks(source), filename="IMG_0001.jpg", storage_root=tmp_path)
    with Image.open(resolve(tmp_path, stored.key)) as reopened:
        assert "exif" not in reopened.info
        assert dict(reopened.getexif()) == {}
        assert reopened.size == (300, 400)
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 300, 400)


def test_store_jpeg_metadata_describes_stored_bytes(tmp_path):
    """size and sha256 are those of the file on disk; the name is kept for display only."""
    stored = store_upload(
        chunks(image_bytes("JPEG")), filename="../foto.jpg", storage_root=tmp_path
    )
    data = resolve(tmp_path, stored.key).read_bytes()
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert stored.original_name == "foto.jpg"
    assert "foto" not in stored.key


def test_store_image_makes_a_webp_thumbnail(tmp_path):
    """A 640x480 photo gets a 320x240 WebP thumbnail next to it."""
    stored = store_upload([image_bytes("JPEG")], filename="a.jpg", storage_root=tmp_path)
    with Image.open(resolve(tmp_path, stored.thumbnail_key)) as thumb:
        assert (thumb.format, thumb.size) == ("WEBP", (320, 240))


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_store_png_and_webp_are_accepted_without_metadata(tmp_path, fmt, content_type):
    """PNG and WebP uploads are accepted, re-encoded in their format and carry no EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    stored = store_upload([image_bytes(fmt, exif=exif)], filename="x.bin", storage_root=tmp_path)
    with Image.open(resolve(tmp_path, stored.key)) as reopened:
        assert (reopened.format, dict(reopened.getexif())) == (fmt, {})
    assert stored.content_type == content_type


def test_store_palette_png_with_transparency_is_accepted(tmp_path):
    """A palette PNG (mode P) is stored and thumbnailed."""
    stored = store_upload(
        [image_bytes("PNG", mode="P", transparency=0)], filename="logo.png", storage_root=tmp_path
    )
    assert (stored.kind, stored.width) == ("png", 640)


def test_store_pdf_is_kept_as_is(tmp_path):
    """A PDF with header and %%EOF is stored byte for byte, with no thumbnail."""
    stored = store_upload(chunks(PDF, 10), filename="proposal.pdf", storage_root=tmp_path)
    assert resolve(tmp_path, stored.key).read_bytes() == PDF
    assert (stored.content_type, stored.thumbnail_key) == ("application/pdf", None)


def test_store_pdf_without_eof_marker_is_refused(tmp_path):
    """A truncated PDF (no %%EOF) is refused and nothing is kept."""
    with pytest.raises(UploadRejected, match="incomplete"):
        store_upload([PDF[:40]], filename="a.pdf", storage_root=tmp_path)
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("content", [PDF, b"just some text, not a photo\n", b"GIF89a......"])
def test_store_jpg_name_with_other_content_is_refused(tmp_path, content):
    """A file named .jpg whose bytes are a PDF, text or GIF is refused; nothing is stored."""
    with pytest.raises(UploadRejected) as caught:
        store_upload([content], filename="foto.jpg", storage_root=tmp_path, policy=IMAGES_ONLY)
    assert str(caught.value) == "This file type is not accepted; upload ('jpeg', 'png', 'webp')."
    assert caught.value.at("photos").render() == (
        "This file type is not accepted; upload jpeg, png, webp."
    )
    assert stored_files(tmp_path) == []


def test_store_oversized_stream_stops_early_and_leaves_nothing(tmp_path):
    """An endless stream is cut as soon as it passes the limit, and no file remains."""
    consumed = []

    def endless():
        for index in itertools.count():
            consumed.append(index)
            yield b"\xff\xd8\xff" + b"\0" * 397

    with pytest.raises(UploadRejected, match="larger than"):
        store_upload(endless(), filename="big.jpg", storage_root=tmp_path,
                     policy=UploadPolicy(max_bytes=1000))  # fmt: skip
    assert len(consumed) == 3
    assert stored_files(tmp_path) == []


def test_store_async_oversized_stream_leaves_nothing(tmp_path):
    """The async variant enforces the same limit on an async chunk stream."""
    from awards.intake.uploads import store_upload_async

    async def body():
        for _ in range(100):
            yield b"x" * 512

    with pytest.raises(UploadRejected):
        asyncio.run(store_upload_async(body(), filename="a.jpg", storage_root=tmp_path,
                                       policy=UploadPolicy(max_bytes=2048)))  # fmt: skip
    assert stored_files(tmp_path) == []


def test_store_async_accepts_an_image(tmp_path):
    """The async variant stores a valid image like the sync one."""
    from awards.intake.uploads import store_upload_async

    data = image_bytes("PNG")

    async def body():
        yield data[:100]
        yield data[100:]

    stored = asyncio.run(store_upload_async(body(), filename="a.png", storage_root=tmp_path))
    assert resolve(tmp_path, stored.key).is_file()


def test_store_truncated_jpeg_is_refused(tmp_path):
    """A JPEG cut in half has the right magic bytes but fails full decoding."""
    data = image_bytes("JPEG", size=(800, 600))
    with pytest.raises(UploadRejected, match="damaged"):
        store_upload([data[: len(data) // 2]], filename="a.jpg", storage_root=tmp_path)
    assert stored_files(tmp_path) == []


def test_store_decompression_bomb_is_refused(tmp_path):
    """A tiny PNG declaring 25 million pixels is refused by the pixel limit before decoding."""
    bomb = image_bytes("PNG", size=(5000, 5000), mode="1")
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match="too many pixels"):
        store_upload([bomb], filename="a.png", storage_root=tmp_path,
                     policy=UploadPolicy(max_pixels=10_000_000))  # fmt: skip
    assert stored_files(tmp_path) == []


def test_store_kind_not_allowed_by_policy_is_refused(tmp_path):
    """A genuine PDF is refused where only images are allowed."""
    with pytest.raises(UploadRejected):
        store_upload([PDF], filename="a.pdf", storage_root=tmp_path, policy=IMAGES_ONLY)


def test_stored_keys_are_random_two_level_paths(tmp_path):
    """Keys look like ab/cd/<random>.<ext> under the root and differ for identical uploads."""
    first = store_upload([PDF], filename="a.pdf", storage_root=tmp_path)
    second = store_upload([PDF], filename="a.pdf", storage_root=tmp_path)
    name = first.key.split("/")[2]
    assert first.key[:2] == name[:2]
    assert first.key[3:5] == name[2:4]
    assert first.key != second.key


@pytest.mark.parametrize(
    "key",
    ["../etc/passwd", "/etc/passwd", "ab/../../etc/passwd.jpg", "ab/cd/../../../x.pdf",
     "ab\\cd\\xxxxxxxxxxxxxxxxxxxx.pdf", "", "ab/cd/xxxxxxxxxxxxxxxxxxxx.pdf/../../.."],
)  # fmt: skip
def test_resolve_refuses_path_traversal(tmp_path, key):
    """Keys that are not ours or that climb out of the root are refused."""
    with pytest.raises(ValueError, match="storage key"):
        resolve(tmp_path, key)


def test_resolve_refuses_symlink_out_of_root(tmp_path):
    """A symlinked directory pointing outside the root cannot be used to escape."""
    root, outside = tmp_path / "store", tmp_path / "outside"
    (outside / "cd").mkdir(parents=True)
    root.mkdir()
    (root / "ab").symlink_to(outside)
    with pytest.raises(ValueError, match="escapes"):
        resolve(root, "ab/cd/xxxxxxxxxxxxxxxxxxxx.pdf")


def test_delete_stored_removes_file_and_thumbnail(tmp_path):
    """delete_stored leaves no file behind."""
    stored = store_upload([image_bytes("PNG")], filename="a.png", storage_root=tmp_path)
    delete_stored(tmp_path, stored)
    assert stored_files(tmp_path) == []


def test_stored_file_round_trips_through_a_dict(tmp_path):
    """StoredFile.to_dict/from_dict restore the metadata (stored in entry answers as JSON)."""
    stored = store_upload([PDF], filename="a.pdf", storage_root=tmp_path)
    assert StoredFile.from_dict(stored.to_dict()) == stored


def test_stored_file_to_dict_names_every_field(tmp_path):
    """to_dict (written out by hand for speed) gives what dataclasses.asdict gives."""
    stored = store_upload([image_bytes("PNG")], filename="a.png", storage_root=tmp_path)
    assert stored.to_dict() == dataclasses.asdict(stored)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C:\\fakepath\\foto produk.jpg", "foto produk.jpg"),
        ("../../etc/passwd", "passwd"),
        ("<script>.jpg", "_script_.jpg"),
        ("...", "file"),
        ("a" * 200 + ".jpeg", "a" * 115 + ".jpeg"),
    ],
)
def test_sanitize_filename_keeps_a_safe_base_name(raw, expected):
    """Directories, markup characters and excessive length are removed from display names."""
    assert sanitize_filename(raw) == expected


def test_default_pixel_cap_is_sixteen_megapixels(tmp_path):
    """With the default policy 4,000 x 4,000 is accepted and 4,001 x 4,000 refused unread."""
    assert UploadPolicy().max_pixels == 16_000_000
    over = image_bytes("PNG", size=(4001, 4000), mode="1")
    with pytest.raises(UploadRejected, match="too many pixels"):
        store_upload([over], filename="a.png", storage_root=tmp_path)
    stored = store_upload(
        [image_bytes("PNG", size=(4000, 4000), mode="1")], filename="b.png", storage_root=tmp_path
    )
    assert (stored.width, stored.height) == (4000, 4000)
