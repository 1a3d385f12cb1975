"""Translations: gettext catalogs compiled in memory, and the current request's language.

Source strings are English, marked with ``_()`` in Python and ``{% trans %}`` / ``_()`` in
templates. Catalogs live in ``awards/locale/<lang>/LC_MESSAGES/``: ``messages.po`` plus one
``.po`` per capability that keeps its own (see :func:`catalog_paths`); :func:`translations`
merges them and compiles the result to a ``Translations`` object in memory (no ``.mo`` build step).

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

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "_",
    "catalog_paths",
    "current_language",
    "gettext",
    "merged_catalog",
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
    catalog = merged_catalog(language)
    if catalog is None:
        return NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def merged_catalog(language: str) -> Catalog | None:
    """Every ``.po`` of ``language`` read into one catalog (``None`` when there is none).

    ``messages.po`` comes first; each capability's catalog then adds its translated messages
    (a later translation of the same message id replaces an earlier one)."""
    catalog: Catalog | None = None
    for po_path in catalog_paths(language):
        with po_path.open("rb") as po_file:
            part = read_po(po_file, locale=language)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id and message.string:
                catalog[message.id] = message
    return catalog


def catalog_paths(language: str) -> list[Path]:
    """The ``.po`` files of ``language``: ``messages.po`` first, then one per capability.

    Each capability may keep its strings in a catalog of its own (``scoring.po``,
    ``results.po``...) beside ``messages.po``; :func:`merged_catalog` merges them, later files
    adding to (never removing from) the earlier ones.
    """
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    paths = sorted(folder.glob("*.po"), key=lambda path: (path.name != "messages.po", path.name))
    return [path for path in paths if path.is_file()]


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


@cache
def _messages(language: str) -> dict[str, str]:
    """``language``'s singular translations as a plain dict (msgid -> msgstr).

    The compiled catalog's own lookup (``GNUTranslations.gettext``) tries the message, then
    its plural form, then a fallback; pages look up hundreds of messages per request, almost
    all singular, so one dict lookup serves them. Plural forms stay with :func:`ngettext`."""
    compiled = translations(language)
    catalog = getattr(compiled, "_catalog", {})
    messages = {key: value for key, value in catalog.items() if isinstance(key, str) and key}
    if catalog:  # a message known only with plural forms: gettext gives its form for n = 1
        one = compiled.plural(1)  # type: ignore[attr-defined]
        for key, value in catalog.items():
            if isinstance(key, tuple) and key[1] == one:
                messages.setdefault(key[0], value)
    return messages


def gettext(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    return _messages(_language.get()).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


_ = gettext
