"""Entry exports: CSV and XLSX with answers as columns, localized headers and values, ISO times
with the offset, the XLSX layout and data dictionary, round trip through the importer."""

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

from openpyxl import load_workbook

from awards.i18n import translations
from awards.intake.bulk.exporting import (
    ExportEntry,
    ExportLanguage,
    export_columns,
    export_headers,
    iter_csv,
    write_xlsx,
)
from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.records import (
    BUSINESS_COLUMN_LABELS,
    EXPORT_COLUMN_LABELS,
    EXPORT_ONLY_COLUMNS,
    BusinessRecord,
)
from awards.intake.bulk.tabular import normalize_header, parse_rows
from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.form.fields import I18nText, ShortTextField
from awards.intake.form.formspec import FormSpec
from tests.awards.intake.samples import make_context


def errors_of(report):
    return [(e.row, e.column, e.render()) for e in report.errors]


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
    assert (row["nib_(nomor_induk_berusaha)"], row["phone"], row["submitted_at"]) == (
        "9120001234511",
        "+62341551234",
        "2026-05-02T10:30:00+07:00",
    )
    assert (row["markets"], row["product_photos"], row["description"]) == (
        "Greater Malang; East Java",
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
    nib, phone = values["NIB (Nomor Induk Berusaha)"], values["Phone"]
    assert (nib.data_type, phone.data_type) == ("s", "s")
    assert values["Business capital (Rp)"].value == 2_000_000_000


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
        "screening": "Not eligible",
        "screening_reason": "Omzet melebihi batas usaha menengah.",
        "business_email": "batik.celaket@example.org",
        "source": "Online form",
    }
    assert row["size_class"] == "small"
    assert (row["created_at"], row["submitted_at"], row["updated_at"]) == (
        "2026-05-01T06:05:40+07:00",
        "2026-05-02T10:30:00+07:00",
        "2026-05-03T08:00:00+07:00",
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


INDONESIAN = ExportLanguage(
    language="id",
    gettext=translations("id").gettext,
    categories={"fashion-kriya": "Fashion & Kriya", "kuliner": "Kuliner"},
)


def _xlsx(entries, words=INDONESIAN):
    buffer = io.BytesIO()
    write_xlsx(entries, forms(), buffer, words=words)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_export_in_indonesian_names_statuses_sizes_sectors_and_choices():
    """An Indonesian export has Indonesian headers, and names instead of codes: status
    "Ditarik", size "kecil", sector and category names, screening empty for a withdrawn entry,
    choice answers as option labels."""
    withdrawn = ExportEntry(**{**ENTRY.__dict__, "status": "withdrawn"})
    text = "".join(iter_csv([ENTRY, withdrawn], forms(), words=INDONESIAN))
    header, first, second = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[:3]
    row, other = dict(zip(header, first, strict=True)), dict(zip(header, second, strict=True))

    assert header[:4] == ["Nomor tanda terima", "Status", "Kategori", "Nama usaha"]
    assert (row["Status"], other["Status"]) == ("Terkirim", "Ditarik")
    assert (row["Skala usaha"], row["Kategori"], row["Sektor"]) == (
        "kecil",
        "Fashion & Kriya",
        "Fashion",
    )
    assert (row["Pemeriksaan"], other["Pemeriksaan"]) == ("Tidak memenuhi syarat", "")
    assert (row["Sumber"], row["Saluran penjualan"], row["Pasar"]) == (
        "Formulir daring",
        "Keduanya",
        "Malang Raya; Jawa Timur",
    )
    assert row["Waktu dikirim"] == "2026-05-02T10:30:00+07:00"
    assert "submitted" not in first + second


def test_export_indonesian_csv_imports_again_with_the_same_answers():
    """An Indonesian export, headers and names included, validates clean on import and gives
    back the same business and answers (keys, not labels)."""
    text = "".join(iter_csv([ENTRY], forms(), words=INDONESIAN))
    aliases = {
        normalize_header(translations("id").gettext(label)): column
        for column, label in (*BUSINESS_COLUMN_LABELS.items(), *EXPORT_COLUMN_LABELS.items())
    }
    base = make_context()
    named = {slug: replace(c, name_id=INDONESIAN.categories[slug]) for slug, c in
             base.categories.items()}  # fmt: skip
    context = replace(base, categories=named, aliases=aliases)

    report = validate_import(parse_rows(text.encode("utf-8"), "ekspor.csv"), context)

    assert errors_of(report) == []
    assert report.rows[0].business == BUSINESS
    assert report.rows[0].answers == {k: v for k, v in ANSWERS.items() if k != "photos"}


def test_export_xlsx_has_frozen_header_filter_and_fitted_widths():
    """The entries sheet freezes row 1, filters over every column and row, and sizes each
    column to its longest text (8 to 60 characters, plus padding)."""
    sheet = _xlsx([ENTRY, ENTRY])["Pendaftaran"]
    last = sheet.cell(row=1, column=sheet.max_column).column_letter
    widths = {
        sheet.cell(row=1, column=n).value: sheet.column_dimensions[
            sheet.cell(row=1, column=n).column_letter
        ].width
        for n in range(1, sheet.max_column + 1)
    }

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last}3"
    assert sheet["A1"].font.bold
    assert widths["Nomor tanda terima"] == len("Nomor tanda terima") + 2
    assert widths["Alasan pemeriksaan"] == len("Omzet melebihi batas usaha menengah.") + 2
    assert widths["Status"] == 8 + 2


def test_export_xlsx_data_dictionary_describes_every_column():
    """The second sheet, "Kamus data", has one row per export column in order: its header, its
    import name, a meaning and, for coded columns, the allowed names."""
    workbook = _xlsx([ENTRY])
    entries, dictionary = workbook.worksheets
    rows = list(dictionary.iter_rows(values_only=True))
    by_key = {row[1]: row for row in rows[1:]}

    assert dictionary.title == "Kamus data"
    assert rows[0] == ("Kolom", "Nama kolom untuk impor", "Arti", "Nilai atau format")
    assert [row[0] for row in rows[1:]] == [cell.value for cell in entries[1]]
    assert [row[1] for row in rows[1:]] == export_columns(forms())
    assert all(row[2] for row in rows[1:])
    assert by_key["status"][3] == "Draf; Terkirim; Ditarik"
    assert "+07:00" in by_key["submitted_at"][3]
    assert by_key["markets"][2] == "Pilihan ganda"
    assert "Jawa Timur (jatim)" in by_key["markets"][3]


def test_export_headers_that_would_repeat_name_the_key():
    """Two questions with the same label get distinct headers: the second reads "label (key)"."""
    columns = export_headers([*forms(), FormSpec((ShortTextField(
        key="nama_lain", label=I18nText("Product name", "Product name")),))])  # fmt: skip
    headers = [column.header for column in columns]

    assert "Product name" in headers
    assert "Product name (nama_lain)" in headers
    assert len({normalize_header(h) for h in headers}) == len(headers)
