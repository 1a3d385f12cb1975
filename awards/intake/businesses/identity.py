"""Identity fields of a business: NIB, phone, e-mail, district and sector.

Each ``normalize_*`` function returns the canonical form or raises ``InvalidValue`` with a
translatable message (see ``awards.intake.validators``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from awards.intake._messages import N_
from awards.intake.validators import InvalidValue

__all__ = [
    "DEFAULT_DISTRICTS",
    "DEFAULT_SECTORS",
    "Sector",
    "normalize_district",
    "normalize_email",
    "normalize_nib",
    "normalize_phone",
    "normalize_sector",
]

NIB_LENGTH = 13

#: Kecamatan of Kota Malang: the demo default; each edition configures its own list.
DEFAULT_DISTRICTS: tuple[str, ...] = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru")


@dataclass(frozen=True)
class Sector:
    """A business sector: a stable slug ``key`` and labels in Indonesian and English."""

    key: str
    label_id: str
    label_en: str


#: Demo default sectors; each edition may configure its own.
DEFAULT_SECTORS: tuple[Sector, ...] = (
    Sector("kuliner", "Kuliner (makanan & minuman)", "Food & beverage"),
    Sector("fashion", "Fashion", "Fashion"),
    Sector("kriya", "Kriya (kerajinan)", "Crafts"),
    Sector("kreatif-digital", "Industri kreatif & digital", "Creative & digital industry"),
    Sector("agribisnis", "Agribisnis & olahan pangan", "Agribusiness & food processing"),
    Sector("jasa", "Jasa", "Services"),
    Sector("pariwisata", "Pariwisata", "Tourism"),
    Sector("perdagangan", "Perdagangan", "Trade"),
)


def normalize_nib(raw: object) -> str:
    """NIB (Nomor Induk Berusaha, issued by OSS): exactly 13 digits once spaces are removed."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = re.sub(r"\s+", "", str(raw or ""))
    if not text:
        raise InvalidValue(N_("Enter the NIB (Nomor Induk Berusaha)."))
    if not text.isascii() or not text.isdigit():
        raise InvalidValue(N_("The NIB may contain digits only."))
    if len(text) != NIB_LENGTH:
        raise InvalidValue(
            N_("The NIB must be exactly %(expected)d digits; you entered %(count)d."),
            expected=NIB_LENGTH,
            count=len(text),
        )
    return text


_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ().\-/]+$")
MOBILE_LENGTHS = range(9, 13)  # national significant number 8xx..., 9 to 12 digits
LANDLINE_LENGTHS = range(8, 12)  # area code (2-3 digits, 2..9 first) + subscriber number


def normalize_phone(raw: object) -> str:
    """Normalize an Indonesian phone number to E.164 (``+62`` followed by the national number).

    Accepted writings: ``0812-3456-7890``, ``62 812 3456 7890``, ``+62 (812) 3456.7890``,
    ``+62 (0)812...`` and landlines with their area code, e.g. ``(0341) 551234`` ->
    ``+62341551234``.
    Separators (spaces, ``-``, ``.``, ``/``, parentheses) are dropped. The national significant
    number (NSN, without the trunk ``0``) must start with 2-9; mobile numbers (``8...``) have 9-12
    digits, landlines 8-11 digits.
    """
    text = str(raw or "").strip()
    if not text:
        raise InvalidValue(N_("Enter a phone number."))
    if not _PHONE_ALLOWED.match(text) or "+" in text[1:]:
        raise InvalidValue(
            N_("A phone number may contain only digits, spaces, +, -, . and parentheses.")
        )
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if not digits.startswith("62"):
            raise InvalidValue(N_("Only Indonesian numbers (+62) are accepted."))
        national = digits[2:]
    elif digits.startswith("0062"):  # international dialling prefix
        national = digits[4:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise InvalidValue(N_("A phone number must start with 0, 62 or +62."))
    if national.startswith("0"):  # "+62 (0)812...": a trunk zero written after the country code
        national = national[1:]
    if not national or national[0] in "01":
        raise InvalidValue(N_("This is not a valid Indonesian phone number."))
    lengths = MOBILE_LENGTHS if national.startswith("8") else LANDLINE_LENGTHS
    if len(national) < lengths.start:
        raise InvalidValue(N_("The phone number is too short."))
    if len(national) >= lengths.stop:
        raise InvalidValue(N_("The phone number is too long."))
    return "+62" + national


_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_email(raw: object) -> str:
    """Trim and lower-case an e-mail address; an internationalized domain becomes punycode.

    The whole address is lower-cased: local parts are case-sensitive in RFC 5321, but no mainstream
    provider treats them so, and one spelling per person avoids duplicate accounts.
    """
    text = str(raw or "").strip().lower()
    if not text:
        raise InvalidValue(N_("Enter an e-mail address."))
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or len(text) > 254 or len(local) > 64:
        raise InvalidValue(N_("Enter a valid e-mail address, for example nama@contoh.id."))
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidValue(
            N_("Enter a valid e-mail address, for example nama@contoh.id.")
        ) from None
    labels = domain.split(".")
    if (
        not _EMAIL_LOCAL.match(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidValue(N_("Enter a valid e-mail address, for example nama@contoh.id."))
    return f"{local}@{domain}"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=32)
def _district_lookup(districts: tuple[str, ...]) -> dict[str, str]:
    return {_fold(district): district for district in districts}


@lru_cache(maxsize=32)
def _sector_lookup(sectors: tuple[Sector, ...]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for sector in reversed(sectors):  # the first sector wins a label clash
        for name in (sector.label_en, sector.label_id, sector.key):
            lookup[_fold(name)] = sector.key
    return lookup


def normalize_district(raw: object, districts: Sequence[str] = DEFAULT_DISTRICTS) -> str:
    """Match a district case- and space-insensitively (``kec. sukun`` -> ``Sukun``)."""
    text = re.sub(r"^(kec\.|kecamatan)\s*", "", _fold(str(raw or "")))
    if not text:
        raise InvalidValue(N_("Choose a district."))
    found = _district_lookup(tuple(districts)).get(text)
    if found is not None:
        return found
    raise InvalidValue(
        N_("Unknown district; choose one of: %(choices)s."), choices=tuple(districts)
    )


def normalize_sector(raw: object, sectors: Sequence[Sector] = DEFAULT_SECTORS) -> str:
    """Return the sector key for a key or an Indonesian/English label (case-insensitive)."""
    text = _fold(str(raw or ""))
    if not text:
        raise InvalidValue(N_("Choose a sector."))
    found = _sector_lookup(tuple(sectors)).get(text)
    if found is not None:
        return found
    raise InvalidValue(
        N_("Unknown sector; choose one of: %(choices)s."),
        choices=tuple(sector.key for sector in sectors),
    )
