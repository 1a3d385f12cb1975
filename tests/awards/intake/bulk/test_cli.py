"""``anugerah import-entries`` and ``export-entries``: exit codes, row errors, dry run, dedup."""

from __future__ import annotations

import asyncio
import csv
import os
from pathlib import Path

import pytest

from awards import db
from awards.cli import main
from awards.intake.tables import Entry
from tests.awards.helpers import TEST_SECRET
from tests.awards.intake.bulk.test_service import DATA, GOOD_ROWS, _csv


@pytest.fixture
def cli_env(monkeypatch, tmp_path, database_url):
    """ANUGERAH_* variables pointing at this test's migrated database."""
    for name in list(os.environ):
        if name.startswith("ANUGERAH_") and name != "ANUGERAH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANUGERAH_DATABASE_URL", database_url)
    monkeypatch.setenv("ANUGERAH_SECRET_KEY", TEST_SECRET)
    return database_url


@pytest.fixture
def edition(cli_env):
    """The malang-2026 edition with its two categories, created outside any app."""
    from tests.awards.intake.organizer_support import make_edition

    db.configure(cli_env)
    return make_edition(asyncio.run)


def _entries() -> int:
    return asyncio.run(Entry.count().run())


def test_cli_import_bad_row_exits_2_with_line_and_column(edition, capsys):
    """A file with one bad row exits 2, prints ``line 3, column nib: ...`` and writes nothing."""
    code = main(["import-entries", str(DATA / "paper_entries_one_bad_row.csv"),
                 "--edition", "malang-2026"])  # fmt: skip

    err = capsys.readouterr().err
    assert code == 2
    assert "line 3, column nib:" in err
    assert "nothing was imported" in err
    assert _entries() == 0


def test_cli_dry_run_writes_nothing(edition, tmp_path, capsys):
    """``--dry-run`` reports what would be imported and stores nothing."""
    path = tmp_path / "paper.csv"
    path.write_bytes(_csv(*GOOD_ROWS))

    code = main(["import-entries", str(path), "--edition", "malang-2026", "--dry-run"])

    assert code == 0
    assert "would import 3 new, 0 already imported" in capsys.readouterr().out
    assert _entries() == 0


def test_cli_import_then_reimport_creates_no_duplicates(edition, tmp_path, capsys):
    """The first import creates every row; the second reports them as already imported."""
    path = tmp_path / "paper.csv"
    path.write_bytes(_csv(*GOOD_ROWS))

    first = main(["import-entries", str(path), "--edition", "malang-2026"])
    first_out = capsys.readouterr().out
    second = main(["import-entries", str(path), "--edition", "malang-2026"])
    second_out = capsys.readouterr().out

    assert (first, second) == (0, 0)
    assert "3 new, 0 already imported" in first_out
    assert "0 new, 3 already imported" in second_out
    assert _entries() == 3


def test_cli_unknown_edition_exits_2(edition, tmp_path, capsys):
    """An unknown edition slug is bad input (exit 2) naming the slug."""
    path = tmp_path / "paper.csv"
    path.write_bytes(_csv(*GOOD_ROWS))

    code = main(["import-entries", str(path), "--edition", "nowhere-2030"])

    assert code == 2
    assert "nowhere-2030" in capsys.readouterr().err


def test_cli_import_refuses_other_file_types(edition, tmp_path, capsys):
    """A .txt file is refused with exit 2 before anything is read."""
    path = tmp_path / "paper.txt"
    path.write_text("hello")

    assert main(["import-entries", str(path), "--edition", "malang-2026"]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_cli_export_writes_answers_as_columns(edition, tmp_path, capsys):
    """``export-entries --format csv`` writes one row per entry with the answers as columns."""
    path = tmp_path / "paper.csv"
    path.write_bytes(_csv(*GOOD_ROWS))
    main(["import-entries", str(path), "--edition", "malang-2026"])
    output = tmp_path / "out.csv"

    code = main(["export-entries", "--edition", "malang-2026", "--format", "csv",
                 "--output", str(output)])  # fmt: skip

    assert code == 0
    rows = list(csv.DictReader(Path(output).read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3
    assert {r["Menu andalan"] for r in rows} >= {"Keripik tempe pedas", "Kopi robusta Dampit"}
    assert {r["Status"] for r in rows} == {"Terkirim"}
    assert "exported 3 entries" in capsys.readouterr().out
