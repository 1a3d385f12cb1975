"""Bulk import of paper entries: validate every row, report every problem, write nothing.

``validate_import`` consumes ``parse_rows`` output and returns an ``ImportReport``: the rows
ready to insert, the errors of all rows (row number, column, message) and the rows skipped
because an earlier import already created them. The service inserts ``report.rows`` in one
transaction only when ``report.ok``. The columns, the records and the dedup key that tells an
earlier import's rows are in :mod:`awards.intake.bulk.records`.

Paper entries cannot carry files: file fields are not in the template, are not required on
import and their columns are ignored.

Messages are written to the organizer correcting the file ("Kolom capital wajib diisi pada
baris 5: Modal usaha (Rp)."), not to an entrant: eligibility reasons are reworded by
:func:`organizer_reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awards.intake._messages import N_
from awards.intake.bulk.records import (
    BUSINESS_COLUMN_LABELS,
    BUSINESS_COLUMNS,
    CATEGORY_COLUMN,
    EXPORT_ONLY_COLUMNS,
    REQUIRED_BUSINESS_COLUMNS,
    BusinessRecord,
    ImportCategory,
    ImportContext,
    ImportReport,
    ImportRow,
    RowError,
    dedup_key,
    header_aliases,
    import_columns,
)
from awards.intake.bulk.tabular import ImportFileError
from awards.intake.businesses.identity import (
    normalize_district,
    normalize_nib,
    normalize_phone,
    normalize_sector,
)
from awards.intake.businesses.sizeclass import assess_size
from awards.intake.editions.eligibility import BusinessFacts, check_eligibility
from awards.intake.form.fields import (
    FileField,
    I18nText,
    LongTextField,
    MultipleChoiceField,
    ShortTextField,
    SingleChoiceField,
)
from awards.intake.form.formspec import FormSpec
from awards.intake.validators import FieldError, InvalidValue, parse_int, parse_rupiah

__all__ = ["category_lookup", "organizer_reason", "validate_import"]

_NAME = ShortTextField(key="name", label=I18nText(), max_length=200)
_ADDRESS = LongTextField(key="address", label=I18nText(), max_chars=500)


def _fold(text: str) -> str:
    """Case-folded text with runs of whitespace collapsed (``" Agribisnis  &  X "`` ->
    ``"agribisnis & x"``)."""
    return " ".join(str(text).split()).casefold()


def category_lookup(categories: Iterable[ImportCategory]) -> dict[str, str]:
    """Folded slug, code, Indonesian and English name -> slug. The slug wins over a code or
    name that happens to equal another category's slug."""
    lookup: dict[str, str] = {}
    items = list(categories)
    for category in items:
        for name in (category.code, category.name_id, category.name_en):
            if name.strip():
                lookup.setdefault(_fold(name), category.slug)
    for category in items:
        lookup[_fold(category.slug)] = category.slug
    return lookup


