"""Input as real files arrive (delimiters, decimal marks, bad paths, huge numbers) and the
direction of the ranking (lower is better), through the command line and the readers."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from judging.analysis.analyze import analyze
from judging.command.cli import main
from judging.command.report import display_width, to_table
from judging.sheets.csvio import InputError, parse_number, sniff_delimiter
from judging.sheets.sheet import build_sheet, read_rubric, read_scores

DATA = Path(__file__).parents[1] / "data"


def _write(tmp_path, text, name="s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("single", ","), ('"x;y",b,c', ",")],
)
def test_sniff_delimiter_picks_the_header_delimiter(text, expected):
    """The delimiter is the one of comma, semicolon, tab most frequent in the header."""
    assert sniff_delimiter(text + "\n1,2,3\n") == expected


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_scores_any_delimiter_gives_same_sheet(tmp_path, delimiter):
    """Comma, semicolon and tab files with the same cells give the same totals."""
    rows = ["entry,judge,score", "e1,a,7", "e1,b,8", "e2,a,5", "e2,b,6"]
    sheet = read_scores(_write(tmp_path, "\n".join(r.replace(",", delimiter) for r in rows)))
    assert sheet.entry_ids == ("e1", "e2")
    assert sheet.total.tolist() == [7.0, 8.0, 5.0, 6.0]


def test_read_scores_semicolon_with_decimal_comma(tmp_path):
    """An Indonesian-locale Excel file (semicolons, decimal commas) is read as meant."""
    text = "entry;judge;score;confidence\ne1;a;7,5;0,5\ne1;b;8,25;1\ne2;a;6;1\n"
    sheet = read_scores(_write(tmp_path, text))
    assert sheet.total.tolist() == [7.5, 8.25, 6.0]
    assert sheet.weight.tolist() == [0.5, 1.0, 1.0]


def test_read_scores_ambiguous_thousands_names_line_and_column(tmp_path):
    """'1,250' stops with an error naming the file, line and column and --decimal."""
    path = _write(tmp_path, 'entry,judge,score\ne1,a,7\ne2,a,"1,250"\n')
    with pytest.raises(InputError) as caught:
        read_scores(path)
    assert caught.value.line == 3
    assert caught.value.column == "score"
    assert "--decimal" in str(caught.value)


@pytest.mark.parametrize(("decimal", "expected"), [(".", 1250.0), (",", 1.25)])
def test_read_scores_decimal_option_resolves_ambiguity(tmp_path, decimal, expected):
    """--decimal says whether the comma of '1,250' is a thousands separator or a decimal."""
    path = _write(tmp_path, 'entry,judge,score\ne1,a,7\ne2,a,"1,250"\n')
    assert read_scores(path, decimal=decimal).total.tolist() == [7.0, expected]


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("7,5", None, 7.5),
        ("1,250.5", None, 1250.5),
        ("1.250,5", None, 1250.5),
        ("1,250,000", None, 1250000.0),
        ("-2.5e3", None, -2500.0),
        ("1.250", ",", 1250.0),
        ("1,250", ".", 1250.0),
    ],
)
def test_parse_number_reads_both_decimal_marks(text, decimal, expected):
    """Decimal points, decimal commas and unambiguous thousands separators are read."""
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize("text", ["1e154", "-1e300", "1e15"])
def test_parse_number_too_large_is_refused(text):
    """Numbers of 1e15 or more in size are refused (their squares overflow from 1e154)."""
    with pytest.raises(ValueError, match="too large"):
        parse_number(text)


def _run(args, capsys):
    status = main(args)
    return status, capsys.readouterr().err


def test_cli_directory_as_input_exits_2(tmp_path, capsys):
    """A folder given as the score sheet is a clear error with exit status 2."""
    status, err = _run(["analyze", str(tmp_path)], capsys)
    assert status == 2
    assert "is a folder" in err
    assert "Traceback" not in err


def test_cli_output_into_missing_folder_exits_2_before_work(tmp_path, capsys):
    """--output into a folder that does not exist stops with exit status 2."""
    scores = _write(tmp_path, "entry,judge,score\ne1,a,1\ne1,b,2\ne2,a,3\ne2,b,4\n")
    status, err = _run(
        ["analyze", str(scores), "--output", str(tmp_path / "no" / "x.json")], capsys
    )
    assert status == 2
    assert "does not exist" in err


def test_cli_huge_score_exits_2_naming_the_cell(tmp_path, capsys):
    """A score of 1e154 (which would overflow) is refused with its line and column."""
    scores = _write(tmp_path, "entry,judge,score\ne1,a,1\ne1,b,1e154\ne2,a,3\ne2,b,4\n")
    status, err = _run(["analyze", str(scores)], capsys)
    assert status == 2
    assert "line 3" in err
    assert "'score'" in err
    assert "too large" in err


def test_cli_assign_output_into_missing_folder_exits_2(tmp_path, capsys):
    """The assign command also refuses --output into a missing folder with status 2."""
    entries = _write(tmp_path, "entry,category\ne1,c\n", "e.csv")
    judges = _write(tmp_path, "judge,capacity\na,5\nb,5\n", "j.csv")
    out = str(tmp_path / "n" / "o")
    args = ["assign", "--entries", str(entries), "--judges", str(judges), "--per-entry", "1"]
    status, err = _run([*args, "--output", out], capsys)
    assert status == 2
    assert "does not exist" in err


def test_cli_module_bad_input_prints_no_traceback(tmp_path):
    """Run as a process, a directory input exits 2 with one line and no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "judging", "analyze", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_analysis_single_entry_alpha_is_undefined_with_reason():
    """One entry gives no alpha (not 0): the reliability says why."""
    sheet = build_sheet(["e1", "e1", "e1"], ["a", "b", "c"], [3.0, 5.0, 4.0])
    analysis = analyze(sheet, draws=0)
    assert np.isnan(analysis.reliability["krippendorff_alpha"])
    reason = analysis.reliability_groups[0].undefined["krippendorff_alpha"]
    assert "only 1 entry" in reason
    assert "undefined: only 1 entry" in to_table(analysis)


