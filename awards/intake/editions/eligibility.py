"""Category eligibility: who may enter a category, and why not.

A rule left empty (no size classes, sectors or districts listed) does not restrict. Reasons are
``FieldError``s keyed by the business fact they concern (``size_class``, ``sector``,
``district``, ``entries``) with translatable messages; ``str(reason)`` is English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from awards.intake._messages import N_
from awards.intake.businesses.sizeclass import SIZE_CLASS_LABELS, SizeClass
from awards.intake.validators import FieldError, ValidationErrors

__all__ = ["BusinessFacts", "EligibilityRules", "check_eligibility"]


@dataclass(frozen=True)
class EligibilityRules:
    """Allowed size classes, sector keys and districts (empty = any); entries per business."""

    size_classes: tuple[SizeClass, ...] = ()
    sectors: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    max_entries_per_business: int | None = 1

    def validate(self) -> ValidationErrors:
        errors = ValidationErrors()
        limit = self.max_entries_per_business
        if limit is not None and (isinstance(limit, bool) or limit < 1):
            errors.add("max_entries_per_business", N_("Allow at least one entry, or no limit."))
        return errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "size_classes": [size.value for size in self.size_classes],
            "sectors": list(self.sectors),
            "districts": list(self.districts),
            "max_entries_per_business": self.max_entries_per_business,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EligibilityRules:
        return cls(
            size_classes=tuple(SizeClass(value) for value in data.get("size_classes", ())),
            sectors=tuple(data.get("sectors", ())),
            districts=tuple(data.get("districts", ())),
            max_entries_per_business=data.get("max_entries_per_business", 1),
        )


@dataclass(frozen=True)
class BusinessFacts:
    """What eligibility looks at: derived size class (None = capital/turnover not declared)."""

    size_class: SizeClass | None
    sector: str | None
    district: str | None


def check_eligibility(
    rules: EligibilityRules, facts: BusinessFacts, existing_entry_count: int
) -> list[FieldError]:
    """Reasons the business may not enter; an empty list means eligible.

    ``existing_entry_count`` counts the business's entries in this category that still count
    (the caller excludes withdrawn ones); the business is refused when it already has
    ``max_entries_per_business`` of them.
    """
    reasons: list[FieldError] = []
    if rules.size_classes:
        allowed = tuple(SIZE_CLASS_LABELS[size] for size in rules.size_classes)
        if facts.size_class is None:
            reasons.append(
                FieldError(
                    "size_class",
                    N_("Declare your capital and turnover: this category is open to %(allowed)s "
                       "businesses only."),
                    {"allowed": allowed},
                )
            )  # fmt: skip
        elif facts.size_class not in rules.size_classes:
            reasons.append(
                FieldError(
                    "size_class",
                    N_("This category is open to %(allowed)s businesses; yours is %(actual)s."),
                    {"allowed": allowed, "actual": SIZE_CLASS_LABELS[facts.size_class]},
                )
            )
    if rules.sectors and facts.sector not in rules.sectors:
        reasons.append(
            FieldError(
                "sector",
                N_("This category is open to these sectors only: %(allowed)s."),
                {"allowed": rules.sectors},
            )
        )
    if rules.districts and facts.district not in rules.districts:
        reasons.append(
            FieldError(
                "district",
                N_("This category is open to businesses in %(allowed)s only."),
                {"allowed": rules.districts},
            )
        )
    limit = rules.max_entries_per_business
    if limit is not None and existing_entry_count >= limit:
        reasons.append(
            FieldError(
                "entries",
                N_("A business may enter this category %(limit)d time(s); you already have "
                   "%(count)d entries."),
                {"limit": limit, "count": existing_entry_count},
            )
        )  # fmt: skip
    return reasons
