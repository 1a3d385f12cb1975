"""The judging command line: ``python -m judging analyze ...`` and ``python -m judging assign ...``.

``main`` returns the exit status: 0 on success, 2 on bad input (one message on stderr naming
the file, line and column; no output file is written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from judging.analyze import METHODS, analyze
from judging.blas import single_threaded_blas
from judging.calibrate import parse_shrinkage
from judging.cli_args import at_least
from judging.csvio import InputError, write_atomic
from judging.report import to_csv, to_json, to_table
from judging.sheet import read_rubric, read_scores

__all__ = ["build_parser", "main"]

FORMATS = {"table": to_table, "csv": to_csv, "json": to_json}


def _shrinkage(text: str) -> str | float:
    try:
        return parse_shrinkage(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_analyze(args: argparse.Namespace) -> int:
    """Read the score sheet (and rubric), analyze it, write the chosen format."""
    rubric = read_rubric(args.rubric) if args.rubric else None
    sheet = read_scores(args.scores, rubric)
    with single_threaded_blas():
        analysis = analyze(
            sheet,
            method=args.method,
            shrinkage=args.shrinkage,
            bias_scale=args.bias_scale,
            top=args.top,
            draws=args.draws,
            seed=args.seed,
        )
    text = FORMATS[args.format](analysis)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with the ``analyze`` (and, when available, ``assign``) subcommands."""
    parser = argparse.ArgumentParser(
        prog="judging", description="Calibrated multi-judge scoring and judge assignment."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze", help="rank entries from a long-form score sheet")
    an.add_argument(
        "scores",
        metavar="SCORES.csv",
        help="columns entry, judge, score [, criterion, category, confidence]",
    )
    an.add_argument("--rubric", metavar="RUBRIC.csv", help="columns criterion, weight, min, max")
    an.add_argument("--method", choices=METHODS, default="calibrated")
    an.add_argument(
        "--shrinkage",
        type=_shrinkage,
        default="auto",
        metavar="auto|none|FLOAT",
        help="judge-bias shrinkage: auto (estimated), none, or lambda = "
        "sigma^2/tau^2, the prior's weight in scores (default auto)",
    )
    an.add_argument(
        "--bias-scale",
        action="store_true",
        help="also fit a per-judge gain (scale) after the additive model",
    )
    an.add_argument(
        "--top",
        type=at_least(1),
        default=3,
        metavar="K",
        help="P(rank <= K) and the top-K checks (default 3)",
    )
    an.add_argument(
        "--draws",
        type=at_least(0),
        default=1000,
        metavar="N",
        help="Monte Carlo draws for P(rank <= K); 0 skips it (default 1000)",
    )
    an.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    an.add_argument("--format", choices=tuple(FORMATS), default="table")
    an.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    an.set_defaults(func=run_analyze)
    try:
        from judging import assign_cli
    except ImportError:
        assign_cli = None
    if assign_cli is not None:
        assign_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input or bad options)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
