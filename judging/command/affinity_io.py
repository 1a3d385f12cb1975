"""The favouritism audit on the command line: group files in, the audit's tables out.

Group files (``--judge-groups``, ``--entry-groups``) are CSV files with the columns
``judge, group`` and ``entry, group`` (delimiter sniffed as for score sheets): one row per
judge or entry, the group a label such as a nation, a district or an association; an empty
group means "no group". A score is own-group when its judge's and its entry's groups are equal
(:mod:`judging.analysis.affinity`). Bad files stop with :class:`~judging.sheets.csvio.InputError`
naming the file, line and column: an empty id, an id listed twice, or a file none of whose ids is in
the score sheet (ids not in the sheet are otherwise ignored: a group file may list everyone).

Output: :func:`affinity_document` (JSON), :func:`affinity_csv_rows` (CSV: one ``pooled`` row,
then one row per judge tested) and :func:`affinity_lines` (the plain-text table). Estimates are
in points of the rubric total (the sheet's units); with ``--lower-is-better`` and no rubric a
favoured entry gets a negative affinity.
"""

from __future__ import annotations

import os

from judging.analysis.affinity import AffinityAudit
from judging.sheets.csvio import InputError, read_csv

__all__ = [
    "AFFINITY_COLUMNS",
    "affinity_csv_rows",
    "affinity_document",
    "affinity_lines",
    "read_groups",
]

AFFINITY_COLUMNS = (
    "scope",
    "judge",
    "group",
    "estimate",
    "stderr",
    "z",
    "p_value",
    "p_adjusted",
    "flagged",
    "own_scores",
    "other_scores",
)
"""Columns of ``--format csv --csv affinity``."""


def read_groups(path: str | os.PathLike[str], key: str, known: tuple[str, ...]) -> dict[str, str]:
    """Read a group file with the columns ``key`` (judge or entry) and ``group``; ``known`` are
    the sheet's ids of that kind. Raises :class:`InputError` (file, line, column) for an empty
    id, an id listed twice, or a file that names none of ``known``."""
    name = str(path)
    _, rows = read_csv(path, [key, "group"])
    groups: dict[str, str] = {}
    lines: dict[str, int] = {}
    for row in rows:
        ident = row.get(key)
        if not ident:
            raise InputError(f"a {key} id is required", file=name, line=row.line, column=key)
        if ident in lines:
            raise InputError(
                f"{key} {ident!r} is listed twice (first on line {lines[ident]})",
                file=name,
                line=row.line,
                column=key,
            )
        lines[ident] = row.line
        groups[ident] = row.get("group")
    if not groups:
        raise InputError("the file lists no groups", file=name, line=2)
    if not set(known) & set(groups):
        raise InputError(
            f"none of its {len(groups)} {key}s is in the score sheet "
            f"(first: {next(iter(groups))!r}, line {min(lines.values())})",
            file=name,
            line=min(lines.values()),
            column=key,
        )
    return groups


def _round(value: float, decimals: int = 6) -> float | None:
    return None if value != value else round(value, decimals)


def affinity_document(audit: AffinityAudit, corrected: bool) -> dict[str, object]:
    """The audit as a JSON object (``corrected``: the scores were corrected for it)."""
    return {
        "pooled": _round(audit.pooled),
        "pooled_stderr": _round(audit.pooled_stderr),
        "pooled_p": audit.pooled_p if audit.pooled_p == audit.pooled_p else None,
        "own_scores": audit.own_scores,
        "residual_own": _round(audit.residual_own),
        "residual_other": _round(audit.residual_other),
        "share_own_positive": _round(audit.share_own_positive),
        "level": audit.level,
        "corrected": corrected,
        "flagged": [a.judge for a in audit.flagged],
        "judges": [row for _, row in _judge_rows(audit)],
    }


def _judge_rows(audit: AffinityAudit) -> list[tuple[str, dict[str, object]]]:
    return [
        (
            "judge",
            {
                "judge": a.judge,
                "group": a.group,
                "estimate": _round(a.estimate),
                "stderr": _round(a.stderr),
                "z": _round(a.z),
                "p_value": a.p_value if a.p_value == a.p_value else None,
                "p_adjusted": a.p_adjusted if a.p_adjusted == a.p_adjusted else None,
                "flagged": a.flagged,
                "own_scores": a.own_scores,
                "other_scores": a.other_scores,
            },
        )
        for a in audit.judges
    ]


def affinity_csv_rows(audit: AffinityAudit) -> list[list[object]]:
    """Rows under ``AFFINITY_COLUMNS``: the pooled affinity, then each judge tested."""
    z = audit.pooled / audit.pooled_stderr if audit.pooled_stderr > 0 else float("nan")
    pooled = [
        "pooled",
        "",
        "",
        _round(audit.pooled),
        _round(audit.pooled_stderr),
        _round(z),
        audit.pooled_p,
        audit.pooled_p,
        audit.pooled_p < audit.level,
        audit.own_scores,
        int(audit.own.size - audit.own_scores),
    ]
    rows = [pooled]
    for scope, row in _judge_rows(audit):
        rows.append([scope, *row.values()])
    return rows


def affinity_lines(audit: AffinityAudit, corrected: bool, shown: int = 10) -> list[str]:
    """The plain-text section: pooled affinity, residual means, the judges tested (flagged
    first, at most ``shown``)."""
    lines = [
        "Favouritism (own-group affinity, points of the total)",
        "",
        f"  pooled affinity {audit.pooled:+.2f} (SE {audit.pooled_stderr:.2f}, "
        f"p = {audit.pooled_p:.2g}) over {audit.own_scores} own-group scores",
        f"  mean residual: own group {audit.residual_own:+.2f}, others "
        f"{audit.residual_other:+.2f}; {100 * audit.share_own_positive:.0f}% of own-group "
        "residuals are positive",
        f"  {len(audit.flagged)} of {len(audit.judges)} judges tested are flagged "
        f"(Holm-adjusted p < {audit.level:g})"
        + ("; scores corrected (--remove-affinity)" if corrected else ""),
    ]
    if audit.judges:
        lines.append("")
        width = max(len(a.judge) for a in audit.judges[:shown])
        lines.append(f"  {'judge':<{width}}  group     estimate  stderr      z  p (Holm)  flagged")
        for a in audit.judges[:shown]:
            lines.append(
                f"  {a.judge:<{width}}  {a.group[:8]:<8} {a.estimate:+9.2f} {a.stderr:7.2f} "
                f"{a.z:6.1f}  {a.p_adjusted:8.2g}  {'yes' if a.flagged else 'no'}"
            )
        if len(audit.judges) > shown:
            lines.append(
                f"  ... and {len(audit.judges) - shown} more (--format csv --csv affinity)"
            )
    return lines
