"""The `python -m judging analyze` command: golden output, formats, and every bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from judging.command.cli import main

DATA = Path(__file__).parents[1] / "data"
SCORES = DATA / "golden-scores.csv"
RUBRIC = DATA / "golden-rubric.csv"
GOLDEN_ARGS = ["--top", "2", "--draws", "500", "--seed", "7"]


def _approx(document):
    """The document with every float wrapped for a 1e-6 comparison."""
    if isinstance(document, dict):
        return {k: _approx(v) for k, v in document.items()}
    if isinstance(document, list):
        return [_approx(v) for v in document]
    if isinstance(document, float):
        return pytest.approx(document, rel=1e-6, abs=1e-6)
    return document


def test_analyze_json_matches_golden_file(tmp_path):
    """The JSON report of the golden sheet equals the reviewed golden file."""
    out = tmp_path / "analysis.json"
    status = main(
        [
            "analyze",
            str(SCORES),
            "--rubric",
            str(RUBRIC),
            "--format",
            "json",
            "--output",
            str(out),
            *GOLDEN_ARGS,
        ]
    )
    assert status == 0
    expected = json.loads((DATA / "golden-analysis.json").read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8")) == _approx(expected)


def test_analyze_json_has_the_documented_keys(tmp_path):
    """Top-level, entry, judge and reliability keys are exactly those of the issue."""
    out = tmp_path / "a.json"
    main(
        [
            "analyze",
            str(SCORES),
            "--rubric",
            str(RUBRIC),
            "--format",
            "json",
            "--output",
            str(out),
            "--draws",
            "50",
        ]
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == [
        "method",
        "model",
        "entries",
        "judges",
        "reliability",
        "reliability_groups",
        "warnings",
    ]
    assert list(doc["entries"][0]) == [
        "entry",
        "category",
        "rank",
        "score",
        "stderr",
        "raw_mean",
        "judges",
        "p_top",
        "tied_with",
        "z_next",
        "tied_ranks",
        "component",
    ]
    assert list(doc["judges"][0]) == ["judge", "bias", "stderr", "gain", "scores", "component"]
    assert list(doc["reliability"]) == ["krippendorff_alpha"]


def test_analyze_complete_design_reports_icc_and_kendall_w(tmp_path):
    """A complete design adds ICC(1..3, single and k) and Kendall's W to reliability."""
    scores = tmp_path / "s.csv"
    rows = ["entry,judge,score"] + [
        f"e{e},j{j},{(e * 7 + j * 3) % 10 + e}" for e in range(5) for j in range(3)
    ]
    scores.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "a.json"
    assert main(["analyze", str(scores), "--format", "json", "--output", str(out)]) == 0
    reliability = json.loads(out.read_text(encoding="utf-8"))["reliability"]
    assert list(reliability) == [
        "krippendorff_alpha",
        "icc1",
        "icc2",
        "icc3",
        "icc1k",
        "icc2k",
        "icc3k",
        "kendall_w",
    ]


