"""Field types of the entry form: definition checks, answer cleaning and narrowing rules.

Every field class implements three things used by ``FormSpec``:
``clean(raw)`` (raise ``InvalidValue`` or return the JSON-able value), ``definition_errors()``
(is the organizer's definition sane?) and ``narrowed_by(new)`` (which changes would make existing
answers invalid?).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

from awards.intake._messages import N_
from awards.intake.form.fieldbase import (
    MAX_FILE_BYTES,
    SLUG,
    FieldSpec,
    I18nText,
    Option,
    clean_text,
    is_empty,
    limit_lowered,
    to_decimal,
)
from awards.intake.validators import FieldError, InvalidValue, parse_number

__all__ = [
    "FIELD_CLASSES",
    "FILE_CONTENT_TYPES",
    "DateField",
    "FieldSpec",
    "FileField",
    "I18nText",
    "LongTextField",
    "MultipleChoiceField",
    "NumberField",
    "Option",
    "ShortTextField",
    "SingleChoiceField",
    "UrlField",
    "is_empty",
]

MAX_INTEGER_DIGITS = 18
#: File kinds an organizer may allow, with the content type each is stored and served as.
FILE_CONTENT_TYPES: dict[str, str] = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


@dataclass(frozen=True, kw_only=True)
class ShortTextField(FieldSpec):
    """One line of text, at most ``max_length`` characters (newlines become spaces)."""

    type: ClassVar[str] = "short_text"
    max_length: int = 200

    def clean(self, raw: Any) -> str:
        text = re.sub(r"\s*\n\s*", " ", clean_text(raw))
        if len(text) > self.max_length:
            raise InvalidValue(
                N_("Use at most %(limit)d characters (you used %(count)d)."),
                limit=self.max_length,
                count=len(text),
            )
        return text

    def definition_errors(self) -> list[FieldError]:
        if not 1 <= self.max_length <= 1000:
            return [FieldError("max_length", N_("Choose a limit between 1 and 1000."))]
        return []

    def narrowed_by(self, new: ShortTextField) -> list[tuple[str, dict[str, Any]]]:
        return (
            [limit_lowered("max_length", self.max_length)]
            if new.max_length < self.max_length
            else []
        )


@dataclass(frozen=True, kw_only=True)
class LongTextField(FieldSpec):
    """Paragraphs of text, at most ``max_chars`` characters after trimming."""

    type: ClassVar[str] = "long_text"
    max_chars: int = 2000

    def clean(self, raw: Any) -> str:
        text = clean_text(raw)
        if len(text) > self.max_chars:
            raise InvalidValue(
                N_("Use at most %(limit)d characters (you used %(count)d)."),
                limit=self.max_chars,
                count=len(text),
            )
        return text

    def definition_errors(self) -> list[FieldError]:
        if not 1 <= self.max_chars <= 50_000:
            return [FieldError("max_chars", N_("Choose a limit between 1 and 50000."))]
        return []

    def narrowed_by(self, new: LongTextField) -> list[tuple[str, dict[str, Any]]]:
        return (
            [limit_lowered("max_chars", self.max_chars)] if new.max_chars < self.max_chars else []
        )


@dataclass(frozen=True, kw_only=True)
class NumberField(FieldSpec):
    """A number in [min_value, max_value]; integer when ``decimal_places == 0``.

    Cleaned value: ``int`` for integers, otherwise a ``str`` with exactly ``decimal_places``
    decimals (``"12.50"``), never a float. Text is read by :func:`parse_number` (Indonesian and
    English separators; an ambiguous ``2.500`` is refused in a decimal field rather than
    guessed). Magnitudes stay below ``10**18`` (a 64-bit integer).
    """

    type: ClassVar[str] = "number"
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    decimal_places: int = 0

    def clean(self, raw: Any) -> int | str:
        if isinstance(raw, bool):
            raise InvalidValue(N_("Enter a number."))
        value = parse_number(raw, integer=self.decimal_places == 0)
        if not value.is_finite():
            raise InvalidValue(N_("Enter a number."))
        if value and value.adjusted() >= MAX_INTEGER_DIGITS:
            raise InvalidValue(N_("The number is too large."))
        if value and -value.normalize().as_tuple().exponent > self.decimal_places:
            if self.decimal_places == 0:
                raise InvalidValue(N_("Enter a whole number."))
            raise InvalidValue(
                N_("Use at most %(places)d decimal places."), places=self.decimal_places
            )
        if self.min_value is not None and value < self.min_value:
            raise InvalidValue(N_("Must be at least %(minimum)s."), minimum=str(self.min_value))
        if self.max_value is not None and value > self.max_value:
            raise InvalidValue(N_("Must be at most %(maximum)s."), maximum=str(self.max_value))
        if self.decimal_places == 0:
            return int(value)
        return f"{value:.{self.decimal_places}f}"

    def definition_errors(self) -> list[FieldError]:
        errors = []
        if not 0 <= self.decimal_places <= 6:
            errors.append(FieldError("decimal_places", N_("Choose 0 to 6 decimal places.")))
        if None not in (self.min_value, self.max_value) and self.min_value > self.max_value:
            errors.append(FieldError("max_value", N_("The maximum must not be below the minimum.")))
        return errors

    def narrowed_by(self, new: NumberField) -> list[tuple[str, dict[str, Any]]]:
        out = []
        if new.decimal_places < self.decimal_places:
            out.append(limit_lowered("decimal_places", self.decimal_places))
        if new.min_value is not None and (self.min_value is None or new.min_value > self.min_value):
            out.append((N_("The minimum cannot be raised."), {}))
        if new.max_value is not None and (self.max_value is None or new.max_value < self.max_value):
            out.append((N_("The maximum cannot be lowered."), {}))
        return out

    @classmethod
    def _load(cls, values: dict[str, Any]) -> dict[str, Any]:
        values["min_value"] = to_decimal(values.get("min_value"))
        values["max_value"] = to_decimal(values.get("max_value"))
        return values


@dataclass(frozen=True, kw_only=True)
class _ChoiceField(FieldSpec):
    options: tuple[Option, ...] = ()

    def _match(self, raw: Any) -> str:
        """The key of the first option whose key or case-folded label is the text."""
        key = self._keys_by_text.get(clean_text(raw).casefold())
        if key is None:
            raise InvalidValue(
                N_("Choose one of: %(choices)s."), choices=tuple(o.key for o in self.options)
            )
        return key

    @cached_property
    def _keys_by_text(self) -> dict[str, str]:
        """Option key by its key and case-folded labels, the first option in order winning a
        text two options share: one look-up per answer instead of folding every label of
        every option on each save."""
        keys: dict[str, str] = {}
        for option in self.options:
            for text in (option.key, option.label.id.casefold(), option.label.en.casefold()):
                keys.setdefault(text, option.key)
        return keys

    def definition_errors(self) -> list[FieldError]:
        errors = []
        if not self.options:
            errors.append(FieldError("options", N_("Add at least one option.")))
        keys = [option.key for option in self.options]
        if any(not SLUG.match(key) for key in keys):
            errors.append(FieldError("options", N_("Option keys must be lower-case slugs.")))
        if len(set(keys)) != len(keys):
            errors.append(FieldError("options", N_("Option keys must be unique.")))
        if any(not option.label.id.strip() for option in self.options):
            errors.append(FieldError("options", N_("Every option needs a label.")))
        return errors

    def narrowed_by(self, new: _ChoiceField) -> list[tuple[str, dict[str, Any]]]:
        kept = {option.key for option in new.options}
        removed = tuple(option.key for option in self.options if option.key not in kept)
        return (
            [(N_("Options cannot be removed: %(options)s."), {"options": removed})]
            if removed
            else []
        )

    @classmethod
    def _load(cls, values: dict[str, Any]) -> dict[str, Any]:
        values["options"] = tuple(
            Option(str(item["key"]), I18nText.from_dict(item.get("label")))
            for item in values.get("options", ())
        )
        return values


@dataclass(frozen=True, kw_only=True)
class SingleChoiceField(_ChoiceField):
    """One option; answers hold the option key (a label is accepted and mapped to its key)."""

    type: ClassVar[str] = "single_choice"

    def clean(self, raw: Any) -> str:
        return self._match(raw)


@dataclass(frozen=True, kw_only=True)
class MultipleChoiceField(_ChoiceField):
    """Several options, given as a list or a ``;``-separated string; stored in option order."""

    type: ClassVar[str] = "multiple_choice"
    min_choices: int = 0
    max_choices: int | None = None

    def clean(self, raw: Any) -> list[str]:
        if isinstance(raw, str):
            items = raw.split(";")
        elif isinstance(raw, list | tuple):
            items = list(raw)
        else:
            raise InvalidValue(N_("Choose one or more options."))
        chosen = {self._match(item) for item in items if not is_empty(item)}
        ordered = [option.key for option in self.options if option.key in chosen]
        if len(ordered) < self.min_choices:
            raise InvalidValue(N_("Choose at least %(count)d options."), count=self.min_choices)
        if self.max_choices is not None and len(ordered) > self.max_choices:
            raise InvalidValue(N_("Choose at most %(count)d options."), count=self.max_choices)
        return ordered

    def definition_errors(self) -> list[FieldError]:
        errors = super().definition_errors()
        top = len(self.options) if self.max_choices is None else self.max_choices
        if not 0 <= self.min_choices <= top <= len(self.options) or top < 1:
            errors.append(
                FieldError("max_choices", N_("Choice limits must fit the number of options."))
            )
        return errors

    def narrowed_by(self, new: MultipleChoiceField) -> list[tuple[str, dict[str, Any]]]:
        out = super().narrowed_by(new)
        if new.min_choices > self.min_choices:
            out.append((N_("The minimum number of choices cannot be raised."), {}))
        if new.max_choices is not None and (
            self.max_choices is None or new.max_choices < self.max_choices
        ):
            out.append((N_("The maximum number of choices cannot be lowered."), {}))
        return out


@dataclass(frozen=True, kw_only=True)
class UrlField(FieldSpec):
    """A web address (http or https); ``https://`` is added when the scheme is missing."""

    type: ClassVar[str] = "url"
    max_length: int = 2000

    def clean(self, raw: Any) -> str:
        text = clean_text(raw)
        if "://" not in text:
            text = "https://" + text
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
        except ValueError:  # e.g. an unbalanced "[" (IPv6 literal syntax)
            raise InvalidValue(N_("Enter a web address, for example https://contoh.id.")) from None
        if (
            parts.scheme not in ("http", "https")
            or "." not in host
            or re.search(r"\s", text)
            or host.startswith(".")
        ):
            raise InvalidValue(N_("Enter a web address, for example https://contoh.id."))
        if len(text) > self.max_length:
            raise InvalidValue(N_("The address is too long."))
        return text

    def definition_errors(self) -> list[FieldError]:
        if not 10 <= self.max_length <= 2000:
            return [FieldError("max_length", N_("Choose a limit between 10 and 2000."))]
        return []

    def narrowed_by(self, new: UrlField) -> list[tuple[str, dict[str, Any]]]:
        return (
            [limit_lowered("max_length", self.max_length)]
            if new.max_length < self.max_length
            else []
        )


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)


