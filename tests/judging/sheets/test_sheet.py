"""Score sheets: rubric totals, confidences, and every input error with its line and column."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from judging.sheets.csvio import InputError
from judging.sheets.sheet import Criterion, Rubric, build_sheet, read_rubric, read_scores

RUBRIC = Rubric(
    (
        Criterion("impact", weight=2.0, low=0.0, high=10.0),
        Criterion("design", weight=1.0, low=1.0, high=5.0),
    )
)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_build_sheet_rubric_total_is_weighted_mean_on_0_100():
    """Each criterion maps to 0-100 by its min/max, then the weighted mean by weight."""
    sheet = build_sheet(
        ["e1", "e1", "e2", "e2"],
        ["a", "a", "a", "a"],
        [7.0, 4.0, 10.0, 1.0],
        criteria=["impact", "design", "impact", "design"],
        rubric=RUBRIC,
    )
    # e1: impact 70, design (4-1)/4*100 = 75 -> (2*70 + 75)/3; e2: (2*100 + 0)/3
    assert_allclose(sheet.total, [(2 * 70 + 75) / 3, 200 / 3])
    assert sheet.entry_ids == ("e1", "e2")
    assert sheet.judge_ids == ("a",)


def test_build_sheet_without_rubric_uses_values_and_averages_criteria():
    """Without a rubric, values are used as they are; several criteria are averaged."""
    sheet = build_sheet(["e", "e", "f"], ["a", "a", "b"], [3, 5, 8], criteria=["x", "y", "x"])
    assert_allclose(sheet.total, [4.0, 8.0])


def test_build_sheet_confidence_is_mean_over_rows_of_pair():
    """A pair's weight is the mean confidence of its rows."""
    sheet = build_sheet(
        ["e", "e"], ["a", "a"], [3, 5], criteria=["x", "y"], confidences=[1.0, 1.75**2]
    )
    assert_allclose(sheet.weight, [(1 + 1.75**2) / 2])


def test_build_sheet_duplicate_row_names_line_and_first_occurrence():
    """A duplicate (entry, judge, criterion) is an error pointing at the second row."""
    with pytest.raises(InputError) as info:
        build_sheet(["e", "f", "e"], ["a", "a", "a"], [1, 2, 3], criteria=["x", "x", "x"])
    assert info.value.line == 4
    assert info.value.column == "criterion"
    assert "first given on line 2" in str(info.value)


def test_build_sheet_unknown_criterion_is_an_error():
    """A criterion missing from the rubric is reported with its line."""
    with pytest.raises(InputError) as info:
        build_sheet(["e"], ["a"], [1], criteria=["speed"], rubric=RUBRIC)
    assert (info.value.line, info.value.column) == (2, "criterion")


def test_build_sheet_value_outside_criterion_range_is_an_error():
    """A value outside the criterion's [min, max] is reported in column score."""
    with pytest.raises(InputError) as info:
        build_sheet(["e", "e"], ["a", "a"], [5, 6], criteria=["impact", "design"], rubric=RUBRIC)
    assert (info.value.line, info.value.column) == (3, "score")
    assert "outside the range 1..5" in str(info.value)


def test_build_sheet_two_categories_for_one_entry_is_an_error():
    """An entry must keep one category across its rows."""
    with pytest.raises(InputError) as info:
        build_sheet(["e", "e"], ["a", "b"], [1, 2], categories=["food", "craft"])
    assert (info.value.line, info.value.column) == (3, "category")


def test_read_scores_parses_words_decimal_commas_and_categories(tmp_path):
    """Confidence words map to 1/1.75^2, 1, 1.75^2; '7,5' is read as 7.5."""
    path = _write(
        tmp_path / "s.csv",
        "entry,judge,score,confidence,category\n"
        'e1,a,"7,5",low,food\n'
        "e1,b,6,HIGH,food\n"
        "\n"
        "e2,a,4,2.5,craft\n",
    )
    sheet = read_scores(path)
    assert_allclose(sheet.total, [7.5, 6.0, 4.0])
    assert_allclose(sheet.weight, [1 / 1.75**2, 1.75**2, 2.5])
    assert sheet.category == ("food", "craft")


def test_read_scores_bad_number_names_its_line(tmp_path):
    """A non-numeric score is reported at its own line (blank lines counted)."""
    path = _write(tmp_path / "s.csv", "entry,judge,score\ne,a,1\n\ne,b,high\n")
    with pytest.raises(InputError) as info:
        read_scores(path)
    assert (info.value.line, info.value.column) == (4, "score")


def test_read_scores_bad_confidence_is_an_error(tmp_path):
    """A confidence of 0 or an unknown word is rejected."""
    path = _write(tmp_path / "s.csv", "entry,judge,score,confidence\ne,a,1,0\n")
    with pytest.raises(InputError) as info:
        read_scores(path)
    assert (info.value.line, info.value.column) == (2, "confidence")


def test_read_scores_header_only_is_an_error(tmp_path):
    """A file without data rows is rejected."""
    path = _write(tmp_path / "s.csv", "entry,judge,score\n")
    with pytest.raises(InputError, match="no data rows"):
        read_scores(path)


def test_read_rubric_rejects_max_not_above_min(tmp_path):
    """A rubric criterion needs max > min."""
    path = _write(tmp_path / "r.csv", "criterion,weight,min,max\nx,1,5,5\n")
    with pytest.raises(InputError) as info:
        read_rubric(path)
    assert (info.value.line, info.value.column) == (2, "max")


def test_read_rubric_reads_criteria_in_order(tmp_path):
    """The rubric keeps file order, weights and ranges."""
    path = _write(tmp_path / "r.csv", "criterion,weight,min,max\nb,2,0,10\na,0.5,1,5\n")
    rubric = read_rubric(path)
    assert rubric.criteria == (Criterion("b", 2.0, 0.0, 10.0), Criterion("a", 0.5, 1.0, 5.0))


def test_build_sheet_orders_pairs_by_entry_then_judge():
    """The pair arrays index the id lists in first-seen order."""
    sheet = build_sheet(["y", "x", "y"], ["b", "a", "a"], [1, 2, 3])
    assert sheet.entry_ids == ("y", "x")
    assert sheet.judge_ids == ("b", "a")
    assert np.array_equal(sheet.entry_idx, [0, 0, 1])
    assert np.array_equal(sheet.judge_idx, [0, 1, 1])
    assert_allclose(sheet.total, [1, 3, 2])


def test_read_scores_counts_lines_of_quoted_multiline_cells(tmp_path):
    """A quoted id spanning two lines shifts later line numbers; blank rows are skipped."""
    path = _write(tmp_path / "s.csv", 'entry,judge,score\n"a\nb",j,1\n\n  ,  , \ne,j,x\n')
    with pytest.raises(InputError) as info:
        read_scores(path)
    assert (info.value.line, info.value.column) == (6, "score")


def test_build_sheet_empty_category_cell_takes_the_entry_category():
    """An empty category cell means 'not given'; the entry keeps its category from other rows."""
    sheet = build_sheet(["e", "e", "f"], ["a", "b", "a"], [1, 2, 3], categories=["", "food", ""])
    assert sheet.category == ("food", "")
