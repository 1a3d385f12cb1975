"""NIB, phone, e-mail, district and sector normalization; error rendering; rupiah parsing."""

import pytest

from awards.intake.businesses.identity import (
    DEFAULT_DISTRICTS,
    normalize_district,
    normalize_email,
    normalize_nib,
    normalize_phone,
    normalize_sector,
)
from awards.intake.validators import (
    FieldError,
    InvalidValue,
    ValidationErrors,
    parse_int,
    parse_rupiah,
)


def test_nib_with_spaces_is_normalized_to_13_digits():
    """Spaces inside an NIB are removed and 13 digits are accepted."""
    assert normalize_nib(" 9120 0012 3456 7 ") == "9120001234567"


def test_nib_given_as_integer_is_accepted():
    """A spreadsheet number holding 13 digits is accepted as text."""
    assert normalize_nib(9120001234567) == "9120001234567"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter the NIB (Nomor Induk Berusaha)."),
        ("912000123456", "The NIB must be exactly 13 digits; you entered 12."),
        ("91200012345678", "The NIB must be exactly 13 digits; you entered 14."),
        ("9120-0012-34567", "The NIB may contain digits only."),
        ("912000123456A", "The NIB may contain digits only."),
        ("９１２０００１２３４５６７", "The NIB may contain digits only."),
    ],
)
def test_nib_invalid_gets_a_clear_message(raw, message):
    """Empty, short, long and non-digit NIBs are refused with a message that says why."""
    with pytest.raises(InvalidValue) as caught:
        normalize_nib(raw)
    assert caught.value.at("nib").render() == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456.7890", "+6281234567890"),
        ("+62 (0)812-3456-7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("0811 234 567", "+62811234567"),
        ("0341-551234", "+62341551234"),
        ("(0341) 551234", "+62341551234"),
        ("021 5790 1234", "+622157901234"),
    ],
)
def test_phone_indonesian_formats_normalize_to_e164(raw, expected):
    """Mobile and landline numbers in common Indonesian writings become +62 E.164."""
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter a phone number."),
        ("0812-345", "The phone number is too short."),
        ("0812 3456 7890 123", "The phone number is too long."),
        ("0341-1234", "The phone number is too short."),
        ("0341-123456789", "The phone number is too long."),
        (
            "0812-3456-789O",
            "A phone number may contain only digits, spaces, +, -, . and parentheses.",
        ),
        (
            "08123+4567890",
            "A phone number may contain only digits, spaces, +, -, . and parentheses.",
        ),
        ("+60 12 345 6789", "Only Indonesian numbers (+62) are accepted."),
        ("812 3456 7890", "A phone number must start with 0, 62 or +62."),
        ("0112345678", "This is not a valid Indonesian phone number."),
    ],
)
def test_phone_invalid_is_refused_with_reason(raw, message):
    """Too short/long, letters, foreign and malformed numbers are refused with a reason."""
    with pytest.raises(InvalidValue) as caught:
        normalize_phone(raw)
    assert caught.value.message == message


def test_email_is_trimmed_and_lowercased():
    """Surrounding spaces are removed and the address is lower-cased."""
    assert normalize_email("  Sari.Dewi@Gmail.COM ") == "sari.dewi@gmail.com"


def test_email_international_domain_becomes_punycode():
    """A Unicode domain is stored in its ASCII (IDNA) form."""
    stored = normalize_email("info@Kopi-Bäck.id")
    assert stored.isascii()
    assert stored.split("@")[1].encode("ascii").decode("idna") == "kopi-bäck.id"


@pytest.mark.parametrize(
    "raw", ["sari", "sari@", "@gmail.com", "sari@gmail", "sa ri@gmail.com", "a..b@x.id", "a@x..id"]
)
def test_email_malformed_is_refused(raw):
    """Addresses without a local part, a dotted domain, or with spaces/double dots are refused."""
    with pytest.raises(InvalidValue):
        normalize_email(raw)


def test_district_matches_case_and_prefix_insensitively():
    """'kec. sukun' and ' LOWOKWARU ' map to the configured spellings."""
    assert (normalize_district("kec. sukun"), normalize_district(" LOWOKWARU ")) == (
        "Sukun",
        "Lowokwaru",
    )


def test_district_outside_edition_list_is_refused():
    """A district not configured for the edition is refused, listing the choices."""
    with pytest.raises(InvalidValue) as caught:
        normalize_district("Batu")
    assert caught.value.at("district").render() == (
        "Unknown district; choose one of: Klojen, Blimbing, Kedungkandang, Sukun, Lowokwaru."
    )


def test_district_list_is_per_edition_configuration():
    """Another edition's list replaces the Malang default."""
    assert normalize_district("batu", ("Batu", "Junrejo")) == "Batu"
    assert "Batu" not in DEFAULT_DISTRICTS


def test_sector_accepts_key_or_either_label():
    """Key, Indonesian label and English label all give the sector key."""
    found = {
        normalize_sector(v) for v in ("kuliner", "Kuliner (makanan & minuman)", "food & beverage")
    }
    assert found == {"kuliner"}


def test_field_error_render_translates_message_and_parameters():
    """render(gettext) translates the msgid and string parameters before interpolation."""
    catalog = {"Must be at most %(maximum)s.": "Paling banyak %(maximum)s.", "ten": "sepuluh"}
    error = FieldError("price", "Must be at most %(maximum)s.", {"maximum": "ten"})
    assert error.render(lambda s: catalog.get(s, s)) == "Paling banyak sepuluh."


def test_validation_errors_groups_messages_by_field():
    """Errors added for the same field are listed together and the collection is truthy."""
    errors = ValidationErrors()
    errors.add("nib", "The NIB may contain digits only.")
    errors.add("nib", "Enter the NIB (Nomor Induk Berusaha).")
    errors.add("phone", "Enter a phone number.")
    assert len(errors) == 3
    assert errors.as_dict() == {
        "nib": ["The NIB may contain digits only.", "Enter the NIB (Nomor Induk Berusaha)."],
        "phone": ["Enter a phone number."],
    }


def test_validation_errors_empty_is_falsy():
    """An empty collection is falsy so `if errors:` means 'something is wrong'."""
    assert not ValidationErrors()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1500000000", 1_500_000_000),
        ("Rp 1.500.000.000", 1_500_000_000),
        ("Rp1.500.000.000,00", 1_500_000_000),
        ("1,500,000,000", 1_500_000_000),
        ("IDR 250.000", 250_000),
        (2_000_000_000, 2_000_000_000),
        (2e9, 2_000_000_000),
        ("0", 0),
    ],
)
def test_rupiah_amounts_parse_to_integers(raw, expected):
    """Indonesian and English grouping, a currency prefix and a zero fraction are accepted."""
    assert parse_rupiah(raw) == expected


@pytest.mark.parametrize(
    "raw", ["1.5", "1,50", "12.34.567", "satu juta", "-5000", 1.5, "1.500,50", "²", "١٢٣"]
)
def test_rupiah_ambiguous_or_fractional_is_refused(raw):
    """Fractions of a rupiah, bad grouping, words and negatives are refused."""
    with pytest.raises(InvalidValue):
        parse_rupiah(raw)


def test_parse_int_bounds_are_inclusive():
    """The bounds themselves are accepted; one beyond is refused with the bound in the message."""
    assert parse_int("1900", minimum=1900, maximum=2026) == 1900
    with pytest.raises(InvalidValue) as caught:
        parse_int("2027", minimum=1900, maximum=2026)
    assert str(caught.value) == "Must be at most 2026."
