"""Shared set-up of the intake benchmarks: a fresh migrated database, the demo edition's
categories, and a CSV of valid paper entries (one new business per row).

``fresh_database(url)``: for ``sqlite:///path`` the file is deleted first; for
``postgresql://.../name`` a scratch database ``anugerah_bench_<random>`` is created next to
``name`` and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import csv
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from awards import db
from awards.demo import generate_demo, rubric_to_dict, size_thresholds_to_dict
from awards.intake.bulk.records import BUSINESS_COLUMNS, CATEGORY_COLUMN
from awards.intake.form.fields import (
    DateField,
    FileField,
    LongTextField,
    MultipleChoiceField,
    NumberField,
    ShortTextField,
    SingleChoiceField,
    UrlField,
)
from awards.intake.form.formspec import FormSpec
from awards.intake.tables import Category, Edition

SLUG = "bench-2026"


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """Yield the URL of an empty, migrated database (see the module docstring)."""
    if url.startswith("sqlite:///"):
        path = db.sqlite_path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db.configure(url)
        asyncio.run(db.migrate())
        yield url
        return
    import asyncpg

    base, _, _ = url.rpartition("/")
    name = f"anugerah_bench_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        scratch = f"{base}/{name}"
        db.configure(scratch)
        asyncio.run(db.migrate())
        yield scratch
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def create_edition() -> dict[str, Any]:
    """An open edition with the five demo categories (forms, rubric, eligibility)."""
    demo = generate_demo(seed=1, n_businesses=1)
    now = datetime.now(UTC)
    rows = await Edition.insert(
        Edition(
            slug=SLUG, year=2026, name_id="Benchmark 2026", time_zone="Asia/Jakarta",
            intake_opens_at=now - timedelta(days=1), intake_closes_at=now + timedelta(days=30),
            judging_starts_at=now + timedelta(days=31), judging_ends_at=now + timedelta(days=40),
            status="open", size_thresholds=size_thresholds_to_dict(),
            districts=["Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru"],
            sectors=list(demo.sectors),
        )
    ).returning(Edition.id)  # fmt: skip
    edition_id = rows[0]["id"]
    for c in demo.categories:
        await Category.insert(
            Category(
                edition=edition_id, slug=c.slug, code=c.code, position=c.order,
                name_id=c.name_id, name_en=c.name_en, eligibility=c.eligibility.to_dict(),
                form={"version": 1, "fields": c.form}, rubric=rubric_to_dict(c.rubric),
            )
        )  # fmt: skip
    edition = await Edition.select().output(load_json=True).where(Edition.id == edition_id)
    return edition[0]


def _answer(spec: Any, i: int) -> str:
    """A valid answer to ``spec`` for row ``i``, as a spreadsheet cell."""
    if isinstance(spec, ShortTextField):
        return f"Produk unggulan {i}"[: spec.max_length]
    if isinstance(spec, LongTextField):
        return f"Produk nomor {i} dibuat di Malang dengan bahan lokal dan kontrol mutu."
    if isinstance(spec, NumberField):
        low = int(spec.min_value or 0)
        high = int(spec.max_value) if spec.max_value is not None else low + 1000
        return str(low + i % max(high - low, 1))
    if isinstance(spec, SingleChoiceField | MultipleChoiceField):
        return spec.options[i % len(spec.options)].key
    if isinstance(spec, UrlField):
        return f"https://usaha{i}.example.id"
    if isinstance(spec, DateField):
        return f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}"
    return ""


def write_entries_csv(path: Path, rows: int, categories: list[dict[str, Any]]) -> None:
    """``rows`` valid entries, round-robin over categories, each from a new micro business."""
    forms = [(c["slug"], FormSpec.from_dict(c["form"]), c["eligibility"]) for c in categories]
    columns = [*BUSINESS_COLUMNS, CATEGORY_COLUMN]
    for _slug, form, _rules in forms:
        for spec in form.ordered:
            if not isinstance(spec, FileField) and spec.key not in columns:
                columns.append(spec.key)
    districts = ["Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i in range(rows):
            slug, form, rules = forms[i % len(forms)]
            values = {
                "business_name": f"Usaha {i:05d} Malang",
                "owner_name": f"Pemilik {i:05d}",
                "nib": str(9_100_000_000_000 + i),
                "phone": f"+62812{i:08d}",
                "district": districts[i % len(districts)],
                "sector": rules["sectors"][i % len(rules["sectors"])],
                "address": f"Jl. Contoh {i}",
                "year_founded": str(2000 + i % 25),
                "employees": str(1 + i % 4),
                "capital": "50000000",
                "turnover": "300000000",
                CATEGORY_COLUMN: slug,
            }
            for spec in form.fields:
                if not isinstance(spec, FileField):
                    values[spec.key] = _answer(spec, i)
            writer.writerow([values.get(column, "") for column in columns])
