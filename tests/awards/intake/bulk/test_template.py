"""Import templates: the CSV and XLSX headers, the guide sheet, and filled templates that
validate clean."""

import io
from dataclasses import replace

from openpyxl import load_workbook

from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.records import ImportCategory, import_columns
from awards.intake.bulk.tabular import parse_rows
from awards.intake.bulk.template import guide_rows, template_csv, template_xlsx
from awards.intake.form.formspec import FormSpec
from tests.awards.intake.bulk.import_support import VALID, named_context
from tests.awards.intake.samples import make_context


def test_template_guide_marks_capital_and_turnover_required():
    """The guide sheet says "yes" in the Required column for capital and turnover."""
    context = make_context()
    rows = {row[0]: row for row in guide_rows(list(context.categories.values()))}
    assert (rows["capital"][2], rows["turnover"][2]) == ("yes", "yes")


def test_template_csv_has_business_category_and_form_columns(context):
    """The CSV template header lists business columns, category, then non-file form keys."""
    header = template_csv(list(context.categories.values())).decode("utf-8-sig").strip()
    columns = header.split(",")
    assert columns[:12] == [
        "business_name", "owner_name", "nib", "phone", "district", "sector", "address",
        "year_founded", "employees", "capital", "turnover", "category",
    ]  # fmt: skip
    assert columns[12:] == [
        "product_name", "description", "price", "output_kg", "channel", "markets", "website",
        "launched_on", "menu",
    ]  # fmt: skip


def test_template_csv_filled_with_one_valid_row_validates_clean(context):
    """Filling the CSV template with one row gives a clean report."""
    template = template_csv(list(context.categories.values())).decode("utf-8-sig")
    columns = template.strip().split(",")
    filled = template + ",".join(VALID.get(c, "") for c in columns) + "\r\n"
    report = validate_import(parse_rows(filled.encode("utf-8"), "t.csv"), context)
    assert (report.ok, len(report.rows)) == (True, 1)


def test_template_xlsx_filled_with_one_valid_row_validates_clean(context):
    """Filling the XLSX template (as a user would in Excel) gives a clean report."""
    workbook = load_workbook(io.BytesIO(template_xlsx(list(context.categories.values()))))
    sheet = workbook["Entries"]
    columns = [cell.value for cell in sheet[1]]
    sheet.append([VALID.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = validate_import(parse_rows(buffer.getvalue(), "t.xlsx"), context)
    assert (report.ok, len(report.rows)) == (True, 1)
    assert workbook.sheetnames == ["Entries", "Petunjuk"]


def test_template_csv_for_one_category_has_only_its_questions(context):
    """A per-category CSV template lists the business columns, category and that category's
    non-file questions only."""
    categories = list(context.categories.values())

    header = template_csv(categories, category="kuliner").decode("utf-8-sig").strip().split(",")

    assert header[-2:] == ["category", "menu"]
    assert "product_name" not in header


def test_template_guide_describes_every_column():
    """The guide sheet has one row per template column giving its category ("all" for business
    columns), required flag, allowed values and format."""
    context = named_context()
    categories = list(context.categories.values())
    workbook = load_workbook(io.BytesIO(template_xlsx(categories)))

    rows = {row[0]: row for row in workbook["Petunjuk"].iter_rows(min_row=2, values_only=True)}

    assert set(import_columns(categories)) <= set(rows)
    assert rows["nib"][1:3] == ("all", "yes")
    assert rows["address"][2] == "no"
    assert rows["district"][4] == "Klojen, Blimbing, Kedungkandang, Sukun, Lowokwaru"
    assert "kuliner = Kuliner (makanan & minuman)" in rows["sector"][4]
    assert "micro up to Rp2.000.000.000" in rows["turnover"][4]
    assert "whole number" in rows["capital"][5]
    assert "agribisnis = Agribisnis & Olahan Pangan (AGR)" in rows["category"][4]
    assert rows["channel"][1:5] == (
        "Fashion & Kriya, Agribisnis & Olahan Pangan",
        "yes",
        "Saluran penjualan",
        "offline = Toko fisik; online = Daring; both = Keduanya",
    )
    assert "';'" in rows["markets"][5]
    assert "YYYY-MM-DD" in rows["launched_on"][5]
    assert rows["price"][5] == "Whole number. Minimum 0. Maximum 10000000."
    assert "photos" not in rows


def test_template_guide_has_a_row_per_definition_of_a_shared_column():
    """A column two categories define differently (other options) gets one guide row per
    definition, each naming its category and its own allowed values."""
    base = make_context().categories["fashion-kriya"]
    channel = base.form.field("channel")
    narrow = replace(channel, options=channel.options[:1])
    other_form = FormSpec(
        tuple(narrow if spec.key == "channel" else spec for spec in base.form.fields)
    )
    categories = [
        ImportCategory("fashion-kriya", base.form, name_id="Fashion & Kriya"),
        ImportCategory("jasa", other_form, name_id="Jasa"),
    ]

    rows = [row for row in guide_rows(categories) if row[0] == "channel"]

    assert [(row[1], row[4]) for row in rows] == [
        ("Fashion & Kriya", "offline = Toko fisik; online = Daring; both = Keduanya"),
        ("Jasa", "offline = Toko fisik"),
    ]
    assert len([row for row in guide_rows(categories) if row[0] == "product_name"]) == 1