@dataclass(frozen=True, kw_only=True)
class DateField(FieldSpec):
    """A calendar date: ISO ``YYYY-MM-DD`` or Indonesian ``DD/MM/YYYY``; stored as ISO."""

    type: ClassVar[str] = "date"
    min_date: date | None = None
    max_date: date | None = None

    def clean(self, raw: Any) -> str:
        if isinstance(raw, datetime):
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        else:
            text = clean_text(raw)
            dmy = _DMY.match(text)
            try:
                if dmy:
                    value = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
                else:
                    value = date.fromisoformat(text[:10] if len(text) > 10 else text)
            except ValueError:
                raise InvalidValue(N_("Enter a date as DD/MM/YYYY.")) from None
        if self.min_date and value < self.min_date:
            raise InvalidValue(
                N_("The date must be on or after %(date)s."), date=str(self.min_date)
            )
        if self.max_date and value > self.max_date:
            raise InvalidValue(
                N_("The date must be on or before %(date)s."), date=str(self.max_date)
            )
        return value.isoformat()

    def definition_errors(self) -> list[FieldError]:
        if self.min_date and self.max_date and self.min_date > self.max_date:
            return [FieldError("max_date", N_("The latest date must not be before the earliest."))]
        return []

    def narrowed_by(self, new: DateField) -> list[tuple[str, dict[str, Any]]]:
        out = []
        if new.min_date and (self.min_date is None or new.min_date > self.min_date):
            out.append((N_("The earliest date cannot be moved later."), {}))
        if new.max_date and (self.max_date is None or new.max_date < self.max_date):
            out.append((N_("The latest date cannot be moved earlier."), {}))
        return out

    @classmethod
    def _load(cls, values: dict[str, Any]) -> dict[str, Any]:
        for name in ("min_date", "max_date"):
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        return values


