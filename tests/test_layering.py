"""The one import direction: ``judging`` is pure and never imports the application or web stack."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"awards", "litestar", "piccolo", "jinja2", "httpx", "uvicorn", "sqlite3", "asyncpg"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_judging_imports_nothing_from_application_or_web_stack():
    """No module under judging/ imports awards, Litestar, Piccolo or any web/database library."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN)
        for path in sorted((ROOT / "judging").rglob("*.py"))
        if _imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_layering_check_detects_a_forbidden_import(tmp_path):
    """The import walker itself sees `from awards...` and `import litestar` statements."""
    module = tmp_path / "m.py"
    module.write_text("import litestar.app\nfrom awards.settings import x\nimport numpy\n")
    assert _imported_roots(module) & FORBIDDEN == {"awards", "litestar"}