def validate_import(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    context: ImportContext,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> ImportReport:
    """Validate all rows; ``progress(rows_processed)`` is called every ``progress_every`` rows
    and once at the end."""
    report = ImportReport()
    known = set(import_columns(context.categories.values())) | set(EXPORT_ONLY_COLUMNS)
    file_keys = {
        spec.key
        for category in context.categories.values()
        for spec in category.form.fields
        if isinstance(spec, FileField)
    }
    state = _State(lookup=category_lookup(context.categories.values()))
    aliases = header_aliases(context.categories.values(), context.aliases)
    rename: dict[str, str] | None = None
    iterator = iter(rows)
    try:
        for number, values in iterator:
            if rename is None:  # every row has the header's columns
                rename = {name: aliases.get(name, name) for name in values}
                renamed = any(name != column for name, column in rename.items())
            if renamed:
                values = {rename.get(name, name): value for name, value in values.items()}
            if report.total_rows == 0 and not _check_header(values, known | file_keys, report):
                return report
            report.total_rows += 1
            _validate_row(number, values, context, file_keys, state, report)
            if progress and report.total_rows % progress_every == 0:
                progress(report.total_rows)
    except ImportFileError as exc:
        report.errors.append(RowError(1, "", exc.at("")))
        return report
    if report.total_rows == 0:
        report.errors.append(RowError(1, "", FieldError("", N_("The file has no entries."))))
    if progress:
        progress(report.total_rows)
    return report


def _check_header(values: Mapping[str, str], known: set[str], report: ImportReport) -> bool:
    for column in values:
        if column not in known:
            message = N_("Unknown column %(column)s.")
            report.errors.append(
                RowError(1, column, FieldError(column, message, {"column": column}))
            )
    for column in (*REQUIRED_BUSINESS_COLUMNS, CATEGORY_COLUMN):
        if column not in values:
            message = N_("The column %(column)s is missing.")
            report.errors.append(
                RowError(1, column, FieldError(column, message, {"column": column}))
            )
    return not report.errors


@dataclass
class _State:
    seen_keys: dict[str, int] = field(default_factory=dict)
    businesses: dict[str, tuple[int, BusinessRecord]] = field(default_factory=dict)
    entry_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)


_REQUIRED = N_("Column %(column)s must be filled in on row %(row)d: %(label)s.")


def _parse(
    values: Mapping[str, str],
    column: str,
    parser: Callable[[str], Any],
    errors: list,
    row: int = 0,
):
    raw = values.get(column, "")
    if not raw.strip():
        if column in REQUIRED_BUSINESS_COLUMNS:
            params = {"column": column, "label": BUSINESS_COLUMN_LABELS[column], "row": row}
            errors.append(FieldError(column, _REQUIRED, params))
        return None
    try:
        return parser(raw)
    except InvalidValue as exc:
        errors.append(exc.at(column))
        return None


def _business(
    values: Mapping[str, str], context: ImportContext, errors: list, row: int = 0
) -> BusinessRecord:
    def required_text(raw: str) -> str:
        return _NAME.clean(raw)

    year = context.current_year

    def district(raw: str) -> str:
        return normalize_district(raw, context.districts)

    def sector(raw: str) -> str:
        return normalize_sector(raw, context.sectors)

    def year_founded(raw: str) -> int:
        return parse_int(raw, minimum=1900, maximum=year)

    def employees(raw: str) -> int:
        return parse_int(raw, minimum=0, maximum=1_000_000)

    capital = _parse(values, "capital", parse_rupiah, errors, row)
    turnover = _parse(values, "turnover", parse_rupiah, errors, row)
    return BusinessRecord(
        business_name=_parse(values, "business_name", required_text, errors, row),
        owner_name=_parse(values, "owner_name", required_text, errors, row),
        nib=_parse(values, "nib", normalize_nib, errors, row),
        phone=_parse(values, "phone", normalize_phone, errors, row),
        district=_parse(values, "district", district, errors, row),
        sector=_parse(values, "sector", sector, errors, row),
        address=_parse(values, "address", _ADDRESS.clean, errors, row) or "",
        year_founded=_parse(values, "year_founded", year_founded, errors, row),
        employees=_parse(values, "employees", employees, errors, row),
        capital=capital,
        turnover=turnover,
        size_class=assess_size(capital, turnover, context.thresholds).size_class,
    )


