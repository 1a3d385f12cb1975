"""Rows, files and contexts shared by the bulk import tests."""

import io
from pathlib import Path

from openpyxl import Workbook

from awards.intake.bulk.records import ImportCategory
from tests.awards.intake.samples import make_context

DATA = Path(__file__).parents[1] / "data"

VALID = {
    "business_name": "Batik Celaket",
    "owner_name": "Ahmad Fauzi",
    "nib": "9120001234511",
    "phone": "0341-551234",
    "district": "Klojen",
    "sector": "fashion",
    "address": "Jl. Celaket 3",
    "year_founded": "2010",
    "employees": "12",
    "capital": "2.000.000.000",
    "turnover": "4.500.000.000",
    "category": "fashion-kriya",
    "product_name": "Batik tulis motif Teplok",
    "description": "Batik tulis pewarna alami khas Malang.",
    "price": "450000",
    "channel": "Keduanya",
    "markets": "malang; jatim",
}


def csv_bytes(rows, columns=None, delimiter=","):
    columns = columns or list(rows[0])
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(str(row.get(c, "")) for c in columns) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows, columns=None):
    columns = columns or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(report):
    return [(e.row, e.column, e.render()) for e in report.errors]


def named_context():
    base = make_context()
    fashion = base.categories["fashion-kriya"]
    named = {
        "fashion-kriya": ImportCategory(
            "fashion-kriya", fashion.form, fashion.rules, code="FKR",
            name_id="Fashion & Kriya", name_en="Fashion & Crafts",
        ),
        "agribisnis": ImportCategory(
            "agribisnis", fashion.form, fashion.rules, code="AGR",
            name_id="Agribisnis & Olahan Pangan", name_en="Agribusiness & Food Processing",
        ),
    }  # fmt: skip
    return make_context(categories=named)
