"""Results are fully translated to Indonesian (modules and templates)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from tests.awards.helpers import translated_catalog

ROOT = Path(__file__).resolve().parents[3]
# The results core and its organizer review pages (public pages and delivery check their own).
CORE = ("domain", "publishing", "rules", "snapshots", "tables", "visibility")
PYTHON = [ROOT / "awards" / "results" / f"{name}.py" for name in CORE] + sorted(
    (ROOT / "awards" / "results" / "review").rglob("*.py")
)
TEMPLATES = sorted((ROOT / "templates" / "results" / "review").rglob("*.html"))
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _strings(path: Path, method: str) -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _line, message, _comments, _context in extract_from_file(
            method, path, keywords=KEYWORDS
        )
    }


def test_results_strings_all_have_indonesian_translations():
    """Every marked string of the results core and its review pages has an Indonesian text."""
    catalog = translated_catalog("id")
    strings = set().union(
        *(_strings(path, "python") for path in PYTHON),
        *(_strings(path, "jinja2") for path in TEMPLATES),
    )
    assert len(strings) > 20
    assert sorted(s for s in strings if not catalog.get(s)) == []
