"""The layout STYLE.md asks for: no folder of the application or the engine holds more than 20
modules side by side; a folder that grows past that is split into sub-packages by audience or
subject (as ``awards/intake/`` and ``judging/`` were)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULES = 20
#: Folders exempt from the limit: committed migrations are one generated module each.
EXEMPT = frozenset({"awards/piccolo_migrations"})


def _crowded(root: Path, limit: int, exempt: frozenset[str] = frozenset()) -> dict[str, int]:
    """The folders under ``root`` (itself included) with more than ``limit`` modules, not
    counting ``__init__.py``, by path relative to ``root.parent``."""
    folders = [root, *(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")]
    crowded = {}
    for folder in folders:
        name = folder.relative_to(root.parent).as_posix()
        count = sum(1 for m in folder.glob("*.py") if m.name != "__init__.py")
        if count > limit and name not in exempt:
            crowded[name] = count
    return crowded


def test_no_folder_of_awards_or_judging_holds_more_than_twenty_modules():
    """Every package folder of awards/ and judging/ holds at most 20 modules besides its
    __init__.py (migrations exempt)."""
    crowded = {
        **_crowded(ROOT / "awards", MAX_MODULES, EXEMPT),
        **_crowded(ROOT / "judging", MAX_MODULES),
    }
    assert crowded == {}


def test_crowding_check_counts_modules_of_every_folder_but_not_init(tmp_path):
    """The check counts a folder's .py files without __init__.py, in nested folders too, and
    leaves exempt folders out."""
    package = tmp_path / "app"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__", "a", "b", "c"):
        (package / f"{name}.py").write_text("")
    for name in ("__init__", "x", "y"):
        (package / "sub" / f"{name}.py").write_text("")
    (package / "notes.txt").write_text("")
    assert _crowded(package, 2) == {"app": 3}
    assert _crowded(package, 1) == {"app": 3, "app/sub": 2}
    assert _crowded(package, 1, frozenset({"app/sub"})) == {"app": 3}
