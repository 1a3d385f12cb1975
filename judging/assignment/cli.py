"""The ``assign`` subcommand: read entries, judges and conflicts from CSV, write ``entry,judge``.

Input files (a header row is required; column names are case-insensitive; extra columns are
ignored):

- ENTRIES.csv: ``entry`` [, ``category``]
- JUDGES.csv: ``judge`` [, ``capacity``] [, ``categories``] - capacity a whole number >= 0,
  empty for unlimited; categories separated by ``;``, empty for any category
- CONFLICTS.csv: ``judge``, ``entry`` - pairs that must not be assigned

Every problem is reported as one message naming the file, line and column, with exit status 2;
an infeasible assignment points at the entry, judge or category at fault. Output goes to
standard output, or atomically to ``--output`` (nothing is written on failure). A short summary
(loads, per-category overlap connectivity) goes to standard error.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys

from judging.assignment.assign import (
    MAX_CAPACITY,
    AssignmentError,
    EntrySpec,
    JudgeSpec,
    assign,
    assignment_report,
)
from judging.command.args import at_least
from judging.sheets.csvio import InputError, check_output_path, read_csv, write_atomic

__all__ = ["add_parser", "read_conflicts", "read_entries", "read_judges", "run"]


def add_parser(subparsers) -> None:
    """Register ``assign`` on an argparse subparsers object (``set_defaults(func=run)``)."""
    parser = subparsers.add_parser(
        "assign",
        help="assign k judges to every entry",
        description="Assign exactly K eligible judges to every entry: capacities respected, "
        "conflicts avoided, loads balanced, each category's judges linked by shared entries.",
    )
    parser.add_argument(
        "--entries", required=True, metavar="ENTRIES.csv", help="CSV with columns entry[,category]"
    )
    parser.add_argument(
        "--judges",
        required=True,
        metavar="JUDGES.csv",
        help="CSV with columns judge[,capacity][,categories]; capacity empty = no limit, "
        "categories separated by ';', empty = any category",
    )
    parser.add_argument(
        "--per-entry",
        required=True,
        type=at_least(1),
        metavar="K",
        help="distinct judges per entry (>= 1)",
    )
    parser.add_argument(
        "--conflicts",
        metavar="CONFLICTS.csv",
        help="CSV with columns judge,entry: pairs never to assign",
    )
    parser.add_argument(
        "--seed",
        type=at_least(0),
        default=0,
        metavar="S",
        help="random seed; the same input and seed give the same assignment (default 0)",
    )
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(func=run)


def _id(row, column: str, file: str, seen: dict[str, int], kind: str) -> str:
    value = row.get(column)
    if not value:
        article = "an" if kind[0] in "aeiou" else "a"
        raise InputError(
            f"{article} {kind} id is required", file=file, line=row.line, column=column
        )
    if value in seen:
        raise InputError(
            f"duplicate {kind} {value!r} (first on line {seen[value]})",
            file=file,
            line=row.line,
            column=column,
        )
    seen[value] = row.line
    return value


def read_entries(path: str) -> tuple[list[EntrySpec], dict[str, int]]:
    """Entries in file order, and the line of each entry id."""
    _, rows = read_csv(path, ["entry"], ["category"])
    lines: dict[str, int] = {}
    entries = [EntrySpec(_id(r, "entry", path, lines, "entry"), r.get("category")) for r in rows]
    if not entries:
        raise InputError("no entries (the file has only a header)", file=path)
    return entries, lines


def _capacity(row, file: str) -> int | None:
    text = row.get("capacity")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise InputError(
            f"{text!r} is not a whole number (leave it empty for no limit)",
            file=file,
            line=row.line,
            column="capacity",
        ) from None
    if value < 0:
        raise InputError(
            f"capacity {value} is negative", file=file, line=row.line, column="capacity"
        )
    if value > MAX_CAPACITY:
        raise InputError(
            f"capacity {value} is above the maximum {MAX_CAPACITY:,} (leave it empty for no limit)",
            file=file,
            line=row.line,
            column="capacity",
        )
    return value


def read_judges(path: str) -> tuple[list[JudgeSpec], dict[str, int]]:
    """Judges in file order, and the line of each judge id."""
    _, rows = read_csv(path, ["judge"], ["capacity", "categories"])
    lines: dict[str, int] = {}
    judges = []
    for row in rows:
        judge = _id(row, "judge", path, lines, "judge")
        scope = frozenset(c.strip() for c in row.get("categories").split(";") if c.strip())
        judges.append(JudgeSpec(judge, _capacity(row, path), scope))
    if not judges:
        raise InputError("no judges (the file has only a header)", file=path)
    return judges, lines


def read_conflicts(
    path: str,
    entries: dict[str, int],
    judges: dict[str, int],
    sources: tuple[str, str] = ("the entries file", "the judges file"),
) -> list[tuple[str, str]]:
    """(judge, entry) pairs; each id must be in ``entries`` / ``judges`` (files ``sources``)."""
    _, rows = read_csv(path, ["judge", "entry"])
    pairs = []
    for row in rows:
        for column, known, source in (
            ("judge", judges, sources[1]),
            ("entry", entries, sources[0]),
        ):
            value = row.get(column)
            if not value:
                raise InputError(
                    f"a {column} id is required", file=path, line=row.line, column=column
                )
            if value not in known:
                raise InputError(
                    f"unknown {column} {value!r} (not in {source})",
                    file=path,
                    line=row.line,
                    column=column,
                )
        pairs.append((row.get("judge"), row.get("entry")))
    return pairs


def _locate(exc: AssignmentError, args, entries, entry_lines, judge_lines) -> InputError:
    """Point an infeasibility at the line of the entry, judge or category it names."""
    if exc.entry is not None and exc.entry in entry_lines:
        return InputError(str(exc), file=args.entries, line=entry_lines[exc.entry], column="entry")
    if exc.judge is not None and exc.judge in judge_lines:
        return InputError(str(exc), file=args.judges, line=judge_lines[exc.judge], column="judge")
    if exc.category is not None:
        first = next(e.id for e in entries if e.category == exc.category)
        column = "category" if exc.category else "entry"
        return InputError(str(exc), file=args.entries, line=entry_lines[first], column=column)
    return InputError(str(exc), file=args.judges, column="capacity")


def _warnings(entries: list[EntrySpec], judges: list[JudgeSpec]) -> list[str]:
    used = {e.category for e in entries}
    return [
        f"warning: judge {j.id!r} lists categor{'y' if len(extra) == 1 else 'ies'} "
        f"{', '.join(repr(c) for c in extra)} that no entry has"
        for j in judges
        if (extra := sorted(j.categories - used))
    ]


def run(args: argparse.Namespace) -> int:
    """Read the inputs, assign, write ``entry,judge`` CSV; 2 with one message on bad input."""
    try:
        if args.output:
            check_output_path(args.output)
        entries, entry_lines = read_entries(args.entries)
        judges, judge_lines = read_judges(args.judges)
        conflicts = (
            read_conflicts(args.conflicts, entry_lines, judge_lines, (args.entries, args.judges))
            if args.conflicts
            else []
        )
        try:
            pairs = assign(entries, judges, args.per_entry, conflicts, seed=args.seed)
        except AssignmentError as exc:
            raise _locate(exc, args, entries, entry_lines, judge_lines) from None
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["entry", "judge"])
    writer.writerows(pairs)
    if args.output:
        write_atomic(args.output, buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    report = assignment_report(entries, judges, pairs)
    for line in [*_warnings(entries, judges), *report.summary_lines()]:
        print(line, file=sys.stderr)
    return 0