@dataclass(frozen=True, kw_only=True)
class FileField(FieldSpec):
    """Uploaded files; answers hold stored-attachment dicts (``StoredFile.to_dict()``)."""

    type: ClassVar[str] = "file"
    kinds: tuple[str, ...] = ("jpeg", "png", "webp")
    max_size_bytes: int = 5 * 1024 * 1024
    max_count: int = 1

    def clean(self, raw: Any) -> list[dict[str, Any]]:
        items = [raw] if isinstance(raw, Mapping) else raw
        if not isinstance(items, list | tuple):
            raise InvalidValue(N_("Upload the file again."))
        if len(items) > self.max_count:
            raise InvalidValue(N_("Attach at most %(count)d files."), count=self.max_count)
        allowed = {FILE_CONTENT_TYPES[kind] for kind in self.kinds}
        for item in items:
            size = item.get("size", 0) if isinstance(item, Mapping) else None
            if not isinstance(item, Mapping) or not item.get("key") or type(size) is not int:
                raise InvalidValue(N_("Upload the file again."))
            if item.get("content_type") not in allowed:
                raise InvalidValue(N_("Allowed file types: %(kinds)s."), kinds=self.kinds)
            if size > self.max_size_bytes:
                raise InvalidValue(
                    N_("Each file may be at most %(limit)s bytes."), limit=self.max_size_bytes
                )
        return [dict(item) for item in items]

    def definition_errors(self) -> list[FieldError]:
        errors = []
        if not self.kinds or any(kind not in FILE_CONTENT_TYPES for kind in self.kinds):
            errors.append(FieldError("kinds", N_("Allow one or more of: jpeg, png, webp, pdf.")))
        if not 1 <= self.max_size_bytes <= MAX_FILE_BYTES:
            errors.append(FieldError("max_size_bytes", N_("Choose a size between 1 B and 50 MB.")))
        if not 1 <= self.max_count <= 20:
            errors.append(FieldError("max_count", N_("Choose between 1 and 20 files.")))
        return errors

    def narrowed_by(self, new: FileField) -> list[tuple[str, dict[str, Any]]]:
        out = []
        removed = tuple(kind for kind in self.kinds if kind not in new.kinds)
        if removed:
            out.append((N_("File types cannot be removed: %(options)s."), {"options": removed}))
        if new.max_size_bytes < self.max_size_bytes:
            out.append(limit_lowered("max_size_bytes", self.max_size_bytes))
        if new.max_count < self.max_count:
            out.append(limit_lowered("max_count", self.max_count))
        return out

    @classmethod
    def _load(cls, values: dict[str, Any]) -> dict[str, Any]:
        values["kinds"] = tuple(values.get("kinds", cls.kinds))
        return values


FIELD_CLASSES: dict[str, type[FieldSpec]] = {
    cls.type: cls
    for cls in (
        ShortTextField,
        LongTextField,
        NumberField,
        SingleChoiceField,
        MultipleChoiceField,
        UrlField,
        DateField,
        FileField,
    )
}
