"""Judging rubric of a category: weighted criteria on a numeric scale with level descriptors.

Stored with the category now; used by judging later, where an entry's rubric total is the weighted
mean ``total = sum_c(w_c * s_c) / sum_c(w_c)`` of its criterion scores ``s_c`` (each on
``[scale_min, scale_max]``), so weights need not add up to 100: a criterion's share of the
total is ``w_c / sum_c(w_c)`` (:meth:`Rubric.shares`, shown to organizers as a percentage).

Bounds: ``0 < weight <= MAX_WEIGHT`` (1000) and ``SCALE_MIN_LIMIT <= scale_min < scale_max <=
SCALE_MAX_LIMIT`` (0 and 1000), so a typo such as a weight of 100000 cannot swamp the others;
at most ``MAX_CRITERIA`` (50) criteria. :meth:`Rubric.parse` reads untrusted JSON and reports
every wrong type by its path (``criteria.2.weight``) instead of failing on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from awards.intake._messages import N_
from awards.intake.form.fields import I18nText
from awards.intake.validators import ValidationErrors

__all__ = [
    "DEMO_RUBRIC",
    "MAX_CRITERIA",
    "MAX_WEIGHT",
    "SCALE_MAX_LIMIT",
    "SCALE_MIN_LIMIT",
    "Criterion",
    "Level",
    "Rubric",
]

#: Largest weight a criterion may have (weights are whole numbers above zero).
MAX_WEIGHT = 1000
#: Bounds of a criterion's scale.
SCALE_MIN_LIMIT = 0
SCALE_MAX_LIMIT = 1000
#: Most criteria a rubric may have.
MAX_CRITERIA = 50


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())
    )


@dataclass(frozen=True)
class Level:
    """What a score of ``value`` means for one criterion."""

    value: int
    description: I18nText


@dataclass(frozen=True)
class Criterion:
    """One criterion: ``0 < weight <= MAX_WEIGHT``; integer scale ``scale_min < scale_max``."""

    key: str
    label: I18nText
    weight: int
    scale_min: int = 1
    scale_max: int = 10
    levels: tuple[Level, ...] = ()


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def validate(self) -> ValidationErrors:
        """Unique slug keys, labels, positive weights, a proper scale, levels inside the scale
        with unique values. Errors are keyed ``criteria.<index>.<attribute>``."""
        errors = ValidationErrors()
        if not self.criteria:
            errors.add("criteria", N_("Add at least one criterion."))
        if len(self.criteria) > MAX_CRITERIA:
            errors.add("criteria", N_("Use at most %(count)s criteria."), count=str(MAX_CRITERIA))
        seen: set[str] = set()
        for index, criterion in enumerate(self.criteria):
            path = f"criteria.{index}"
            if not criterion.key or not criterion.key.replace("_", "").isalnum():
                errors.add(f"{path}.key", N_("Use lower-case letters, digits and _."))
            elif criterion.key in seen:
                errors.add(f"{path}.key", N_("Another criterion already uses this key."))
            seen.add(criterion.key)
            if not criterion.label.id.strip():
                errors.add(f"{path}.label", N_("Enter a label in Bahasa Indonesia."))
            if isinstance(criterion.weight, bool) or not criterion.weight > 0:
                errors.add(f"{path}.weight", N_("The weight must be greater than zero."))
            elif criterion.weight > MAX_WEIGHT:
                errors.add(
                    f"{path}.weight", N_("The weight may be at most %(max)d."), max=MAX_WEIGHT
                )
            if criterion.scale_min < SCALE_MIN_LIMIT:
                errors.add(
                    f"{path}.scale_min",
                    N_("The lowest score may not be below %(min)d."),
                    min=SCALE_MIN_LIMIT,
                )
            if criterion.scale_max > SCALE_MAX_LIMIT:
                errors.add(
                    f"{path}.scale_max",
                    N_("The highest score may be at most %(max)d."),
                    max=SCALE_MAX_LIMIT,
                )
            elif not criterion.scale_min < criterion.scale_max:
                errors.add(f"{path}.scale_max", N_("The scale maximum must exceed the minimum."))
            values = [level.value for level in criterion.levels]
            if len(set(values)) != len(values):
                errors.add(f"{path}.levels", N_("Each level value may be described once."))
            if any(not criterion.scale_min <= v <= criterion.scale_max for v in values):
                errors.add(f"{path}.levels", N_("Level values must lie on the scale."))
        return errors

    @property
    def total_weight(self) -> int:
        """The sum of the criteria's weights (0 for an empty rubric)."""
        return sum(c.weight for c in self.criteria)

    def shares(self) -> tuple[float, ...]:
        """Each criterion's share of the total, ``w_c / sum_c(w_c)`` (they add up to 1)."""
        total = self.total_weight
        return tuple(c.weight / total if total else 0.0 for c in self.criteria)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "criteria": [
                {
                    "key": c.key,
                    "label": c.label.to_dict(),
                    "weight": c.weight,
                    "scale_min": c.scale_min,
                    "scale_max": c.scale_max,
                    "levels": [[lv.value, lv.description.to_dict()] for lv in c.levels],
                }
                for c in self.criteria
            ],
        }

    @classmethod
    def parse(cls, criteria: Any) -> Rubric:
        """A rubric from untrusted JSON criteria; :class:`ValidationErrors` naming each
        malformed part (``criteria.<i>.<attribute>``) when a type is wrong."""
        errors = ValidationErrors()
        if not isinstance(criteria, list):
            errors.add("criteria", N_("Send a list of criteria."))
            raise errors
        if len(criteria) > MAX_CRITERIA:
            errors.add("criteria", N_("Use at most %(count)s criteria."), count=str(MAX_CRITERIA))
            raise errors
        for index, item in enumerate(criteria):
            path = f"criteria.{index}"
            if not isinstance(item, Mapping):
                errors.add(path, N_("Send each criterion as an object."))
                continue
            if not isinstance(item.get("key"), str):
                errors.add(f"{path}.key", N_("Use lower-case letters, digits and _."))
            if not _is_text(item.get("label")):
                errors.add(f"{path}.label", N_("Enter a label in Bahasa Indonesia."))
            for name in ("weight", "scale_min", "scale_max"):
                if (name in item or name == "weight") and not _is_int(item.get(name)):
                    errors.add(f"{path}.{name}", N_("Enter a whole number."))
            levels = item.get("levels", [])
            if not isinstance(levels, list) or not all(
                isinstance(level, list)
                and len(level) == 2
                and _is_int(level[0])
                and _is_text(level[1])
                for level in levels
            ):
                errors.add(f"{path}.levels", N_("Send levels as [value, description] pairs."))
        if errors:
            raise errors
        return cls.from_dict({"criteria": criteria})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rubric:
        return cls(
            tuple(
                Criterion(
                    key=item["key"],
                    label=I18nText.from_dict(item["label"]),
                    weight=item["weight"],
                    scale_min=item.get("scale_min", 1),
                    scale_max=item.get("scale_max", 10),
                    levels=tuple(
                        Level(value, I18nText.from_dict(text))
                        for value, text in item.get("levels", [])
                    ),
                )
                for item in data["criteria"]
            )
        )


