"""The ``assign`` subcommand: CSV in, ``entry,judge`` out, and one clear message per bad input."""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from judging.assignment.cli import add_parser

ROOT = Path(__file__).resolve().parents[3]

ENTRIES = "entry,category\nE1,Kuliner\nE2,Kuliner\nE3,Fashion\nE4,Fashion\nE5,Kuliner\n"
JUDGES = "judge,capacity,categories\nK1,,Kuliner\nK2,4,Kuliner\nF1,,Fashion\nF2,,Fashion\nA1,,\n"
CONFLICTS = "judge,entry\nK1,E1\nA1,E3\n"


def run_assign(argv: list[str]) -> int:
    """Parse with a parser holding only our subcommand, then run it."""
    parser = argparse.ArgumentParser(prog="test")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["assign", *argv])
    return args.func(args)


@pytest.fixture
def files(tmp_path):
    """Write the three standard input files and return a path maker for more."""

    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    write("entries.csv", ENTRIES)
    write("judges.csv", JUDGES)
    write("conflicts.csv", CONFLICTS)
    write.dir = tmp_path
    return write


def base_args(files, *extra: str) -> list[str]:
    d = files.dir
    return ["--entries", str(d / "entries.csv"), "--judges", str(d / "judges.csv"), *extra]


def test_assign_cli_writes_valid_pairs_to_stdout(files, capsys):
    """Two judges per entry, eligible, conflict-free, as `entry,judge` CSV; summary on stderr."""
    status = run_assign(
        base_args(files, "--per-entry", "2", "--conflicts", str(files.dir / "conflicts.csv"))
    )
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert status == 0
    assert rows[0] == ["entry", "judge"]
    pairs = [tuple(r) for r in rows[1:]]
    assert Counter(e for e, _ in pairs) == {"E1": 2, "E2": 2, "E3": 2, "E4": 2, "E5": 2}
    assert ("E1", "K1") not in pairs
    assert ("E3", "A1") not in pairs
    assert not {j for e, j in pairs if e in {"E3", "E4"}} & {"K1", "K2"}
    assert not {j for e, j in pairs if e in {"E1", "E2", "E5"}} & {"F1", "F2"}
    assert "10 assignments to 5 judges" in err
    assert "category 'Kuliner': 3 entries" in err


def test_assign_cli_output_file_matches_stdout(files, capsys):
    """--output writes exactly what standard output would get for the same seed."""
    run_assign(base_args(files, "--per-entry", "2", "--seed", "5"))
    expected = capsys.readouterr().out
    target = files.dir / "out.csv"
    status = run_assign(
        base_args(files, "--per-entry", "2", "--seed", "5", "--output", str(target))
    )
    assert status == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == expected


def test_assign_cli_warns_about_category_no_entry_has(files, capsys):
    """A judge category that no entry uses (a likely typo) is reported on stderr."""
    files("judges.csv", JUDGES + "X1,,Kulinerr;Fashion\n")
    assert run_assign(base_args(files, "--per-entry", "1")) == 0
    assert (
        "warning: judge 'X1' lists category 'Kulinerr' that no entry has" in capsys.readouterr().err
    )


