"""judging: the scoring science of Anugerah — pure Python + numpy.

Score sheets and rubric totals (:mod:`judging.sheets.sheet`, read from CSV by
:mod:`judging.sheets.csvio`); simple normalizations (:mod:`judging.calibration.normalize`) and
additive calibration of judge bias with shrinkage (:mod:`judging.calibration.calibrate`, the
mixed model in :mod:`judging.calibration.mixed`); ranking and warnings
(:mod:`judging.ranking.rank`) and the uncertainty of ranks (:mod:`judging.ranking.uncertainty`);
reliability statistics (:mod:`judging.reliability.coefficients`, per category and criterion in
:mod:`judging.reliability.agreement`); the favouritism audit (:mod:`judging.analysis.affinity`)
and the whole analysis (:mod:`judging.analysis.analyze`), whose output formats are in
:mod:`judging.command.report`; judge assignment (:mod:`judging.assignment.assign`). The command
line is :mod:`judging.command.cli`. The web app calls :func:`analyze_rows`
(:mod:`judging.analysis.api`): rows in, the whole analysis out.

Exceptions::

    ValueError
     ├── InputError        bad input file; names file, line and column
     └── AssignmentError   no valid assignment; names the entry, judge or category at fault

Names are imported on first use (PEP 562), so ``python -m judging --help`` and the command
line's start-up do not load modules a command does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from judging.analysis.affinity import (
        AffinityAudit,
        JudgeAffinity,
        affinity_audit,
        remove_affinity,
    )
    from judging.analysis.analyze import (
        METHODS,
        Analysis,
        EntryResult,
        JudgeResult,
        PairResult,
        analyze,
        reliability_of,
    )
    from judging.analysis.api import ROW_FIELDS, analyze_rows
    from judging.assignment.assign import (
        AssignmentError,
        AssignmentReport,
        CategoryOverlap,
        EntrySpec,
        JudgeSpec,
        assign,
        assignment_report,
        overlap_components,
    )
    from judging.calibration.calibrate import Calibration, calibrate, parse_shrinkage
    from judging.calibration.graph import component_names, judge_components
    from judging.calibration.normalize import (
        SIMPLE_METHODS,
        median_score,
        rank_mean,
        raw_mean,
        simple_stderr,
        trimmed_mean,
        zscore_mean,
    )
    from judging.command.report import CSV_TABLES, model_summary, to_csv, to_json, to_table
    from judging.ranking.rank import rank_within_categories
    from judging.ranking.uncertainty import (
        TopKChange,
        difference_stderr,
        draw_values,
        leave_one_judge_out,
        p_top_k,
        tied_groups,
    )
    from judging.reliability.agreement import ReliabilityGroup, sheet_reliability
    from judging.reliability.coefficients import (
        IccInterval,
        IccResult,
        icc,
        icc_intervals,
        is_complete,
        kendall_w,
        krippendorff_alpha,
        krippendorff_alpha_interval,
    )
    from judging.sheets.csvio import InputError
    from judging.sheets.sheet import (
        CONFIDENCE_WORDS,
        Criterion,
        Rubric,
        ScoreRows,
        ScoreSheet,
        build_sheet,
        read_rubric,
        read_scores,
    )

_WHERE = {
    "AffinityAudit": "judging.analysis.affinity",
    "Analysis": "judging.analysis.analyze",
    "AssignmentError": "judging.assignment.assign",
    "AssignmentReport": "judging.assignment.assign",
    "CONFIDENCE_WORDS": "judging.sheets.sheet",
    "CSV_TABLES": "judging.command.report",
    "Calibration": "judging.calibration.calibrate",
    "CategoryOverlap": "judging.assignment.assign",
    "Criterion": "judging.sheets.sheet",
    "EntryResult": "judging.analysis.analyze",
    "EntrySpec": "judging.assignment.assign",
    "IccInterval": "judging.reliability.coefficients",
    "IccResult": "judging.reliability.coefficients",
    "InputError": "judging.sheets.csvio",
    "JudgeAffinity": "judging.analysis.affinity",
    "JudgeResult": "judging.analysis.analyze",
    "JudgeSpec": "judging.assignment.assign",
    "METHODS": "judging.analysis.analyze",
    "PairResult": "judging.analysis.analyze",
    "ROW_FIELDS": "judging.analysis.api",
    "ReliabilityGroup": "judging.reliability.agreement",
    "Rubric": "judging.sheets.sheet",
    "SIMPLE_METHODS": "judging.calibration.normalize",
    "ScoreRows": "judging.sheets.sheet",
    "ScoreSheet": "judging.sheets.sheet",
    "TopKChange": "judging.ranking.uncertainty",
    "affinity_audit": "judging.analysis.affinity",
    "analyze": "judging.analysis.analyze",
    "analyze_rows": "judging.analysis.api",
    "assign": "judging.assignment.assign",
    "assignment_report": "judging.assignment.assign",
    "build_sheet": "judging.sheets.sheet",
    "calibrate": "judging.calibration.calibrate",
    "component_names": "judging.calibration.graph",
    "difference_stderr": "judging.ranking.uncertainty",
    "draw_values": "judging.ranking.uncertainty",
    "icc": "judging.reliability.coefficients",
    "icc_intervals": "judging.reliability.coefficients",
    "is_complete": "judging.reliability.coefficients",
    "judge_components": "judging.calibration.graph",
    "kendall_w": "judging.reliability.coefficients",
    "krippendorff_alpha": "judging.reliability.coefficients",
    "krippendorff_alpha_interval": "judging.reliability.coefficients",
    "leave_one_judge_out": "judging.ranking.uncertainty",
    "median_score": "judging.calibration.normalize",
    "model_summary": "judging.command.report",
    "overlap_components": "judging.assignment.assign",
    "p_top_k": "judging.ranking.uncertainty",
    "parse_shrinkage": "judging.calibration.calibrate",
    "rank_mean": "judging.calibration.normalize",
    "rank_within_categories": "judging.ranking.rank",
    "raw_mean": "judging.calibration.normalize",
    "read_rubric": "judging.sheets.sheet",
    "read_scores": "judging.sheets.sheet",
    "reliability_of": "judging.analysis.analyze",
    "remove_affinity": "judging.analysis.affinity",
    "sheet_reliability": "judging.reliability.agreement",
    "simple_stderr": "judging.calibration.normalize",
    "tied_groups": "judging.ranking.uncertainty",
    "to_csv": "judging.command.report",
    "to_json": "judging.command.report",
    "to_table": "judging.command.report",
    "trimmed_mean": "judging.calibration.normalize",
    "zscore_mean": "judging.calibration.normalize",
}
"""Where each public name lives."""


__all__ = [
    "CONFIDENCE_WORDS",
    "CSV_TABLES",
    "METHODS",
    "ROW_FIELDS",
    "SIMPLE_METHODS",
    "AffinityAudit",
    "Analysis",
    "AssignmentError",
    "AssignmentReport",
    "Calibration",
    "CategoryOverlap",
    "Criterion",
    "EntryResult",
    "EntrySpec",
    "IccInterval",
    "IccResult",
    "InputError",
    "JudgeAffinity",
    "JudgeResult",
    "JudgeSpec",
    "PairResult",
    "ReliabilityGroup",
    "Rubric",
    "ScoreRows",
    "ScoreSheet",
    "TopKChange",
    "affinity_audit",
    "analyze",
    "analyze_rows",
    "assign",
    "assignment_report",
    "build_sheet",
    "calibrate",
    "component_names",
    "difference_stderr",
    "draw_values",
    "icc",
    "icc_intervals",
    "is_complete",
    "judge_components",
    "kendall_w",
    "krippendorff_alpha",
    "krippendorff_alpha_interval",
    "leave_one_judge_out",
    "median_score",
    "model_summary",
    "overlap_components",
    "p_top_k",
    "parse_shrinkage",
    "rank_mean",
    "rank_within_categories",
    "raw_mean",
    "read_rubric",
    "read_scores",
    "reliability_of",
    "remove_affinity",
    "sheet_reliability",
    "simple_stderr",
    "tied_groups",
    "to_csv",
    "to_json",
    "to_table",
    "trimmed_mean",
    "zscore_mean",
]


def __getattr__(name: str):
    """Import a public name from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'judging' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