def test_table_aligns_cjk_emoji_and_multiline_ids():
    """Wide characters count two columns and line breaks are escaped, so columns line up."""
    ids = ["kopi", "咖啡店", "🍜 bakso", "two\nlines"]
    sheet = build_sheet(
        [i for i in ids for _ in range(2)], ["a", "b"] * 4, [8.0, 7.0, 6.0, 6.5, 5.0, 4.0, 3.0, 2.0]
    )
    lines = to_table(analyze(sheet, draws=0)).splitlines()
    rows = lines[4:8]
    assert rows[3].split()[1] == "two\\nlines"
    score_ends = {display_width(line[: line.index(".") + 3]) for line in rows}
    assert score_ends == {display_width(lines[2][: lines[2].index("score") + 5])}


def test_display_width_counts_wide_and_combining_characters():
    """CJK and emoji are two columns wide, combining accents none."""
    assert display_width("咖啡") == 4
    assert display_width("🍜") == 2
    assert display_width("e\u0301") == 1
    assert display_width("abc") == 3


# --- direction --------------------------------------------------------------------------------


def test_analyze_lower_is_better_ranks_lowest_first_in_original_units():
    """With lower_is_better the lowest scores rank first and scores keep their units."""
    sheet = build_sheet(
        ["e1", "e1", "e2", "e2", "e3", "e3"], ["a", "b"] * 3, [1.0, 2.0, 5.0, 6.0, 3.0, 3.0]
    )
    higher = analyze(sheet, draws=0)
    lower = analyze(sheet, draws=0, lower_is_better=True)
    assert [r.entry for r in higher.entries] == ["e2", "e3", "e1"]
    assert [r.entry for r in lower.entries] == ["e1", "e3", "e2"]
    assert [r.raw_mean for r in lower.entries] == [1.5, 3.0, 5.5]
    assert lower.lower_is_better
    assert {j.judge: round(j.bias, 9) for j in lower.judges} == {
        j.judge: round(j.bias, 9) for j in higher.judges
    }


def test_rubric_direction_column_maps_lower_criteria_the_other_way(tmp_path):
    """A criterion with direction=lower maps its min to 100 and its max to 0."""
    rubric = read_rubric(
        _write(
            tmp_path,
            "criterion,weight,min,max,direction\nplace,1,1,5,lower\nquality,1,0,10,higher\n",
            "r.csv",
        )
    )
    assert [c.lower_is_better for c in rubric.criteria] == [True, False]
    sheet = build_sheet(
        ["e1", "e1"], ["a", "a"], [1.0, 10.0], criteria=["place", "quality"], rubric=rubric
    )
    assert sheet.total.tolist() == [100.0]


def test_rubric_bad_direction_names_line_and_column(tmp_path):
    """A direction that is neither higher nor lower is an error at its cell."""
    path = _write(tmp_path, "criterion,weight,min,max,direction\nq,1,0,10,upward\n", "r.csv")
    with pytest.raises(InputError) as caught:
        read_rubric(path)
    assert (caught.value.line, caught.value.column) == (2, "direction")


def test_rubric_lower_is_better_default_applies_to_empty_direction(tmp_path):
    """--lower-is-better is the direction of criteria whose direction cell is empty."""
    path = _write(tmp_path, "criterion,weight,min,max,direction\nq,1,0,10,\nr,1,0,10,higher\n")
    rubric = read_rubric(path, lower_is_better=True)
    assert [c.lower_is_better for c in rubric.criteria] == [True, False]


def test_cli_aibs_panel_lower_is_better_ranks_best_rated_first(tmp_path):
    """On the real AIBS grant panel (0 = best) the proposal with the lowest mean ranks first
    with --lower-is-better and last without it."""
    text = (DATA / "aibs-ratings.csv").read_text(encoding="utf-8")
    scores = _write(tmp_path, text.replace("judge,proposal,rating", "judge,entry,score"))
    out = tmp_path / "o.json"
    args = ["analyze", str(scores), "--method", "raw", "--draws", "0", "--format", "json"]
    assert main([*args, "--lower-is-better", "--output", str(out)]) == 0
    lower = json.loads(out.read_text(encoding="utf-8"))
    assert main([*args, "--output", str(out)]) == 0
    higher = json.loads(out.read_text(encoding="utf-8"))
    best = min(lower["entries"], key=lambda r: r["raw_mean"])
    assert lower["entries"][0]["entry"] == best["entry"]
    assert higher["entries"][-1]["entry"] == best["entry"]
    assert lower["model"]["direction"] == "lower is better"


def test_analyze_placements_warn_when_ranked_highest_first():
    """Judges' scores that are 1..n once each (placements) give a direction warning."""
    entries = [f"e{i}" for i in range(4)]
    sheet = build_sheet(
        entries * 3, ["a"] * 4 + ["b"] * 4 + ["c"] * 4, [1, 2, 3, 4, 2, 1, 3, 4, 1, 3, 2, 4]
    )
    warned = analyze(sheet, draws=0).warnings
    assert any("look like placements" in w for w in warned)
    assert not any(
        "placements" in w for w in analyze(sheet, draws=0, lower_is_better=True).warnings
    )
