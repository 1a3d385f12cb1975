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
(out-of-range numbers, NUL bytes, over-long text on PostgreSQL). The 422 names the fields of the
request that can hold such a value (:func:`storage_problems`); ``body`` only when none can.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from awards.errors import ValidationError
from awards.i18n import _
from awards.moments import EARLIEST_YEAR, LATEST_YEAR, out_of_range_message

__all__ = [
    "INT_MAX",
    "MAX_DEPTH",
    "MAX_NUMBER",
    "STORAGE_ERROR_HANDLERS",
    "check_input",
    "input_problems",
    "storage_problems",
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


def _message(kind: str) -> str:
    if kind == "nesting":
        return _("The data is nested too deeply.")
    if kind == "number":
        return _("This number is too large.")
    return _("Remove the NUL character from this text.")


def input_problems(value: Any) -> dict[str, str]:
    """``{field path: message}`` for the limits of the module docstring (empty when fine)."""
    problems: dict[str, str] = {}
    for path, kind in _walk(value, "", 0):
        if path not in problems:
            problems[path] = _message(kind)
        if kind == "nesting":
            break
    return problems


def _brackets(raw: bytes) -> int:
    """Opening brackets in ``raw``, those inside strings included: no value nests deeper."""
    return raw.count(b"[") + raw.count(b"{")


def _too_deep(raw: bytes, brackets: int | None = None) -> bool:
    """More than ``MAX_DEPTH`` open brackets at once (checked before decoding); ``brackets``
    is :func:`_brackets` of ``raw`` when the caller has counted them already."""
    if (_brackets(raw) if brackets is None else brackets) <= MAX_DEPTH + 1:
        # No deeper than the number of brackets (those in strings included): the byte walk
        # below, a Python loop (~0.3 ms for an entry's answers), is needed only beyond that.
        return False
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


#: Every ASCII digit to ``0``, every other byte to a space; then sixteen ``0`` in a row (the
#: shortest text of an integer beyond ``MAX_NUMBER``) is a substring search, about ten times
#: faster than a regular expression's ``\d{16}`` over an entry's answers.
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_SIXTEEN_DIGITS = b"0" * 16


def _clearly_within(raw: bytes, brackets: int | None = None) -> bool:
    """True when the JSON text ``raw`` cannot break a limit, seen from its bytes alone: at most
    ``MAX_DEPTH`` brackets (so no value nests deeper), no ``\\u0000`` escape (JSON text
    carries a NUL in no other way) and no run of 16 digits (an integer beyond ``MAX_NUMBER``
    has at least 16). Brackets and digits inside strings count too, so a False only means
    "walk the decoded value" (:func:`input_problems`, a Python recursion over every value:
    about a tenth of an entrant's autosave). ``brackets`` as for :func:`_too_deep`."""
    return (
        (_brackets(raw) if brackets is None else brackets) <= MAX_DEPTH
        and b"\\u0000" not in raw
        and _SIXTEEN_DIGITS not in raw.translate(_DIGITS_AS_ZERO)
    )


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
        brackets = _brackets(raw)  # counted once for both checks
        if _too_deep(raw, brackets):
            raise ValidationError({"body": _("The data is nested too deeply.")})
        try:
            data = await request.json()
        except Exception:  # malformed JSON: the handler's own decoding reports it
            return
        if _clearly_within(raw, brackets):
            return
    elif content_type in {RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}:
        data = _form_texts(await request.form())
    else:
        return
    if problems := input_problems(data):
        raise ValidationError(problems)


def _flat(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flat(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}.{index}" if path else str(index))
    else:
        yield path, value


def _received(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """What the request carried, as already parsed (path, query, form or JSON body)."""
    received: dict[str, Any] = dict(request.path_params)
    received |= {key: request.query_params.getall(key) for key in request.query_params}
    state = ScopeState.from_scope(request.scope)  # parsed by check_input or the handler
    if state.form is not Empty and state.form:
        received |= _form_texts(FormMultiDict.from_form_data(dict(state.form)))
    body = state.json
    if body is not Empty and body is not None:
        received |= body if isinstance(body, dict) else {"body": body}
    return received


def _too_long_limit(exc: Exception) -> int | None:
    match = re.search(r"varying\((\d+)\)", str(exc))
    return int(match.group(1)) if match else None


def _suspect(value: Any, too_long: int | None) -> str | None:
    """Why ``value`` may be what the database refused (a message), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value)):
        return _("This number is too large.") if abs(int(value)) > INT_MAX else None
    if not isinstance(value, str):
        return None
    if too_long is not None and len(value) > too_long:
        return _("Use at most %(count)d characters.") % {"count": too_long}
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        year = int(value[:4])
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            return out_of_range_message()
    return None


def storage_problems(request: Request[Any, Any, Any], exc: Exception) -> dict[str, str]:
    """The fields of the request that may hold what the database refused, named with a message
    each (``body`` only when none can be pointed at): an integer beyond 32 bits, a date outside
    the years served, a text longer than the column named in the error."""
    too_long = _too_long_limit(exc)
    problems: dict[str, str] = {}
    for name, value in _flat(_received(request)):
        if (message := _suspect(value, too_long)) is not None:
            problems.setdefault(re.sub(r"\.0$", "", name), message)
    return problems or {
        "body": _("A value is out of range or contains a character that cannot be stored.")
    }


def _storage_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("refused a value the database cannot store: %r", exc)
    from awards.web.errors import validation_error_handler

    return validation_error_handler(request, ValidationError(storage_problems(request, exc)))


def _storage_handlers() -> dict[type[Exception], Any]:
    import asyncpg

    return {OverflowError: _storage_error, asyncpg.exceptions.DataError: _storage_error}


STORAGE_ERROR_HANDLERS = _storage_handlers()
