"""What the organizer's review page of a category shows, every statistic from the engine.

:func:`category_review` reads the category's final round (or the round asked for), runs the
engine (:func:`judging.analyze_rows` through :func:`awards.results.snapshots.run_engine`) with
the round's method and seed, and also with ``raw`` and ``zscore`` for the side-by-side table;
then previews the places with the declared rule, tiers and decisions
(:func:`awards.results.domain.place_entries`), exactly as :func:`~awards.results.snapshots.freeze`
would store them. Nothing here is computed twice: score, SE, P(top 3), tied groups, judge
biases and reliability are the engine's fields.

**Who changes place and why**: for each entry whose calibrated rank differs from its raw-mean
rank, ``reason`` names the judges who scored it by their bias from the engine's calibration:
"scored by the two harshest judges" when its judges include the k harshest of the panel
(k = its number of judges, at most 2), otherwise the mean bias of its judges (harsh < 0 <
lenient, in points of 100).

**Reliability warnings** (plain language): Krippendorff's alpha below 0.667 — "the judges
agree too little for fine distinctions"; below 0.8 — "agreement is moderate"; undefined —
"too few entries scored by two or more judges". ICC(1) is shown when the design is complete.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.intake.editions.service import managed_scope
from awards.intake.tables import Category, Edition
from awards.results import rules, snapshots
from awards.results.publishing import publication_state, publication_status
from awards.scoring.common import NotFoundError, require_manager
from awards.scoring.tables import ScoreSheet, ScoringRound

__all__ = ["Overview", "Review", "category_review", "reliability_warnings", "results_overview"]

ALPHA_LOW, ALPHA_MODERATE = 0.667, 0.8


@dataclass
class Review:
    category: dict[str, Any]
    edition: dict[str, Any]
    rounds: list[dict[str, Any]]
    round: dict[str, Any] | None
    rule: dict[str, Any]
    rule_locked: bool
    tiers: list[dict[str, Any]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    judges: list[dict[str, Any]] = field(default_factory=list)
    judge_names: dict[str, str] = field(default_factory=dict)
    reliability: dict[str, float | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    undecided: list[list[str]] = field(default_factory=list)
    decisions: dict[str, Any] = field(default_factory=dict)
    movers: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class Overview:
    """The results index: the editions the user manages (newest year first) and their
    categories, each with ``version`` (its latest frozen version, 0 when never frozen) and
    ``published`` (False while a category with a round has no publication of its latest
    version)."""

    editions: list[dict[str, Any]]
    categories: list[dict[str, Any]]


async def results_overview(actor: CurrentUser) -> Overview:
    """:class:`Overview` of the editions ``actor`` manages, in five reads however many
    editions and categories: editions, categories, then
    :func:`~awards.results.publishing.publication_status` (rounds, snapshots, publications)."""
    scope = managed_scope(actor)
    query = Edition.select(Edition.id, Edition.name_id, Edition.year, Edition.status)
    if scope is not None:
        query = query.where(Edition.id.is_in(sorted(scope) or [0]))
    editions = await query.order_by(Edition.year, ascending=False)
    ids = [e["id"] for e in editions]
    categories = (
        await Category.select(Category.id, Category.edition, Category.name_id, Category.code)
        .where(Category.edition.is_in(ids or [0]))
        .order_by(Category.position)
        .order_by(Category.id)
    )
    status = await publication_status(ids)
    for c in categories:
        latest = status.latest.get(c["id"])
        c["version"] = latest["version"] if latest else 0
        c["published"] = c["id"] not in status.missing
    return Overview(editions, categories)


def reliability_warnings(reliability: dict[str, float | None]) -> list[str]:
    """Plain-language warnings for the engine's reliability figures (module docstring)."""
    alpha = reliability.get("krippendorff_alpha")
    if alpha is None:
        return [_("Too few entries were scored by two or more judges to measure agreement.")]
    if alpha < ALPHA_LOW:
        return [
            _(
                "The judges agree too little (Krippendorff's alpha %(a).2f, below 0.67): treat "
                "close places as uncertain and consider more judges per entry."
            )
            % {"a": alpha}
        ]
    if alpha < ALPHA_MODERATE:
        return [
            _("Agreement between judges is moderate (alpha %(a).2f): close places are uncertain.")
            % {"a": alpha}
        ]
    return []


