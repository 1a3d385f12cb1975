"""Bulk import validation: CSV/XLSX files, row-level errors, eligibility, categories and
options, progress."""

import io
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.records import import_columns
from awards.intake.bulk.tabular import parse_rows
from tests.awards.intake.bulk.import_support import (
    DATA,
    VALID,
    csv_bytes,
    errors_of,
    named_context,
    xlsx_bytes,
)
from tests.awards.intake.samples import make_context


def test_import_csv_fixture_reports_the_one_bad_row_and_column(context):
    """Of three paper entries, only row 3 (a 11-digit NIB) is reported, with its column."""
    rows = parse_rows((DATA / "paper_entries_one_bad_row.csv").read_bytes(), "entries.csv")
    report = validate_import(rows, context)
    assert errors_of(report) == [(3, "nib", "The NIB must be exactly 13 digits; you entered 11.")]
    assert not report.ok
    assert [row.row for row in report.rows] == [2, 4]


def test_import_xlsx_with_one_bad_row_reports_that_row(context):
    """The same check on XLSX: a bad phone in the second data row is reported as row 3, phone."""
    bad = dict(VALID, nib="9120001234522", phone="0812-12")
    report = validate_import(parse_rows(xlsx_bytes([VALID, bad]), "a.xlsx"), context)
    assert errors_of(report) == [(3, "phone", "The phone number is too short.")]


def test_import_errors_of_all_rows_are_reported(context):
    """Every bad row is reported, not just the first one."""
    rows = [dict(VALID, nib=f"912000123450{i}", price="-1" if i % 2 else "5") for i in range(6)]
    report = validate_import(parse_rows(csv_bytes(rows), "a.csv"), context)
    assert [(e.row, e.column) for e in report.errors] == [(3, "price"), (5, "price"), (7, "price")]


def test_import_xlsx_numbers_and_dates_are_read_as_text(context):
    """XLSX numeric NIB, capital and a real date cell validate like their text forms."""
    from datetime import datetime

    row = dict(VALID, nib=9120001234511, capital=2_000_000_000, launched_on=datetime(2023, 8, 17))
    report = validate_import(parse_rows(xlsx_bytes([row]), "a.xlsx"), context)
    assert report.ok
    assert (report.rows[0].business.capital, report.rows[0].answers["launched_on"]) == (
        2_000_000_000,
        "2023-08-17",
    )


def test_import_valid_row_is_cleaned(context):
    """A valid row yields normalized business data, size class and canonical answers."""
    report = validate_import(parse_rows(csv_bytes([VALID]), "a.csv"), context)
    [row] = report.rows
    assert (row.business.phone, row.business.size_class, row.category) == (
        "+62341551234",
        "small",
        "fashion-kriya",
    )
    assert row.answers["channel"] == "both"
    assert row.answers["markets"] == ["malang", "jatim"]


def test_import_semicolon_csv_from_indonesian_excel_is_read(context):
    """A ';'-delimited CSV (Excel with Indonesian regional settings) parses the same."""
    report = validate_import(parse_rows(csv_bytes([VALID], delimiter=";"), "a.csv"), context)
    assert report.ok
    assert len(report.rows) == 1


def test_import_windows_1252_csv_is_read(context):
    """A CSV saved in Windows-1252 (Excel's default 'CSV') is decoded."""
    data = csv_bytes([dict(VALID, owner_name="Andrés")]).decode("utf-8").encode("cp1252")
    report = validate_import(parse_rows(data, "a.csv"), context)
    assert report.rows[0].business.owner_name == "Andrés"


def test_import_duplicate_row_in_file_is_reported(context):
    """The same entry twice in one file is reported on the second row."""
    report = validate_import(parse_rows(csv_bytes([VALID, VALID]), "a.csv"), context)
    assert errors_of(report) == [(3, "", "This row repeats row 2.")]


def test_import_same_nib_with_other_details_is_reported(context):
    """Two rows with one NIB but different owner names are reported on the later row."""
    business = {k: VALID[k] for k in list(VALID)[:11]}
    other = dict(business, owner_name="Siti Aminah", category="kuliner", menu="Rawon")
    report = validate_import(
        parse_rows(csv_bytes([VALID, other], [*VALID, "menu"]), "a.csv"), context
    )
    assert errors_of(report) == [(3, "owner_name", "Row 2 gives other details for the same NIB.")]


