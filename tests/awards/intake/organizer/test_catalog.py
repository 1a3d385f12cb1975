"""The organizer side of intake (pages, import, export, screening) is fully translated to id."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from tests.awards.helpers import translated_catalog

ROOT = Path(__file__).resolve().parents[4]
INTAKE = ROOT / "awards" / "intake"
PYTHON = [
    *sorted((INTAKE / "organizer").glob("*.py")),
    *sorted((INTAKE / "bulk").glob("*.py")),
    INTAKE / "entries" / "screening.py",
    INTAKE / "editions" / "service.py",
    INTAKE / "form" / "form_setup.py",
    INTAKE / "editions" / "lifecycle.py",
    INTAKE / "editions" / "status.py",
    INTAKE / "editions" / "overview.py",
]
TEMPLATES = sorted((ROOT / "templates" / "intake" / "organizer").glob("*.html"))
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _strings(path: Path, method: str) -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _line, message, _comments, _context in extract_from_file(
            method, path, keywords=KEYWORDS
        )
    }


def test_organizer_strings_all_have_indonesian_translations():
    """Every marked string of the organizer modules and templates has an Indonesian text."""
    catalog = translated_catalog("id")
    strings = set().union(
        *(_strings(path, "python") for path in PYTHON),
        *(_strings(path, "jinja2") for path in TEMPLATES),
    )

    assert len(strings) > 100
    assert sorted(s for s in strings if not catalog.get(s)) == []
