"""The edition life cycle: states, transitions, what each state locks, and precondition hooks.

Pure rules (no web framework, no database)::

    draft ──open──> open ──close──> closed ──start judging──> judging ──publish──> published
      <──back to draft── <──reopen──     <──stop judging──                  <──correction──┐
    (no entries yet)     (reason)        (reason; no scores)        correcting ──republish──┘

* :data:`TRANSITIONS` lists every allowed move with its consequences and whether a reason is
  required (every reversal needs one; it is written to the edition's status log).
* :func:`refusal` answers "may this action happen in an edition in this status now?" with a
  translated reason, or ``None`` when it may. The rules (:data:`ALLOWED`):

  - entrant changes (create, save, submit, withdraw, upload) and imports: only while ``open``;
  - screening decisions: while ``open`` or ``closed`` (until judging starts), and during a
    correction;
  - edition set-up (settings, categories, forms, rubrics): until published, and during a
    correction;
  - scoring and results: while ``judging`` and during a correction;
  - once ``published`` everything is locked until a correction is opened.

* Preconditions: a capability registers an async check for a transition with
  :func:`register_precondition`; the check receives the edition row and returns
  :class:`Blocker` items (empty = fine). The transition is refused while any blocker remains.
  Intake registers its own (e.g. "no submitted entry awaits screening" before judging) in
  :mod:`awards.intake.editions.status`; scoring and results add theirs (e.g. "no score exists"
  before judging -> closed, "all rounds closed" before publishing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from awards.i18n import _
from awards.intake._messages import N_

__all__ = [
    "ALLOWED",
    "TRANSITIONS",
    "Action",
    "Blocker",
    "EditionLockedError",
    "EditionStatus",
    "Transition",
    "ensure_allowed",
    "next_transitions",
    "preconditions",
    "refusal",
    "register_precondition",
    "status_label",
    "transition",
]


class EditionStatus(StrEnum):
    """Life cycle of an edition (see the module docstring)."""

    draft = "draft"
    open = "open"
    closed = "closed"
    judging = "judging"
    published = "published"
    correcting = "correcting"


class Action(StrEnum):
    """Things other code asks permission for with :func:`refusal`."""

    entrant_change = "entrant_change"
    import_entries = "import_entries"
    screening = "screening"
    setup = "setup"
    scoring = "scoring"
    results = "results"


S = EditionStatus
ALLOWED: dict[Action, frozenset[EditionStatus]] = {
    Action.entrant_change: frozenset({S.open}),
    Action.import_entries: frozenset({S.open}),
    Action.screening: frozenset({S.open, S.closed, S.correcting}),
    Action.setup: frozenset({S.draft, S.open, S.closed, S.judging, S.correcting}),
    Action.scoring: frozenset({S.judging, S.correcting}),
    Action.results: frozenset({S.judging, S.correcting}),
}


def status_label(status: str) -> str:
    """The translated name of an edition status."""
    labels = {
        S.draft: _("Draft"),
        S.open: _("Registration open"),
        S.closed: _("Registration closed"),
        S.judging: _("Judging"),
        S.published: _("Results published"),
        S.correcting: _("Correction opened"),
    }
    return labels.get(status, status)  # type: ignore[call-overload]


def _action_name(action: Action) -> str:
    names = {
        Action.entrant_change: _("Changes to entries"),
        Action.import_entries: _("Importing entries"),
        Action.screening: _("Screening"),
        Action.setup: _("Changing the edition's set-up"),
        Action.scoring: _("Scoring"),
        Action.results: _("Changing results"),
    }
    return names[action]


def refusal(action: Action | str, status: str) -> str | None:
    """Why ``action`` may not happen in an edition in ``status`` (translated), or ``None``."""
    action = Action(action)
    if status in ALLOWED[action]:
        return None
    if status == S.published:
        why = _("the results are published; open a correction first")
    elif action == Action.screening and status == S.judging:
        why = _("judging has started")
    elif action in (Action.entrant_change, Action.import_entries) and status == S.draft:
        why = _("registration has not opened yet")
    elif action in (Action.entrant_change, Action.import_entries):
        why = _("registration is closed")
    elif action in (Action.scoring, Action.results):
        why = _("judging has not started")
    else:
        why = _("the edition is in status %(status)s") % {"status": status_label(status)}
    return _("%(action)s is not possible now: %(why)s.") % {
        "action": _action_name(action),
        "why": why,
    }


class EditionLockedError(Exception):
    """An action refused by the life cycle; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def ensure_allowed(action: Action | str, status: str) -> None:
    """Raise :class:`EditionLockedError` unless ``action`` may happen in ``status``."""
    message = refusal(action, status)
    if message is not None:
        raise EditionLockedError(message)


