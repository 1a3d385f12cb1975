"""Organizer form input -> form fields and rubric criteria (the no-JavaScript form builder).

One plain HTML form per field: common inputs ``key``, ``label_id``, ``label_en``, ``help_id``,
``help_en``, ``required`` (checkbox), ``order``, plus the type's limits. Choice options and
rubric levels are textareas with one item per line, parts separated by ``|``:

* options: ``key | label in Indonesian | label in English``
* levels:  ``score | description in Indonesian | description in English``

Errors are :class:`awards.errors.ValidationError` keyed by the input name, so the page shows
each message beside its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.form.fields import FIELD_CLASSES, FILE_CONTENT_TYPES, FieldSpec, I18nText
from awards.intake.form.rubric import MAX_WEIGHT, Criterion, Level

__all__ = ["FIELD_TYPES", "criterion_from_form", "field_from_form", "field_to_form", "lines"]

#: Field types in the order the builder offers them.
FIELD_TYPES = tuple(FIELD_CLASSES)
_TRUE = {"on", "true", "1", "yes"}
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def lines(raw: Any) -> list[str]:
    """Non-empty stripped items of a textarea (newline or comma separated) or a list."""
    if isinstance(raw, list | tuple):
        items = [str(item) for item in raw]
    else:
        items = re.split(r"[\n,]", str(raw or ""))
    return [item.strip() for item in items if item.strip()]


def _one(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else ""
    return str(value if value is not None else "").strip()


def _int(data: Mapping[str, Any], name: str, errors: dict[str, str], default: int | None) -> Any:
    text = _one(data, name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        errors[name] = _("Enter a whole number.")
        return default


def _decimal(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> Decimal | None:
    text = _one(data, name).replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[name] = _("Enter a number.")
        return None
    if not value.is_finite():
        errors[name] = _("Enter a number.")
        return None
    return value


def _parts(line: str) -> list[str]:
    return [part.strip() for part in line.split("|")]


def _options(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    options = []
    for line in raw if isinstance(raw, list) else str(raw or "").splitlines():
        if isinstance(line, Mapping):
            options.append(dict(line))
            continue
        if not str(line).strip():
            continue
        parts = _parts(str(line))
        if len(parts) < 2:
            errors["options"] = _("Write each option as: key | label | English label.")
            continue
        options.append({"key": parts[0], "label": {"id": parts[1], "en": "|".join(parts[2:])}})
    return options


def field_from_form(kind: str, data: Mapping[str, Any], *, default_order: int) -> FieldSpec:
    """Build a field of type ``kind`` from form input; raise ``ValidationError`` if unsound."""
    errors: dict[str, str] = {}
    cls = FIELD_CLASSES.get(kind)
    if cls is None:
        raise ValidationError({"type": _("Choose a field type.")})
    key = _one(data, "key")
    if not _KEY.match(key):
        errors["key"] = _("Use lower-case letters, digits and _ (starting with a letter).")
    values: dict[str, Any] = {
        "type": kind,
        "key": key,
        "label": {"id": _one(data, "label_id"), "en": _one(data, "label_en")},
        "help": {"id": _one(data, "help_id"), "en": _one(data, "help_en")},
        "required": _one(data, "required").lower() in _TRUE,
        "order": _int(data, "order", errors, default_order),
    }
    if not values["label"]["id"]:
        errors["label_id"] = _("Enter a label in Bahasa Indonesia.")
    if kind in ("short_text", "url"):
        values["max_length"] = _int(
            data, "max_length", errors, 200 if kind == "short_text" else 2000
        )
    elif kind == "long_text":
        values["max_chars"] = _int(data, "max_chars", errors, 2000)
    elif kind == "number":
        values["min_value"] = _decimal(data, "min_value", errors)
        values["max_value"] = _decimal(data, "max_value", errors)
        values["decimal_places"] = _int(data, "decimal_places", errors, 0)
    elif kind in ("single_choice", "multiple_choice"):
        values["options"] = _options(data.get("options", ""), errors)
        if kind == "multiple_choice":
            values["min_choices"] = _int(data, "min_choices", errors, 0)
            values["max_choices"] = _int(data, "max_choices", errors, None)
    elif kind == "date":
        values["min_date"] = _one(data, "min_date") or None
        values["max_date"] = _one(data, "max_date") or None
    elif kind == "file":
        kinds = data.get("kinds") or []
        values["kinds"] = [kinds] if isinstance(kinds, str) else list(kinds)
        size = _decimal(data, "max_size_mb", errors)
        values["max_size_bytes"] = int((size or Decimal(5)) * 1024 * 1024)
        values["max_count"] = _int(data, "max_count", errors, 1)
    if errors:
        raise ValidationError(errors)
    try:
        spec = cls.from_dict(
            {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
        )
    except (ValueError, TypeError, KeyError):
        raise ValidationError({"type": _("Check the field's limits.")}) from None
    problems = {
        {"max_size_bytes": "max_size_mb"}.get(e.field, e.field): e.render(_)
        for e in spec.definition_errors()
    }
    if problems:
        raise ValidationError(problems)
    return spec


def field_to_form(spec: FieldSpec) -> dict[str, Any]:
    """The form input that :func:`field_from_form` turns back into ``spec`` (for edit pages)."""
    data = spec.to_dict()
    out: dict[str, Any] = {
        "type": spec.type,
        "key": spec.key,
        "label_id": spec.label.id,
        "label_en": spec.label.en,
        "help_id": spec.help.id,
        "help_en": spec.help.en,
        "required": spec.required,
        "order": spec.order,
    }
    for name in ("max_length", "max_chars", "decimal_places", "min_choices", "max_count"):
        if name in data:
            out[name] = data[name]
    for name in ("min_value", "max_value", "max_choices", "min_date", "max_date"):
        if name in data:
            out[name] = "" if data[name] is None else data[name]
    if "options" in data:
        out["options"] = "\n".join(
            f"{o['key']} | {o['label']['id']} | {o['label']['en']}" for o in data["options"]
        )
    if "kinds" in data:
        out["kinds"] = list(data["kinds"])
        out["max_size_mb"] = f"{data['max_size_bytes'] / (1024 * 1024):g}"
    return out


def file_kinds() -> tuple[str, ...]:
    return tuple(FILE_CONTENT_TYPES)


def criterion_from_form(data: Mapping[str, Any]) -> Criterion:
    """A rubric criterion from form input (``key``, labels, ``weight``, ``scale_min``,
    ``scale_max`` and the ``levels`` textarea); rubric-wide checks happen in ``Rubric``."""
    errors: dict[str, str] = {}
    key = _one(data, "key")
    if not _KEY.match(key):
        errors["key"] = _("Use lower-case letters, digits and _ (starting with a letter).")
    label = I18nText(_one(data, "label_id"), _one(data, "label_en"))
    if not label.id:
        errors["label_id"] = _("Enter a label in Bahasa Indonesia.")
    weight = _int(data, "weight", errors, None)
    if weight is None or weight <= 0:
        errors.setdefault("weight", _("The weight must be greater than zero."))
    elif weight > MAX_WEIGHT:
        errors["weight"] = _("The weight may be at most %(max)d.") % {"max": MAX_WEIGHT}
    scale_min = _int(data, "scale_min", errors, 1)
    scale_max = _int(data, "scale_max", errors, 10)
    levels = []
    raw = data.get("levels", "")
    for line in raw if isinstance(raw, list) else str(raw or "").splitlines():
        if isinstance(line, list | tuple):  # JSON: [value, {"id", "en"}]
            levels.append(Level(int(line[0]), I18nText.from_dict(line[1])))
            continue
        if not str(line).strip():
            continue
        parts = _parts(str(line))
        try:
            levels.append(Level(int(parts[0]), I18nText(parts[1], "|".join(parts[2:]))))
        except (ValueError, IndexError):
            errors["levels"] = _("Write each level as: score | description | English description.")
    if errors:
        raise ValidationError(errors)
    return Criterion(key, label, weight or 1, scale_min or 0, scale_max or 0, tuple(levels))
