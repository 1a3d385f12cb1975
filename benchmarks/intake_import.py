"""Bulk import of 30,000 paper entries from CSV into a fresh database: time and peak memory.

Run: ``uv run python benchmarks/intake_import.py [--rows 30000]
[--database-url sqlite:///var/bench/import.sqlite | postgresql://postgres@127.0.0.1:5432/postgres]``

Generates a CSV of valid rows (one new micro business per row, round-robin over the five demo
categories), then imports it the way ``anugerah import-entries`` does: validate every row
(nothing written), then insert businesses, declarations and entries in one transaction in
chunks of 500. Two runs on two fresh databases: the first untraced (wall time of each phase,
and ``ru_maxrss`` of the process afterwards), the second under ``tracemalloc`` (peak Python
heap; tracing slows Python down, so its time is not reported). For PostgreSQL the URL names an
existing database next to which a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from intake_common import create_edition, fresh_database, write_entries_csv

from awards.intake.bulk import service as bulk
from awards.intake.editions.service import edition_categories
from awards.intake.tables import Business, Entry


async def _run(csv_path: Path) -> dict[str, float]:
    edition = await create_edition()
    started = time.perf_counter()
    report = await bulk.validate_file(edition, csv_path, csv_path.name)
    validated = time.perf_counter()
    if not report.ok:
        raise SystemExit(f"unexpected row errors, first: {report.errors[:3]}")
    outcome = await bulk.import_rows(edition, report)
    inserted = time.perf_counter()
    entries, businesses = await Entry.count(), await Business.count()
    assert entries == outcome.created == report.total_rows, (entries, outcome)
    return {
        "rows": report.total_rows,
        "businesses": businesses,
        "validate_s": validated - started,
        "insert_s": inserted - validated,
        "total_s": inserted - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'import.sqlite'}"
        csv_path = Path(tmp) / "entries.csv"
        write_entries_csv_started = time.perf_counter()
        with fresh_database(url) as scratch:
            categories = asyncio.run(_categories())
            write_entries_csv(csv_path, args.rows, categories)
            generated = time.perf_counter() - write_entries_csv_started
            timings = asyncio.run(_run(csv_path))
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        backend = "PostgreSQL" if scratch.startswith("postgres") else "SQLite"
        print(f"backend            {backend}")
        print(f"rows imported      {timings['rows']:,} ({timings['businesses']:,} businesses)")
        print(
            f"csv size           {csv_path.stat().st_size / 1e6:.1f} MB (made in {generated:.1f} s)"
        )
        print(f"validate           {timings['validate_s']:.2f} s")
        print(f"insert             {timings['insert_s']:.2f} s")
        print(f"total              {timings['total_s']:.2f} s "
              f"({timings['rows'] / timings['total_s']:,.0f} rows/s)")  # fmt: skip
        print(f"ru_maxrss          {maxrss_mb:.0f} MB (whole process, after the import)")
        if not args.no_trace:
            with fresh_database(url):
                tracemalloc.start()
                asyncio.run(_run(csv_path))
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            print(f"tracemalloc peak   {peak / 1e6:.1f} MB (Python heap during validate+insert)")
    return 0


async def _categories() -> list[dict]:
    edition = await create_edition()
    rows = await edition_categories(edition["id"])
    await _drop_edition(edition["id"])
    return rows


async def _drop_edition(edition_id: int) -> None:
    from awards.intake.tables import Category, Edition

    await Category.delete().where(Category.edition == edition_id)
    await Edition.delete().where(Edition.id == edition_id)


if __name__ == "__main__":
    sys.exit(main())
