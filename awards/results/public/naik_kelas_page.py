"""The city's naik kelas page: class movements between this edition and the previous one.

The previous edition is the latest edition of an earlier year whose results are public
(:func:`awards.results.visibility.published_editions`); both editions must be public, so the page
never tells anything about an edition under embargo. Counts come from
:mod:`awards.results.public.naik_kelas`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awards.intake.tables import Edition
from awards.results import visibility
from awards.results.public.naik_kelas import (
    GroupTally,
    Movement,
    class_records,
    movements,
    tally,
)

__all__ = ["NaikKelasView", "naik_kelas_view"]


@dataclass
class NaikKelasView:
    """Movements from ``previous`` to the edition, tallied by district and sector."""

    previous: dict[str, Any] | None
    moves: list[Movement] = field(default_factory=list)
    by_district: list[GroupTally] = field(default_factory=list)
    by_sector: list[GroupTally] = field(default_factory=list)

    @property
    def up(self) -> int:
        return sum(1 for move in self.moves if move.step > 0)

    @property
    def down(self) -> int:
        return sum(1 for move in self.moves if move.step < 0)

    @property
    def fingerprint(self) -> tuple[Any, ...]:
        """What the page shows, for its ETag."""
        previous = self.previous["id"] if self.previous else None
        return (previous, tuple((m.business_id, m.before, m.after) for m in self.moves))


async def naik_kelas_view(edition: dict[str, Any]) -> NaikKelasView:
    """Movements since the previous public edition (empty view when there is none)."""
    public = await visibility.published_editions()
    earlier = await (
        Edition.select(Edition.id, Edition.slug, Edition.year, Edition.name_id, Edition.name_en)
        .where(Edition.id.is_in(public or [-1]) & (Edition.year < edition["year"]))
        .order_by(Edition.year, ascending=False)
        .first()
    )
    if earlier is None:
        return NaikKelasView(previous=None)
    records = await class_records([earlier["id"], edition["id"]])
    moves = movements(records, earlier["id"], edition["id"])
    return NaikKelasView(
        previous=earlier,
        moves=moves,
        by_district=tally(moves, "district"),
        by_sector=tally(moves, "sector"),
    )
