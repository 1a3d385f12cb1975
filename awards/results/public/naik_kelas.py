"""Naik kelas ("moving up a class"): businesses whose PP 7/2021 size class grew between editions.

The class of a business in an edition is the one on its declaration for that edition
(``intake_declaration.size_class``, assessed from declared capital and turnover by
:mod:`awards.intake.businesses.sizeclass`). Between an **earlier** and a **later** edition, a
business that declared a class in both:

* moved **up** when ``rank(later) > rank(earlier)`` (micro < small < medium < large),
* stayed the **same** when the ranks are equal, moved **down** otherwise.

Businesses without a declaration in either edition are not counted. The city page tallies these
per district and per sector (of the business's current profile). Only editions whose results are
public are compared (the caller passes them, from :mod:`awards.results.visibility`), so nothing
about an edition under embargo shows here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.tables import Declaration

__all__ = [
    "ClassRecord",
    "GroupTally",
    "Movement",
    "class_records",
    "movements",
    "tally",
]

_RANK = {size.value: size.rank for size in SizeClass}


@dataclass(frozen=True)
class ClassRecord:
    """A business's declared size class in one edition."""

    business_id: int
    edition_id: int
    year: int
    size_class: str
    district: str
    sector: str


@dataclass(frozen=True)
class Movement:
    """One business compared between two editions; ``step`` is the change in class rank."""

    business_id: int
    district: str
    sector: str
    before: str
    after: str

    @property
    def step(self) -> int:
        return _RANK[self.after] - _RANK[self.before]


@dataclass(frozen=True)
class GroupTally:
    """Counts for one district or sector (``group`` "" = not filled in)."""

    group: str
    compared: int
    up: int
    same: int
    down: int

    @property
    def up_share(self) -> float:
        """Percentage of the compared businesses that moved up (0 when none were compared)."""
        return 100.0 * self.up / self.compared if self.compared else 0.0


def movements(records: Iterable[ClassRecord], earlier: int, later: int) -> list[Movement]:
    """Every business with a known class in both editions ``earlier`` and ``later`` (ids),
    ordered by business id."""
    before: dict[int, ClassRecord] = {}
    after: dict[int, ClassRecord] = {}
    for record in records:
        if record.size_class not in _RANK:
            continue
        if record.edition_id == earlier:
            before[record.business_id] = record
        elif record.edition_id == later:
            after[record.business_id] = record
    return [
        Movement(
            business_id=business_id,
            district=after[business_id].district,
            sector=after[business_id].sector,
            before=before[business_id].size_class,
            after=after[business_id].size_class,
        )
        for business_id in sorted(before.keys() & after.keys())
    ]


def tally(moves: Sequence[Movement], by: str) -> list[GroupTally]:
    """Counts per ``by`` ("district" or "sector"), most upward moves first, then by name."""
    if by not in ("district", "sector"):
        raise ValueError("tally by district or sector")
    groups: dict[str, list[int]] = {}
    for move in moves:
        counts = groups.setdefault(getattr(move, by), [0, 0, 0])
        counts[0 if move.step > 0 else 1 if move.step == 0 else 2] += 1
    rows = [
        GroupTally(group=name, compared=sum(c), up=c[0], same=c[1], down=c[2])
        for name, c in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row.up, row.group))


async def class_records(
    edition_ids: Sequence[int], business_ids: Sequence[int] | None = None
) -> list[ClassRecord]:
    """Declared classes in ``edition_ids`` (optionally for some businesses only), one query."""
    if not edition_ids:
        return []
    query = Declaration.select(
        Declaration.business.as_alias("business_id"),
        Declaration.edition.as_alias("edition_id"),
        Declaration.edition.year.as_alias("year"),
        Declaration.size_class,
        Declaration.business.district.as_alias("district"),
        Declaration.business.sector.as_alias("sector"),
    ).where(Declaration.edition.is_in(list(edition_ids)), Declaration.size_class != "")
    if business_ids is not None:
        if not business_ids:
            return []
        query = query.where(Declaration.business.is_in(list(business_ids)))
    rows = await query
    return [ClassRecord(**row) for row in rows]
