"""CSV reading: the bulk fast path for plain files gives what the csv module gives."""

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.sheets.csvio import _read_columns_csv, _split_plain, read_columns
from judging.sheets.sheet import read_scores

REQUIRED = ["entry", "judge", "score"]
OPTIONAL = ["criterion", "category", "confidence"]


def _both(tmp_path, text):
    path = tmp_path / "s.csv"
    path.write_bytes(text.encode("utf-8"))
    fast = read_columns(path, REQUIRED, OPTIONAL)
    plain_text = path.read_text(encoding="utf-8-sig")
    slow = _read_columns_csv(str(path), plain_text, REQUIRED, set(REQUIRED) | set(OPTIONAL))
    return fast, slow, _split_plain(plain_text) is not None


PLAIN = {
    "lf": "entry,judge,score\ne1,a,1\ne2,b,2\n",
    "crlf": "entry,judge,score\r\ne1,a,1\r\ne2,b,2\r\n",
    "bom": "\ufeffEntry, Judge ,score\ne1,a,1\n",
    "no_final_newline": "entry,judge,score\ne1,a,1\ne2,b,2",
    "trailing_empty_lines": "entry,judge,score\ne1,a,1\n\n\n",
    "blank_rows_inside": "entry,judge,score\n\ne1,a,1\n , ,\n,,\n\t\ne2,b,2\n",
    "spaces_around_cells": "entry,judge,score,category\n e1 ,a\t, 1 ,food and drink\n",
    "unicode_ids": "entry,judge,score\nkopi-arjunа,Bü,3\n\u00a0e2\u00a0,b,4\n",
    "extra_column": "entry,judge,score,note\ne1,a,1,x\n",
    "bare_cr": "entry,judge,score\re1,a,1\r",  # read as text, a lone CR is a line break
}

NOT_PLAIN = {
    "quoted": 'entry,judge,score\n"e,1",a,"7,5"\n',
    "short_row": "entry,judge,score\ne1,a\n",
    "quoted_multiline": 'entry,judge,score\n"a\nb",j,1\n',
}


@pytest.mark.parametrize("case", sorted(PLAIN))
def test_read_columns_fast_path_equals_csv_module(tmp_path, case):
    """Plain files take the bulk path and give the csv module's cells and line numbers."""
    fast, slow, took_fast_path = _both(tmp_path, PLAIN[case])
    assert took_fast_path
    assert fast == slow


@pytest.mark.parametrize("case", sorted(NOT_PLAIN))
def test_read_columns_other_files_fall_back_to_csv_module(tmp_path, case):
    """Quoted cells and short rows go through the csv module unchanged."""
    fast, slow, took_fast_path = _both(tmp_path, NOT_PLAIN[case])
    assert not took_fast_path
    assert fast == slow


CELL = st.text(alphabet=st.sampled_from(list('ab1 .,-"\t\u00e9')), max_size=4)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8),
    blank=st.lists(st.sampled_from(["", " ", ",,", " , ,"]), max_size=3),
    crlf=st.booleans(),
    bom=st.booleans(),
    trailing=st.sampled_from(["", "\n", "\n\n"]),
)
def test_read_columns_any_table_reads_like_csv_module(
    tmp_path_factory, rows, blank, crlf, bom, trailing
):
    """Random cells (spaces, commas, quotes), blank rows, CRLF, BOM: both paths agree."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["entry", "judge", "score"], *rows])
    lines = out.getvalue().split("\n")[:-1]
    for i, extra in enumerate(blank):
        lines.insert(1 + (i * 3) % len(lines), extra)
    text = "\n".join(lines) + trailing
    if crlf:
        text = text.replace("\n", "\r\n")
    fast, slow, _ = _both(tmp_path_factory.mktemp("csv"), ("\ufeff" if bom else "") + text)
    assert fast == slow


def test_read_scores_quoted_and_plain_files_give_identical_sheets(tmp_path):
    """The same rows written plain (fast path) and fully quoted (csv module) read alike."""
    rng = np.random.default_rng(0)
    rows = [
        [f"e{e}", f"j{j}", c, str(int(rng.integers(1, 11))), f"cat{e % 3}"]
        for e in range(40)
        for j in rng.choice(6, 3, replace=False)
        for c in ("x", "y")
    ]
    sheets = []
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
        out = io.StringIO()
        writer = csv.writer(out, quoting=quoting, lineterminator="\r\n")
        writer.writerows([["entry", "judge", "criterion", "score", "category"], *rows])
        path = tmp_path / f"s{quoting}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        sheets.append(read_scores(path))
    plain, quoted = sheets
    assert plain.entry_ids == quoted.entry_ids
    assert plain.judge_ids == quoted.judge_ids
    assert plain.category == quoted.category
    for field in ("entry_idx", "judge_idx", "total", "weight"):
        assert np.array_equal(getattr(plain, field), getattr(quoted, field))