def test_import_entry_limit_counts_existing_and_earlier_rows():
    """With one entry allowed, an existing entry makes the row ineligible (category column)."""
    context = make_context(existing_entry_counts={("9120001234511", "fashion-kriya"): 1})
    report = validate_import(parse_rows(csv_bytes([VALID]), "a.csv"), context)
    assert [(e.row, e.column) for e in report.errors] == [(2, "category")]


def test_import_large_business_is_ineligible_by_size_class(context):
    """A turnover above Rp50 bn makes the business large, refused by UMKM-only categories."""
    row = dict(VALID, turnover="60.000.000.000")
    report = validate_import(parse_rows(csv_bytes([row]), "a.csv"), context)
    assert errors_of(report) == [
        (2, "turnover", "The business is large (not UMKM) by its capital and turnover; this "
                        "category is open to micro, small, medium businesses only.")
    ]  # fmt: skip


@pytest.mark.parametrize("column", ["capital", "turnover"])
def test_import_capital_and_turnover_are_required_like_the_entrant_declaration(context, column):
    """An empty capital or turnover is refused with a message naming the column and the row,
    as an entrant must declare both before submitting."""
    rows = [VALID, dict(VALID, nib="9120001234522", business_name="Batik Dua", **{column: ""})]
    report = validate_import(parse_rows(csv_bytes(rows), "a.csv"), context)
    label = {"capital": "Business capital (Rp)", "turnover": "Annual turnover (Rp)"}[column]
    assert errors_of(report) == [
        (3, column, f"Column {column} must be filled in on row 3: {label}.")
    ]


def test_import_errors_are_worded_to_the_organizer_in_indonesian(context):
    """The Indonesian report says "Kolom capital wajib diisi pada baris 2"
    and words the entry limit about "this business", not "you"."""
    from awards.i18n import _, use_language

    missing = validate_import(parse_rows(csv_bytes([dict(VALID, capital="")]), "a.csv"), context)
    limited = validate_import(
        parse_rows(csv_bytes([VALID]), "a.csv"),
        replace(context, existing_entry_counts={("9120001234511", "fashion-kriya"): 1}),
    )
    with use_language("id"):
        texts = [e.render(_) for e in missing.errors + limited.errors]

    assert texts[0] == "Kolom capital wajib diisi pada baris 2: Modal usaha (Rp)."
    assert texts[1].startswith("Usaha ini sudah memiliki 1 pendaftaran di kategori ini")
    assert all("Anda" not in text for text in texts)


def test_import_column_of_another_category_is_reported(context):
    """A value in a column of another category's form is reported."""
    row = dict(VALID, menu="Rawon")
    report = validate_import(parse_rows(csv_bytes([row]), "a.csv"), context)
    assert errors_of(report) == [(2, "menu", "This column belongs to another category's form.")]


def test_import_missing_required_answer_is_reported(context):
    """A required question left empty on a paper entry is reported (imports are final)."""
    row = dict(VALID, description="")
    report = validate_import(parse_rows(csv_bytes([row]), "a.csv"), context)
    assert errors_of(report) == [(2, "description", "This field is required.")]


def test_import_unknown_and_missing_columns_are_reported_on_the_header(context):
    """An unknown column and a missing required column stop validation with header errors."""
    row = {k: v for k, v in VALID.items() if k != "phone"} | {"telepon": "0812"}
    report = validate_import(parse_rows(csv_bytes([row]), "a.csv"), context)
    assert errors_of(report) == [
        (1, "telepon", "Unknown column telepon."),
        (1, "phone", "The column phone is missing."),
    ]


def test_import_unknown_category_is_reported(context):
    """A category slug that the edition lacks is reported with the choices."""
    data = csv_bytes([dict(VALID, category="otomotif")])
    report = validate_import(parse_rows(data, "a.csv"), context)
    assert errors_of(report) == [
        (2, "category", "Unknown category; choose one of: fashion-kriya, kuliner.")
    ]


def test_import_empty_file_is_reported(context):
    """A header without rows is reported as 'no entries'."""
    data = ",".join(import_columns(context.categories.values())).encode()
    report = validate_import(parse_rows(data, "a.csv"), context)
    assert errors_of(report) == [(1, "", "The file has no entries.")]


def test_import_wrong_file_type_is_reported(context):
    """A .pdf (or any non-CSV/XLSX) file is refused as a whole."""
    report = validate_import(parse_rows(b"%PDF-1.4", "a.pdf"), context)
    assert errors_of(report) == [(1, "", "Upload a .csv or .xlsx file.")]


