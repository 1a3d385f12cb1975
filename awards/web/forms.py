"""The one parser of submitted forms for the pages: :func:`form_fields`.

Pages used to read ``request.form()`` each with a private rule; the rules they need are the
keyword arguments here, so a page states its rule where it reads the form.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from litestar import Request

__all__ = ["form_fields"]

#: What a name given several times yields: its first value, its last, or a list of all.
Several = Literal["first", "last", "list"]


async def form_fields(
    request: Request[Any, Any, Any],
    *,
    lists: Collection[str] = (),
    several: Several = "first",
    as_text: bool = False,
) -> dict[str, Any]:
    """The submitted form as ``{name: value}``, in the order the names were first sent.

    Rules:

    - ``_csrf_token`` is dropped (the CSRF middleware has already checked it).
    - A name in ``lists`` is always a list of its values, even when sent once.
    - Any other name gives one value: its first (``several="first"``, the default) or its
      last (``several="last"``); with ``several="list"`` a name sent several times gives
      the list of its values and a name sent once its value.
    - ``as_text`` turns every value into ``str(value)`` (an uploaded file too); without it
      values are as Litestar parsed them (``str`` or ``UploadFile``).
    """
    form = await request.form()
    out: dict[str, Any] = {}
    for name in form:
        if name == "_csrf_token" or name in out:
            continue
        values = form.getall(name)
        if as_text:
            values = [str(value) for value in values]
        if name in lists:
            out[name] = values
        elif several == "list":
            out[name] = values if len(values) > 1 else values[0]
        else:
            out[name] = values[-1] if several == "last" else values[0]
    return out