def _levels(*texts: tuple[str, str]) -> tuple[Level, ...]:
    """Descriptors for scores 1-3, 4-6, 7-8 and 9-10, anchored at 2, 5, 8 and 10."""
    return tuple(
        Level(value, I18nText(id_text, en_text))
        for value, (id_text, en_text) in zip((2, 5, 8, 10), texts, strict=True)
    )


def _criterion(
    key: str, label: tuple[str, str], weight: int, *levels: tuple[str, str]
) -> Criterion:
    return Criterion(key, I18nText(*label), weight, 1, 10, _levels(*levels))


#: The demo rubric (scale 1-10): the seed's six criteria, weights 25/15/15/15/15/15.
DEMO_RUBRIC = Rubric(
    (
        _criterion(
            "kualitas_produk",
            ("Kualitas produk & kendali mutu", "Product quality & quality control"),
            25,
            (
                "Mutu tidak konsisten; belum ada standar produksi.",
                "Inconsistent quality; no production standard.",
            ),
            (
                "Mutu cukup; standar tertulis sebagian diterapkan.",
                "Fair quality; written standards partly applied.",
            ),
            (
                "Mutu baik dan konsisten; ada pemeriksaan rutin.",
                "Good, consistent quality; routine checks.",
            ),
            (
                "Mutu unggul; bersertifikat (PIRT/BPOM/halal/SNI).",
                "Excellent quality; certified (PIRT/BPOM/halal/SNI).",
            ),
        ),
        _criterion(
            "kemasan",
            ("Kemasan", "Packaging"),
            15,
            (
                "Kemasan seadanya tanpa label.",
                "Makeshift packaging without a label.",
            ),
            (
                "Kemasan layak dengan label sederhana.",
                "Adequate packaging with a simple label.",
            ),
            (
                "Kemasan menarik, label lengkap dan informatif.",
                "Attractive packaging, complete informative label.",
            ),
            (
                "Kemasan khas, aman, ramah lingkungan, siap ekspor.",
                "Distinctive, safe, eco-friendly, export-ready packaging.",
            ),
        ),
        _criterion(
            "jangkauan_pemasaran",
            ("Jangkauan pemasaran", "Marketing reach"),
            15,
            (
                "Dijual di sekitar tempat usaha saja.",
                "Sold only around the premises.",
            ),
            (
                "Pasar kota; mulai memakai media sosial.",
                "City market; starting on social media.",
            ),
            (
                "Pasar antarkota; toko daring dan reseller.",
                "Inter-city market; online shop and resellers.",
            ),
            (
                "Pasar nasional atau ekspor; merek dikenal.",
                "National or export market; recognised brand.",
            ),
        ),
        _criterion(
            "manajemen_produksi",
            ("Manajemen produksi", "Production management"),
            15,
            (
                "Produksi tidak terjadwal; bahan baku tidak menentu.",
                "Unscheduled production; erratic raw materials.",
            ),
            (
                "Jadwal produksi ada; pencatatan sederhana.",
                "Production schedule exists; simple records.",
            ),
            (
                "Alur produksi tertata; stok dan pemasok tercatat.",
                "Organised workflow; stock and suppliers recorded.",
            ),
            (
                "Produksi efisien dan terukur; kapasitas siap tumbuh.",
                "Efficient, measured production; ready to scale.",
            ),
        ),
        _criterion(
            "manajemen_keuangan",
            ("Manajemen keuangan", "Financial management"),
            15,
            (
                "Keuangan usaha bercampur dengan keuangan pribadi.",
                "Business and personal money mixed.",
            ),
            (
                "Pembukuan sederhana; rekening usaha terpisah.",
                "Simple bookkeeping; separate business account.",
            ),
            (
                "Laporan laba rugi rutin; memakai aplikasi kasir.",
                "Regular profit-and-loss reports; POS app.",
            ),
            (
                "Laporan keuangan lengkap; akses pembiayaan formal.",
                "Complete financial statements; formal financing.",
            ),
        ),
        _criterion(
            "inovasi",
            ("Inovasi", "Innovation"),
            15,
            (
                "Produk meniru yang sudah ada.",
                "Product copies existing ones.",
            ),
            (
                "Ada modifikasi kecil pada produk atau proses.",
                "Small changes to product or process.",
            ),
            (
                "Produk atau proses baru yang jelas berbeda.",
                "Clearly new product or process.",
            ),
            (
                "Inovasi orisinal berdampak; memakai potensi lokal.",
                "Original, impactful innovation using local resources.",
            ),
        ),
    )
)
