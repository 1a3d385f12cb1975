"""Static checks over every template: CSRF in every POST form, alt text, labels, one layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awards.web.templating import TEMPLATE_DIR

TEMPLATES = sorted(TEMPLATE_DIR.rglob("*.html"))
PAGES = [p for p in TEMPLATES if not p.name.startswith("_") and p.name != "base.html"]
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def _name(path: Path) -> str:
    return str(path.relative_to(TEMPLATE_DIR))


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_template_post_forms_carry_csrf_token(path):
    """Every ``<form method="post">`` includes ``{{ csrf_input | safe }}``."""
    source = path.read_text(encoding="utf-8")
    missing = [
        form[:80]
        for form in FORM.findall(source)
        if re.search(r'method="post"', form, re.I) and "csrf_input" not in form
    ]
    assert missing == []


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_template_images_have_alt_text(path):
    """Every ``<img>`` has an ``alt`` attribute."""
    images = re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8"), re.I)
    assert [img for img in images if "alt=" not in img] == []


# Layouts a full page may extend: base.html, and the public results layout (the same document
# for every visitor: no session, no form; see awards/results/public/pages.py).
LAYOUTS = ("base.html", "results/public/_layout.html")


@pytest.mark.parametrize("path", PAGES, ids=_name)
def test_template_pages_extend_the_base_layout(path):
    """Full pages extend a layout (so they get lang, title, skip link); partials start with _."""
    source = path.read_text(encoding="utf-8")
    assert any(f'{{% extends "{layout}" %}}' in source for layout in LAYOUTS)
    assert "{% block title %}" in source


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts_have_lang_viewport_and_skip_link(layout):
    """Every layout declares the language, the mobile viewport and a skip link to main."""
    source = (TEMPLATE_DIR / layout).read_text(encoding="utf-8")
    assert "<html lang=" in source
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in source
    assert 'href="#main"' in source
    assert 'id="main"' in source


def test_base_layout_has_lang_viewport_and_skip_link():
    """The layout declares the language, the mobile viewport and a skip link to main."""
    base = (TEMPLATE_DIR / "base.html").read_text(encoding="utf-8")
    assert '<html lang="{{ current_language() }}">' in base
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in base
    assert 'href="#main"' in base
    assert 'id="main"' in base
