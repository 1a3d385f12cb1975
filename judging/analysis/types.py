"""The results of an analysis (:func:`judging.analysis.analyze.analyze`): per entry, judge and
adjacent pair, and the whole :class:`Analysis` that the output formats
(:mod:`judging.command.report`) write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields, make_dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from judging.analysis.affinity import AffinityAudit
    from judging.calibration.calibrate import Calibration
    from judging.reliability.agreement import ReliabilityGroup
    from judging.sheets.sheet import ScoreSheet

__all__ = ["Analysis", "EntryResult", "JudgeResult", "PairResult", "build_all"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EntryResult:
    """One entry's result; ``p_top`` is P(rank <= top) within its category (None if unknown).

    ``z_next``: z of the difference to the next-ranked entry of its ranking group (|z| < 1.96:
    indistinguishable at 95%; None for the last). ``tied_ranks``: the first and last rank of
    its place-wise tied group (:func:`judging.ranking.uncertainty.placewise_groups`; uncapped).
    ``component``: its judges' connected group (0-based); with several groups the calibrated
    method ranks within each group (``rank`` and ``p_top`` are then within category and group).
    """

    entry: str
    category: str
    rank: int
    score: float
    stderr: float
    raw_mean: float
    judges: int
    p_top: float | None
    tied_with: tuple[str, ...]
    z_next: float | None = None
    tied_ranks: tuple[int, int] = (0, 0)
    component: int = 0


@dataclass(frozen=True, slots=True)
class JudgeResult:
    """One judge: bias and its standard error from the calibration model, number of scores,
    and gain (1 unless the bias+scale model was fitted)."""

    judge: str
    bias: float
    stderr: float
    scores: int
    gain: float = 1.0


@dataclass(frozen=True, slots=True)
class PairResult:
    """An entry and the next one in rank in its category: ``difference`` = score of ``upper``
    minus score of ``lower`` (in the ranking's direction, so >= 0), its standard error and
    z = difference / stderr."""

    category: str
    upper: str
    lower: str
    difference: float
    stderr: float
    z: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything ``analyze`` reports; entries are ordered by category name, then rank.

    ``reliability`` holds the pooled statistics (NaN when undefined), ``reliability_groups``
    the pooled, per-category and per-criterion ones with reasons; ``pairs`` the adjacent
    entries' differences; ``lower_is_better`` the ranking's direction; ``affinity`` the
    favouritism audit when judge and entry groups were given (:mod:`judging.analysis.affinity`), and
    ``affinity_corrected`` whether the scores were corrected for it before the analysis.
    """

    method: str
    top: int
    entries: list[EntryResult]
    judges: list[JudgeResult]
    reliability: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    calibration: Calibration | None = None
    reliability_groups: list[ReliabilityGroup] = field(default_factory=list)
    pairs: list[PairResult] = field(default_factory=list)
    lower_is_better: bool = False
    sheet: ScoreSheet | None = None
    affinity: AffinityAudit | None = None
    affinity_corrected: bool = False


_TWINS: dict[type, type] = {}


def build_all(cls: type[T], *columns: Iterable) -> list[T]:
    """``[cls(*row) for row in zip(*columns)]`` for a frozen slots dataclass ``cls`` (the tens
    of thousands of entries and pairs of a report), about 4 times faster.

    A frozen dataclass sets each field through ``object.__setattr__``; here each row is built
    as a mutable twin of ``cls`` (a slots dataclass with the same fields in the same order, so
    the same memory layout) and then given ``cls`` as its class, which Python allows between
    such layouts. The results are ordinary ``cls`` instances: equal to ``cls(*row)``, frozen,
    hashable. Arguments are positional, with the defaults of ``cls``; no check runs that
    ``cls.__init__`` would run (these classes have no ``__post_init__``)."""
    twin = _TWINS.get(cls)
    if twin is None:
        twin = _TWINS[cls] = make_dataclass(
            f"_{cls.__name__}Twin",
            [
                (f.name, f.type, field(default=f.default))
                if f.default is not MISSING
                else (f.name, f.type)
                for f in fields(cls)
            ],
            slots=True,
        )
    rows = list(map(twin, *columns))
    for row in rows:
        row.__class__ = cls
    return rows
