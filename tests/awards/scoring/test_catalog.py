"""Scoring is fully translated to Indonesian (modules and templates)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from awards.i18n import use_language
from awards.scoring.rules import parse_scores
from tests.awards.helpers import translated_catalog

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sorted((ROOT / "awards" / "scoring").rglob("*.py"))
TEMPLATES = sorted((ROOT / "templates" / "scoring").rglob("*.html"))
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _strings(path: Path, method: str) -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _line, message, _comments, _context in extract_from_file(
            method, path, keywords=KEYWORDS
        )
    }


def test_scoring_strings_all_have_indonesian_translations():
    """Every marked string of awards/scoring and templates/scoring has an Indonesian text."""
    catalog = translated_catalog("id")
    strings = set().union(
        *(_strings(path, "python") for path in PYTHON),
        *(_strings(path, "jinja2") for path in TEMPLATES),
    )
    assert len(strings) > 40
    assert sorted(s for s in strings if not catalog.get(s)) == []


def test_score_range_error_reads_in_both_languages():
    """The range error beside a criterion is Indonesian by default and English on request."""
    from awards.i18n import gettext

    rubric = {"criteria": [{"key": "k", "weight": 1, "scale_min": 1, "scale_max": 10}]}
    _, errors = parse_scores(rubric, {"k": "12"}, complete=True)
    message, params = errors["scores.k"]
    with use_language("id"):
        indonesian = gettext(message) % params
    with use_language("en"):
        english = gettext(message) % params
    assert (indonesian, english) == (
        "Pilih nilai dari 1 sampai 10.",
        "Choose a score from 1 to 10.",
    )
