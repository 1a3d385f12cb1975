"""`analyze --judge-groups --entry-groups`: the favouritism audit on the command line, on the
2018 Olympic figure-skating sheets (BuzzFeed News, CC BY 4.0; tests/judging/data), and every
bad group file."""

import csv
import json
from pathlib import Path

import pytest

from judging.command.cli import main

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def skating(tmp_path_factory):
    """The skating totals as a score sheet (category = program) and two group files."""
    folder = tmp_path_factory.mktemp("skating")
    with (DATA / "affinity_skating_totals.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    judges, entries = {}, {}
    with (folder / "scores.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entry", "judge", "score", "category"])
        for r in rows:
            entry = f"{r['program']}|{r['performance_id']}"
            judge = f"{r['program']}|{r['judge']}"
            writer.writerow([entry, judge, r["total"], r["program"]])
            judges[judge], entries[entry] = r["judge_country"], r["nation"]
    for name, key, groups in (("judges", "judge", judges), ("entries", "entry", entries)):
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([key, "group"])
            writer.writerows(groups.items())
    return folder


def _run(folder, *extra):
    return main(
        [
            "analyze",
            str(folder / "scores.csv"),
            "--judge-groups",
            str(folder / "judges.csv"),
            "--entry-groups",
            str(folder / "entries.csv"),
            "--draws",
            "200",
            *extra,
        ]
    )


def test_analyze_affinity_flags_own_country_judging_at_the_2018_olympics(skating, tmp_path):
    """JSON: pooled own-country affinity 3.81 points (SE 0.26), own-country residuals +3.26 vs
    -0.21; five judge-programs flagged, first Chen Weiguang (CHN) in the men's free skating;
    a warning names the flagged judges."""
    out = tmp_path / "a.json"
    assert _run(skating, "--format", "json", "--output", str(out)) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    affinity = document["affinity"]
    assert affinity["pooled"] == pytest.approx(3.8088, abs=1e-4)
    assert affinity["pooled_stderr"] == pytest.approx(0.2567, abs=1e-4)
    assert affinity["residual_own"] == pytest.approx(3.2552, abs=1e-4)
    assert affinity["residual_other"] == pytest.approx(-0.2127, abs=1e-4)
    assert affinity["own_scores"] == 138
    assert affinity["corrected"] is False
    assert len(affinity["flagged"]) == 5
    assert affinity["flagged"][0] == "Men Single Skating - Free Skating|J7"
    first = affinity["judges"][0]
    assert (first["group"], first["flagged"]) == ("CHN", True)
    assert first["estimate"] == pytest.approx(16.637, abs=1e-3)
    assert any("own group higher" in w for w in document["warnings"])


def test_analyze_affinity_csv_and_table(skating, tmp_path, capsys):
    """--csv affinity: the pooled row, then one row per judge tested; the table has the
    favouritism section."""
    out = tmp_path / "a.csv"
    assert _run(skating, "--format", "csv", "--csv", "affinity", "--output", str(out)) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0]["scope"] == "pooled"
    assert float(rows[0]["estimate"]) == pytest.approx(3.8088, abs=1e-4)
    assert sum(r["flagged"] == "True" for r in rows[1:]) == 5
    assert _run(skating, "--affinity") == 0
    text = capsys.readouterr().out
    assert "Favouritism (own-group affinity" in text
    assert "pooled affinity +3.81" in text


def test_analyze_remove_affinity_corrects_own_group_scores(skating, tmp_path):
    """--remove-affinity ranks the corrected sheet: the audit is marked corrected, a warning
    says so, and the men's free-skating scores move (Chen's compatriots lose points)."""
    plain, fixed = tmp_path / "plain.json", tmp_path / "fixed.json"
    assert _run(skating, "--format", "json", "--output", str(plain)) == 0
    assert _run(skating, "--remove-affinity", "--format", "json", "--output", str(fixed)) == 0
    before = json.loads(plain.read_text(encoding="utf-8"))
    after = json.loads(fixed.read_text(encoding="utf-8"))
    assert after["affinity"]["corrected"] is True
    assert any("corrected for own-group affinity" in w for w in after["warnings"])
    scores_before = {e["entry"]: e["score"] for e in before["entries"]}
    moved = [e for e in after["entries"] if abs(e["score"] - scores_before[e["entry"]]) > 0.1]
    assert moved


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("judge,group\nJ1,SVK\nJ1,CAN\n", 3, "listed twice (first on line 2)"),
        ("judge,group\nJ1,SVK\n,CAN\n", 3, "a judge id is required"),
        ("judge,nation\nJ1,SVK\n", 1, "missing required column(s) 'group'"),
        ("judge,group\nnobody,SVK\n", 2, "none of its 1 judges is in the score sheet"),
    ],
)
def test_analyze_bad_judge_group_file_exits_2_with_line(
    skating, tmp_path, capsys, text, line, words
):
    """A duplicate or empty judge id, a missing column or a file naming no judge of the
    sheet: exit status 2 and one message naming the file and line."""
    bad = tmp_path / "groups.csv"
    bad.write_text(text, encoding="utf-8")
    status = main(
        [
            "analyze",
            str(skating / "scores.csv"),
            "--judge-groups",
            str(bad),
            "--entry-groups",
            str(skating / "entries.csv"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert f"{bad}, line {line}" in err
    assert words in err


@pytest.mark.parametrize(
    "extra",
    [["--affinity"], ["--format", "csv", "--csv", "affinity"], ["--judge-groups", "x.csv"]],
)
def test_analyze_affinity_needs_both_group_files(skating, capsys, extra):
    """--affinity, --csv affinity or one group file without both files: exit 2 naming both
    options."""
    status = main(["analyze", str(skating / "scores.csv"), *extra])
    assert status == 2
    assert "--judge-groups FILE and --entry-groups FILE" in capsys.readouterr().err
