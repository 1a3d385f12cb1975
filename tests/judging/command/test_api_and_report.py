"""The Python API the app uses, and every figure reachable in JSON, CSV and --help."""

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from judging.analysis.analyze import METHODS, analyze
from judging.analysis.api import analyze_rows
from judging.command.cli import CSV_TABLES, METHOD_NAMES, build_parser, main
from judging.command.report import to_csv, to_json
from judging.sheets.csvio import InputError
from judging.sheets.sheet import Criterion, Rubric, read_rubric, read_scores

DATA = Path(__file__).parents[1] / "data"
SCORES, RUBRIC = DATA / "golden-scores.csv", DATA / "golden-rubric.csv"


def _golden_rows():
    with SCORES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_analyze_rows_equals_cli_analysis():
    """analyze_rows on the stored rows gives the same entries as reading the CSV."""
    rubric = read_rubric(RUBRIC)
    from_api = analyze_rows(_golden_rows(), rubric, draws=200, seed=3)
    from_file = analyze(read_scores(SCORES, rubric), draws=200, seed=3)
    assert from_api.entries == from_file.entries
    assert from_api.judges == from_file.judges
    assert [g.scope for g in from_api.reliability_groups][-3:] == ["criterion"] * 3


def test_analyze_rows_bad_row_names_the_row():
    """A score outside its criterion's range is an InputError naming the row."""
    rubric = Rubric((Criterion("q", 1.0, 0.0, 10.0),))
    rows = [
        {"entry": "e1", "judge": "a", "criterion": "q", "score": 5},
        {"entry": "e1", "judge": "b", "criterion": "q", "score": 11},
    ]
    with pytest.raises(InputError) as caught:
        analyze_rows(rows, rubric)
    assert caught.value.line == 2


def test_analyze_rows_optional_fields_may_be_none():
    """None confidence and category mean weight 1 and no category."""
    rows = [
        {"entry": e, "judge": j, "score": s, "confidence": None, "category": None}
        for e, j, s in [("e1", "a", 7), ("e1", "b", 8), ("e2", "a", 5), ("e2", "b", 4)]
    ]
    analysis = analyze_rows(rows, method="raw", draws=0)
    assert [(r.entry, r.score) for r in analysis.entries] == [("e1", 7.5), ("e2", 4.5)]


