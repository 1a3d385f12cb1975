"""The edition life cycle's pure rules: which transitions exist, what each status locks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from awards.i18n import use_language
from awards.intake.editions import lifecycle
from awards.intake.editions.lifecycle import (
    Action,
    EditionLockedError,
    EditionStatus,
    ensure_allowed,
    next_transitions,
    refusal,
    register_precondition,
    transition,
)
from awards.intake.tables import EditionStatus as TableStatus

ALL = [status.value for status in EditionStatus]


def _allowed(action: Action) -> list[str]:
    return [status for status in ALL if refusal(action, status) is None]


def test_refusal_allows_entrant_changes_and_imports_only_while_open():
    """Entrant changes and imports happen in status open and in no other."""
    assert _allowed(Action.entrant_change) == ["open"]
    assert _allowed(Action.import_entries) == ["open"]


def test_refusal_locks_screening_once_judging_starts():
    """Screening is possible while open or closed, and again only during a correction."""
    assert _allowed(Action.screening) == ["open", "closed", "correcting"]


def test_refusal_locks_everything_once_published():
    """In status published every action is refused, with the same reason."""
    with use_language("en"):
        reasons = {action: refusal(action, "published") for action in Action}
    assert all(reason is not None for reason in reasons.values())
    assert all("open a correction first" in reason for reason in reasons.values())


def test_refusal_unlocks_scoring_and_setup_during_a_correction():
    """A correction reopens screening, scoring, results and set-up, but not intake."""
    assert [a for a in Action if refusal(a, "correcting") is None] == [
        Action.screening,
        Action.setup,
        Action.scoring,
        Action.results,
    ]


def test_refusal_reason_is_translated_into_indonesian():
    """The reason is a sentence in the current language, naming what is locked and why."""
    with use_language("en"):
        english = refusal(Action.screening, "judging")
    with use_language("id"):
        indonesian = refusal(Action.screening, "judging")
    assert english == "Screening is not possible now: judging has started."
    assert indonesian is not None
    assert indonesian != english
    assert "penjurian" in indonesian.lower()


def test_ensure_allowed_raises_with_the_reason():
    """``ensure_allowed`` raises EditionLockedError carrying the refusal's message."""
    with use_language("en"), pytest.raises(EditionLockedError) as caught:
        ensure_allowed(Action.import_entries, "closed")
    assert caught.value.message == "Importing entries is not possible now: registration is closed."


def test_transitions_every_reversal_requires_a_reason():
    """Moves backwards (and re-publishing a correction) need a reason; forward moves do not."""
    required = {t.key for t in lifecycle.TRANSITIONS if t.reason_required}
    assert required == {
        ("open", "draft"),
        ("closed", "open"),
        ("judging", "closed"),
        ("published", "correcting"),
        ("correcting", "published"),
    }


def test_transitions_published_is_not_a_dead_end():
    """From published the only move is opening a correction, which can be published again."""
    assert [t.target for t in next_transitions("published")] == ["correcting"]
    assert [t.target for t in next_transitions("correcting")] == ["published"]


def test_transition_skipping_a_step_does_not_exist():
    """No jump from open straight to judging, nor from draft to published."""
    assert transition("open", "judging") is None
    assert transition("draft", "published") is None
    assert transition("closed", "judging") is not None


def test_next_transitions_lists_forward_moves_first():
    """The forward move comes before the reversal on the edition page."""
    assert [t.target for t in next_transitions("closed")] == ["judging", "open"]


def test_register_precondition_refuses_an_unknown_transition():
    """A check for a transition that does not exist is a programming error."""
    with pytest.raises(ValueError, match="no transition draft -> published"):
        register_precondition("draft", "published")


def test_register_precondition_is_idempotent(monkeypatch):
    """Registering the same check twice keeps one copy."""
    monkeypatch.setattr(lifecycle, "_PRECONDITIONS", {})

    async def check(edition):
        return []

    register_precondition("judging", "published")(check)
    register_precondition("judging", "published")(check)
    assert lifecycle.preconditions("judging", "published") == [check]


def test_table_status_is_the_life_cycle_status():
    """The tables use the life cycle's status enum (one definition)."""
    assert TableStatus is EditionStatus


def test_lifecycle_module_imports_no_web_or_database_library():
    """The rules module stays pure: no Litestar, Piccolo or database driver."""
    path = Path(lifecycle.__file__)
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module)
    assert roots & {"litestar", "piccolo", "asyncpg", "sqlite3", "jinja2"} == set()
    assert {r for r in roots if r.startswith("awards.")} <= {
        "awards.i18n",
        "awards.intake._messages",
    }