def _finite(value: Any) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def _ranks(analysis) -> dict[str, int]:
    return {e.entry: i + 1 for i, e in enumerate(analysis.entries)}


def _movers(cal, raw, z, inputs: snapshots.Inputs) -> list[dict[str, Any]]:
    """Entries whose calibrated place differs from the raw mean's, with the reason."""
    bias = {j.judge: j.bias for j in cal.judges}
    harsh = [j for j, _b in sorted(bias.items(), key=lambda kv: kv[1])]
    judges_of: dict[str, set[str]] = {}
    for entry, judge, *_rest in inputs.lines:
        judges_of.setdefault(str(entry), set()).add(str(judge))
    r_cal, r_raw, r_z = _ranks(cal), _ranks(raw), _ranks(z)
    out = []
    for entry, place in r_cal.items():
        if r_raw.get(entry) == place:
            continue
        mine = judges_of.get(entry, set())
        k = min(2, len(mine))
        mean_bias = sum(bias.get(j, 0.0) for j in mine) / max(1, len(mine))
        if k and set(harsh[:k]) <= mine:
            reason = (
                _("scored by the two harshest judges")
                if k == 2
                else _("scored by the harshest judge")
            )
        elif k and set(harsh[-k:]) <= mine:
            reason = (
                _("scored by the two most lenient judges")
                if k == 2
                else _("scored by the most lenient judge")
            )
        elif mean_bias < 0:
            reason = _("its judges were harsher than average (%(b)+.1f points)") % {"b": mean_bias}
        else:
            reason = _("its judges were more lenient than average (%(b)+.1f points)") % {
                "b": mean_bias
            }
        out.append(
            {
                "entry": entry,
                "raw": r_raw.get(entry),
                "zscore": r_z.get(entry),
                "calibrated": place,
                "reason": reason,
            }
        )
    out.sort(key=lambda m: m["calibrated"])
    return out


_ANALYSES: OrderedDict[tuple[Any, ...], tuple[Any, Any, Any]] = OrderedDict()
ANALYSES_KEPT = 8
"""Engine runs kept in memory, keyed by round, inputs hash, method and seed: the same sheets
give the same analysis, so reloading the page (or recording a decision) does not re-run the
engine on a large category."""


def _analyses(round_row, inputs, method: str, seed: int, params: dict[str, Any]):
    key = (round_row["id"], round_row["rubric_hash"], inputs.hash, method, seed)
    cached = _ANALYSES.get(key)
    if cached is not None:
        _ANALYSES.move_to_end(key)
        return cached
    result = (
        snapshots.run_engine(round_row, inputs, method, seed, params),
        snapshots.run_engine(round_row, inputs, "raw", seed, params),
        snapshots.run_engine(round_row, inputs, "zscore", seed, params),
    )
    _ANALYSES[key] = result
    while len(_ANALYSES) > ANALYSES_KEPT:
        _ANALYSES.popitem(last=False)
    return result


