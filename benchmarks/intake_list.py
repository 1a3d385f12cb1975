"""Latency of the organizer entry list page with 30,000 entries, over real HTTP.

Run: ``uv run python benchmarks/intake_list.py [--entries 30000] [--requests 30]
[--database-url sqlite:///... | postgresql://postgres@127.0.0.1:5432/postgres]``

Fills a fresh database with ``--entries`` imported entries (the bulk import path), then spreads
them over statuses (20% draft, 7% withdrawn) and screening outcomes, starts the app with
**uvicorn on 127.0.0.1** (one process, as ``anugerah serve``), logs in as an organizer of the
edition with **httpx** and requests ``/organizer/editions/<id>/entries`` in a fixed mix of
searches, filters and deep pages (one warm-up request first). Prints the median and 90th
percentile per kind and overall, in milliseconds, and the page size in bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from intake_common import create_edition, fresh_database, write_entries_csv

from awards import db
from awards.accounts.services import AccountService
from awards.intake.bulk import service as bulk
from awards.intake.editions.service import edition_categories
from awards.intake.entries.receipts import receipt_prefix
from awards.intake.tables import Category, Entry
from awards.mail import Mailer
from awards.settings import Settings

EMAIL = "bench-organizer@example.org"
PASSWORD = "bench-password-2026"


async def _fill(settings: Settings, entries: int, csv_path: Path) -> tuple[int, int]:
    edition = await create_edition()
    categories = await edition_categories(edition["id"])
    write_entries_csv(csv_path, entries, categories)
    report = await bulk.validate_file(edition, csv_path, csv_path.name)
    await bulk.import_rows(edition, report)
    async with db.write_transaction():
        await Entry.raw("UPDATE intake_entry SET status = 'draft' WHERE id % 5 = 0")
        await Entry.raw("UPDATE intake_entry SET status = 'withdrawn' WHERE id % 15 = 1")
        await Entry.raw(
            "UPDATE intake_entry SET screening = 'eligible' "
            "WHERE id % 3 = 1 AND status = 'submitted'"
        )
    accounts = AccountService(settings, Mailer(settings))
    user = await accounts.sign_up(EMAIL, PASSWORD, roles=())
    await accounts.grant_role(user.id, "organizer", edition["id"])
    category = await Category.select(Category.id).where(Category.slug == "kuliner").first()
    return edition["id"], category["id"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _requests(category_id: int, pages: int) -> list[tuple[str, dict[str, str]]]:
    deep = str(pages)
    mix = [
        ("first page", {}),
        ("status=submitted", {"status": "submitted"}),
        ("district+size", {"district": "Klojen", "size_class": "micro"}),
        ("category", {"category": str(category_id)}),
        ("search name", {"q": "usaha 0123"}),
        ("search NIB", {"q": "9100000012345"}),
        ("search receipt", {"q": f"{receipt_prefix('bench-2026', 2026)}-KUL-0001"}),
        ("deep page", {"page": deep}),
        ("filtered deep page", {"status": "submitted", "screening": "eligible", "page": "150"}),
        ("middle page", {"page": str(pages // 2)}),
    ]
    return mix * 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=30, help="rounded to the mix (10 kinds)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'list.sqlite'}"
        with fresh_database(url) as scratch:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")},
                "ANUGERAH_DATABASE_URL": scratch,
                "ANUGERAH_DATA_DIR": tmp,
                "ANUGERAH_SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
            }
            settings = Settings.from_env(env)
            started = time.perf_counter()
            edition_id, category_id = asyncio.run(
                _fill(settings, args.entries, Path(tmp) / "e.csv")
            )
            filled = time.perf_counter() - started
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "awards.app:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                env=env,
            )  # fmt: skip
            try:
                timings = _measure(port, edition_id, category_id, args)
            finally:
                server.terminate()
                server.wait(timeout=30)
    backend = "PostgreSQL" if scratch.startswith("postgres") else "SQLite"
    print(f"backend        {backend}; {args.entries:,} entries (filled in {filled:.1f} s)")
    print("server         uvicorn, 1 process, 127.0.0.1; client httpx (sequential)")
    everything = [ms for values in timings.values() for ms in values]
    for kind, values in timings.items():
        p90 = sorted(values)[min(len(values) - 1, int(len(values) * 0.9))]
        print(f"{kind:<20} median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms")
    print(f"{'ALL':<20} median {statistics.median(everything):7.1f} ms   "
          f"({len(everything)} requests)")  # fmt: skip
    return 0


def _measure(port: int, edition_id: int, category_id: int, args) -> dict[str, list[float]]:
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=60) as client:
        deadline = time.monotonic() + 60
        while True:
            try:
                client.get("/login")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        login = client.post(
            "/login",
            data={"email": EMAIL, "password": PASSWORD, "_csrf_token": client.cookies["csrftoken"]},
        )
        assert login.status_code == 303, login.text
        url = f"/organizer/editions/{edition_id}/entries"
        pages = -(-args.entries // 50)
        client.get(url)  # warm-up
        mix = _requests(category_id, pages)
        rounds = max(1, args.requests // 10)
        timings: dict[str, list[float]] = {}
        for kind, params in mix[:10] * rounds:
            started = time.perf_counter()
            response = client.get(url, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (kind, response.status_code)
            timings.setdefault(kind, []).append(elapsed)
    return timings


if __name__ == "__main__":
    sys.exit(main())
