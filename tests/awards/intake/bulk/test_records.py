"""Bulk import records: the dedup key that makes re-importing a file create nothing new."""

from awards.intake.bulk.importing import validate_import
from awards.intake.bulk.tabular import parse_rows
from tests.awards.intake.bulk.import_support import DATA, VALID, csv_bytes, xlsx_bytes
from tests.awards.intake.samples import make_context


def test_import_dedup_key_is_stable_across_spellings_and_formats(context):
    """The same entry written differently (phone, option label, CSV vs XLSX) has one key."""
    respelled = dict(
        VALID, phone="+62 341 551234", channel="both", markets="Jawa Timur;Malang Raya"
    )
    first = validate_import(parse_rows(csv_bytes([VALID]), "a.csv"), context)
    second = validate_import(parse_rows(xlsx_bytes([respelled]), "b.xlsx"), context)
    assert first.rows[0].dedup_key == second.rows[0].dedup_key


def test_import_same_file_again_is_skipped_not_duplicated():
    """Re-importing a file whose keys exist skips every row and reports no error."""
    data = (DATA / "paper_entries_one_bad_row.csv").read_bytes()
    first = validate_import(parse_rows(data, "a.csv"), make_context())
    existing = frozenset(row.dedup_key for row in first.rows)
    counts = {(row.business.nib, row.category): 1 for row in first.rows}
    again = validate_import(
        parse_rows(data, "a.csv"),
        make_context(existing_keys=existing, existing_entry_counts=counts),
    )
    assert again.rows == []
    assert [row for row, _ in again.skipped] == [2, 4]


def test_import_changed_answer_is_a_new_key():
    """Editing an answer gives a different dedup key."""
    first = validate_import(parse_rows(csv_bytes([VALID]), "a.csv"), make_context())
    edited = dict(VALID, price="460000")
    second = validate_import(parse_rows(csv_bytes([edited]), "a.csv"), make_context())
    assert first.rows[0].dedup_key != second.rows[0].dedup_key
