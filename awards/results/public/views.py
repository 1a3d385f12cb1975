"""Plain values the public results templates render (built by :mod:`.reader`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awards import i18n

__all__ = ["CategoryResult", "EditionResult", "HistoryItem", "Standing", "Version"]


@dataclass(frozen=True)
class Standing:
    """One entry as the public sees it: who, where, its place, score and award."""

    entry_id: int
    business_id: int | None
    business_name: str
    district: str
    sector: str
    product: str
    place: int
    score: float | None
    se: float | None
    p_top3: float | None
    tied: bool
    tier_code: str
    tier_label_id: str
    tier_label_en: str
    tier_kind: str
    citation: str
    photo_id: int | None

    @property
    def tier_label(self) -> str:
        """The award's label in the current language."""
        if i18n.current_language().startswith("en"):
            return self.tier_label_en or self.tier_label_id
        return self.tier_label_id

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% interval ``score ± 1.96 SE`` (``None`` without a standard error)."""
        if self.score is None or self.se is None:
            return None
        return (self.score - 1.96 * self.se, self.score + 1.96 * self.se)


@dataclass(frozen=True)
class Version:
    """A visible version of a category's result; ``reason`` is set for corrections."""

    version: int
    publish_at: datetime
    reason: str
    changes: int


@dataclass
class CategoryResult:
    """A published category: its winners and, if the organizer chose, its full ranking."""

    category: dict[str, Any]
    publication: dict[str, Any]
    winners: list[Standing]
    ranking: list[Standing] | None
    versions: list[Version]
    rule: dict[str, Any] | None
    scores: list[float] = field(default_factory=list)

    @property
    def corrections(self) -> list[Version]:
        return [v for v in self.versions if v.reason]


@dataclass
class EditionResult:
    """An edition's results home."""

    edition: dict[str, Any]
    categories: list[CategoryResult]


@dataclass(frozen=True)
class HistoryItem:
    """One award of a business (its entry row with edition and category names)."""

    entry: dict[str, Any]
    standing: Standing
