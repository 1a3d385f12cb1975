"""Translations: gettext catalogs compiled in memory, and the current request's language.

Source strings are English, marked with ``_()`` in Python and ``{% trans %}`` / ``_()`` in
templates. Catalogs live in ``awards/locale/<lang>/LC_MESSAGES/messages.po``; :func:`load` reads
each ``.po`` and compiles it to a ``Translations`` object in memory (no ``.mo`` build step).

The language of the request being served is held in a context variable set by the session
middleware (:func:`use_language`); ``_`` and ``ngettext`` translate into it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "_",
    "current_language",
    "gettext",
    "ngettext",
    "translations",
    "use_language",
]

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar("anugerah_language", default="id")


@cache
def translations(language: str) -> NullTranslations:
    """Compiled catalog for ``language``; English (the source language) is the identity."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_language() -> str:
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def set_language(language: str) -> None:
    """Set the language for the rest of the current context (a request's task)."""
    _language.set(language)


def gettext(message: str) -> str:
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


_ = gettext
