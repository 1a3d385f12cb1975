"""Scoring tables (prefix ``scoring_``): judge profiles and invitations, rounds and their
entrants, assignments, conflicts, score sheets with their append-only history, moderation cases.

All timestamps are timezone-aware UTC. Uniqueness that Piccolo cannot declare on one column
(one sheet per round, entry and judge; one assignment per round, entry and judge; one conflict
per edition, judge and business; one history row per sheet version; ...) is created by the raw-SQL
migration ``awards_2026_11_30t19_30_01_000000 (run after the tables' migration)``.

A score sheet keeps its criterion values in one JSON column (``scores``: criterion key -> int),
so a versioned update is one conditional ``UPDATE ... WHERE version = ?`` and every revision
snapshot is the whole sheet.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from awards.accounts.tables import User
from awards.intake.tables import Business, Category, Edition, Entry

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "Conflict",
    "ConflictSource",
    "Declaration",
    "JudgeInvitation",
    "JudgeProfile",
    "ModerationAction",
    "ModerationCase",
    "RoundEntry",
    "RoundKind",
    "RoundStatus",
    "ScoreSheet",
    "ScoringRound",
    "SheetRevision",
    "SheetStatus",
]


class RoundKind(StrEnum):
    screening = "screening"
    shortlist = "shortlist"
    final = "final"


class RoundStatus(StrEnum):
    """draft -> open -> closed; scores are accepted only while open and before ``closes_at``."""

    draft = "draft"
    open = "open"
    closed = "closed"


class AssignmentStatus(StrEnum):
    active = "active"
    withdrawn = "withdrawn"


class Declaration(StrEnum):
    """A judge's answer before seeing an entry: not yet asked, no conflict, conflict."""

    pending = "pending"
    clear = "clear"
    conflict = "conflict"


class ConflictSource(StrEnum):
    organizer = "organizer"
    declared = "declared"


class SheetStatus(StrEnum):
    """``abstained`` (judge) and ``recused`` (organizer) are recorded but never count."""

    draft = "draft"
    submitted = "submitted"
    abstained = "abstained"
    recused = "recused"


class JudgeProfile(Table, tablename="scoring_judge_profile"):
    """A judge of an edition: affiliation, expertise (category ids; empty = any), capacity
    (entries over the edition; NULL = unlimited)."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    user = ForeignKey(references=User, null=False, index=True)
    affiliation = Varchar(length=200, default="")
    expertise = JSON(default=[])
    capacity = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class JudgeInvitation(Table, tablename="scoring_judge_invitation"):
    """A single-use, expiring invitation to judge an edition; only the token's SHA-256 is kept.
    A revoked invitation is kept (``revoked_at``, ``revoked_by``) so its link can say so."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    email = Varchar(length=254)
    token_hash = Varchar(length=64, unique=True)
    invited_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class ScoringRound(Table, tablename="scoring_round"):
    """A round of one category. ``rubric`` is the category's rubric copied when the round opens
    (``rubric_version`` counts copies, ``rubric_hash`` is the SHA-256 of its canonical JSON);
    ``blind_fields`` lists the identity fields hidden from judges when ``blind``.

    Moderation opens a case when an entry's submitted totals spread (max - min) beyond
    ``spread_threshold`` or one of its scores has an engine standardized residual with
    ``|r| >= residual_threshold``. A criterion comment is required on submit for a score below
    ``comment_below`` or above ``comment_above`` (NULL: no requirement)."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    category = ForeignKey(references=Category, null=False, index=True)
    kind = Varchar(length=12, default=RoundKind.screening.value)
    name = Varchar(length=120, default="")
    status = Varchar(length=10, default=RoundStatus.draft.value)
    opens_at = Timestamptz()
    closes_at = Timestamptz()
    judges_per_entry = Integer(default=3)
    method = Varchar(length=12, default="calibrated")
    blind = Boolean(default=False)
    blind_fields = JSON(default=[])
    lock_minutes = Integer(null=True, default=None)
    spread_threshold = Float(default=25.0)
    residual_threshold = Float(default=2.5)
    comment_below = Integer(null=True, default=None)
    comment_above = Integer(null=True, default=None)
    previous = Integer(null=True, default=None)
    rubric = JSON(default={})
    rubric_version = Integer(default=0)
    rubric_hash = Varchar(length=64, default="")
    seed = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class RoundEntry(Table, tablename="scoring_round_entry"):
    """An entry taking part in a round: how it got there (all / top_n / top_p / manual), the
    reason given, and whether it is an anchor (scored by every judge; excluded from awards when
    ``anchor_excluded``)."""

    round = ForeignKey(references=ScoringRound, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    source = Varchar(length=10, default="all")
    reason = Text(default="")
    anchor = Boolean(default=False)
    anchor_excluded = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class Assignment(Table, tablename="scoring_assignment"):
    """Judge ``judge`` scores ``entry`` in ``round`` (while ``active``); ``declaration`` is the
    judge's conflict answer; ``reason`` says why it was withdrawn or added by hand."""

    round = ForeignKey(references=ScoringRound, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    judge = ForeignKey(references=User, null=False, index=True)
    status = Varchar(length=10, default=AssignmentStatus.active.value)
    declaration = Varchar(length=10, default=Declaration.pending.value)
    reason = Text(default="")
    assigned_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Conflict(Table, tablename="scoring_conflict"):
    """A conflict of interest between a judge and a business, for every entry and round of the
    edition; entered by an organizer or declared by the judge."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    judge = ForeignKey(references=User, null=False, index=True)
    business = ForeignKey(references=Business, null=False, index=True)
    source = Varchar(length=10, default=ConflictSource.organizer.value)
    reason = Text(default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ScoreSheet(Table, tablename="scoring_sheet"):
    """One judge's scores of one entry in one round. ``version`` grows by one on every change;
    ``total`` is the engine's rubric total (0-100), set on submit."""

    round = ForeignKey(references=ScoringRound, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    judge = ForeignKey(references=User, null=False, index=True)
    status = Varchar(length=10, default=SheetStatus.draft.value)
    version = Integer(default=1)
    rubric_version = Integer(default=0)
    scores = JSON(default={})
    comments = JSON(default={})
    confidence = Varchar(length=6, default="medium")
    comment_to_entrant = Text(default="")
    private_note = Text(default="")
    reason = Text(default="")
    total = Float(null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class SheetRevision(Table, tablename="scoring_sheet_revision"):
    """Append-only history: who changed a sheet, when, how (``action``), from what to what."""

    sheet = ForeignKey(references=ScoreSheet, null=False, index=True)
    version = Integer()
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=10)
    old_value = JSON(default={})
    new_value = JSON(default={})
    idempotency_key = Varchar(length=80, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ModerationCase(Table, tablename="scoring_moderation_case"):
    """An entry whose judges disagree (``reason`` spread / residual; ``metric`` its size), and
    how it was resolved (add_judge / review / accept), by whom and with what note."""

    round = ForeignKey(references=ScoringRound, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    reason = Varchar(length=10, default="spread")
    metric = Float(default=0.0)
    status = Varchar(length=10, default="open")
    resolution = Varchar(length=10, default="")
    note = Text(default="")
    resolved_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ModerationAction(Table, tablename="scoring_moderation_action"):
    """Append-only record of what was done about a case: ``action`` add_judge (``judge`` is
    the judge added), review (the panel is asked to look again, ``note`` is shown to it),
    or accept; who did it, when, with what note."""

    moderation_case = ForeignKey(references=ModerationCase, null=False, index=True)
    action = Varchar(length=12)
    note = Text(default="")
    judge = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
