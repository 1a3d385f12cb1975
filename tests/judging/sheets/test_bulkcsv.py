"""The byte-level bulk reader gives the same score sheet as the string path, or steps aside."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.sheets import sheet as sheet_module
from judging.sheets.bulkcsv import read_plain
from judging.sheets.sheet import read_scores

REQUIRED = ["entry", "judge", "score"]


def _both(path, monkeypatch, **options):
    bulk = read_scores(path, **options)
    with monkeypatch.context() as patch:
        patch.setattr(sheet_module, "read_plain", lambda *a, **k: None)
        slow = read_scores(path, **options)
    return bulk, slow


def _assert_same(a, b):
    assert (a.entry_ids, a.judge_ids, a.category) == (b.entry_ids, b.judge_ids, b.category)
    for name in ("entry_idx", "judge_idx", "total", "weight"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


ID = st.text(alphabet=st.sampled_from(list("aZ9-_ é.kopiÜ")), min_size=1, max_size=20).filter(
    lambda s: s == s.strip()
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(ID, ID, st.sampled_from(["1", "7.5", "10", "0.25", "3e1", "-2"]), ID),
        min_size=1,
        max_size=12,
        unique_by=lambda r: (r[0], r[1]),
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_read_plain_random_sheet_equals_string_path(tmp_path_factory, rows, delimiter):
    """Ids of any length (past 8 and 16 bytes), inner spaces, non-ASCII: same sheet."""
    path = tmp_path_factory.mktemp("bulk") / "s.csv"
    lines = [delimiter.join(["entry", "judge", "score", "category"])]
    categories = {}
    for entry, judge, score, category in rows:
        category = categories.setdefault(entry, category)
        lines.append(delimiter.join([entry, judge, score, category]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_plain(path, REQUIRED) is not None
    mp = pytest.MonkeyPatch()
    try:
        bulk, slow = _both(path, mp)
    finally:
        mp.undo()
    _assert_same(bulk, slow)


@pytest.mark.parametrize(
    "text",
    [
        "entry,judge,score\ne1,a,1\n\ne2,b,2\n",  # blank row
        "entry,judge,score\n e1,a,1\n",  # a cell to strip
        'entry,judge,score\n"e1",a,1\n',  # quotes
        "entry,judge,score\r\ne1,a,1\r\n",  # CRLF
        "entry,judge,score\ne1,a\n",  # short row
        "entry,judge,score\ne1\u00a0,a,1\n",  # trailing no-break space
    ],
)
def test_read_plain_not_plain_file_returns_none(tmp_path, text):
    """Files the bulk reader cannot read exactly are left to the string path."""
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert read_plain(path, REQUIRED) is None


def test_read_scores_bulk_bad_score_names_first_bad_line(tmp_path):
    """A bad number found among the distinct values is reported on its first line."""
    path = tmp_path / "s.csv"
    text = "entry,judge,score\ne1,a,1\ne2,a,oops\ne3,b,oops\ne4,a,2\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="line 3, column 'score'"):
        read_scores(path)


def test_read_scores_bulk_decimal_comma_and_confidence_words(tmp_path, monkeypatch):
    """Semicolons with decimal commas and confidence words read as the string path reads them."""
    path = tmp_path / "s.csv"
    text = "entry;judge;score;confidence\ne1;a;7,5;high\ne1;b;6;low\ne2;a;8,25;\ne2;b;5;2\n"
    path.write_text(text, encoding="utf-8")
    assert read_plain(path, REQUIRED, ["confidence"]) is not None
    bulk, slow = _both(path, monkeypatch, decimal=",")
    _assert_same(bulk, slow)
    assert bulk.total.tolist() == [7.5, 6.0, 8.25, 5.0]


@pytest.mark.parametrize(
    "values",
    [
        ["presentation", "sustainability", "quality", "presentation-and-design"] * 300,
        [f"c{i % 7}" for i in range(1200)] + [f"late{i}" for i in range(20)],
        [f"id-{(i * 37) % 500:04d}" for i in range(1500)],
    ],
    ids=["few-long", "few-then-many", "many"],
)
def test_codes_number_values_in_order_of_first_appearance(tmp_path, values):
    """Columns of a few long values, of a few values then many (past the first 1,000 runs),
    and of many values: each cell's code is its value's rank of first appearance."""
    path = tmp_path / "s.csv"
    rows = [f"e{i},j{i % 3},1,{v}" for i, v in enumerate(values)]
    path.write_text("entry,judge,score,criterion\n" + "\n".join(rows) + "\n", encoding="utf-8")
    codes = read_plain(path, REQUIRED, ["criterion"]).codes("criterion")
    names = list(dict.fromkeys(values))
    assert codes.names == names
    assert codes.codes.tolist() == [names.index(v) for v in values]


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("last", ["\n", ""])
@pytest.mark.parametrize("ids", [("e1", "e2", "j"), ("kopi-é1", "kopi-é2", "Ülla")])
def test_read_plain_bom_and_final_line_feed_equal_string_path(tmp_path, bom, last, ids):
    """With or without a byte-order mark, a final line feed and non-ASCII ids, the bulk reader
    reads the file (it is plain) and gives the string path's sheet."""
    first, second, judge = ids
    text = f"{bom}entry,judge,score,category\n{first},{judge},7,A\n{second},{judge},8.5,B{last}"
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert read_plain(path, REQUIRED) is not None
    mp = pytest.MonkeyPatch()
    try:
        bulk, slow = _both(path, mp)
    finally:
        mp.undo()
    _assert_same(bulk, slow)
    assert bulk.entry_ids == (first, second)
    assert bulk.total.tolist() == [7.0, 8.5]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("entry,judge,score\n e1,a,1\ne2,b,2", False),  # the body's first byte
        ("entry,judge,score\ne1,a,1\ne2,b,2 ", False),  # the file's last byte
        ("entry,judge,score\ne1,a ,1\n", False),  # before a delimiter
        ("entry\tjudge\tscore\ne1\ta\t1\ne2\tb\t 2\n", False),  # after a tab delimiter
        ("entry,judge,score\ne1,a,1\u3000\n", False),  # ideographic space (multi-byte)
        ("entry\tjudge\tscore\ne1\ta\t1\ne 2\tb c\t2\n", True),  # inner spaces, tabs split
        ("entry,judge,score,note\ne1,a,1, free text \n", True),  # a column not read
        ("entry,judge,score\nkopi é,Ülla,1\nteh,ä,2\n", True),  # multi-byte at the edges
    ],
)
def test_read_plain_whitespace_at_cell_edges_only_in_read_columns(tmp_path, text, plain):
    """A read cell starting or ending with whitespace (ASCII or Unicode) leaves the file to the
    string path; inner spaces, tab delimiters, multi-byte letters at the edges and spaces in an
    unread column do not; a plain file gives the string path's sheet."""
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert (read_plain(path, REQUIRED) is not None) == plain
    if plain:
        mp = pytest.MonkeyPatch()
        try:
            bulk, slow = _both(path, mp)
        finally:
            mp.undo()
        _assert_same(bulk, slow)