@pytest.mark.parametrize("method", ["calibrated", "zscore", "raw", "trimmed", "median", "rank"])
def test_analyze_csv_every_method_ranks_every_entry(tmp_path, method):
    """CSV output has a header and one row per entry, ranks 1..n within each category."""
    out = tmp_path / "r.csv"
    args = ["analyze", str(SCORES), "--rubric", str(RUBRIC), "--method", method]
    assert main([*args, "--format", "csv", "--output", str(out), "--draws", "100"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "entry,category,rank,score,stderr,raw_mean,judges,p_top,tied_with,z_next,tied_ranks,"
        "component"
    )
    ranks = {}
    for line in lines[1:]:
        cells = line.split(",")
        ranks.setdefault(cells[1], []).append(int(cells[2]))
    assert ranks == {"craft": [1, 2, 3, 4], "food": [1, 2, 3, 4, 5]}


def test_analyze_options_shrinkage_bias_scale_and_table(capsys):
    """--shrinkage FLOAT, --bias-scale and the default table format all run."""
    args = ["analyze", str(SCORES), "--rubric", str(RUBRIC), "--shrinkage", "2", "--bias-scale"]
    assert main([*args, "--draws", "100"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Category craft — method calibrated")
    assert "Judges (bias from the calibration model)" in text
    assert "krippendorff_alpha" in text


def test_analyze_same_seed_gives_identical_output(tmp_path):
    """Seeded draws: two runs with the same seed produce the same bytes."""
    outs = [tmp_path / "1.json", tmp_path / "2.json"]
    for out in outs:
        main(
            [
                "analyze",
                str(SCORES),
                "--format",
                "json",
                "--output",
                str(out),
                "--seed",
                "3",
                "--rubric",
                str(RUBRIC),
            ]
        )
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_python_m_judging_runs_as_a_module(tmp_path):
    """`python -m judging analyze` works as a separate process."""
    out = tmp_path / "r.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "judging",
            "analyze",
            str(SCORES),
            "--rubric",
            str(RUBRIC),
            "--format",
            "json",
            "--output",
            str(out),
            "--draws",
            "20",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["method"] == "calibrated"


BAD_INPUTS = {
    "missing_column": ("entry,judge,value\ne,a,1\n", None, "line 1", "missing required column"),
    "non_numeric": (
        "entry,judge,score\ne,a,1\nf,a,x\n",
        None,
        "line 3, column 'score'",
        "not a number",
    ),
    "out_of_range": (
        "entry,judge,criterion,score\ne,a,quality,11\n",
        "rubric",
        "line 2, column 'score'",
        "outside the range",
    ),
    "duplicate": (
        "entry,judge,criterion,score\ne,a,quality,3\ne,a,quality,4\n",
        "rubric",
        "line 3, column 'criterion'",
        "duplicate score",
    ),
    "empty_file": ("", None, "scores.csv", "the file is empty"),
    "unknown_criterion": (
        "entry,judge,criterion,score\ne,a,taste,3\n",
        "rubric",
        "line 2, column 'criterion'",
        "not in the rubric",
    ),
    "bad_confidence": (
        "entry,judge,score,confidence\ne,a,3,sure\n",
        None,
        "line 2, column 'confidence'",
        "not a confidence",
    ),
    "no_rows": ("entry,judge,score\n", None, "line 2", "no data rows"),
    "too_many_cells": ("entry,judge,score\ne,a,3,4\n", None, "line 2", "cells but the header"),
    "rubric_without_criterion": (
        "entry,judge,score\ne,a,3\n",
        "rubric",
        "line 1",
        "no 'criterion' column",
    ),
    "two_categories": (
        "entry,judge,score,category\ne,a,3,food\ne,b,4,craft\n",
        None,
        "line 3, column 'category'",
        "has category 'craft' here",
    ),
    "empty_judge": ("entry,judge,score\ne,,3\n", None, "line 2, column 'judge'", "judge id"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_analyze_bad_input_exits_2_with_location_and_no_output(tmp_path, capsys, case):
    """Each bad input: exit 2, one stderr message with file/line/column, no output file."""
    text, rubric, where, what = BAD_INPUTS[case]
    scores = tmp_path / "scores.csv"
    scores.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    args = ["analyze", str(scores), "--format", "json", "--output", str(out)]
    if rubric:
        args += ["--rubric", str(RUBRIC)]
    status = main(args)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith(f"error: {scores}")
    assert where in err
    assert what in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [scores]


def test_analyze_bad_rubric_names_rubric_file(tmp_path, capsys):
    """A bad rubric cell is reported against the rubric file."""
    rubric = tmp_path / "rubric.csv"
    rubric.write_text("criterion,weight,min,max\nquality,-1,1,10\n", encoding="utf-8")
    status = main(["analyze", str(SCORES), "--rubric", str(rubric)])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{rubric}, line 2, column 'weight'" in err


def test_analyze_missing_file_exits_2(tmp_path, capsys):
    """A scores file that does not exist is a clean exit 2."""
    assert main(["analyze", str(tmp_path / "nope.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option", [["--method", "best"], ["--shrinkage", "-2"], ["--top", "0"], ["--draws", "x"]]
)
def test_analyze_bad_option_exits_2(capsys, option):
    """Bad option values are rejected by the parser with status 2."""
    assert main(["analyze", str(SCORES), *option]) == 2
    assert "error" in capsys.readouterr().err


def test_analyze_real_aibs_panel_runs_every_format(tmp_path):
    """The real AIBS grant panel (Gallo, figshare 12728087; see data/SOURCE.md) analyzes cleanly
    and warns about its one-rating reviewer."""
    text = (DATA / "aibs-ratings.csv").read_text(encoding="utf-8")
    scores = tmp_path / "aibs.csv"
    scores.write_text(text.replace("judge,proposal,rating", "judge,entry,score"), encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        out = tmp_path / f"out.{fmt}"
        args = ["analyze", str(scores), "--format", fmt, "--output", str(out), "--draws", "200"]
        assert main(args) == 0
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(doc["entries"]) == 28
    assert len(doc["judges"]) == 12
    assert any("12 (1 score)" in w for w in doc["warnings"])


def test_analyze_json_does_not_import_numpy_ma(tmp_path):
    """A JSON analysis of a sheet with criteria and categories leaves numpy.ma unimported (it
    takes about 20 ms to import, a noticeable part of the command's start-up)."""
    rows = [
        f"e{e},j{(e + k) % 7},{c},{1 + (e * 3 + k + i) % 10},cat{e % 3}"
        for e in range(40)
        for k in range(3)
        for i, c in enumerate(("quality", "presentation-and-design"))
    ]
    scores = tmp_path / "scores.csv"
    scores.write_text("entry,judge,criterion,score,category\n" + "\n".join(rows) + "\n")
    code = (
        "import sys; from judging.command.cli import main; "
        f"status = main(['analyze', {str(scores)!r}, '--format', 'json', "
        f"'--output', {str(tmp_path / 'out.json')!r}]); "
        "print(status, 'numpy.ma' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]
