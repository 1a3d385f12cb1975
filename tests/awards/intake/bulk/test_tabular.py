"""Reading a CSV or XLSX upload into numbered rows (``awards.intake.bulk.tabular``)."""

import pytest

from awards.intake.bulk.tabular import ImportFileError, parse_rows


def test_parse_rows_duplicate_header_is_refused():
    """A column name repeated in the header is refused."""
    with pytest.raises(ImportFileError, match="appears twice"):
        list(parse_rows(b"nib,NIB\n1,2\n", "a.csv"))


def test_parse_rows_skips_blank_rows_keeping_row_numbers():
    """Blank rows are skipped; later rows keep their spreadsheet numbers."""
    assert [n for n, _ in parse_rows(b"a,b\n1,2\n,\n3,4\n", "a.csv")] == [2, 4]
