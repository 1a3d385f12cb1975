"""Results tables (prefix ``results_``): award tiers, category rules (tie policy, minimum
standard), panel decisions, frozen snapshots with their placements, publications, corrections.

Fields other capabilities read (public pages, certificates, exports) — see also
:mod:`awards.results.visibility`, the only gate for "is this public?":

``ResultSnapshot`` — one frozen, immutable result of one category (``version`` 1, 2, ... per
category; ``parent`` the snapshot it corrects):

* ``inputs_hash`` — SHA-256 of the submitted score sheets of the round, one line per criterion
  value ``entry<TAB>judge<TAB>criterion<TAB>score<TAB>confidence`` sorted by (entry, judge,
  criterion), scores as decimal strings (:func:`awards.results.domain.inputs_hash`);
* ``rubric_hash`` / ``rubric_version`` — the round's rubric as scored;
* ``method`` and ``params`` (JSON: shrinkage, bias_scale, top, draws), ``seed`` (NOT NULL),
  ``engine_version`` (package version + hash of the ``judging`` sources), ``numpy_version``;
* ``manifest`` — canonical JSON (sorted keys, no spaces, UTF-8) of everything above plus the
  placements, counts, reliability and warnings; ``content_hash`` = SHA-256 of ``manifest``.
  Its keys are documented in :mod:`awards.results.snapshots`.
* ``frozen_at`` / ``frozen_by``.

``Placement`` — one entry of a snapshot: ``engine_rank`` (the engine's rank), ``place``
(after the tie policy and recorded panel decisions; shared places repeat), ``score`` / ``se``
(calibrated score and its standard error, rounded to 4 decimals), ``raw_mean``, ``p_top3``
(P(rank <= 3), None when unknown), ``tied_group`` / ``tied_to`` (first and last engine rank of
its statistically tied group; equal when not tied), ``decided_by`` (``engine``, ``entry_id``
(the engine's last-resort order), ``criteria:<key>``, ``shared`` or ``panel``), ``tier`` (a
ranked/harapan :class:`AwardTier` code or ""), ``special`` (a special-award code or "") with its
``citation``, ``override_reason`` (why the panel's order differs from the engine's).

Frozen snapshots, their placements and corrections are immutable: ``BEFORE UPDATE`` and ``BEFORE
DELETE`` triggers refuse changes on SQLite and PostgreSQL (migration
``awards_2026_11_30t22_30_01_000000``). A publication may only be withdrawn (``withdrawn_at``).
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
from awards.intake.tables import Category, Edition, Entry
from awards.scoring.tables import ScoringRound

__all__ = [
    "AwardTier",
    "CategoryRule",
    "Correction",
    "Decision",
    "DecisionKind",
    "Placement",
    "Publication",
    "ResultSnapshot",
    "TiePolicy",
    "TierKind",
]


class TierKind(StrEnum):
    ranked = "ranked"
    harapan = "harapan"
    special = "special"


class TiePolicy(StrEnum):
    """How exactly tied scores (equal at 2 decimals) are ordered.

    * ``cascade`` — the higher mean score on the declared criteria, in order; then the
      engine's order (by entry id), recorded as such;
    * ``shared`` — tied entries share the place and the tier;
    * ``jury`` — the panel records the order with a reason before freezing.
    """

    cascade = "cascade"
    shared = "shared"
    jury = "jury"


class DecisionKind(StrEnum):
    order = "order"
    special = "special"


class AwardTier(Table, tablename="results_award_tier"):
    """An award of an edition: ranked (Juara 1..3) and harapan tiers go to places in
    ``position`` order; special awards are chosen by the panel with a citation.
    ``max_recipients`` per category."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    code = Varchar(length=20)
    label_id = Varchar(length=120)
    label_en = Varchar(length=120, default="")
    kind = Varchar(length=10, default=TierKind.ranked.value)
    position = Integer(default=0)
    max_recipients = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class CategoryRule(Table, tablename="results_category_rule"):
    """A category's tie policy (declared before scoring opens, then locked), its optional
    minimum standard (no ranked award below ``min_score``) and whether the public page shows
    the full ranking."""

    category = ForeignKey(references=Category, null=False, unique=True, index=True)
    policy = Varchar(length=10, default=TiePolicy.cascade.value)
    criteria = JSON(default=[])
    text = Text(default="")
    min_score = Float(null=True, default=None)
    show_full_ranking = Boolean(default=False)
    declared_at = Timestamptz(null=True, default=None)
    declared_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())


class Decision(Table, tablename="results_decision"):
    """A recorded panel decision in a category: ``order`` (position within a tied group, with
    the reason) or ``special`` (a special award ``tier`` with its citation in ``text``)."""

    category = ForeignKey(references=Category, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    kind = Varchar(length=10, default=DecisionKind.order.value)
    position = Integer(default=0)
    tier = Varchar(length=20, default="")
    text = Text(default="")
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(default=TimestamptzNow())


class ResultSnapshot(Table, tablename="results_snapshot"):
    """A frozen result of a category (see the module docstring)."""

    edition = ForeignKey(references=Edition, null=False, index=True)
    category = ForeignKey(references=Category, null=False, index=True)
    round = ForeignKey(references=ScoringRound, null=False, index=True)
    version = Integer()
    parent = Integer(null=True, default=None)
    inputs_hash = Varchar(length=64)
    rubric_hash = Varchar(length=64, default="")
    rubric_version = Integer(default=0)
    method = Varchar(length=12)
    params = JSON(default={})
    seed = Integer(null=False)
    engine_version = Varchar(length=80)
    numpy_version = Varchar(length=40)
    manifest = Text()
    content_hash = Varchar(length=64)
    frozen_at = Timestamptz()
    frozen_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Placement(Table, tablename="results_placement"):
    """One entry's place in a snapshot (see the module docstring)."""

    snapshot = ForeignKey(references=ResultSnapshot, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    engine_rank = Integer()
    place = Integer()
    score = Float()
    se = Float(null=True, default=None)
    raw_mean = Float(null=True, default=None)
    p_top3 = Float(null=True, default=None)
    tied_group = Integer(default=0)
    tied_to = Integer(default=0)
    decided_by = Varchar(length=40, default="engine")
    tier = Varchar(length=20, default="")
    special = Varchar(length=20, default="")
    citation = Text(default="")
    override_reason = Text(default="")


class Publication(Table, tablename="results_publication"):
    """A snapshot made public at ``publish_at`` (UTC; an embargo when in the future) unless
    withdrawn."""

    snapshot = ForeignKey(references=ResultSnapshot, null=False, unique=True)
    edition = ForeignKey(references=Edition, null=False, index=True)
    category = ForeignKey(references=Category, null=False, index=True)
    publish_at = Timestamptz()
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_reason = Text(default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class Correction(Table, tablename="results_correction"):
    """Version ``to_snapshot`` corrects ``from_snapshot``: the public reason and the diff
    (``[{entry, before: {place, tier, score}, after: {...}}]``)."""

    category = ForeignKey(references=Category, null=False, index=True)
    from_snapshot = ForeignKey(references=ResultSnapshot, null=False)
    to_snapshot = ForeignKey(references=ResultSnapshot, null=False, unique=True)
    public_reason = Text()
    diff = JSON(default=[])
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
