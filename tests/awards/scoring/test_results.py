"""Round results from the engine; the export in the engine's long CSV format; shortlists."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta

import pytest

from awards.cli import main as anugerah
from awards.scoring import results
from awards.scoring.common import ScoringRefusedError
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.rounds import service as rounds
from awards.scoring.tables import Assignment
from tests.awards.scoring.support import CRITERIA, build_world


def _score_everything(run, world, *, leave_draft: int | None = None):
    """Every judge submits every assigned entry: a true quality per entry plus a judge bias."""
    rng = random.Random(7)
    quality = {entry: rng.randint(3, 8) for entry in world.entries}
    bias = {judge.id: b for judge, b in zip(world.judges, (-2, 0, 1, 2, -1, 0), strict=False)}
    rows = run(Assignment.select(Assignment.entry, Assignment.judge).order_by(Assignment.id))
    for row in rows:
        judge = world.judge(row["judge"])
        run(conflicts.declare(judge, world.round_id, row["entry"], conflict=False))
        value = max(1, min(10, quality[row["entry"]] + bias[judge.id]))
        scores = {key: max(1, min(10, value + (i % 3) - 1)) for i, key in enumerate(CRITERIA)}
        submit = leave_draft != row["entry"]
        run(
            sheets.save_sheet(
                judge,
                world.round_id,
                row["entry"],
                SheetInput(scores=scores, confidence=("low", "medium", "high")[row["entry"] % 3]),
                version=0,
                submit=submit,
            )
        )


def test_round_ranking_equals_anugerah_analyze_on_export(run, tmp_path, capsys):
    """The app's ranking of a round equals `anugerah analyze` on the round's export."""
    world = build_world(run, n_entries=8, n_judges=4, k=3)
    _score_everything(run, world, leave_draft=world.entries[-1])
    (tmp_path / "scores.csv").write_text(run(results.export_csv(world.organizer, world.round_id)))
    (tmp_path / "rubric.csv").write_text(run(results.rubric_csv(world.organizer, world.round_id)))
    analysis = run(results.round_analysis(world.organizer, world.round_id))
    capsys.readouterr()
    status = anugerah(
        [
            "analyze",
            str(tmp_path / "scores.csv"),
            "--rubric",
            str(tmp_path / "rubric.csv"),
            "--format",
            "csv",
        ]
    )
    cli_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert status == 0
    assert [(r["entry"], int(r["rank"])) for r in cli_rows] == [
        (e.entry, e.rank) for e in analysis.entries
    ]
    assert [float(r["score"]) for r in cli_rows] == pytest.approx(
        [e.score for e in analysis.entries], abs=1e-3
    )
    assert str(world.entries[-1]) not in {r["entry"] for r in cli_rows}  # drafts never count
    assert analysis.method == "calibrated"


def test_export_rows_are_long_form(run):
    """One row per submitted criterion value, with confidence words and the category."""
    world = build_world(run, n_entries=4, n_judges=3, k=2)
    _score_everything(run, world)
    text = run(results.export_csv(world.organizer, world.round_id))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["entry", "judge", "criterion", "score", "confidence", "category"]
    assert len(rows) == 4 * 2 * len(CRITERIA)
    assert {r["confidence"] for r in rows} <= {"low", "medium", "high"}


def test_round_analysis_refused_without_submissions(run):
    """No submitted sheet: the analysis is refused with a message."""
    world = build_world(run)
    with pytest.raises(ScoringRefusedError):
        run(results.round_analysis(world.organizer, world.round_id))


def test_shortlist_takes_engine_top_n(run):
    """A shortlist round's entrants are the first N of the engine's ranking of the screening."""
    world = build_world(run, n_entries=8, n_judges=4, k=3)
    _score_everything(run, world)
    analysis = run(results.round_analysis(world.organizer, world.round_id))
    now = datetime.now(UTC)
    shortlist = run(
        rounds.create_round(
            world.organizer,
            world.category_id,
            kind="shortlist",
            opens_at=now,
            closes_at=now + timedelta(days=3),
            previous=world.round_id,
        )
    )
    chosen = run(rounds.set_entrants(world.organizer, shortlist, "top_n", count=3))
    top = sorted(analysis.entries, key=lambda e: e.rank)[:3]
    assert chosen == sorted(int(e.entry) for e in top)
    half = run(rounds.set_entrants(world.organizer, shortlist, "top_p", percent=50))
    assert half == sorted(int(e.entry) for e in sorted(analysis.entries, key=lambda e: e.rank)[:4])
