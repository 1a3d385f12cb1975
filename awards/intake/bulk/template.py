"""The import templates: a CSV header (all categories, or one category's columns) and an XLSX
workbook whose second sheet ("Petunjuk" / "Guide") explains every column.

The guide has one row per column: the column name, the categories it belongs to ("all" for the
business columns and ``category``), whether it is required, its label, the allowed values
(options as ``key = label``, districts, sectors, categories, the size-class rule) and the format
(dates ``YYYY-MM-DD``, rupiah as whole numbers, several choices separated by ``;``). Texts are
translated with the ``gettext`` passed in (the request's language); the module stays pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from openpyxl import Workbook

from awards.intake._messages import N_
from awards.intake.bulk.exporting import _cell
from awards.intake.bulk.records import (
    BUSINESS_COLUMN_LABELS,
    BUSINESS_COLUMNS,
    CATEGORY_COLUMN,
    EXPORT_ONLY_COLUMNS,
    REQUIRED_BUSINESS_COLUMNS,
    ImportCategory,
    import_columns,
)
from awards.intake.businesses.identity import DEFAULT_DISTRICTS, DEFAULT_SECTORS, Sector
from awards.intake.businesses.sizeclass import SizeRule, SizeThresholds
from awards.intake.form.fields import (
    DateField,
    FieldSpec,
    LongTextField,
    MultipleChoiceField,
    NumberField,
    ShortTextField,
    SingleChoiceField,
    UrlField,
)

__all__ = ["guide_rows", "template_csv", "template_xlsx"]

Gettext = Callable[[str], str]
GUIDE_HEADER = (N_("Column"), N_("Category"), N_("Required"), N_("Label"),
                N_("Allowed values"), N_("Format"))  # fmt: skip

_BUSINESS_LABELS = BUSINESS_COLUMN_LABELS
_BUSINESS_FORMATS = {
    "business_name": N_("Text, at most %(max)d characters."),
    "owner_name": N_("Text, at most %(max)d characters."),
    "nib": N_("13 digits."),
    "phone": N_("Indonesian phone number, e.g. 0812 3300 1122 or 0341 551234."),
    "district": N_("One of the allowed values."),
    "sector": N_("The key or the name of a sector."),
    "address": N_("Text, at most %(max)d characters."),
    "year_founded": N_("Whole number from 1900 to this year."),
    "employees": N_("Whole number."),
    "capital": N_(
        "Rupiah as a whole number, e.g. 150000000 (without land and buildings). "
        "Required, as entrants must declare it."
    ),
    "turnover": N_(
        "Rupiah as a whole number, e.g. 600000000. Required, as entrants must declare it."
    ),
    CATEGORY_COLUMN: N_("The slug, the code or the name of the category."),
}
_LIMITS = {"business_name": 200, "owner_name": 200, "address": 500}


def _rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def size_rule_text(thresholds: SizeThresholds, gettext: Gettext) -> str:
    """How capital and turnover give the size class, with the edition's bounds."""
    rule = {
        SizeRule.TURNOVER_FIRST: N_("The size class follows the turnover (the capital when no "
                                    "turnover is given)."),
        SizeRule.CAPITAL_FIRST: N_("The size class follows the capital (the turnover when no "
                                   "capital is given)."),
        SizeRule.LARGER: N_("The size class is the larger of the capital's and the turnover's."),
    }[thresholds.rule]  # fmt: skip
    message = N_(
        "Capital: micro up to %(c1)s, small up to %(c2)s, medium up to %(c3)s. Turnover: "
        "micro up to %(t1)s, small up to %(t2)s, medium up to %(t3)s. Above: large (not UMKM)."
    )
    bounds = gettext(message) % {
        "c1": _rupiah(thresholds.micro_capital_max),
        "c2": _rupiah(thresholds.small_capital_max),
        "c3": _rupiah(thresholds.medium_capital_max),
        "t1": _rupiah(thresholds.micro_turnover_max),
        "t2": _rupiah(thresholds.small_turnover_max),
        "t3": _rupiah(thresholds.medium_turnover_max),
    }
    return f"{gettext(rule)} {bounds}"


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _field_format(spec: FieldSpec, gettext: Gettext) -> str:
    """The format rule of one form field, in words."""
    if isinstance(spec, UrlField):
        return gettext(N_("A web address, e.g. https://example.com."))
    if isinstance(spec, ShortTextField):
        return gettext(N_("Text, at most %(max)d characters.")) % {"max": spec.max_length}
    if isinstance(spec, LongTextField):
        return gettext(N_("Text, at most %(max)d characters.")) % {"max": spec.max_chars}
    if isinstance(spec, DateField):
        return gettext(N_("Date as YYYY-MM-DD, e.g. 2026-08-17."))
    if isinstance(spec, NumberField):
        text = (
            gettext(N_("Whole number."))
            if spec.decimal_places == 0
            else gettext(N_("Number with at most %(places)d decimal places."))
            % {"places": spec.decimal_places}
        )
        if spec.min_value is not None:
            text += " " + gettext(N_("Minimum %(value)s.")) % {"value": _number(spec.min_value)}
        if spec.max_value is not None:
            text += " " + gettext(N_("Maximum %(value)s.")) % {"value": _number(spec.max_value)}
        return text
    if isinstance(spec, MultipleChoiceField):
        return gettext(N_("One or more values separated by ';' (the key or the label)."))
    if isinstance(spec, SingleChoiceField):
        return gettext(N_("One value: the key or the label."))
    return ""