def _json(tmp_path, *extra):
    out = tmp_path / "a.json"
    args = ["analyze", str(SCORES), "--rubric", str(RUBRIC), "--format", "json"]
    assert main([*args, "--draws", "100", "--output", str(out), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_carries_model_figures(tmp_path):
    """JSON holds sigma^2, its degrees of freedom, tau^2, lambda and the component count."""
    model = _json(tmp_path)["model"]
    cal = analyze(read_scores(SCORES, read_rubric(RUBRIC)), draws=0).calibration
    assert model["sigma2"] == round(cal.sigma2, 6)
    assert model["dof"] == cal.dof
    assert model["tau2"] == round(cal.tau2, 6)
    assert model["lambda"] == round(cal.shrinkage, 6)
    assert model["components"] == 1
    assert model["direction"] == "higher is better"


def test_json_detail_residuals_add_up(tmp_path):
    """With --detail each score's fitted value plus residual is its total."""
    document = _json(tmp_path, "--detail")
    for row in document["scores"]:
        assert row["fitted"] + row["residual"] == pytest.approx(row["total"], abs=2e-6)
    assert len(document["scores"]) == 26
    assert {"std_residual", "entry", "judge"} <= set(document["scores"][0])


def test_json_detail_pairs_follow_the_ranking(tmp_path):
    """Adjacent pairs: upper is ranked just above lower, difference >= 0, z = diff / se."""
    document = _json(tmp_path, "--detail")
    rank = {r["entry"]: r["rank"] for r in document["entries"]}
    assert document["pairs"]
    for pair in document["pairs"]:
        assert rank[pair["lower"]] == rank[pair["upper"]] + 1
        assert pair["difference"] >= 0
        assert pair["z"] == pytest.approx(pair["difference"] / pair["stderr"], rel=1e-4)


def test_json_judges_have_gain_and_component(tmp_path):
    """Judge rows carry gain and component besides bias and stderr."""
    judge = _json(tmp_path)["judges"][0]
    assert set(judge) == {"judge", "bias", "stderr", "gain", "scores", "component"}


def test_json_reliability_groups_per_category_and_criterion(tmp_path):
    """Reliability is reported pooled, per category and per criterion, with reasons."""
    groups = _json(tmp_path)["reliability_groups"]
    scopes = [(g["scope"], g["name"]) for g in groups]
    assert scopes[0] == ("all", "")
    assert ("category", "food") in scopes
    assert ("criterion", "quality") in scopes
    assert "icc2" in groups[0]["undefined"]  # the golden design is incomplete
    assert "krippendorff_alpha_ordinal" in groups[-1]["statistics"]


@pytest.mark.parametrize("table", [t for t in CSV_TABLES if t != "affinity"])
def test_csv_every_table_is_written(tmp_path, table):
    """--csv TABLE writes a CSV with a header and at least one row (affinity, which needs
    group files: tests/judging/command/test_affinity_cli.py)."""
    out = tmp_path / "t.csv"
    args = ["analyze", str(SCORES), "--rubric", str(RUBRIC), "--format", "csv", "--csv", table]
    assert main([*args, "--draws", "0", "--output", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) >= 2
    assert len({len(r) for r in rows}) == 1


def test_csv_reliability_complete_design_has_icc_intervals():
    """On a complete design the reliability CSV gives each ICC with its 95% bounds."""
    rng = np.random.default_rng(1)
    quality = rng.normal(50, 10, 8)
    rows = [
        {"entry": f"e{e}", "judge": f"j{j}", "score": float(quality[e] + rng.normal(0, 3))}
        for e in range(8)
        for j in range(4)
    ]
    text = to_csv(analyze_rows(rows, draws=0), "reliability")
    stats = {r["statistic"]: r for r in csv.DictReader(io.StringIO(text)) if r["scope"] == "all"}
    for name in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"):
        low, value, high = (float(stats[name][k]) for k in ("lower", "value", "upper"))
        assert low <= value <= high
    assert "kendall_w" in stats


def test_json_undefined_numbers_are_null():
    """NaN figures become null in JSON, never NaN."""
    rows = [{"entry": "e1", "judge": j, "score": s} for j, s in [("a", 1), ("b", 2)]]
    text = to_json(analyze_rows(rows, draws=0), detail=True)
    assert "NaN" not in text
    document = json.loads(text)
    assert document["reliability"]["krippendorff_alpha"] is None
    assert math.isfinite(document["entries"][0]["score"])


def test_cli_method_names_equal_engine_methods():
    """The command line offers exactly the engine's methods (it imports them lazily)."""
    assert METHOD_NAMES == METHODS


def test_help_explains_methods_columns_and_exit_codes():
    """analyze --help describes every method, every output table and the exit codes."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = sub.choices["analyze"].format_help()
    for word in (*METHODS, *CSV_TABLES, "sigma2", "tau2", "lambda", "exit status", "--decimal"):
        assert word in text
    assert "--lower-is-better" in text


def test_json_entries_encoded_in_one_pass_equal_the_row_dictionaries():
    """The fast entry encoder gives the same objects as the row dictionaries (odd ids too)."""
    from judging.command.report import _entry_json, _entry_rows

    rows = [
        {"entry": e, "judge": j, "score": s, "category": c}
        for e, j, s, c in [
            ('咖啡\n"x"', "a", 1.0, "ç"),
            ('咖啡\n"x"', "b", 2.0, "ç"),
            ("e2", "a", 3.0, "ç"),
            ("e2", "b", 3.5, "ç"),
            ("🍜", "a", 2.0, "d"),
        ]
    ]
    analysis = analyze_rows(rows, draws=50)
    assert [json.loads(item) for item in _entry_json(analysis)] == _entry_rows(analysis)


def test_json_model_names_the_chosen_model_and_hausman_test(tmp_path):
    """The model section says which model the default chose, why, and the Hausman figures."""
    model = _json(tmp_path)["model"]
    cal = analyze(read_scores(SCORES, read_rubric(RUBRIC)), draws=0).calibration
    assert model["model"] == cal.model
    assert model["model_reason"] == cal.model_reason
    assert model["hausman_df"] == cal.hausman.df
    assert model["hausman_p_value"] == round(cal.hausman.p_value, 6)


def test_json_numbers_are_the_rounded_reprs_or_null():
    """Entry numbers are written as repr of the 6-decimal rounding (-0.0 as 0.0), NaN and
    infinities as null, large and tiny numbers in Python's own notation."""
    from judging.command.report import _json_numbers

    values = [1.5, -0.0000001, 1e16, 123456.1234567, 2.5e-5, float("nan"), float("inf"), -7.0]
    assert _json_numbers(values) == [
        "1.5",
        "0.0",
        "1e+16",
        "123456.123457",
        "2.5e-05",
        "null",
        "null",
        "-7.0",
    ]
    assert _json_numbers([]) == []