@dataclass(frozen=True)
class Transition:
    """A move ``source -> target``; ``verb`` and ``consequences`` are English source strings
    (translate when showing); reversals require a ``reason``."""

    source: EditionStatus
    target: EditionStatus
    verb: str
    consequences: tuple[str, ...]
    reason_required: bool = False
    reversal: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.source.value, self.target.value)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        S.draft,
        S.open,
        N_("Open registration"),
        (
            N_("Businesses can create, change and submit entries until the closing date."),
            N_("Organizers can import paper entries and screen submitted entries."),
        ),
    ),
    Transition(
        S.open,
        S.draft,
        N_("Return to draft"),
        (N_("Registration stops; the edition is prepared again."),),
        reason_required=True,
        reversal=True,
    ),
    Transition(
        S.open,
        S.closed,
        N_("Close registration"),
        (
            N_("Businesses can no longer create, change, submit or withdraw entries."),
            N_("Imports stop. Screening continues until judging starts."),
        ),
    ),
    Transition(
        S.closed,
        S.open,
        N_("Reopen registration"),
        (
            N_("Businesses can change and submit entries again until the closing date."),
            N_("Imports are possible again."),
        ),
        reason_required=True,
        reversal=True,
    ),
    Transition(
        S.closed,
        S.judging,
        N_("Start judging"),
        (
            N_("Screening decisions are locked."),
            N_("Eligible entries go to the judges; scoring opens."),
        ),
    ),
    Transition(
        S.judging,
        S.closed,
        N_("Stop judging and return to screening"),
        (N_("Scoring closes; screening decisions can be changed again."),),
        reason_required=True,
        reversal=True,
    ),
    Transition(
        S.judging,
        S.published,
        N_("Publish results"),
        (
            N_("The ranked results become public."),
            N_("Everything in the edition is locked until a correction is opened."),
        ),
    ),
    Transition(
        S.published,
        S.correcting,
        N_("Open a correction"),
        (
            N_("Screening, scoring and set-up can be changed again to correct a mistake."),
            N_("The published results stay visible until the correction is published."),
        ),
        reason_required=True,
        reversal=True,
    ),
    Transition(
        S.correcting,
        S.published,
        N_("Publish the correction"),
        (
            N_("The corrected results replace the published ones."),
            N_("Everything in the edition is locked again."),
        ),
        reason_required=True,
    ),
)
_BY_KEY = {t.key: t for t in TRANSITIONS}


def transition(source: str, target: str) -> Transition | None:
    """The allowed transition ``source -> target``, or ``None``."""
    return _BY_KEY.get((source, target))


def next_transitions(status: str) -> list[Transition]:
    """The transitions out of ``status``, forward moves first."""
    return sorted((t for t in TRANSITIONS if t.source == status), key=lambda t: t.reversal)


@dataclass(frozen=True)
class Blocker:
    """A precondition that does not hold: a translated ``message`` and optional ``links``
    ``(label, url)`` to the things to fix (e.g. the unscreened entries)."""

    message: str
    links: tuple[tuple[str, str], ...] = ()


Check = Callable[[Mapping[str, Any]], Awaitable[list[Blocker]]]
_PRECONDITIONS: dict[tuple[str, str], dict[str, Check]] = {}


def register_precondition(source: str, target: str) -> Callable[[Check], Check]:
    """Decorator: run ``check(edition_row)`` before ``source -> target`` (idempotent: a check is
    keyed by its module and name, so importing its module again does not add it twice)."""
    if (source, target) not in _BY_KEY:
        raise ValueError(f"no transition {source} -> {target}")

    def add(check: Check) -> Check:
        name = f"{check.__module__}.{check.__qualname__}"
        _PRECONDITIONS.setdefault((source, target), {})[name] = check
        return check

    return add


def preconditions(source: str, target: str) -> list[Check]:
    """The checks registered for ``source -> target``, in registration order."""
    return list(_PRECONDITIONS.get((source, target), {}).values())
