"""Business size classes of Indonesian law (PP 7/2021, Art. 35), with per-edition thresholds.

Two criteria, both in whole rupiah, each with inclusive upper bounds ("paling banyak"):

=========  =========================================  ===================================
class      business capital (modal usaha, excluding   annual turnover (hasil penjualan
           land and buildings), Art. 35(3)            tahunan), Art. 35(5)
=========  =========================================  ===================================
micro      capital <= Rp1 000 000 000                 turnover <= Rp2 000 000 000
small      Rp1 bn < capital <= Rp5 bn                 Rp2 bn < turnover <= Rp15 bn
medium     Rp5 bn < capital <= Rp10 bn                Rp15 bn < turnover <= Rp50 bn
large      above the medium bound (not an UMKM)       above the medium bound
=========  =========================================  ===================================

**When the two criteria disagree.** Art. 35(1) groups UMKM "by capital *or* annual turnover";
Art. 35(2) reserves the capital criterion for founding or registering a business, and Art. 35(4)
adds the turnover criterion for "ease, protection and empowerment" programmes, which is what an
award is. Secondary summaries of Art. 35-36 add that businesses operating before the regulation are
grouped by turnover. We therefore implement **turnover first** (``SizeRule.TURNOVER_FIRST``,
the default): the class follows declared turnover; a business that declares no turnover (newly
founded, no year of sales yet) is classed by capital. An edition may choose ``CAPITAL_FIRST``
or ``LARGER`` (the larger of the two indications: a business is micro only if it is micro on
both criteria, the strictest reading against under-declaring one figure).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from awards.intake._messages import N_
from awards.intake.validators import ValidationErrors

__all__ = [
    "SIZE_CLASS_LABELS",
    "SizeAssessment",
    "SizeClass",
    "SizeRule",
    "SizeThresholds",
    "assess_size",
    "class_by_capital",
    "class_by_turnover",
]


class SizeClass(StrEnum):
    """Ordered from smallest to largest; ``LARGE`` is not an UMKM."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)


_ORDER = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE)

SIZE_CLASS_LABELS: dict[SizeClass, str] = {
    SizeClass.MICRO: N_("micro"),
    SizeClass.SMALL: N_("small"),
    SizeClass.MEDIUM: N_("medium"),
    SizeClass.LARGE: N_("large (not UMKM)"),
}


class SizeRule(StrEnum):
    """How to combine the capital and turnover indications (see the module docstring)."""

    TURNOVER_FIRST = "turnover_first"
    CAPITAL_FIRST = "capital_first"
    LARGER = "larger"


@dataclass(frozen=True)
class SizeThresholds:
    """Inclusive upper bounds in rupiah; defaults are PP 7/2021 Art. 35(3) and 35(5)."""

    micro_capital_max: int = 1_000_000_000
    small_capital_max: int = 5_000_000_000
    medium_capital_max: int = 10_000_000_000
    micro_turnover_max: int = 2_000_000_000
    small_turnover_max: int = 15_000_000_000
    medium_turnover_max: int = 50_000_000_000
    rule: SizeRule = SizeRule.TURNOVER_FIRST

    def validate(self) -> ValidationErrors:
        """Bounds are positive integers and strictly increasing within each criterion."""
        errors = ValidationErrors()
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "rule":
                if not isinstance(value, SizeRule):
                    errors.add("rule", N_("Unknown size rule."))
            elif isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                errors.add(item.name, N_("Enter a positive whole amount in rupiah."))
        if errors:
            return errors
        for prefix in ("capital", "turnover"):
            micro, small, medium = (
                getattr(self, f"{size}_{prefix}_max") for size in ("micro", "small", "medium")
            )
            if not micro < small < medium:
                errors.add(
                    f"{prefix}",
                    N_("Thresholds must increase from micro to small to medium."),
                )
        return errors

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rule"] = self.rule.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SizeThresholds:
        values = {item.name: data[item.name] for item in fields(cls) if item.name in data}
        if "rule" in values:
            values["rule"] = SizeRule(values["rule"])
        return cls(**values)


def _classify(amount: int, bounds: tuple[int, int, int]) -> SizeClass:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amounts are whole rupiah (int)")
    if amount < 0:
        raise ValueError("amounts cannot be negative")
    for size, bound in zip(_ORDER, bounds, strict=False):
        if amount <= bound:
            return size
    return SizeClass.LARGE


def class_by_capital(capital: int, thresholds: SizeThresholds = SizeThresholds()) -> SizeClass:
    """Class indicated by business capital (upper bounds inclusive)."""
    t = thresholds
    return _classify(capital, (t.micro_capital_max, t.small_capital_max, t.medium_capital_max))


def class_by_turnover(turnover: int, thresholds: SizeThresholds = SizeThresholds()) -> SizeClass:
    """Class indicated by annual turnover (upper bounds inclusive)."""
    t = thresholds
    bounds = (t.micro_turnover_max, t.small_turnover_max, t.medium_turnover_max)
    return _classify(turnover, bounds)


@dataclass(frozen=True)
class SizeAssessment:
    """The derived class with both indications, so a page can explain the result."""

    size_class: SizeClass | None
    by_capital: SizeClass | None
    by_turnover: SizeClass | None


def assess_size(
    capital: int | None,
    turnover: int | None,
    thresholds: SizeThresholds = SizeThresholds(),
) -> SizeAssessment:
    """Derive the size class from declared capital and turnover under ``thresholds.rule``.

    ``None`` for a figure means "not declared"; with neither declared the class is ``None``.
    """
    by_capital = None if capital is None else class_by_capital(capital, thresholds)
    by_turnover = None if turnover is None else class_by_turnover(turnover, thresholds)
    if by_capital is None or by_turnover is None:
        chosen = by_turnover or by_capital
    elif thresholds.rule is SizeRule.TURNOVER_FIRST:
        chosen = by_turnover
    elif thresholds.rule is SizeRule.CAPITAL_FIRST:
        chosen = by_capital
    else:
        chosen = max(by_capital, by_turnover, key=lambda size: size.rank)
    return SizeAssessment(chosen, by_capital, by_turnover)
