"""The methodology page, generated from each published snapshot's manifest.

For every public category result the page states, with this edition's numbers: how many entries
and judges, score sheets, recusals and abstentions went in; the rubric (criteria and weights);
how scores were combined (weighted rubric total per sheet, 0-100) and normalized (the method in
plain words); how certain the top places are (each top-3 entry's P(top 3), how many entries sit
in statistically tied groups); reliability (Krippendorff's alpha, ICC) with a plain reading; the
engine version, seed and the snapshot's content hash, so anyone holding the score sheets can
reproduce the ranking.

Reliability reading of Krippendorff's alpha (Krippendorff 2004, §11.3): ``>= 0.8`` good,
``0.667-0.8`` acceptable for tentative conclusions, below that weak agreement among judges.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from awards.i18n import _, current_language
from awards.results import visibility
from awards.results.public.reader import edition_categories

__all__ = ["MethodSection", "method_explanation", "methodology_of", "reliability_reading"]


@dataclass
class MethodSection:
    """One category's methodology numbers (see the module docstring)."""

    category: dict[str, Any]
    version: int
    corrected: bool
    content_hash: str
    entries: int
    judges: int
    sheets: int
    recused: int
    abstained: int
    method: str
    method_text: str
    criteria: list[dict[str, Any]]
    seed: Any
    engine_version: str
    frozen_at: str
    alpha: float | None
    alpha_text: str
    icc: float | None
    tied_places: int
    top: list[dict[str, Any]] = field(default_factory=list)
    policy: str = ""


def method_explanation(method: str) -> str:
    """What ``method`` does, in plain words (translated)."""
    texts = {
        "calibrated": _(
            "Each judge's leniency is estimated from all the entries that judge scored and "
            "removed, so a strict or a generous judge does not decide the outcome. Each "
            "score is weighted by the judge's stated confidence, and every calibrated score "
            "comes with a standard error."
        ),
        "zscore": _(
            "Each judge's scores are standardized (their own average subtracted, divided by "
            "their own spread) before the scores of an entry are averaged."
        ),
        "raw": _("The judges' rubric totals of an entry are averaged as they are."),
        "trimmed": _("The highest and lowest score of an entry are dropped before averaging."),
        "median": _("The middle judge's score of an entry is used."),
        "rank": _("Each judge's scores are turned into ranks, and the ranks are averaged."),
    }
    return texts.get(method, method)


def reliability_reading(alpha: float | None) -> str:
    """A plain reading of Krippendorff's alpha (thresholds in the module docstring)."""
    if alpha is None:
        return _("Not enough overlapping scores to measure agreement.")
    if alpha >= 0.8:
        return _("Judges agreed well.")
    if alpha >= 0.667:
        return _("Judges agreed acceptably.")
    return _("Judges agreed only weakly; the order of close entries is uncertain.")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _labelled(manifest: dict[str, Any], category: dict[str, Any]) -> list[dict[str, Any]]:
    """The manifest's criteria, each with ``label`` (current language) from the category's
    rubric, falling back to the key."""
    rubric = category.get("rubric") if isinstance(category.get("rubric"), dict) else {}
    english = current_language().startswith("en")
    labels = {}
    for criterion in rubric.get("criteria") or []:
        label = criterion.get("label") or {}
        labels[criterion.get("key")] = (label.get("en") if english else "") or label.get("id")
    return [
        {**c, "label": labels.get(c.get("key")) or c.get("key")}
        for c in (manifest.get("rubric") or {}).get("criteria") or []
    ]


def section_of(category: dict[str, Any], pub: dict[str, Any], manifest: dict[str, Any]):
    """A :class:`MethodSection` from one manifest (missing keys read as zero / unknown)."""
    inputs = manifest.get("inputs") or {}
    reliability = manifest.get("reliability") or {}
    alpha = _number(reliability.get("krippendorff_alpha"))
    placements = sorted(manifest.get("placements") or [], key=lambda p: p.get("place", 0))
    top = [
        {"place": p.get("place"), "p_top3": _number(p.get("p_top3"))}
        for p in placements
        if (p.get("place") or 99) <= 3
    ]
    return MethodSection(
        category=category,
        version=pub["version"],
        corrected=bool(pub.get("corrected")),
        content_hash=pub["content_hash"],
        entries=int(inputs.get("entries") or 0),
        judges=int(inputs.get("judges") or 0),
        sheets=int(inputs.get("sheets") or 0),
        recused=int(inputs.get("recused") or 0),
        abstained=int(inputs.get("abstained") or 0),
        method=str(manifest.get("method") or ""),
        method_text=method_explanation(str(manifest.get("method") or "")),
        criteria=_labelled(manifest, category),
        seed=manifest.get("seed"),
        engine_version=str(manifest.get("engine_version") or ""),
        frozen_at=str(manifest.get("frozen_at") or ""),
        alpha=alpha,
        alpha_text=reliability_reading(alpha),
        icc=_number(reliability.get("icc2k")),
        tied_places=int(manifest.get("tied_places") or 0),
        top=top,
        policy=str((manifest.get("rule") or {}).get("policy") or ""),
    )


async def methodology_of(
    edition: dict[str, Any], publications: list[dict[str, Any]]
) -> list[MethodSection]:
    """One section per published category of ``edition``, in category order: the categories
    and the visible manifests, one statement each however many categories."""
    categories = await edition_categories(edition["id"])
    visible = await visibility.visible_publications(
        [pub["category_id"] for pub in publications], with_manifest=True
    )
    sections = []
    for pub in publications:
        row = visible.get(pub["category_id"])
        if row is None:
            continue
        manifest = json.loads(row["manifest"])
        sections.append(section_of(categories[pub["category_id"]], pub, manifest))
    sections.sort(key=lambda s: (s.category["position"], s.category["id"]))
    return sections
