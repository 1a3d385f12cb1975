"""Input limits checked before any handler runs, and the last line against storage errors.

:func:`check_input` (an app-level ``before_request`` hook) refuses, with a 422 naming the field:

* an integer path parameter outside ``-2**31 .. 2**31 - 1`` (ids are 32-bit on PostgreSQL;
  SQLite would overflow at 2**63);
* in a JSON, URL-encoded or multipart body (text fields and the names of uploaded files):
  nesting deeper than :data:`MAX_DEPTH` (32), an integer beyond ``±MAX_NUMBER`` (10**15, more
  than any amount in rupiah the forms ask for), a NUL character in any text (PostgreSQL cannot
  store it); fields are named by their path (``answers.price``, ``criteria.0.weight``).

:data:`STORAGE_ERROR_HANDLERS` turn what still slips through into a 422 without exception text:
``OverflowError`` (a number SQLite or a date cannot hold) and asyncpg's ``DataError`` family
(out-of-range numbers, NUL bytes, over-long text on PostgreSQL).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from litestar import Request, Response
from litestar.enums import RequestEncodingType

from awards.errors import ValidationError
from awards.i18n import _

__all__ = [
    "INT_MAX",
    "MAX_DEPTH",
    "MAX_NUMBER",
    "STORAGE_ERROR_HANDLERS",
    "check_input",
    "input_problems",
]

log = logging.getLogger("awards.errors")

INT_MAX = 2**31 - 1
MAX_DEPTH = 32
MAX_NUMBER = 10**15


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth > MAX_DEPTH:
        yield path or "body", "nesting"
        return
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > MAX_NUMBER:
            yield path or "body", "number"
    elif isinstance(value, str):
        if "\x00" in value:
            yield path or "body", "nul"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield name, "nul"
            yield from _walk(item, name, depth + 1)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}" if path else str(index), depth + 1)


def input_problems(value: Any) -> dict[str, str]:
    """``{field path: message}`` for the limits of the module docstring (empty when fine)."""
    messages = {
        "nesting": _("The data is nested too deeply."),
        "number": _("This number is too large."),
        "nul": _("Remove the NUL character from this text."),
    }
    problems: dict[str, str] = {}
    for path, kind in _walk(value, "", 0):
        problems.setdefault(path, messages[kind])
        if kind == "nesting":
            break
    return problems


def _too_deep(raw: bytes) -> bool:
    """More than ``MAX_DEPTH`` open brackets at once (checked before decoding)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH + 1:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _form_texts(form: Any) -> dict[str, Any]:
    """A form's text values by field (a list when repeated); an upload counts by its file name."""
    data: dict[str, Any] = {}
    for key in form:
        values = [
            value if isinstance(value, str) else str(getattr(value, "filename", "") or "")
            for value in form.getall(key)
        ]
        data[key] = values[0] if len(values) == 1 else values
    return data


async def check_input(request: Request[Any, Any, Any]) -> None:
    """``before_request``: path integers in range; JSON and form bodies within limits.

    Runs after the route's guards, so a multipart body is parsed (within the route's size
    limit) only for a visitor allowed to post it; the handler reads the same parsed form.
    """
    problems: dict[str, str] = {}
    for name, value in request.path_params.items():
        if isinstance(value, int) and not -INT_MAX - 1 <= value <= INT_MAX:
            problems[name] = _("This number is too large.")
    if problems:
        raise ValidationError(problems)
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    content_type, _params = request.content_type
    if content_type == RequestEncodingType.JSON or content_type.endswith("+json"):
        raw = await request.body()
        if _too_deep(raw):
            raise ValidationError({"body": _("The data is nested too deeply.")})
        try:
            data = await request.json()
        except Exception:  # malformed JSON: the handler's own decoding reports it
            return
    elif content_type in {RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}:
        data = _form_texts(await request.form())
    else:
        return
    if problems := input_problems(data):
        raise ValidationError(problems)


def _storage_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("refused a value the database cannot store: %r", exc)
    from awards.web.errors import validation_error_handler

    return validation_error_handler(
        request,
        ValidationError(
            {"body": _("A value is out of range or contains a character that cannot be stored.")}
        ),
    )


def _storage_handlers() -> dict[type[Exception], Any]:
    import asyncpg

    return {OverflowError: _storage_error, asyncpg.exceptions.DataError: _storage_error}


STORAGE_ERROR_HANDLERS = _storage_handlers()
