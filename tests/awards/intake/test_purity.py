"""The intake building blocks stay pure: no web framework, no database, no app settings."""

import ast
from pathlib import Path

INTAKE = Path(__file__).resolve().parents[3] / "awards" / "intake"
PURE_MODULES = [
    "_messages", "validators", "uploads", "businesses/identity", "businesses/sizeclass",
    "form/fieldbase", "form/fields", "form/formspec", "form/rubric", "editions/eligibility",
    "bulk/tabular", "bulk/records", "bulk/importing", "bulk/exporting",
]  # fmt: skip
FORBIDDEN = {"litestar", "piccolo", "jinja2", "httpx", "uvicorn", "sqlite3", "asyncpg"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
            if node.module.startswith("awards.") and not node.module.startswith("awards.intake"):
                roots.add(node.module)
    return roots


def test_intake_pure_modules_import_no_web_or_database_library():
    """None of the pure intake modules imports Litestar, Piccolo or a database driver."""
    offenders = {
        name: sorted(imported_roots(INTAKE / f"{name}.py") & FORBIDDEN) for name in PURE_MODULES
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_intake_pure_modules_import_nothing_else_from_awards():
    """Pure intake modules depend only on each other within awards (no settings, no tables)."""
    outside = {
        name: sorted(r for r in imported_roots(INTAKE / f"{name}.py") if r.startswith("awards."))
        for name in PURE_MODULES
    }
    assert {name: found for name, found in outside.items() if found} == {}
