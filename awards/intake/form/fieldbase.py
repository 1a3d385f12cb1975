"""Building blocks of entry-form fields: bilingual texts, options, the ``FieldSpec`` base.

Concrete field types live in ``awards.intake.form.fields``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from awards.intake._messages import N_
from awards.intake.validators import FieldError, InvalidValue

__all__ = ["FieldSpec", "I18nText", "Option", "is_empty"]

MAX_FILE_BYTES = 50 * 1024 * 1024
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


@dataclass(frozen=True)
class I18nText:
    """A text in Bahasa Indonesia (``id``, required for labels) and English (``en``)."""

    id: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        """The text in ``language`` (``"id"``/``"en"``), falling back to Indonesian."""
        return (self.en if language.startswith("en") else "") or self.id

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}

    @classmethod
    def from_dict(cls, data: Mapping[str, str] | str | None) -> I18nText:
        if isinstance(data, str):
            return cls(data, "")
        return cls(str((data or {}).get("id", "")), str((data or {}).get("en", "")))


@dataclass(frozen=True)
class Option:
    """A choice: stable slug ``key`` (stored in answers) and a label."""

    key: str
    label: I18nText


def is_empty(raw: Any) -> bool:
    """``None``, blank text and empty lists count as "not answered"."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple) and len(raw) == 0


def clean_text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise InvalidValue(N_("Enter text."))
    text = unicodedata.normalize("NFC", str(raw)).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARS.sub("", text).strip()


def to_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """Common attributes; subclasses add their limits."""

    type: ClassVar[str] = ""
    key: str
    label: I18nText
    help: I18nText = I18nText()
    required: bool = False
    order: int = 0

    def clean(self, raw: Any) -> Any:
        raise NotImplementedError

    def definition_errors(self) -> list[FieldError]:
        return []

    def narrowed_by(self, new: Any) -> list[tuple[str, dict[str, Any]]]:
        return []

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        for item in fields(self):
            data[item.name] = _dump(getattr(self, item.name))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldSpec:
        values = {item.name: data[item.name] for item in fields(cls) if item.name in data}
        values["label"] = I18nText.from_dict(values.get("label"))
        values["help"] = I18nText.from_dict(values.get("help"))
        return cls(**cls._load(values))

    @classmethod
    def _load(cls, values: dict[str, Any]) -> dict[str, Any]:
        return values


def _dump(value: Any) -> Any:
    if isinstance(value, I18nText):
        return value.to_dict()
    if isinstance(value, Option):
        return {"key": value.key, "label": value.label.to_dict()}
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def limit_lowered(limit: str, value: Any) -> tuple[str, dict[str, Any]]:
    return N_("The limit %(limit)s cannot be lowered (it was %(value)s)."), {
        "limit": limit,
        "value": value,
    }
