"""Validation errors that can be rendered beside form fields, and small value parsers.

Exception hierarchy::

    ValueError
     └── InvalidValue          one bad value, no field yet (raised by parsers)
    Exception
     └── ValidationErrors      many FieldErrors keyed by field (raised or returned by validators)

Messages are English msgids marked with ``N_``; ``FieldError.render(gettext)`` translates the
message and every string parameter (a parameter that is not a msgid passes through gettext
unchanged), then interpolates ``%(name)s`` placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from awards.intake._messages import N_

__all__ = [
    "FieldError",
    "InvalidValue",
    "ValidationErrors",
    "parse_int",
    "parse_number",
    "parse_rupiah",
]

Gettext = Callable[[str], str]


def _identity(message: str) -> str:
    return message


@dataclass(frozen=True, eq=True)
class FieldError:
    """One message about one field: ``field`` is a form key or a dotted path (``fields.2.key``)."""

    field: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    __hash__ = None  # type: ignore[assignment]  # params is a mapping

    def render(self, gettext: Gettext = _identity) -> str:
        """Translate the message and its string/sequence parameters, then interpolate."""
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {name: _render_param(value, gettext) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()


def _render_param(value: Any, gettext: Gettext) -> Any:
    if isinstance(value, str):
        return gettext(value)
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(str(_render_param(item, gettext)) for item in value)
    return value


class InvalidValue(ValueError):  # noqa: N818 - reads as "raise InvalidValue(...)"
    """A single value was refused; ``at(field)`` turns it into a ``FieldError``."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def at(self, field_name: str) -> FieldError:
        return FieldError(field_name, self.message, dict(self.params))


