"""The organizer's panel: progress, leniency from the engine, the moderation queue and its
recorded resolutions, reminders (service and `anugerah remind`)."""

from __future__ import annotations

from awards.mail import Mailer
from awards.scoring.judge import sheets
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.panel import service as panel
from awards.scoring.tables import Assignment
from tests.awards.helpers import outbox_messages
from tests.awards.scoring.support import build_world, full_scores, score_round


def test_progress_counts_per_judge_and_entry(run):
    """Progress counts each judge's assigned, submitted and draft sheets."""
    world = build_world(run, n_entries=4, n_judges=2, k=2)
    judge = world.judges[0]
    run(conflicts.declare(judge, world.round_id, world.entries[0], conflict=False))
    run(
        sheets.save_sheet(
            judge,
            world.round_id,
            world.entries[0],
            SheetInput(scores=full_scores()),
            version=0,
            submit=True,
        )
    )
    run(conflicts.declare(judge, world.round_id, world.entries[1], conflict=False))
    run(
        sheets.save_sheet(
            judge, world.round_id, world.entries[1], SheetInput(scores={"kemasan": 2}), version=0
        )
    )
    progress = run(panel.round_progress(world.organizer, world.round_id))
    mine = next(p for p in progress["judges"] if p.judge == judge.id)
    assert (mine.assigned, mine.submitted, mine.drafts) == (4, 1, 1)
    assert (progress["total"], progress["submitted"], progress["percent"]) == (8, 1, 12)
    assert progress["entries"][world.entries[0]]["submitted"] == 1


def test_leniency_orders_harsh_to_lenient(run):
    """A judge scoring 2 points below the others shows the most negative bias."""
    world = build_world(run, n_entries=6, n_judges=3, k=3)
    score_round(run, world, lambda j, e: 4 + e % 3 - (2 if j == 0 else 0) + (2 if j == 2 else 0))
    table = run(panel.leniency(world.organizer, world.round_id))
    assert [row.judge for row in table] == [j.id for j in world.judges]
    assert table[0].bias < 0 < table[-1].bias
    assert {row.scores for row in table} == {6}


def test_remind_emails_judges_behind(run, settings):
    """Judges with unsubmitted work get one reminder each; finished judges none."""
    world = build_world(run, n_entries=2, n_judges=3, k=1)
    from awards.intake.tables import Edition

    slug = run(Edition.select(Edition.slug).first())["slug"]
    sent = run(panel.remind(slug, Mailer(settings)))
    busy = sorted({world.judge(r["judge"]).email for r in run(Assignment.select(Assignment.judge))})
    assert sent == busy
    assert len(outbox_messages(settings.outbox_dir)) == len(busy)


def test_cli_remind_unknown_edition_exits_2(monkeypatch, tmp_path, database_url, capsys):
    """`anugerah remind --edition nope` names the slug and exits with status 2."""
    import os

    from awards.cli import main
    from tests.awards.helpers import TEST_SECRET

    for name in list(os.environ):
        if name.startswith("ANUGERAH_") and name != "ANUGERAH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANUGERAH_DATABASE_URL", database_url)
    monkeypatch.setenv("ANUGERAH_SECRET_KEY", TEST_SECRET)
    assert main(["remind", "--edition", "nope"]) == 2
    assert "'nope'" in capsys.readouterr().err
