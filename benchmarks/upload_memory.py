"""Peak memory of concurrent worst-case image uploads.

Run: ``uv run python benchmarks/upload_memory.py [--uploads 16] [--max-pixels N]``

Builds the worst case the upload policy accepts — a PNG of exactly ``max_pixels`` pixels, RGBA,
one colour (so the file is tiny while its decoded size is the largest allowed) — and stores it
``--uploads`` times concurrently through the real upload path (``store_upload_async``: streaming
to a temporary file, header check, decoding in a thread under the decode limit, re-encoding,
thumbnail) in a fresh process. Prints the file size, the resident memory (RSS) before, and the
process's peak RSS (``ru_maxrss``). ``--max-pixels`` overrides the policy's cap (e.g. 40000000,
the cap before it was lowered) to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import math
import resource
import sys
import tempfile
import time
from dataclasses import replace

from PIL import Image

from awards.intake.uploads import UploadPolicy, store_upload_async


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _worst_png(pixels: int) -> bytes:
    side = math.isqrt(pixels)
    buffer = io.BytesIO()
    Image.new("RGBA", (side, side), (200, 120, 40, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


async def _upload(data: bytes, root: str, policy: UploadPolicy) -> None:
    async def chunks():
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]

    await store_upload_async(chunks(), filename="worst.png", storage_root=root, policy=policy)


async def _run(uploads: int, data: bytes, policy: UploadPolicy) -> float:
    with tempfile.TemporaryDirectory() as root:
        started = time.perf_counter()
        await asyncio.gather(*(_upload(data, root, policy) for _ in range(uploads)))
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--max-pixels", type=int, default=0)
    args = parser.parse_args(argv)
    policy = UploadPolicy(kinds=("png",))
    if args.max_pixels:
        policy = replace(policy, max_pixels=args.max_pixels)
    data = _worst_png(policy.max_pixels)
    side = math.isqrt(policy.max_pixels)
    baseline = _rss_mb()
    seconds = asyncio.run(_run(args.uploads, data, policy))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = f"{side * side / 1e6:.1f} Mpx, {len(data) / 1024:.0f} KB"
    print(f"worst case      PNG {side} x {side} RGBA ({size})")
    print(f"uploads         {args.uploads} concurrent, stored in {seconds:.1f} s")
    print(f"RSS             before {baseline:.0f} MB, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