def test_import_corrupt_xlsx_is_reported(context):
    """Bytes that are not a workbook give a file-level error."""
    report = validate_import(parse_rows(b"not a zip", "a.xlsx"), context)
    assert errors_of(report) == [(1, "", "The file is not a valid .xlsx workbook.")]


def test_import_progress_callback_reports_rows_processed(context):
    """progress is called every N rows and once at the end with the total."""
    rows = [dict(VALID, nib=f"91200012345{i:02d}") for i in range(5)]
    seen = []
    rows_in = parse_rows(csv_bytes(rows), "a.csv")
    validate_import(rows_in, context, progress=seen.append, progress_every=2)
    assert seen == [2, 4, 5]


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(
        st.dictionaries(
            st.sampled_from([*import_columns(make_context().categories.values())]),
            st.text(max_size=30),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_import_arbitrary_cell_text_is_reported_never_raised(cells):
    """Whatever text the cells hold, validation reports errors instead of raising."""
    columns = import_columns(make_context().categories.values())
    rows = [(n, {c: row.get(c, "") for c in columns}) for n, row in enumerate(cells, start=2)]
    report = validate_import(rows, make_context())
    assert report.total_rows == len(cells)


@pytest.mark.parametrize(
    ("cell", "slug"),
    [
        ("agribisnis", "agribisnis"),
        ("AGR", "agribisnis"),
        ("agr", "agribisnis"),
        ("Agribisnis & Olahan Pangan", "agribisnis"),
        ("  agribisnis  &  olahan pangan ", "agribisnis"),
        ("AGRIBUSINESS & FOOD PROCESSING", "agribisnis"),
        ("Fashion & Kriya", "fashion-kriya"),
        ("FKR", "fashion-kriya"),
    ],
)
def test_import_category_accepts_slug_code_or_either_name(cell, slug):
    """The category cell may hold the slug, the code or the Indonesian/English name, in any
    case and with extra spaces; the row is stored under the slug."""
    data = csv_bytes([dict(VALID, category=cell)])

    report = validate_import(parse_rows(data, "a.csv"), named_context())

    assert errors_of(report) == []
    assert [row.category for row in report.rows] == [slug]


def test_import_unknown_category_lists_slugs_with_names():
    """An unknown category is refused with each slug and its Indonesian name."""
    data = csv_bytes([dict(VALID, category="Otomotif")])

    report = validate_import(parse_rows(data, "a.csv"), named_context())

    assert errors_of(report) == [
        (2, "category", "Unknown category; choose one of: fashion-kriya (Fashion & Kriya), "
         "agribisnis (Agribisnis & Olahan Pangan).")
    ]  # fmt: skip


def test_import_single_choice_accepts_label_in_any_case(context):
    """A single-choice cell may hold the option's label in either language, any case."""
    rows = [dict(VALID, channel="TOKO FISIK"), dict(VALID, channel="online", nib="9120001234512")]

    report = validate_import(parse_rows(csv_bytes(rows), "a.csv"), context)

    assert errors_of(report) == []
    assert [row.answers["channel"] for row in report.rows] == ["offline", "online"]


def test_import_unknown_option_lists_keys_and_labels(context):
    """A value that is no option (a part of a label) is refused, listing key and label."""
    data = csv_bytes([dict(VALID, channel="Toko")])

    report = validate_import(parse_rows(data, "a.csv"), context)

    assert errors_of(report) == [
        (2, "channel", "Choose one of: offline (Toko fisik), online (Daring), both (Keduanya).")
    ]


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``sheet_xml``."""
    import zipfile

    workbook = Workbook()
    workbook.active.append(["nib", "kategori"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, sheet_xml if item.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


def test_import_xlsx_with_broken_xml_is_reported(context):
    """A workbook whose sheet XML is cut off is refused as a file, not a server error."""
    report = validate_import(
        parse_rows(_xlsx_with_sheet(b"<worksheet><sheetData><row"), "a.xlsx"), context
    )
    assert errors_of(report) == [(1, "", "The file is not a valid .xlsx workbook.")]


def test_import_xlsx_with_entity_declarations_is_refused(context):
    """A sheet declaring XML entities (billion laughs) is refused before any expansion."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    report = validate_import(parse_rows(_xlsx_with_sheet(bomb), "a.xlsx"), context)
    assert errors_of(report) == [(1, "", "The file is not a valid .xlsx workbook.")]
