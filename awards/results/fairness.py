"""The fairness audit (organizers only): are scores associated with district, sector, size class
or judge affiliation beyond what the entries' quality explains?

Every figure comes from the engine (:func:`judging.affinity_audit`; its docstring states the
model): scores are explained by each entry's value (its quality as the panel sees it) plus each
judge's leniency, and the audit measures what is left over for a group, in points of the
0-100 total, with its standard error and a Holm-adjusted p-value. Nothing is recomputed here;
this module only chooses the groupings and words the answers.

Per category (its final round's submitted sheets, :func:`awards.results.snapshots.load_inputs`):

* **Judge affiliation.** A score is *own-group* when the judge's affiliation names the entry's
  district or sector (compared case-insensitively). The audit's pooled affinity says whether
  judges score such entries higher than the other judges of the same entries do, and which
  judges do so individually.
* **District, sector, size class.** For each group g (with at least two entries, and not every
  entry) and each judge k the engine estimates, with one fixed-effects fit, whether
  k scores g's entries higher or lower than the other judges of the same entries
  (:func:`judging.analysis.affinity.group_affinity`, Holm-adjusted over the group's judges).
  Whether a group's businesses are simply better cannot be told apart from favouritism
  with scores alone (the entries' values absorb it), so the question answered is the one the
  data can answer: do particular judges treat a group differently?

A judge is flagged when the Holm-adjusted p-value is below 5% (family-wise, per audit). For
district, sector and size class a judge is tested only with at least :data:`MIN_SCORES` scores
of the group's entries and as many of other entries (fewer say too little about a judge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

import judging
from awards.accounts.identity import CurrentUser
from awards.intake.common import NotFoundError
from awards.intake.editions.service import can_manage
from awards.intake.tables import Category, Edition
from awards.results.snapshots import INPUT_COLUMNS, inputs_of_sheets, pick_final_round
from awards.scoring.common import ScoringRefusedError
from awards.scoring.rules import engine_rubric
from awards.scoring.tables import JudgeProfile, ScoreSheet, ScoringRound
from judging.analysis.affinity import group_affinity

__all__ = ["DIMENSIONS", "CategoryAudit", "Finding", "GroupAudit", "edition_audit"]

DIMENSIONS = ("district", "sector", "size_class")
LEVEL = 0.05
#: A judge is tested for a group only with this many scores in the group and outside it.
MIN_SCORES = 3


@dataclass
class Finding:
    """One judge's estimate: points of the total, SE, adjusted p, flagged, score counts."""

    judge: str
    estimate: float
    stderr: float
    p_adjusted: float
    flagged: bool
    own_scores: int
    other_scores: int


@dataclass
class GroupAudit:
    """The audit of one group (or of the affiliation match): what was tested and found."""

    dimension: str
    group: str
    tested: int
    findings: list[Finding]
    pooled: float | None = None
    pooled_stderr: float | None = None
    pooled_p: float | None = None
    own_scores: int = 0

    @property
    def flagged(self) -> list[Finding]:
        return [f for f in self.findings if f.flagged]


@dataclass
class CategoryAudit:
    """A category's audits; ``note`` explains why nothing could be tested."""

    category_id: int
    name: str
    entries: int = 0
    judges: int = 0
    scores: int = 0
    affiliation: GroupAudit | None = None
    groups: dict[str, list[GroupAudit]] = field(default_factory=dict)
    note: str = ""


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _finding(judge: judging.JudgeAffinity, names: dict[str, str]) -> Finding:
    return Finding(
        judge=names.get(judge.judge, judge.judge),
        estimate=judge.estimate,
        stderr=judge.stderr,
        p_adjusted=judge.p_adjusted,
        flagged=judge.flagged,
        own_scores=judge.own_scores,
        other_scores=judge.other_scores,
    )


def _audit(sheet, judge_groups, entry_groups):
    try:
        return judging.affinity_audit(sheet, judge_groups, entry_groups, level=LEVEL)
    except (ValueError, np.linalg.LinAlgError):
        return None


