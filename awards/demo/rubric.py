"""The demo's rubric: six criteria on a 1-10 scale, weights 25/15/15/15/15/15, each with five
level descriptors in Indonesian and English (bands 1-2, 3-4, 5-6, 7-8, 9-10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Criterion", "RubricLevel", "build_rubric", "rubric_to_dict"]


@dataclass(frozen=True, slots=True)
class RubricLevel:
    """What a score between ``min_score`` and ``max_score`` (inclusive) means."""

    min_score: int
    max_score: int
    descriptor_id: str
    descriptor_en: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """A rubric criterion; the entry total is ``sum(weight_c * score_c) / sum(weight_c)``."""

    key: str
    label_id: str
    label_en: str
    weight: int  # percent; the six demo weights sum to 100
    scale_min: int
    scale_max: int
    levels: tuple[RubricLevel, ...]

    def to_dict(self) -> dict[str, Any]:
        """One criterion in the JSON shape of ``awards.intake.form.rubric.Rubric``: each level band
        is anchored at its top score (``[max_score, {"id", "en"}]``)."""
        return {
            "key": self.key,
            "label": {"id": self.label_id, "en": self.label_en},
            "weight": self.weight,
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "levels": [
                [lv.max_score, {"id": lv.descriptor_id, "en": lv.descriptor_en}]
                for lv in self.levels
            ],
        }


def rubric_to_dict(rubric: Sequence[Criterion]) -> dict[str, Any]:
    """A whole rubric in the JSON shape of ``awards.intake.form.rubric.Rubric.to_dict``."""
    return {"version": 1, "criteria": [criterion.to_dict() for criterion in rubric]}


_BANDS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10))
_RUBRIC_TEXT: tuple[tuple[str, str, str, int, tuple[tuple[str, str], ...]], ...] = (
    ("kualitas_produk", "Mutu produk & kontrol kualitas", "Product quality & quality control", 25, (
        ("Mutu tidak konsisten, tanpa pemeriksaan", "Inconsistent quality, no checks"),
        ("Pemeriksaan sesekali, banyak cacat", "Occasional checks, frequent defects"),
        ("Mutu cukup, standar belum tertulis", "Fair quality, unwritten standards"),
        ("Standar tertulis dan dicatat per batch", "Written standards, recorded per batch"),
        ("Mutu unggul dan tersertifikasi", "Excellent, certified quality"),
    )),
    ("kemasan", "Kemasan", "Packaging", 15, (
        ("Tanpa kemasan atau label", "No packaging or label"),
        ("Kemasan seadanya, label minim", "Basic packaging, minimal label"),
        ("Kemasan layak, informasi lengkap", "Decent packaging, complete information"),
        ("Kemasan menarik dan aman dikirim", "Attractive packaging, safe to ship"),
        ("Kemasan siap pasar nasional dan ekspor", "Ready for national and export shelves"),
    )),
    ("jangkauan_pemasaran", "Jangkauan pemasaran", "Marketing reach", 15, (
        ("Hanya lingkungan sekitar", "Neighbourhood only"),
        ("Kota Malang, satu saluran", "Malang city, one channel"),
        ("Jawa Timur, beberapa saluran", "East Java, several channels"),
        ("Nasional lewat daring dan reseller", "Nationwide online and via resellers"),
        ("Sudah atau siap ekspor", "Exporting or export-ready"),
    )),
    ("manajemen_produksi", "Manajemen produksi", "Production management", 15, (
        ("Produksi tidak terencana", "Unplanned production"),
        ("Rencana sederhana, sering terlambat", "Simple plans, often late"),
        ("Jadwal dan stok dicatat", "Schedule and stock recorded"),
        ("Kapasitas terukur dan efisien", "Measured, efficient capacity"),
        ("Proses terstandar dan siap tumbuh", "Standardized, ready to scale"),
    )),
    ("manajemen_keuangan", "Manajemen keuangan", "Financial management", 15, (
        ("Keuangan usaha dan keluarga tercampur", "Business and household money mixed"),
        ("Catatan kas seadanya", "Basic cash notes"),
        ("Pembukuan terpisah dan rutin", "Separate, regular bookkeeping"),
        ("Laporan laba rugi bulanan", "Monthly profit and loss statements"),
        ("Laporan lengkap, siap akses pembiayaan", "Full statements, finance-ready"),
    )),
    ("inovasi", "Inovasi", "Innovation", 15, (
        ("Meniru produk yang ada", "Copies existing products"),
        ("Sedikit perbedaan dari pesaing", "Slightly different from competitors"),
        ("Ada keunikan yang jelas", "Clearly distinctive"),
        ("Inovasi produk atau proses yang teruji", "Proven product or process innovation"),
        ("Inovasi baru yang bisa menjadi contoh", "New innovation others can learn from"),
    )),
)  # fmt: skip


def build_rubric() -> tuple[Criterion, ...]:
    """The seed's rubric: six criteria on a 1-10 scale, weights 25/15/15/15/15/15."""
    return tuple(
        Criterion(
            key=key,
            label_id=label_id,
            label_en=label_en,
            weight=weight,
            scale_min=1,
            scale_max=10,
            levels=tuple(
                RubricLevel(lo, hi, d_id, d_en)
                for (lo, hi), (d_id, d_en) in zip(_BANDS, levels, strict=True)
            ),
        )
        for key, label_id, label_en, weight, levels in _RUBRIC_TEXT
    )