def bad(files, capsys, argv: list[str]) -> str:
    """Run with --output; assert exit 2, no output file, and return the single stderr line."""
    target = files.dir / "out.csv"
    status = run_assign([*argv, "--output", str(target)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert not target.exists()
    assert err.count("\n") == 1
    return err.strip()


BAD_FILES = [
    pytest.param(
        "entries.csv",
        "",
        "entries.csv: the file is empty (a header row is required)",
        id="empty-entries",
    ),
    pytest.param(
        "entries.csv",
        "entry,category\n",
        "entries.csv: no entries (the file has only a header)",
        id="header-only-entries",
    ),
    pytest.param(
        "entries.csv",
        "id,category\nE1,A\n",
        "entries.csv, line 1: missing required column(s) 'entry'",
        id="missing-entry-column",
    ),
    pytest.param(
        "entries.csv",
        "entry\nE1\nE2\nE1\n",
        "entries.csv, line 4, column 'entry': duplicate entry 'E1' (first on line 2)",
        id="duplicate-entry",
    ),
    pytest.param(
        "entries.csv",
        "entry,category\nE1,A\n,A\n",
        "entries.csv, line 3, column 'entry': an entry id is required",
        id="empty-entry-id",
    ),
    pytest.param(
        "judges.csv",
        "judge,capacity\nJ1,2.5\n",
        "judges.csv, line 2, column 'capacity': '2.5' is not a whole number",
        id="fractional-capacity",
    ),
    pytest.param(
        "judges.csv",
        "judge,capacity\nJ1,3\nJ2,-1\n",
        "judges.csv, line 3, column 'capacity': capacity -1 is negative",
        id="negative-capacity",
    ),
    pytest.param(
        "judges.csv",
        "judge,capacity\nJ1,3\nJ2,2000000000\n",
        "judges.csv, line 3, column 'capacity': capacity 2000000000 is above the maximum "
        "1,000,000,000 (leave it empty for no limit)",
        id="huge-capacity",
    ),
    pytest.param(
        "judges.csv",
        "judge\nJ1\nJ1\n",
        "judges.csv, line 3, column 'judge': duplicate judge 'J1' (first on line 2)",
        id="duplicate-judge",
    ),
    pytest.param(
        "judges.csv",
        "name\nJ1\n",
        "judges.csv, line 1: missing required column(s) 'judge'",
        id="missing-judge-column",
    ),
    pytest.param(
        "conflicts.csv",
        "judge,entry\nK1,E1\nZZ,E2\n",
        "conflicts.csv, line 3, column 'judge': unknown judge 'ZZ' (not in ",
        id="unknown-conflict-judge",
    ),
    pytest.param(
        "conflicts.csv",
        "judge,entry\nK1,E9\n",
        "conflicts.csv, line 2, column 'entry': unknown entry 'E9' (not in ",
        id="unknown-conflict-entry",
    ),
    pytest.param(
        "conflicts.csv",
        "judge\nK1\n",
        "conflicts.csv, line 1: missing required column(s) 'entry'",
        id="missing-conflict-column",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_FILES)
def test_assign_cli_rejects_bad_input_file(files, capsys, name, text, expected):
    """Each malformed file gives one message naming file, line and column, exit 2, no output."""
    files(name, text)
    message = bad(
        files,
        capsys,
        base_args(files, "--per-entry", "1", "--conflicts", str(files.dir / "conflicts.csv")),
    )
    assert message.startswith(f"error: {files.dir}{os.sep}{expected}")


def test_assign_cli_points_infeasible_entry_at_its_line(files, capsys):
    """An entry with too few eligible judges is reported at its line in the entries file."""
    message = bad(
        files,
        capsys,
        base_args(files, "--per-entry", "3", "--conflicts", str(files.dir / "conflicts.csv")),
    )
    assert message == (
        f"error: {files.dir / 'entries.csv'}, line 2, column 'entry': entry 'E1' (category "
        "'Kuliner') has only 2 eligible judges without conflicts, but 3 are required: K2, A1 "
        "(conflicted: K1)"
    )


def test_assign_cli_points_short_category_at_its_first_entry(files, capsys):
    """A category short of capacity is reported at its first entry's category cell."""
    files("judges.csv", "judge,capacity,categories\nK1,1,Kuliner\nK2,1,Kuliner\nF1,,Fashion\n")
    message = bad(files, capsys, base_args(files, "--per-entry", "1"))
    assert message == (
        f"error: {files.dir / 'entries.csv'}, line 2, column 'category': category 'Kuliner' "
        "needs 3 judge slots (3 entries x 1) but its judges can take at most 2"
    )


def test_assign_cli_points_total_shortage_at_capacity_column(files, capsys):
    """Too little capacity overall is reported against the judges file's capacity column."""
    files("judges.csv", "judge,capacity\nJ1,2\nJ2,2\n")
    message = bad(files, capsys, base_args(files, "--per-entry", "1"))
    assert message == (
        f"error: {files.dir / 'judges.csv'}, column 'capacity': 5 entries need 5 judge slots "
        "(1 each) but all judges together can take at most 4"
    )


def test_assign_cli_keeps_existing_output_on_failure(files, capsys):
    """A failed run leaves an existing output file exactly as it was."""
    target = files.dir / "out.csv"
    target.write_text("previous\n", encoding="utf-8")
    status = run_assign(base_args(files, "--per-entry", "9", "--output", str(target)))
    assert status == 2
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert "error: " in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_assign_cli_rejects_bad_per_entry(files, capsys, value):
    """--per-entry must be a whole number >= 1 (argparse exits with status 2)."""
    with pytest.raises(SystemExit) as info:
        run_assign(base_args(files, "--per-entry", value))
    assert info.value.code == 2
    assert "--per-entry" in capsys.readouterr().err


def module_cli(*argv: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "judging", "assign", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_assign_cli_via_python_m_judging_is_deterministic(files):
    """`python -m judging assign` gives identical output across processes and hash seeds."""
    argv = base_args(files, "--per-entry", "2", "--seed", "3")
    first, second = module_cli(*argv, hash_seed="1"), module_cli(*argv, hash_seed="2")
    assert first.returncode == 0
    assert first.stdout.startswith("entry,judge\n")
    assert first.stdout == second.stdout
    assert first.stdout.count("\n") == 11


def test_assign_cli_via_python_m_judging_reports_bad_input(files):
    """`python -m judging assign` exits 2 with the located message on bad input."""
    files("judges.csv", "judge,capacity\nJ1,lots\n")
    result = module_cli(*base_args(files, "--per-entry", "1"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "judges.csv, line 2, column 'capacity': 'lots' is not a whole number" in result.stderr