def _validate_row(
    number: int,
    values: Mapping[str, str],
    context: ImportContext,
    file_keys: set[str],
    state: _State,
    report: ImportReport,
) -> None:
    errors: list[FieldError] = []
    business = _business(values, context, errors, number)
    slug = state.lookup.get(_fold(values.get(CATEGORY_COLUMN, "")), "")
    category = context.categories.get(slug)
    answers: dict[str, Any] = {}
    if category is None:
        choices = tuple(
            f"{c.slug} ({c.name_id})" if c.name_id else c.slug for c in context.categories.values()
        )
        errors.append(
            FieldError(CATEGORY_COLUMN, N_("Unknown category; choose one of: %(choices)s."),
                       {"choices": choices})
        )  # fmt: skip
    else:
        own = {spec.key for spec in category.form.fields}
        own_files = {spec.key for spec in category.form.fields if isinstance(spec, FileField)}
        raw_answers = {key: values.get(key, "") for key in own - own_files}
        for column, value in values.items():
            if value and column not in own and column not in file_keys and _is_form_column(column):
                errors.append(
                    FieldError(column, N_("This column belongs to another category's form."))
                )
        cleaned, answer_errors = category.form.validate_answers(
            raw_answers, final=True, skip_required=own_files
        )
        answers = cleaned
        errors.extend(_with_option_labels(error, category.form) for error in answer_errors)
    if not errors and category is not None:
        _check_entry(number, business, category, answers, context, state, report, errors)
    report.errors.extend(RowError(number, error.field, error) for error in errors)


_CHOOSE_ONE = "Choose one of: %(choices)s."


def _with_option_labels(error: FieldError, form: FormSpec) -> FieldError:
    """A refused choice lists each allowed value as ``key (label)``, so the person correcting
    the file sees what to write (the key or the label, any case)."""
    spec = form.field(error.field)
    if error.message != _CHOOSE_ONE or not isinstance(
        spec, SingleChoiceField | MultipleChoiceField
    ):
        return error
    choices = tuple(f"{o.key} ({o.label.id})" for o in spec.options)
    return FieldError(error.field, error.message, {**error.params, "choices": choices})


_ORGANIZER_WORDING = {
    "size_class": N_("The business is %(actual)s by its capital and turnover; this category "
                     "is open to %(allowed)s businesses only."),
    "entries": N_("This business already has %(count)d entries in this category; a business "
                  "may enter it %(limit)d time(s)."),
}  # fmt: skip


def organizer_reason(reason: FieldError, business: BusinessRecord) -> FieldError:
    """An eligibility reason (written to the entrant: "yours is ...", "you already have ...")
    reworded for the organizer importing the row, on the column to correct."""
    column = {"size_class": "turnover" if business.turnover is not None else "capital",
              "entries": CATEGORY_COLUMN}.get(reason.field, reason.field)  # fmt: skip
    message = _ORGANIZER_WORDING.get(reason.field, reason.message)
    if reason.field == "size_class" and "actual" not in reason.params:
        message = reason.message
    return FieldError(column, message, reason.params)


def _is_form_column(column: str) -> bool:
    return column not in BUSINESS_COLUMNS and column not in (CATEGORY_COLUMN, *EXPORT_ONLY_COLUMNS)


def _check_entry(
    number: int,
    business: BusinessRecord,
    category: ImportCategory,
    answers: dict[str, Any],
    context: ImportContext,
    state: _State,
    report: ImportReport,
    errors: list[FieldError],
) -> None:
    key = dedup_key(business.nib, category.slug, answers)
    if key in context.existing_keys:
        report.skipped.append((number, key))
        return
    if key in state.seen_keys:
        errors.append(
            FieldError("", N_("This row repeats row %(row)d."), {"row": state.seen_keys[key]})
        )
        return
    earlier = state.businesses.setdefault(business.nib, (number, business))
    if earlier[1] != business:
        column = next(
            name
            for name in BUSINESS_COLUMNS
            if getattr(earlier[1], name) != getattr(business, name)
        )
        message = N_("Row %(row)d gives other details for the same NIB.")
        errors.append(FieldError(column, message, {"row": earlier[0]}))
        return
    count_key = (business.nib, category.slug)
    count = context.existing_entry_counts.get(count_key, 0) + state.entry_counts.get(count_key, 0)
    facts = BusinessFacts(business.size_class, business.sector, business.district)
    for reason in check_eligibility(category.rules, facts, count):
        errors.append(organizer_reason(reason, business))
    if errors:
        return
    state.seen_keys[key] = number
    state.entry_counts[count_key] = state.entry_counts.get(count_key, 0) + 1
    report.rows.append(ImportRow(number, category.slug, business, answers, key))
