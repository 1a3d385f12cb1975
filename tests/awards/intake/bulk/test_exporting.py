"""Entry exports: CSV and XLSX with answers as columns, round trip through the importer."""

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from awards.intake.bulk.exporting import ExportEntry, export_columns, iter_csv, write_xlsx
from awards.intake.bulk.importing import (
    EXPORT_ONLY_COLUMNS,
    BusinessRecord,
    parse_rows,
    validate_import,
)
from awards.intake.sizeclass import SizeClass
from tests.awards.intake.samples import make_context

BUSINESS = BusinessRecord(
    business_name="Batik Celaket",
    owner_name="Ahmad Fauzi",
    nib="9120001234511",
    phone="+62341551234",
    district="Klojen",
    sector="fashion",
    address="Jl. Celaket 3",
    year_founded=2010,
    employees=12,
    capital=2_000_000_000,
    turnover=4_500_000_000,
    size_class=SizeClass.SMALL,
)
ANSWERS = {
    "product_name": "Batik tulis motif Teplok",
    "description": "Batik tulis pewarna alami.\nKhas Malang.",
    "price": 450000,
    "output_kg": "12.50",
    "channel": "both",
    "markets": ["malang", "jatim"],
    "launched_on": "2023-08-17",
    "photos": [{"key": "ab/cd/x.jpg", "original_name": "batik.jpg", "content_type": "image/jpeg"}],
}
ENTRY = ExportEntry(
    receipt_number="MUA-2026-00017",
    status="submitted",
    category="fashion-kriya",
    business=BUSINESS,
    answers=ANSWERS,
    submitted_at=datetime(2026, 5, 2, 3, 30, tzinfo=UTC),
    screening="ineligible",
    screening_reason="Omzet melebihi batas usaha menengah.",
    business_email="batik.celaket@example.org",
    source="web",
    created_at=datetime(2026, 4, 30, 23, 5, 40, tzinfo=UTC),
    updated_at=datetime(2026, 5, 3, 1, 0, tzinfo=UTC),
)


def forms():
    return [category.form for category in make_context().categories.values()]


def test_export_columns_put_answers_after_fixed_columns():
    """Fixed and business columns come first, then every form key once, files included."""
    columns = export_columns(forms())
    assert columns[:3] == ["receipt_number", "status", "category"]
    assert columns[-3:] == ["launched_on", "photos", "menu"]


def test_export_csv_round_trips_through_the_importer():
    """An exported CSV parses back to the same texts, in Jakarta time, files by name."""
    text = "".join(iter_csv([ENTRY], forms()))
    [(number, row)] = list(parse_rows(text.encode("utf-8"), "export.csv"))
    assert number == 2
    assert (row["nib"], row["phone"], row["submitted_at"]) == (
        "9120001234511",
        "+62341551234",
        "2026-05-02 10:30",
    )
    assert (row["markets"], row["photos"], row["description"]) == (
        "malang; jatim",
        "batik.jpg",
        "Batik tulis pewarna alami.\nKhas Malang.",
    )


def test_export_csv_reimports_with_the_same_dedup_key():
    """Re-importing an export validates clean and reproduces the entry's answers."""
    text = "".join(iter_csv([ENTRY], forms()))
    report = validate_import(parse_rows(text.encode("utf-8"), "export.csv"), make_context())
    assert report.ok
    [row] = report.rows
    assert row.business == BUSINESS
    assert row.answers == {k: v for k, v in ANSWERS.items() if k != "photos"}


def test_export_xlsx_round_trips_through_the_importer():
    """An exported workbook parses back to the same values as the CSV export."""
    buffer = io.BytesIO()
    write_xlsx([ENTRY], forms(), buffer)
    csv_row = next(parse_rows("".join(iter_csv([ENTRY], forms())).encode(), "e.csv"))[1]
    xlsx_row = next(parse_rows(buffer.getvalue(), "e.xlsx"))[1]
    assert xlsx_row == csv_row


def test_export_xlsx_keeps_nib_and_phone_as_text():
    """NIB and phone are text cells (no 9.12E+12, no lost '+'); amounts are numbers."""
    buffer = io.BytesIO()
    write_xlsx([ENTRY], forms(), buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Entries"]
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, sheet[2], strict=True))
    assert (values["nib"].data_type, values["phone"].data_type) == ("s", "s")
    assert values["capital"].value == 2_000_000_000


def test_export_formula_like_text_is_neutralized():
    """A name starting with '=' is a text cell in XLSX and quoted in CSV, and re-imports intact."""
    evil = ExportEntry(**{**ENTRY.__dict__, "business": BusinessRecord(
        **{**BUSINESS.__dict__, "business_name": '=HYPERLINK("http://x","klik")'})})  # fmt: skip
    text = "".join(iter_csv([evil], forms()))
    assert "'=HYPERLINK" in text
    assert next(parse_rows(text.encode(), "e.csv"))[1]["business_name"].startswith("=HYPERLINK")
    buffer = io.BytesIO()
    write_xlsx([evil], forms(), buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Entries"]
    assert sheet["D2"].data_type == "s"


def test_export_csv_streams_in_chunks():
    """1,200 entries come out as several chunks (header+500, 500, 200), not one string."""
    chunks = list(iter_csv([ENTRY] * 1200, forms()))
    assert len(chunks) == 3
    assert sum(chunk.count("MUA-2026-00017") for chunk in chunks) == 1200


def test_export_has_screening_email_source_and_local_times():
    """The export carries screening status and reason, business email, source, size class and
    created/submitted/updated times in the edition's time zone (Jakarta, UTC+7)."""
    text = "".join(iter_csv([ENTRY], forms()))

    [(_number, row)] = list(parse_rows(text.encode("utf-8"), "export.csv"))

    assert {k: row[k] for k in ("screening", "screening_reason", "business_email", "source")} == {
        "screening": "ineligible",
        "screening_reason": "Omzet melebihi batas usaha menengah.",
        "business_email": "batik.celaket@example.org",
        "source": "web",
    }
    assert row["size_class"] == "small"
    assert (row["created_at"], row["submitted_at"], row["updated_at"]) == (
        "2026-05-01 06:05",
        "2026-05-02 10:30",
        "2026-05-03 08:00",
    )


def test_export_only_columns_are_ignored_on_import():
    """Every export-only column is accepted and ignored by the importer (no unknown-column
    error; the answers and business come back unchanged)."""
    columns = export_columns(forms())

    report = validate_import(
        parse_rows("".join(iter_csv([ENTRY], forms())).encode(), "e.csv"), make_context()
    )

    assert set(EXPORT_ONLY_COLUMNS) <= set(columns)
    assert report.ok
    assert report.rows[0].business == BUSINESS
