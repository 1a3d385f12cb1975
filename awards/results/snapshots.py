"""Freezing a category's result, and verifying that a frozen result reproduces.

:func:`freeze` takes the category's final round (the latest ``final`` round, else the latest
round; it must be closed), reads its submitted sheets sorted by (entry, judge, criterion), runs
the engine (:func:`judging.analyze_rows`) with the round's method and a fixed seed, applies the
category's tie policy, panel decisions and award tiers (:func:`awards.results.domain.place_entries`)
and stores the snapshot with every placement in one transaction (refused if the sheets changed
meanwhile, i.e. their :func:`~awards.results.domain.inputs_hash` differs).

:func:`verify` re-reads the round's sheets; when they changed since the freeze (a
correction), it rebuilds them as of ``frozen_at`` from the sheets' append-only history
(:func:`inputs_as_of`: each sheet's last revision at or before that time) and checks that they
hash to the snapshot's ``inputs_hash``. It then re-runs the engine with the snapshot's method,
parameters and seed and the rule, tiers and decisions copied in its manifest, and compares
engine ranks, places, tiers and scores at :data:`~awards.results.domain.STORED_DECIMALS`
decimals (never float bits). If neither the current sheets nor their history reproduce the
frozen inputs (a sheet changed without a revision), it says the inputs changed.

**Manifest keys** (canonical JSON in ``ResultSnapshot.manifest``; schema ``format`` 1)::

    format, edition {id, slug, year, time_zone}, category {id, code, slug, name_id, name_en},
    round {id, kind, name}, rubric {hash, version, criteria [{key, weight, min, max}]},
    method, params {shrinkage, bias_scale, top, draws}, seed, engine_version, numpy_version,
    inputs {hash, sheets, rows, entries, judges, recused, abstained},
    rule {policy, criteria, text, min_score, declared_at},
    tiers [{code, label_id, label_en, kind, position, max_recipients}],
    decisions {orders {entry: [position, reason]}, specials {entry: [tier, citation]}},
    reliability {krippendorff_alpha, icc..., kendall_w} (null when undefined),
    warnings [engine warnings, English], judges [{bias, stderr, scores}] (sorted, anonymous),
    tied_places (number of entries in a statistically tied group of size > 1),
    placements [Placement fields, see awards.results.tables], version, parent,
    frozen_at (ISO UTC), frozen_by (user id)
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

import judging
from awards import db
from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.intake.editions.lifecycle import Action
from awards.intake.editions.status import ensure_edition_allows
from awards.intake.tables import Category, Edition
from awards.results import domain
from awards.results.inputs_asof import sheets_as_of
from awards.results.rules import category_rule, edition_tiers, panel_decisions
from awards.results.tables import Placement, ResultSnapshot
from awards.scoring.common import NotFoundError, ScoringRefusedError, require_manager
from awards.scoring.rules import criteria_of, engine_rubric
from awards.scoring.tables import RoundStatus, ScoreSheet, ScoringRound, SheetStatus

__all__ = [
    "INPUT_COLUMNS",
    "PARAMS",
    "Frozen",
    "Inputs",
    "VerifyResult",
    "engine_version",
    "final_round",
    "freeze",
    "inputs_as_of",
    "inputs_of_sheets",
    "load_inputs",
    "pick_final_round",
    "run_engine",
    "verify",
]

PARAMS = {"shrinkage": "auto", "bias_scale": False, "top": 3, "draws": 1000}
"""Engine options used for every snapshot (stored in ``params``)."""

CHUNK = 500


@functools.cache
def engine_version() -> str:
    """``<anugerah version>+<first 12 hex of SHA-256 over judging/*.py>``."""
    digest = hashlib.sha256()
    for path in sorted(Path(judging.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    try:
        version = metadata.version("anugerah")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{digest.hexdigest()[:12]}"


@dataclass
class Inputs:
    """A round's submitted criterion values, sorted, with their hash and counts."""

    lines: list[tuple[int, int, str, Any, str]]
    hash: str
    sheets: int
    recused: int
    abstained: int


async def final_round(category_id: int, round_id: int | None = None) -> dict[str, Any]:
    """The round a category's result comes from: ``round_id`` if given (of this category),
    else the latest ``final`` round, else the latest round."""
    query = ScoringRound.select().output(load_json=True).where(ScoringRound.category == category_id)
    return pick_final_round(await query.order_by(ScoringRound.id, ascending=False), round_id)


def pick_final_round(rows: list[dict[str, Any]], round_id: int | None = None) -> dict[str, Any]:
    """:func:`final_round` among one category's round rows, newest (highest id) first."""
    if round_id is not None:
        rows = [r for r in rows if r["id"] == round_id]
    if not rows:
        raise ScoringRefusedError(_("This category has no scoring round yet."))
    finals = [r for r in rows if r["kind"] == "final"]
    return (finals or rows)[0]


#: The sheet columns :func:`inputs_of_sheets` reads; a caller that reads sheets for it (with
#: more columns of its own) selects these.
INPUT_COLUMNS = (
    ScoreSheet.entry,
    ScoreSheet.judge,
    ScoreSheet.scores,
    ScoreSheet.confidence,
    ScoreSheet.status,
)


async def load_inputs(round_row: dict[str, Any]) -> Inputs:
    """The round's submitted sheets as sorted lines (entry, judge, criterion, score, confidence)."""
    sheets = (
        await ScoreSheet.select(*INPUT_COLUMNS)
        .where(ScoreSheet.round == round_row["id"])
        .output(load_json=True)
    )  # fmt: skip
    return inputs_of_sheets(round_row, sheets)


async def inputs_as_of(round_row: dict[str, Any], at: datetime) -> Inputs:
    """The round's inputs as they stood at ``at``, rebuilt from the sheets' history
    (:func:`awards.results.inputs_asof.sheets_as_of`), with :func:`load_inputs`' filters."""
    return inputs_of_sheets(round_row, await sheets_as_of(round_row["id"], at))


def inputs_of_sheets(round_row: dict[str, Any], sheets: list[dict[str, Any]]) -> Inputs:
    """Sorted lines, hash and counts of sheets (entry, judge, status, scores, confidence;
    other keys are ignored): :func:`load_inputs` of sheet rows already read."""
    keys = [c.key for c in criteria_of(round_row["rubric"])]
    lines: list[tuple[int, int, str, Any, str]] = []
    counts = {"submitted": 0, "recused": 0, "abstained": 0}
    for sheet in sheets:
        if sheet["status"] in counts:
            counts[sheet["status"]] += 1
        if sheet["status"] != SheetStatus.submitted.value:
            continue
        for key in keys:
            if key in sheet["scores"]:
                lines.append(
                    (sheet["entry"], sheet["judge"], key, sheet["scores"][key], sheet["confidence"])
                )
    lines.sort(key=lambda line: (line[0], line[1], line[2]))
    return Inputs(
        lines,
        domain.inputs_hash(lines),
        counts["submitted"],
        counts["recused"],
        counts["abstained"],
    )


def run_engine(
    round_row: dict[str, Any], inputs: Inputs, method: str, seed: int, params: dict[str, Any]
) -> judging.Analysis:
    """:func:`judging.analyze_rows` on the sorted lines with a fixed seed."""
    rows = (
        {"entry": e, "judge": j, "criterion": c, "score": s, "confidence": conf, "category": "c"}
        for e, j, c, s, conf in inputs.lines
    )
    return judging.analyze_rows(
        rows,
        engine_rubric(round_row["rubric"]),
        method,
        shrinkage=params["shrinkage"],
        bias_scale=params["bias_scale"],
        top=params["top"],
        draws=params["draws"],
        seed=seed,
    )


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def engine_entries(analysis: judging.Analysis) -> list[domain.EngineEntry]:
    """The engine's entries in its order, as the place rules need them."""
    return [
        domain.EngineEntry(
            e.entry,
            e.rank,
            float(e.score),
            _finite(e.stderr),
            _finite(e.raw_mean),
            _finite(e.p_top),
            tuple(e.tied_ranks),
        )
        for e in analysis.entries
    ]


def placements_of(
    analysis: judging.Analysis, inputs: Inputs, manifest_rule: dict[str, Any]
) -> tuple[list[domain.PlacementResult], list[list[str]]]:
    """Places from the engine's analysis and the manifest's rule, tiers and decisions."""
    rule = manifest_rule["rule"]
    decisions = manifest_rule["decisions"]
    return domain.place_entries(
        engine_entries(analysis),
        domain.Rule(rule["policy"], tuple(rule["criteria"]), rule["min_score"]),
        manifest_rule["tiers"],
        orders={k: (v[0], v[1]) for k, v in decisions["orders"].items()},
        specials={k: (v[0], v[1]) for k, v in decisions["specials"].items()},
        means=domain.criteria_means(inputs.lines) if rule["criteria"] else None,
    )


@dataclass
class Frozen:
    snapshot_id: int
    version: int
    content_hash: str


async def freeze(actor: CurrentUser, category_id: int, *, round_id: int | None = None) -> Frozen:
    """Freeze the category's result as a new version (module docstring).

    Refused (:class:`ScoringRefusedError`) when the round is not closed, nothing is submitted,
    an exact tie at an award place awaits the panel's decision (``jury`` policy), or the
    sheets changed while the engine ran; :class:`EditionLockedError` outside judging or a
    correction."""
    category = await Category.select().where(Category.id == category_id).first()
    if category is None:
        raise NotFoundError(f"category {category_id}")
    require_manager(actor, category["edition"])
    await ensure_edition_allows(category["edition"], Action.results)
    edition = await Edition.select().where(Edition.id == category["edition"]).first()
    round_row = await final_round(category_id, round_id)
    if round_row["status"] != RoundStatus.closed.value:
        raise ScoringRefusedError(_("Close the round before freezing its results."))
    inputs = await load_inputs(round_row)
    if not inputs.lines:
        raise ScoringRefusedError(_("No submitted scores yet."))
    rule = await category_rule(category_id)
    tiers = await edition_tiers(category["edition"])
    orders, specials = await panel_decisions(category_id)
    seed = int(round_row["seed"] or 0)
    params = dict(PARAMS)
    method = round_row["method"] or "calibrated"
    analysis = run_engine(round_row, inputs, method, seed, params)
    copied = {
        "rule": rule,
        "tiers": tiers,
        "decisions": {"orders": orders, "specials": specials},
    }
    placed, undecided = placements_of(analysis, inputs, copied)
    award_slots = len(domain.tier_slots(tiers))
    blocking = [g for g in undecided if any(p.place <= award_slots for p in placed if p.entry in g)]
    if blocking:
        raise ScoringRefusedError(
            _("Entries %(entries)s are tied; record the panel's order and reason first.")
            % {"entries": ", ".join("#" + e for e in blocking[0])}
        )
    frozen_at = datetime.now(UTC)
    stored = [p.stored() for p in placed]
    manifest: dict[str, Any] = {
        "format": 1,
        "edition": {
            "id": edition["id"],
            "slug": edition["slug"],
            "year": edition["year"],
            "time_zone": edition["time_zone"],
        },
        "category": {k: category[k] for k in ("id", "code", "slug", "name_id", "name_en")},
        "round": {k: round_row[k] for k in ("id", "kind", "name")},
        "rubric": {
            "hash": round_row["rubric_hash"],
            "version": round_row["rubric_version"],
            "criteria": [
                {"key": c.key, "weight": c.weight, "min": c.low, "max": c.high}
                for c in criteria_of(round_row["rubric"])
            ],
        },
        "method": method,
        "params": params,
        "seed": seed,
        "engine_version": engine_version(),
        "numpy_version": np.__version__,
        "inputs": {
            "hash": inputs.hash,
            "sheets": inputs.sheets,
            "rows": len(inputs.lines),
            "entries": len({line[0] for line in inputs.lines}),
            "judges": len({line[1] for line in inputs.lines}),
            "recused": inputs.recused,
            "abstained": inputs.abstained,
        },
        **copied,
        "reliability": {k: _finite(v) for k, v in analysis.reliability.items()},
        "warnings": list(analysis.warnings),
        "judges": sorted(
            (
                {
                    "bias": domain._round(j.bias),
                    "stderr": domain._round(j.stderr),
                    "scores": j.scores,
                }
                for j in analysis.judges
            ),
            key=lambda j: (j["bias"] is None, j["bias"] or 0.0, j["scores"]),
        ),
        "tied_places": sum(1 for p in placed if p.tied_to > p.tied_group),
        "placements": stored,
        "frozen_at": frozen_at.isoformat(),
        "frozen_by": actor.id,
    }
    async with db.write_transaction():
        await ensure_edition_allows(category["edition"], Action.results)
        again = await load_inputs(round_row)
        if again.hash != inputs.hash:
            raise ScoringRefusedError(_("Scores changed while freezing; freeze again."))
        latest = (
            await ResultSnapshot.select(ResultSnapshot.id, ResultSnapshot.version)
            .where(ResultSnapshot.category == category_id)
            .order_by(ResultSnapshot.version, ascending=False)
            .first()
        )
        version = (latest["version"] + 1) if latest else 1
        parent = latest["id"] if latest else None
        manifest["version"], manifest["parent"] = version, parent
        text = domain.canonical_json(manifest)
        digest = domain.content_hash(text)
        rows = await ResultSnapshot.insert(
            ResultSnapshot(
                edition=category["edition"],
                category=category_id,
                round=round_row["id"],
                version=version,
                parent=parent,
                inputs_hash=inputs.hash,
                rubric_hash=round_row["rubric_hash"],
                rubric_version=round_row["rubric_version"],
                method=method,
                params=params,
                seed=seed,
                engine_version=engine_version(),
                numpy_version=np.__version__,
                manifest=text,
                content_hash=digest,
                frozen_at=frozen_at,
                frozen_by=actor.id,
            )
        ).returning(ResultSnapshot.id)
        snapshot_id = rows[0]["id"]
        for start in range(0, len(stored), CHUNK):
            await Placement.insert(
                *(Placement(snapshot=snapshot_id, **p) for p in stored[start : start + CHUNK])
            )
    return Frozen(snapshot_id, version, digest)


@dataclass
class VerifyResult:
    """``ok`` when the recomputed placements equal the stored ones; ``inputs_changed`` when
    neither the round's current sheets nor their history as of ``frozen_at`` hash to the
    snapshot's ``inputs_hash``; ``differences`` lists the first differing placements;
    ``engine_changed`` when the engine's code differs; ``corrected_since`` when the current
    sheets differ from the frozen inputs (a later correction; the frozen ones were rebuilt from
    the history)."""

    ok: bool
    inputs_changed: bool
    engine_changed: bool
    content_ok: bool
    differences: list[dict[str, Any]]
    corrected_since: bool = False


async def verify(snapshot_id: int) -> VerifyResult:
    """Re-run a snapshot and compare (module docstring)."""
    import json

    snap = await ResultSnapshot.select().where(ResultSnapshot.id == snapshot_id).first()
    if snap is None:
        raise NotFoundError(f"snapshot {snapshot_id}")
    manifest = json.loads(snap["manifest"])
    content_ok = domain.content_hash(snap["manifest"]) == snap["content_hash"]
    round_row = await final_round(snap["category"], snap["round"])
    engine_changed = snap["engine_version"] != engine_version()
    current = await load_inputs(round_row)
    corrected = current.hash != snap["inputs_hash"]
    inputs = await inputs_as_of(round_row, snap["frozen_at"]) if corrected else current
    if inputs.hash != snap["inputs_hash"]:
        return VerifyResult(False, True, engine_changed, content_ok, [], corrected)
    analysis = run_engine(round_row, inputs, snap["method"], snap["seed"], manifest["params"])
    placed, _undecided = placements_of(analysis, inputs, manifest)
    stored = (
        await Placement.select(*(getattr(Placement, k) for k in _COMPARED))
        .where(Placement.snapshot == snapshot_id)
        .order_by(Placement.place)
        .order_by(Placement.engine_rank)
    )
    again = [{k: p.stored()[k] for k in _COMPARED} for p in placed]
    differences = [
        {"stored": a, "recomputed": b} for a, b in zip(stored, again, strict=False) if a != b
    ]
    if len(stored) != len(again):
        differences.append({"stored": len(stored), "recomputed": len(again)})
    ok = not differences and content_ok
    return VerifyResult(ok, False, engine_changed, content_ok, differences[:20], corrected)


_COMPARED = ("entry", "engine_rank", "place", "tier", "special", "score", "se")
