"""Entry forms: definition checks, draft vs final answers, JSON round trip, destructive changes."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.intake.form.fields import (
    FileField,
    I18nText,
    LongTextField,
    MultipleChoiceField,
    NumberField,
    Option,
    ShortTextField,
    SingleChoiceField,
)
from awards.intake.form.formspec import FormSpec, diff_is_destructive, stored_form
from tests.awards.intake.samples import make_form

FORM = make_form()
KEYS = [f.key for f in FORM.fields] + ["unknown"]

PHOTO = {
    "key": "ab/cd/x.jpg",
    "content_type": "image/jpeg",
    "size": 120_000,
    "original_name": "a.jpg",
}
COMPLETE = {
    "product_name": "Keripik Tempe Sanan",
    "description": "Keripik tempe renyah dari sentra Sanan.",
    "channel": "both",
    "photos": [PHOTO],
}


@pytest.fixture
def form():
    return make_form()


def with_field(form, key, **changes):
    return FormSpec(tuple(replace(f, **changes) if f.key == key else f for f in form.fields))


def test_form_round_trips_through_json(form):
    """to_dict -> JSON -> from_dict gives back an equal form."""
    assert FormSpec.from_dict(json.loads(json.dumps(form.to_dict()))) == form


def test_stored_form_parses_each_stored_text_once(form):
    """A form stored as JSON text is parsed once and the same form returned after; a decoded
    mapping or no form at all gives the form it describes."""
    text = json.dumps(form.to_dict())

    first = stored_form(text)

    assert first == form
    assert stored_form(text) is first
    assert stored_form(form.to_dict()) == form
    assert stored_form(None) == FormSpec()


def test_form_from_dict_unknown_type_raises():
    """A stored field with an unknown type is refused instead of silently dropped."""
    with pytest.raises(ValueError, match="unknown field type"):
        FormSpec.from_dict({"fields": [{"type": "signature", "key": "x", "label": "X"}]})


def test_form_ordered_sorts_by_order(form):
    """ordered lists fields by their order attribute, not storage order."""
    shuffled = FormSpec(tuple(reversed(form.fields)))
    assert [f.key for f in shuffled.ordered] == [f.key for f in form.fields]


def test_definition_of_sample_form_is_valid(form):
    """The sample form used across tests has no definition errors."""
    assert not form.validate_definition()


def test_definition_duplicate_and_reserved_keys_are_reported():
    """A repeated key and a key reserved for import columns are both reported."""
    form = FormSpec(
        (
            ShortTextField(key="product", label=I18nText("Produk")),
            ShortTextField(key="product", label=I18nText("Produk 2")),
            ShortTextField(key="nib", label=I18nText("NIB")),
            ShortTextField(key="Bad Key", label=I18nText("X")),
        )
    )
    assert form.validate_definition().as_dict() == {
        "fields.1.key": ["Another field already uses this key."],
        "fields.2.key": ["This key is reserved; choose another."],
        "fields.3.key": ["Use lower-case letters, digits and _ (starting with a letter)."],
    }


def test_definition_insane_limits_are_reported():
    """Empty options, min above max, bad file kinds and zero limits are reported per field."""
    form = FormSpec(
        (
            ShortTextField(key="a", label=I18nText("A"), max_length=0),
            NumberField(key="b", label=I18nText("B"), min_value=Decimal(5), max_value=Decimal(1)),
            SingleChoiceField(key="c", label=I18nText("C"), options=()),
            FileField(key="d", label=I18nText("D"), kinds=("gif",), max_count=0),
            LongTextField(key="e", label=I18nText("")),
        )
    )
    assert sorted(form.validate_definition().errors) == [
        "fields.0.max_length",
        "fields.1.max_value",
        "fields.2.options",
        "fields.3.kinds",
        "fields.3.max_count",
        "fields.4.label",
    ]


def test_answers_final_complete_answers_are_clean(form):
    """A complete submission validates with no errors and keeps the values."""
    cleaned, errors = form.validate_answers(COMPLETE, final=True)
    assert not errors
    assert cleaned == COMPLETE


def test_answers_draft_may_leave_required_fields_empty(form):
    """A draft with only one field filled has no errors."""
    cleaned, errors = form.validate_answers({"product_name": "Batik Celaket"}, final=False)
    assert not errors
    assert cleaned == {"product_name": "Batik Celaket"}


def test_answers_final_missing_required_fields_are_reported(form):
    """Submitting the same draft reports every required field that is empty."""
    _, errors = form.validate_answers({"product_name": "Batik Celaket"}, final=True)
    assert sorted(errors.errors) == ["channel", "description", "photos"]
    assert errors.messages("channel") == ["This field is required."]


def test_answers_draft_still_checks_limits(form):
    """A draft with a too-long name is refused even though drafts may be incomplete."""
    _, errors = form.validate_answers({"product_name": "x" * 61}, final=False)
    assert errors.messages("product_name") == ["Use at most 60 characters (you used 61)."]


def test_form_field_of_a_repeated_key_is_the_first():
    """``field`` gives the first field of a key that repeats (as a scan in order finds it)."""
    first = ShortTextField(key="name", label=I18nText("Nama"), max_length=10)
    second = LongTextField(key="name", label=I18nText("Nama panjang"))
    form = FormSpec((first, second))

    assert form.field("name") is first
    assert form.field("other") is None


def test_answers_choice_shared_by_two_options_is_the_first():
    """A text that is the key or label of two options (any case) picks the first option."""
    field = SingleChoiceField(
        key="channel",
        label=I18nText("Saluran"),
        options=(
            Option("toko", I18nText("Daring", "Shop")),
            Option("daring", I18nText("Online", "Daring")),
        ),
    )
    form = FormSpec((field,))

    cleaned, errors = form.validate_answers({"channel": "DARING"}, final=False)
    by_key, _ = form.validate_answers({"channel": "daring"}, final=False)

    assert not errors
    assert cleaned == {"channel": "toko"}
    assert by_key == {"channel": "toko"}


def test_answers_unknown_key_is_reported(form):
    """A key that is not in the form is reported under that key."""
    _, errors = form.validate_answers({"password": "x"}, final=False)
    assert errors.messages("password") == ["This question is not part of the form."]


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("price", "25000", 25000),
        ("price", 25000, 25000),
        ("output_kg", "12,5", "12.50"),
        ("output_kg", "1.250,5", "1250.50"),
        ("output_kg", "1,250.5", "1250.50"),
        ("output_kg", "0.500", "0.50"),
        ("price", "2.500", 2500),
        ("price", "1.250.000", 1250000),
        ("price", "2,500", 2500),
        ("output_kg", 3, "3.00"),
        ("output_kg", "1.5E+3", "1500.00"),
        ("price", "0", 0),
        ("channel", "Daring", "online"),
        ("markets", "ekspor; Malang Raya", ["malang", "ekspor"]),
        ("markets", ["jatim", "jatim"], ["jatim"]),
        ("website", "instagram.com/keripiksanan", "https://instagram.com/keripiksanan"),
        ("launched_on", "17/08/2024", "2024-08-17"),
        ("launched_on", date(2024, 8, 17), "2024-08-17"),
        ("description", "  baris satu\r\nbaris dua  ", "baris satu\nbaris dua"),
        ("product_name", "Kopi\nLuwak", "Kopi Luwak"),
    ],
)
def test_answers_values_are_cleaned_to_canonical_form(form, key, raw, expected):
    """Numbers, choices (by label), URLs, dates and text are stored in one canonical form."""
    cleaned, errors = form.validate_answers({key: raw}, final=False)
    assert not errors
    assert cleaned[key] == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("price", "-1", "Must be at least 0."),
        ("price", "10000001", "Must be at most 10000000."),
        ("price", "12.5", "Enter a whole number."),
        ("price", "dua ribu", "Enter a number."),
        ("price", "1e28", "The number is too large."),
        ("output_kg", "1e-30", "Use at most 2 decimal places."),
        ("output_kg", "1.2555", "Use at most 2 decimal places."),
        ("output_kg", "1.255", "1.255 is ambiguous: write 1255 or 1,2550."),
        ("output_kg", "2.500", "2.500 is ambiguous: write 2500 or 2,5."),
        ("price", "12.34.567", "Enter a number."),
        ("price", "1.250,5.0", "Enter a number."),
        ("channel", "grosir", "Choose one of: offline, online, both."),
        ("markets", "malang;jatim;nasional;ekspor", "Choose at most 3 options."),
        ("website", "javascript:alert(1)", "Enter a web address, for example https://contoh.id."),
        ("website", "http://[toko", "Enter a web address, for example https://contoh.id."),
        ("launched_on", "31/02/2024", "Enter a date as DD/MM/YYYY."),
        ("description", "x" * 301, "Use at most 300 characters (you used 301)."),
    ],
)
def test_answers_invalid_values_are_reported(form, key, raw, message):
    """Out-of-range, malformed and unknown values get a message beside the field."""
    _, errors = form.validate_answers({key: raw}, final=False)
    assert errors.messages(key) == [message]


def test_answers_file_count_above_limit_is_reported(form):
    """Four attachments on a field allowing three are refused."""
    _, errors = form.validate_answers({"photos": [PHOTO] * 4}, final=False)
    assert errors.messages("photos") == ["Attach at most 3 files."]


def test_answers_file_of_disallowed_type_is_reported(form):
    """A stored PDF on a photos-only field is refused."""
    pdf = dict(PHOTO, content_type="application/pdf")
    _, errors = form.validate_answers({"photos": [pdf]}, final=False)
    assert errors.messages("photos") == ["Allowed file types: jpeg, png, webp."]


def test_answers_file_larger_than_field_limit_is_reported(form):
    """A stored file above the field's size limit is refused."""
    _, errors = form.validate_answers({"photos": [dict(PHOTO, size=2_000_001)]}, final=False)
    assert errors.messages("photos") == ["Each file may be at most 2000000 bytes."]


