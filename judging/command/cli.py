"""The judging command line: ``python -m judging analyze ...`` and ``python -m judging assign ...``.

``main`` returns the exit status: 0 on success, 2 on bad input (one message on stderr naming
the file, line and column; no output file is written).

Start-up is kept short: the analysis modules (and numpy) are imported only when a command
runs, so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from judging.command.args import at_least

__all__ = ["build_parser", "main"]

FORMATS = ("table", "csv", "json")
CSV_TABLES = ("entries", "judges", "scores", "pairs", "reliability", "model", "affinity")
METHOD_NAMES = ("calibrated", "zscore", "raw", "trimmed", "median", "rank")

ANALYZE_EPILOG = """\
methods:
  calibrated  additive model y = value(entry) + bias(judge) + noise with confidence weights.
              Default (--shrinkage auto): a two-way mixed model with REML variance
              components and BLUP when Hausman's test and the judge variances show that
              assignment does not follow quality, else the exact fixed-effects solution
              (the choice and its reason are in the model output); judgewise: per-judge
              empirical Bayes shrinkage of biases; none: fixed effects; a number: lambda.
              Standard errors, P(top k) and ties use the model's joint uncertainty.
  zscore      mean of each judge's z-scores mapped back to the scale (assumes every judge
              saw a random sample of the entries)
  raw         mean of the rubric totals
  trimmed     mean without the entry's highest and lowest total (with 4+ judges)
  median      median of the totals
  rank        mean of the judges' percentile ranks (0-100), for judges who order entries
              well but use the scale differently

leave-one-judge-out (a warning when one judge decides a top K; up to 500 judges):
  each judge's scores are removed and the model refitted with its shrinkage held. For the
  random-entries model this is an approximation: the BLUP plus the change that removing the
  judge makes in the fixed-entries model with the same judge shrinkage (ridge lambda =
  sigma^2/tau^2); the entries' own shrinkage is held at the full fit.

favouritism (--judge-groups FILE --entry-groups FILE; CSV columns judge,group and
              entry,group, e.g. nation, district or association):
  Each judge's own-group affinity: how much higher it scores entries of its own group than
  the same entries' other judges do, relative to its other scores (fixed-effects residuals,
  points of the total), with its SE, z and Holm-adjusted p-value; flagged when the adjusted
  p < 0.05; plus one pooled affinity for all judges. In the table, in JSON ("affinity") and
  with --csv affinity. --remove-affinity subtracts each tested judge's affinity from its
  own-group scores before the analysis (affinity as a fixed effect). A group file with an
  empty id, an id listed twice, or no id of the score sheet stops with exit status 2 and the
  line number.

direction:
  By default higher scores are better. --lower-is-better ranks the lowest first (placements,
  grant ratings where 1 is best); a rubric's optional 'direction' column (higher or lower)
  sets it per criterion, and rubric totals are then always 0-100, higher is better.

input:
  The delimiter (comma, semicolon or tab) is detected from the header. A decimal comma is
  read ("7,5" = 7.5); "1,250" could be 1250 or 1.25 and stops with an error naming its line
  and column unless --decimal says which mark is the decimal one.