def _category(
    category: dict[str, Any],
    rounds: list[dict[str, Any]],
    sheets: dict[int, list[dict[str, Any]]],
    affiliations: dict[str, str],
    names: dict[str, str],
) -> CategoryAudit:
    """The category's audit from its rounds (newest first) and the sheets of each round
    (with each sheet's entry's ``entry.district``, ``entry.sector``, ``entry.size_class``)."""
    result = CategoryAudit(category["id"], category["name_id"])
    try:
        round_row = pick_final_round(rounds)
    except ScoringRefusedError:
        result.note = "no_round"
        return result
    round_sheets = sheets.get(round_row["id"], [])
    inputs = inputs_of_sheets(round_row, round_sheets)
    if not inputs.lines:
        result.note = "no_scores"
        return result
    words = judging.CONFIDENCE_WORDS
    sheet = judging.build_sheet(
        [str(e) for e, *_ in inputs.lines],
        [str(j) for _, j, *_ in inputs.lines],
        [float(s) for _, _, _, s, _ in inputs.lines],
        criteria=[c for _, _, c, _, _ in inputs.lines],
        confidences=[words.get(str(conf), 1.0) for *_, conf in inputs.lines],
        rubric=engine_rubric(round_row["rubric"]),
    )
    result.entries, result.judges, result.scores = (
        sheet.n_entries,
        sheet.n_judges,
        int(sheet.total.size),
    )
    scored = set(sheet.entry_ids)
    entries = {
        str(r["entry"]): {dimension: r[f"entry.{dimension}"] for dimension in DIMENSIONS}
        for r in round_sheets
        if str(r["entry"]) in scored
    }
    # judge affiliation against the entry's district or sector
    judge_aff = {j: affiliations.get(j, "") for j in sheet.judge_ids}
    own_label = {}
    for eid, row in entries.items():
        own_label[eid] = {_norm(row["district"]), _norm(row["sector"])} - {""}
    # an entry's label is the affiliation it matches (a judge matches at most its own)
    match_groups = {}
    for eid, labels in own_label.items():
        hit = next((a for a in set(judge_aff.values()) if a and a in labels), "")
        match_groups[eid] = hit
    audit = _audit(sheet, judge_aff, match_groups)
    if audit is not None:
        result.affiliation = GroupAudit(
            "affiliation",
            "",
            len(audit.judges),
            [_finding(j, names) for j in audit.judges],
            pooled=audit.pooled,
            pooled_stderr=audit.pooled_stderr,
            pooled_p=audit.pooled_p,
            own_scores=audit.own_scores,
        )
    for dimension in DIMENSIONS:
        values = {eid: row[dimension] or "" for eid, row in entries.items()}
        sizes: dict[str, int] = {}
        for value in values.values():
            if value:
                sizes[value] = sizes.get(value, 0) + 1
        keep = {g for g, n in sizes.items() if 2 <= n < len(values)}
        found = group_affinity(sheet, {e: v for e, v in values.items() if v in keep}, level=LEVEL)
        result.groups[dimension] = [
            GroupAudit(
                dimension,
                group,
                len(judges),
                [_finding(j, names) for j in judges],
                own_scores=sum(j.own_scores for j in judges),
            )
            for group, judges in sorted(found.items())
        ]
    return result


async def edition_audit(actor: CurrentUser, edition_id: int) -> tuple[dict, list[CategoryAudit]]:
    """(edition, audits per category) for an organizer of the edition; NotFoundError else.

    Five reads however many categories, rounds and sheets: the edition, its judges' profiles
    with their names, its categories, their rounds, and the sheets of each category's final
    round with their entries' groups."""
    if not can_manage(actor, edition_id):
        raise NotFoundError(f"edition {edition_id}")
    edition = await Edition.select().where(Edition.id == edition_id).first()
    if edition is None:
        raise NotFoundError(f"edition {edition_id}")
    profiles = await JudgeProfile.select(
        JudgeProfile.user,
        JudgeProfile.affiliation,
        JudgeProfile.user.display_name,
        JudgeProfile.user.email,
    ).where(JudgeProfile.edition == edition_id)
    affiliations = {str(p["user"]): _norm(p["affiliation"]) for p in profiles}
    names = {
        str(p["user"]): p["user.display_name"] or p["user.email"]
        for p in profiles
        if p["user.email"] is not None
    }
    categories = (
        await Category.select(Category.id, Category.name_id)
        .where(Category.edition == edition_id)
        .order_by(Category.position)
        .order_by(Category.id)
    )
    rounds: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in categories}
    if categories:
        rows = (
            await ScoringRound.select()
            .output(load_json=True)
            .where(ScoringRound.category.is_in(list(rounds)))
            .order_by(ScoringRound.id, ascending=False)
        )
        for row in rows:
            rounds[row["category"]].append(row)
    finals = []
    for category_rounds in rounds.values():
        try:
            finals.append(pick_final_round(category_rounds)["id"])
        except ScoringRefusedError:
            continue
    sheets: dict[int, list[dict[str, Any]]] = {}
    if finals:
        rows = (
            await ScoreSheet.select(
                ScoreSheet.round, *INPUT_COLUMNS, ScoreSheet.entry.district,
                ScoreSheet.entry.sector, ScoreSheet.entry.size_class,
            )
            .where(ScoreSheet.round.is_in(finals))
            .output(load_json=True)
        )  # fmt: skip
        for row in rows:
            sheets.setdefault(row["round"], []).append(row)
    audits = [_category(c, rounds[c["id"]], sheets, affiliations, names) for c in categories]
    return edition, audits