class ValidationErrors(Exception):  # noqa: N818 - a collection, named as the brief asks
    """Field -> list of ``FieldError``; falsy when empty so ``if errors:`` reads naturally."""

    def __init__(self, errors: Iterable[FieldError] = ()) -> None:
        super().__init__()
        self.errors: dict[str, list[FieldError]] = {}
        for error in errors:
            self.errors.setdefault(error.field, []).append(error)

    def add(self, field_name: str, message: str, **params: Any) -> None:
        self.errors.setdefault(field_name, []).append(FieldError(field_name, message, params))

    def add_error(self, error: FieldError) -> None:
        self.errors.setdefault(error.field, []).append(error)

    def extend(self, other: ValidationErrors) -> None:
        for error in other:
            self.add_error(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return sum(len(messages) for messages in self.errors.values())

    def __iter__(self) -> Iterator[FieldError]:
        for messages in self.errors.values():
            yield from messages

    def __contains__(self, field_name: object) -> bool:
        return field_name in self.errors

    def messages(self, field_name: str) -> list[str]:
        """English (untranslated) messages of one field, for tests and logs."""
        return [error.render() for error in self.errors.get(field_name, [])]

    def as_dict(self, gettext: Gettext = _identity) -> dict[str, list[str]]:
        """Field -> rendered messages, ready for a template or a JSON 400 body."""
        return {name: [e.render(gettext) for e in errs] for name, errs in self.errors.items()}

    def __str__(self) -> str:
        return "; ".join(f"{error.field}: {error.render()}" for error in self)


_GROUPED = re.compile(r"^[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)


def parse_int(raw: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Parse a whole number from an int or a string of digits (spaces ignored); bounds inclusive."""
    if isinstance(raw, bool):
        raise InvalidValue(N_("Enter a whole number."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = re.sub(r"\s+", "", str(raw))
        if not re.fullmatch(r"-?[0-9]+", text):
            raise InvalidValue(N_("Enter a whole number."))
        value = int(text)
    if minimum is not None and value < minimum:
        raise InvalidValue(N_("Must be at least %(minimum)s."), minimum=minimum)
    if maximum is not None and value > maximum:
        raise InvalidValue(N_("Must be at most %(maximum)s."), maximum=maximum)
    return value


def parse_rupiah(raw: object) -> int:
    """Parse a non-negative rupiah amount into an integer.

    Accepts ``1500000000``, ``Rp 1.500.000.000`` (Indonesian grouping), ``1,500,000,000`` and a
    zero fraction ``1.500.000,00``. Refuses fractions of a rupiah and ambiguous input such as
    ``1.5`` (is it 1.5 or 15?), because amounts are integers in rupiah.
    """
    if isinstance(raw, bool):
        raise InvalidValue(N_("Enter an amount in rupiah, for example 1.500.000.000."))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            raise InvalidValue(N_("Enter an amount in whole rupiah."))
        value = int(raw)
    else:
        text = _CURRENCY.sub("", str(raw).strip()).replace(" ", "")
        zero_fraction = re.fullmatch(r"(.*[0-9])([.,])00", text)
        if zero_fraction and zero_fraction.group(2) not in zero_fraction.group(1):
            text = zero_fraction.group(1)
        if re.fullmatch(r"[0-9]+", text):
            value = int(text)
        elif _GROUPED.match(text):
            value = int(re.sub(r"[.,]", "", text))
        else:
            raise InvalidValue(N_("Enter an amount in rupiah, for example 1.500.000.000."))
    if value < 0:
        raise InvalidValue(N_("The amount cannot be negative."))
    return value


_GROUPED_DOTS = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+", re.ASCII)
_GROUPED_COMMAS = re.compile(r"[1-9][0-9]{0,2}(,[0-9]{3})+", re.ASCII)
_ONE_MARK = re.compile(r"[0-9]+[.,][0-9]+", re.ASCII)


def _unambiguous_decimal(text: str) -> str:
    """``2.500`` read as a decimal, written so no one can read it as thousands: ``2,5``;
    ``1.255`` keeps three decimals, so it gets a fourth digit: ``1,2550``."""
    whole, _, fraction = format(Decimal(text).normalize(), "f").partition(".")
    if len(fraction) == 3:
        fraction += "0"
    return f"{whole},{fraction}" if fraction else whole


def parse_number(raw: Any, *, integer: bool) -> Decimal:
    """Read a number typed the Indonesian (``1.250,5``) or the English (``1,250.5``) way.

    Rules, for the digits after an optional sign (spaces ignored):
    * both ``.`` and ``,``: the last one is the decimal separator, the other groups thousands
      (``1.250,50`` = ``1,250.50`` = 1250.5);
    * one kind repeated (``2.500.000``, ``2,500,000``): thousands grouping;
    * one separator followed by exactly three digits (``2.500``, ``2,500``) is ambiguous: in an
      integer field it can only mean 2500; in a decimal field it is refused with a message
      asking to write ``2500`` or ``2,5`` rather than guessed;
    * otherwise one separator is the decimal point (``12,5`` = ``12.5``, ``0.500`` = 0.5).
    Numbers from JSON (``int``/``float``) and scientific notation (``1.5E+3``) are taken as they
    are. Raises ``InvalidValue`` with a plain message.
    """
    if isinstance(raw, bool):
        raise InvalidValue(N_("Enter a number."))
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    sign, body = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    if "." in body and "," in body:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        whole, _, fraction = body.rpartition(decimal_mark)
        grouped = _GROUPED_COMMAS if decimal_mark == "." else _GROUPED_DOTS
        if not grouped.fullmatch(whole) or not fraction.isdigit():
            raise InvalidValue(N_("Enter a number."))
        body = whole.replace(",", "").replace(".", "") + "." + fraction
    elif _GROUPED_DOTS.fullmatch(body) or _GROUPED_COMMAS.fullmatch(body):
        if not integer and body.count(".") + body.count(",") == 1:
            raise InvalidValue(
                N_("%(text)s is ambiguous: write %(whole)s or %(decimal)s."),
                text=body,
                whole=body.replace(".", "").replace(",", ""),
                decimal=_unambiguous_decimal(body.replace(",", ".")),
            )
        body = body.replace(".", "").replace(",", "")
    elif _ONE_MARK.fullmatch(body):
        body = body.replace(",", ".")
    try:
        value = Decimal(sign + body)
    except InvalidOperation:
        raise InvalidValue(N_("Enter a number.")) from None
    if not value.is_finite():
        raise InvalidValue(N_("Enter a number."))
    return value