def test_answers_skip_required_ignores_listed_fields(form):
    """skip_required lets an import submit without the required file field."""
    answers = {k: v for k, v in COMPLETE.items() if k != "photos"}
    _, errors = form.validate_answers(answers, final=True, skip_required={"photos"})
    assert not errors


def test_diff_adding_optional_field_and_editing_labels_is_safe(form):
    """New optional field, new label, new help text and new order are not destructive."""
    edited = with_field(form, "channel", label=I18nText("Cara jual", "How you sell"), order=99)
    edited = FormSpec(
        (*edited.fields, ShortTextField(key="brand", label=I18nText("Merek"), order=10))
    )
    assert diff_is_destructive(form, edited) == []


def test_diff_adding_an_option_or_widening_a_limit_is_safe(form):
    """More options and larger limits keep existing answers valid."""
    channel = form.field("channel")
    reseller = Option("reseller", I18nText("Reseller"))
    edited = with_field(form, "channel", options=(*channel.options, reseller))
    edited = with_field(edited, "product_name", max_length=120)
    assert diff_is_destructive(form, edited) == []


def test_diff_destructive_changes_are_all_reported(form):
    """Removal, type change, optional->required, narrowing and option removal are each reported."""
    channel = form.field("channel")
    fields = [f for f in form.fields if f.key != "website"]
    edited = FormSpec(tuple(fields))
    edited = with_field(edited, "price", required=True, max_value=Decimal(500_000))
    edited = with_field(edited, "product_name", max_length=40)
    edited = with_field(edited, "channel", options=channel.options[:2])
    retyped = [
        LongTextField(key="launched_on", label=f.label) if f.key == "launched_on" else f
        for f in edited.fields
    ]
    brand = ShortTextField(key="brand", label=I18nText("Merek"), required=True)
    edited = FormSpec((*retyped, brand))
    assert [(r.field, str(r)) for r in diff_is_destructive(form, edited)] == [
        ("product_name", "The limit max_length cannot be lowered (it was 60)."),
        ("price", "An optional field cannot be made required."),
        ("price", "The maximum cannot be lowered."),
        ("channel", "Options cannot be removed: both."),
        ("website", "A field cannot be removed."),
        ("launched_on", "A field's type cannot be changed."),
        ("brand", "A new field must be optional."),
    ]


def test_diff_file_field_narrowing_is_reported(form):
    """Dropping an allowed file kind, a smaller size and fewer files are destructive."""
    edited = with_field(form, "photos", kinds=("jpeg",), max_size_bytes=1_000, max_count=1)
    assert len(diff_is_destructive(form, edited)) == 3


def test_diff_multiple_choice_limits_narrowing_is_reported():
    """Raising the minimum or lowering the maximum number of choices is destructive."""
    options = tuple(Option(k, I18nText(k)) for k in ("a", "b", "c"))
    old = FormSpec((MultipleChoiceField(key="m", label=I18nText("M"), options=options),))
    new = FormSpec(
        (
            MultipleChoiceField(
                key="m", label=I18nText("M"), options=options, min_choices=1, max_choices=2
            ),
        )
    )
    assert len(diff_is_destructive(old, new)) == 2


def _nested(inner):
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    _nested,
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6), final=st.booleans())
def test_answers_arbitrary_json_never_raises(answers, final):
    """Any JSON-shaped input (as an API client could send) yields errors, never an exception."""
    cleaned, errors = FORM.validate_answers(answers, final=final)
    assert set(cleaned).isdisjoint(errors.errors)