async def category_review(
    actor: CurrentUser, category_id: int, round_id: int | None = None
) -> Review:
    """The review of one category (module docstring); organizers of the edition only.

    Nine reads however many rounds, entries, judges and snapshots: the category with its
    edition; its rounds (the list, the rule's lock and the final round); the edition's tiers;
    the category's rule; its panel decisions; its snapshots, publications and corrections
    (:func:`~awards.results.publishing.publication_state`); the round's sheets with their
    judges' and entries' names."""
    row = (
        await Category.select(*Category.all_columns(), *Category.edition.all_columns())
        .output(load_json=True, nested=True)
        .where(Category.id == category_id)
        .first()
    )
    if row is None:
        raise NotFoundError(f"category {category_id}")
    edition = row["edition"]
    category = row | {"edition": edition["id"]}
    require_manager(actor, category["edition"])
    round_rows = (
        await ScoringRound.select()
        .output(load_json=True)
        .where(ScoringRound.category == category_id)
        .order_by(ScoringRound.id, ascending=False)
    )
    rounds = [{k: r[k] for k in ("id", "kind", "name", "status")} for r in reversed(round_rows)]
    tiers = await rules.edition_tiers(category["edition"])
    review = Review(
        category,
        edition,
        rounds,
        None,
        await rules.category_rule(category_id),
        rules.rounds_lock_rule(round_rows),
        tiers,
    )
    review.snapshots = (await publication_state(category_id))["snapshots"]
    orders, specials = await rules.panel_decisions(category_id)
    review.decisions = {"orders": orders, "specials": specials}
    if not rounds:
        review.error = _("This category has no scoring round yet.")
        return review
    round_row = snapshots.pick_final_round(round_rows, round_id)
    review.round = round_row
    sheets = (
        await ScoreSheet.select(
            *snapshots.INPUT_COLUMNS, ScoreSheet.judge.display_name, ScoreSheet.judge.email,
            ScoreSheet.entry.business_name, ScoreSheet.entry.district,
        )
        .where(ScoreSheet.round == round_row["id"])
        .output(load_json=True)
    )  # fmt: skip
    inputs = snapshots.inputs_of_sheets(round_row, sheets)
    review.counts = {
        "sheets": inputs.sheets,
        "recused": inputs.recused,
        "abstained": inputs.abstained,
        "entries": len({line[0] for line in inputs.lines}),
        "judges": len({line[1] for line in inputs.lines}),
    }
    if not inputs.lines:
        review.error = _("No submitted scores yet.")
        return review
    params = dict(snapshots.PARAMS)
    seed = int(round_row["seed"] or 0)
    method = round_row["method"] or "calibrated"
    cal, raw, z = _analyses(round_row, inputs, method, seed, params)
    copied = {"rule": review.rule, "tiers": tiers, "decisions": review.decisions}
    placed, review.undecided = snapshots.placements_of(cal, inputs, copied)
    names = {
        str(sheet["entry"]): {
            "business_name": sheet["entry.business_name"],
            "district": sheet["entry.district"],
        }
        for sheet in sheets
    }
    r_raw, r_z = _ranks(raw), _ranks(z)
    raw_score = {e.entry: e.score for e in raw.entries}
    z_score = {e.entry: e.score for e in z.entries}
    labels = {t["code"]: t for t in tiers}
    undecided = {e for group in review.undecided for e in group}
    for p in placed:
        row = p.stored()
        row["business_name"] = names.get(p.entry, {}).get("business_name", "")
        row["district"] = names.get(p.entry, {}).get("district", "")
        row["raw_rank"], row["z_rank"] = r_raw.get(p.entry), r_z.get(p.entry)
        row["raw_score"] = _finite(raw_score.get(p.entry))
        row["z_score"] = _finite(z_score.get(p.entry))
        row["tied"] = p.tied_to > p.tied_group
        row["undecided"] = p.entry in undecided
        row["tier_label"] = labels.get(p.tier, {}).get("label_id", "") if p.tier else ""
        row["special_label"] = labels.get(p.special, {}).get("label_id", "") if p.special else ""
        review.rows.append(row)
    review.judges = [
        {"judge": j.judge, "bias": _finite(j.bias), "stderr": _finite(j.stderr), "scores": j.scores}
        for j in sorted(cal.judges, key=lambda j: j.bias)
    ]
    judged = {str(j["judge"]) for j in review.judges}
    review.judge_names = {
        str(sheet["judge"]): sheet["judge.display_name"] or sheet["judge.email"]
        for sheet in sheets
        if str(sheet["judge"]) in judged
    }
    review.reliability = {k: _finite(v) for k, v in cal.reliability.items()}
    review.warnings = reliability_warnings(review.reliability)
    review.engine_warnings = list(cal.warnings)
    review.movers = _movers(cal, raw, z, inputs)
    return review
