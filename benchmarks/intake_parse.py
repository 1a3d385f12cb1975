"""Parse + validate 30,000 paper entries from CSV and from XLSX: wall time and peak memory.

Run: ``uv run python benchmarks/intake_parse.py [ROWS]``. Prints, per format, the time and peak
heap of ``parse_rows`` alone (rows not kept: the streaming cost), then the time of
``validate_import(parse_rows(...))`` (best of 3 runs, without tracing) and the peak Python heap
during one run measured with ``tracemalloc`` (a separate run, since tracing slows Python down).
The input file size and the number of clean rows are printed as a sanity check.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import time
import tracemalloc
from decimal import Decimal

from openpyxl import Workbook

from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.records import ImportCategory, ImportContext, import_columns
from awards.intake.bulk.tabular import parse_rows
from awards.intake.businesses.identity import DEFAULT_DISTRICTS
from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.form.fields import (
    I18nText,
    LongTextField,
    MultipleChoiceField,
    NumberField,
    Option,
    ShortTextField,
    SingleChoiceField,
)
from awards.intake.form.formspec import FormSpec

CATEGORIES = ("kuliner", "fashion-kriya", "kreatif-digital", "agribisnis", "jasa-pariwisata")
SECTORS = ("kuliner", "fashion", "kriya", "kreatif-digital", "agribisnis", "jasa", "pariwisata")
FIRST = ("Sri", "Budi", "Siti", "Agus", "Dewi", "Eko", "Rina", "Joko", "Wati", "Hadi")
LAST = ("Wahyuni", "Santoso", "Aminah", "Prasetyo", "Lestari", "Saputra", "Kurniawan")
PRODUCTS = ("Keripik tempe", "Batik tulis", "Kopi robusta", "Sambal pecel", "Tas anyaman")


def make_context() -> ImportContext:
    form = FormSpec(
        (
            ShortTextField(key="product_name", label=I18nText("Nama produk"), required=True, max_length=80),  # noqa: E501
            LongTextField(key="description", label=I18nText("Deskripsi"), required=True, max_chars=500),  # noqa: E501
            NumberField(key="price", label=I18nText("Harga"), min_value=Decimal(0)),
            SingleChoiceField(key="channel", label=I18nText("Saluran"), required=True, options=(
                Option("offline", I18nText("Toko fisik")), Option("online", I18nText("Daring")),
                Option("both", I18nText("Keduanya")))),
            MultipleChoiceField(key="markets", label=I18nText("Pasar"), options=(
                Option("malang", I18nText("Malang Raya")), Option("jatim", I18nText("Jawa Timur")),
                Option("nasional", I18nText("Nasional")), Option("ekspor", I18nText("Ekspor")))),
        )
    )  # fmt: skip
    rules = EligibilityRules(size_classes=(SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM))
    return ImportContext(
        categories={slug: ImportCategory(slug, form, rules) for slug in CATEGORIES},
        current_year=2026,
    )


def make_rows(count: int, columns: list[str]) -> list[list[object]]:
    rng = random.Random(7)
    rows = []
    for index in range(count):
        values = {
            "business_name": f"{rng.choice(PRODUCTS)} {rng.choice(FIRST)} {index}",
            "owner_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "nib": f"{9120000000000 + index}",
            "phone": f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "district": rng.choice(DEFAULT_DISTRICTS),
            "sector": rng.choice(SECTORS),
            "address": f"Jl. Soekarno Hatta No. {rng.randint(1, 300)}, Malang",
            "year_founded": rng.randint(1995, 2025),
            "employees": rng.randint(1, 40),
            "capital": f"Rp {rng.randint(10, 9_000):,}.000.000".replace(",", "."),
            "turnover": rng.randint(50, 40_000) * 1_000_000,
            "category": CATEGORIES[index % len(CATEGORIES)],
            "product_name": f"{rng.choice(PRODUCTS)} khas Malang",
            "description": "Produk rumahan dengan bahan lokal pilihan. " * rng.randint(1, 4),
            "price": rng.randint(5, 500) * 1000,
            "channel": rng.choice(("offline", "Daring", "both")),
            "markets": ";".join(rng.sample(("malang", "jatim", "nasional", "ekspor"), 2)),
        }
        rows.append([values.get(column, "") for column in columns])
    return rows


def csv_file(columns: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(columns: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Entries")
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_parse_only(label: str, data: bytes, filename: str) -> None:
    """Iterate ``parse_rows`` without keeping rows: the streaming cost of reading alone."""
    start = time.perf_counter()
    count = sum(1 for _ in parse_rows(data, filename))
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    for _ in parse_rows(data, filename):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:5} parse_rows only: {count} rows in {elapsed:6.2f} s, "
        f"peak heap {peak / 1e6:5.1f} MB"
    )


def measure(label: str, data: bytes, filename: str, context: ImportContext) -> None:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        report = validate_import(parse_rows(data, filename), context)
        times.append(time.perf_counter() - start)
    del report
    tracemalloc.start()
    report = validate_import(parse_rows(data, filename), context)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:5} {report.total_rows:>6} rows  file {len(data) / 1e6:6.2f} MB  "
        f"time best {min(times):6.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})  "
        f"peak heap {peak / 1e6:6.1f} MB  clean rows {len(report.rows)}  errors "
        f"{len(report.errors)}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=30_000, help="rows to generate")
    count = parser.parse_args(argv).rows
    context = make_context()
    columns = import_columns(context.categories.values())
    rows = make_rows(count, columns)
    csv_data, xlsx_data = csv_file(columns, rows), xlsx_file(columns, rows)
    del rows
    print(f"Python {sys.version.split()[0]}; parse_rows + validate_import, {count} rows")
    measure_parse_only("CSV", csv_data, "entries.csv")
    measure_parse_only("XLSX", xlsx_data, "entries.xlsx")
    measure("CSV", csv_data, "entries.csv", context)
    measure("XLSX", xlsx_data, "entries.xlsx", context)


if __name__ == "__main__":
    main()