output (--format json holds every table but scores and pairs, which --detail adds;
        --format csv writes the table chosen by --csv):
  entries      entry, category, rank, score, stderr, raw_mean, judges, p_top, tied_with,
               z_next (z of the difference to the next in rank), tied_ranks (first and last
               rank of its place-wise tied group), component (its judges' connected group)
  judges       judge, bias, stderr, gain, scores, component
  scores       entry, judge, total, fitted, residual, std_residual (one row per scored pair)
  pairs        category, upper, lower, difference, stderr, z (each entry and the next in rank)
  reliability  scope, name, statistic, value, lower, upper, entries, judges, note
  model        name, value: method, direction, sigma2 (noise variance), dof (its degrees of
               freedom), tau2 (judge-bias variance), lambda (shrinkage = sigma2/tau2),
               entry_var (entry variance of the mixed model), model and model_reason (fixed
               or random entries, and why), hausman_statistic, hausman_df, hausman_p_value,
               components (connected judge groups), entries, judges, scores

reliability (pooled, per category, per criterion; undefined ones say why):
  krippendorff_alpha (interval; _ordinal, _nominal on rating scales): agreement of judges on
    the same entries, 1 perfect, 0 chance; missing scores allowed
  icc1..icc3 / icc1k..icc3k with 95% intervals: share of score variance due to the entries,
    for one judge / the mean of k judges (complete designs only)
  kendall_w: how alike the judges order the entries (complete designs only)

exit status:
  0 success; 2 bad input or options (one message naming the file, line and column)."""


def _shrinkage(text: str) -> str | float:
    from judging.calibration.calibrate import parse_shrinkage

    try:
        return parse_shrinkage(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_analyze(args: argparse.Namespace) -> int:
    """Read the score sheet (and rubric), analyze it, write the chosen format."""
    from judging.analysis.analyze import analyze
    from judging.command.blas import single_threaded_blas
    from judging.command.report import to_csv, to_json, to_table
    from judging.sheets.csvio import check_output_path, write_atomic
    from judging.sheets.sheet import read_rubric, read_scores

    if args.output:
        check_output_path(args.output)
    lower = args.lower_is_better
    rubric = (
        read_rubric(args.rubric, lower_is_better=lower, decimal=args.decimal)
        if args.rubric
        else None
    )
    sheet = read_scores(
        args.scores, rubric, decimal=args.decimal, lower_is_better=lower, keep_rows=True
    )
    audit = None
    wants_table = args.format == "csv" and args.csv == "affinity"
    if (
        args.judge_groups
        or args.entry_groups
        or args.affinity
        or args.remove_affinity
        or wants_table
    ):
        audit = _affinity(args, sheet)
        if args.remove_affinity:
            from judging.analysis.affinity import remove_affinity

            sheet = remove_affinity(sheet, audit)
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
    if audit is not None:
        analysis = _with_affinity(analysis, audit, args.remove_affinity)
    if args.format == "json":
        text = to_json(analysis, detail=args.detail)
    elif args.format == "csv":
        text = to_csv(analysis, args.csv)
    else:
        text = to_table(analysis)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def _affinity(args: argparse.Namespace, sheet):
    """The favouritism audit of ``sheet`` from the group files; InputError when they are
    missing, bad, or give no own-group score."""
    from judging.analysis.affinity import affinity_audit
    from judging.command.affinity_io import read_groups
    from judging.sheets.csvio import InputError

    if not (args.judge_groups and args.entry_groups):
        raise InputError(
            "the favouritism audit needs both --judge-groups FILE and --entry-groups FILE"
        )
    judges = read_groups(args.judge_groups, "judge", sheet.judge_ids)
    entries = read_groups(args.entry_groups, "entry", sheet.entry_ids)
    try:
        return affinity_audit(sheet, judges, entries)
    except ValueError as exc:
        raise InputError(
            f"{exc} (no judge has the group of an entry it scored; check that both files use "
            "the same group labels)",
            file=str(args.judge_groups),
        ) from None


def _with_affinity(analysis, audit, corrected: bool):
    """``analysis`` with the audit attached and, for flagged judges or a correction, a
    warning."""
    from dataclasses import replace

    warnings = list(analysis.warnings)
    flagged = audit.flagged
    if flagged:
        names = ", ".join(f"{a.judge} ({a.estimate:+.2f})" for a in flagged[:5])
        more = f" and {len(flagged) - 5} more" if len(flagged) > 5 else ""
        warnings.append(
            f"{len(flagged)} judge{'s score' if len(flagged) > 1 else ' scores'} entries of "
            f"their own group higher than the other judges do (Holm-adjusted p < "
            f"{audit.level:g}): {names}{more}."
        )
    if corrected:
        warnings.append(
            "Scores were corrected for own-group affinity before the analysis: each tested "
            "judge's estimated affinity was subtracted from its own-group scores."
        )
    return replace(analysis, affinity=audit, affinity_corrected=corrected, warnings=warnings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with the ``analyze`` (and, when available, ``assign``) subcommands."""
    parser = argparse.ArgumentParser(
        prog="judging",
        description="Calibrated multi-judge scoring and judge assignment.",
        epilog="exit status: 0 success; 2 bad input or options (the message names the file, "
        "line and column).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser(
        "analyze",
        help="rank entries from a long-form score sheet",
        description="Rank entries from a long-form score sheet, with uncertainty, judge\n"
        "biases, reliability and warnings.",
        epilog=ANALYZE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    an.add_argument(
        "scores",
        metavar="SCORES.csv",
        help="columns entry, judge, score [, criterion, category, confidence]",
    )
    an.add_argument(
        "--rubric",
        metavar="RUBRIC.csv",
        help="columns criterion, weight, min, max [, direction (higher or lower)]",
    )
    an.add_argument("--method", choices=METHOD_NAMES, default="calibrated")
    an.add_argument(
        "--shrinkage",
        type=_shrinkage,
        default="auto",
        metavar="auto|judgewise|none|FLOAT",
        help="auto (mixed model or fixed effects by Hausman's test), judgewise (per-judge "
        "bias shrinkage), none (fixed effects), or lambda = sigma^2/tau^2, the prior's "
        "weight in scores (default auto)",
    )
    an.add_argument(
        "--bias-scale",
        action="store_true",
        help="also fit a per-judge gain (scale) after the additive model",
    )
    an.add_argument(
        "--lower-is-better",
        action="store_true",
        help="rank the lowest scores first (placements, ratings where 1 is best); with a "
        "rubric, the default for criteria without a direction",
    )
    an.add_argument(
        "--decimal",
        choices=(".", ","),
        default=None,
        metavar="{.|,}",
        help="the decimal mark of the numbers; the other one is a thousands separator "
        "(default: infer, and stop on an ambiguous number such as 1,250)",
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
    an.add_argument("--format", choices=FORMATS, default="table")
    an.add_argument(
        "--csv",
        choices=CSV_TABLES,
        default="entries",
        help="which table --format csv writes (default entries; see below)",
    )
    an.add_argument(
        "--detail",
        action="store_true",
        help="JSON also lists every scored pair's residuals ('scores') and each entry's "
        "difference to the next in rank ('pairs')",
    )
    an.add_argument(
        "--judge-groups",
        metavar="FILE",
        help="CSV judge,group (nation, district, association...) for the favouritism audit",
    )
    an.add_argument(
        "--entry-groups",
        metavar="FILE",
        help="CSV entry,group for the favouritism audit (same group labels as the judges')",
    )
    an.add_argument(
        "--affinity",
        action="store_true",
        help="report each judge's own-group affinity (implied by the group files)",
    )
    an.add_argument(
        "--remove-affinity",
        action="store_true",
        help="correct the scores for the estimated own-group affinities before ranking",
    )
    an.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    an.set_defaults(func=run_analyze)
    try:
        from judging.assignment import cli as assign_cli
    except ImportError:
        assign_cli = None
    if assign_cli is not None:
        assign_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input or bad options)."""
    from judging.sheets.csvio import InputError

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