def _same(one: FieldSpec, other: FieldSpec) -> bool:
    """Same definition apart from position and help text."""
    return replace(one, order=0, help=other.help) == replace(other, order=0)


def _category_name(category: ImportCategory, language: str) -> str:
    name = (category.name_en if language.startswith("en") else "") or category.name_id
    return name or category.slug


def guide_rows(
    categories: Sequence[ImportCategory],
    *,
    districts: Sequence[str] = DEFAULT_DISTRICTS,
    sectors: Sequence[Sector] = DEFAULT_SECTORS,
    thresholds: SizeThresholds | None = None,
    language: str = "id",
    gettext: Gettext = lambda text: text,
) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of the guide sheet: (column, categories, required, label, allowed values, format)."""
    thresholds = thresholds or SizeThresholds()
    yes, no, every = gettext(N_("yes")), gettext(N_("no")), gettext(N_("all"))
    english = language.startswith("en")
    allowed = {
        "district": ", ".join(districts),
        "sector": "; ".join(f"{s.key} = {s.label_en if english else s.label_id}" for s in sectors),
        "turnover": size_rule_text(thresholds, gettext),
        CATEGORY_COLUMN: "; ".join(
            f"{c.slug} = {_category_name(c, language)}" + (f" ({c.code})" if c.code else "")
            for c in categories
        ),
    }
    rows = []
    for column in (*BUSINESS_COLUMNS, CATEGORY_COLUMN):
        required = column in (*REQUIRED_BUSINESS_COLUMNS, CATEGORY_COLUMN)
        text_format = gettext(_BUSINESS_FORMATS[column])
        if column in _LIMITS:
            text_format %= {"max": _LIMITS[column]}
        rows.append(
            (column, every, yes if required else no, gettext(_BUSINESS_LABELS[column]),
             allowed.get(column, ""), text_format)
        )  # fmt: skip
    for column in import_columns(categories)[len(BUSINESS_COLUMNS) + 1 :]:
        # One row per distinct definition: a key shared by several categories with other
        # options, limits or labels (e.g. certifications) gets a row for each variant.
        groups: list[tuple[FieldSpec, list[ImportCategory]]] = []
        for category in categories:
            spec = category.form.field(column)
            if spec is None:
                continue
            same = next((group for group in groups if _same(group[0], spec)), None)
            if same is None:
                groups.append((spec, [category]))
            else:
                same[1].append(category)
        for spec, users in groups:
            values = ""
            if isinstance(spec, SingleChoiceField | MultipleChoiceField):
                values = "; ".join(f"{o.key} = {o.label.get(language)}" for o in spec.options)
            rows.append(
                (column, ", ".join(_category_name(c, language) for c in users),
                 yes if spec.required else no, spec.label.get(language), values,
                 _field_format(spec, gettext))
            )  # fmt: skip
    return rows


def template_csv(categories: Sequence[ImportCategory], *, category: str | None = None) -> bytes:
    """The import template as CSV bytes (UTF-8 with BOM): the header row only; with
    ``category`` (a slug) only the business columns, ``category`` and that category's
    questions."""
    chosen = [c for c in categories if category is None or c.slug == category]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(import_columns(chosen))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(
    categories: Sequence[ImportCategory],
    *,
    districts: Sequence[str] = DEFAULT_DISTRICTS,
    sectors: Sequence[Sector] = DEFAULT_SECTORS,
    thresholds: SizeThresholds | None = None,
    language: str = "id",
    gettext: Gettext = lambda text: text,
) -> bytes:
    """The import template as XLSX bytes: sheet "Entries" (the header row) and the guide sheet
    ("Petunjuk" in Indonesian, "Guide" in English), see :func:`guide_rows`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Entries")
    sheet.append([_cell(sheet, column, bold=True) for column in import_columns(categories)])
    guide = workbook.create_sheet("Guide" if language.startswith("en") else "Petunjuk")
    guide.append([_cell(guide, gettext(text), bold=True) for text in GUIDE_HEADER])
    rows = guide_rows(
        categories, districts=districts, sectors=sectors, thresholds=thresholds,
        language=language, gettext=gettext,
    )  # fmt: skip
    for row in rows:
        guide.append([_cell(guide, text) for text in row])
    guide.append([])
    notes = (
        N_("Fill one row per entry on the first sheet; do not rename the columns."),
        N_("Photos and other files cannot be imported."),
        N_("Columns of an export (%(columns)s) may stay in the file; the import ignores them."),
    )
    for note in notes:
        text = gettext(note)
        if "%(columns)s" in note:
            text %= {"columns": ", ".join(EXPORT_ONLY_COLUMNS)}
        guide.append([_cell(guide, text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
