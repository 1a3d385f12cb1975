"""judging: the scoring science of Anugerah — pure Python + numpy.

Score sheets and rubric totals (:mod:`judging.sheet`), simple normalizations
(:mod:`judging.normalize`), additive calibration of judge bias with shrinkage
(:mod:`judging.calibrate`, the mixed model in :mod:`judging.mixed`), uncertainty of ranks
(:mod:`judging.uncertainty`), ranking and warnings (:mod:`judging.rank`), the favouritism
audit (:mod:`judging.affinity`), the whole analysis (:mod:`judging.analyze`) and its output
formats (:mod:`judging.report`); reliability statistics (:mod:`judging.reliability`, per
category and criterion in :mod:`judging.agreement`); judge assignment (:mod:`judging.assign`).
The web app calls :func:`analyze_rows` (:mod:`judging.api`): rows in, the whole analysis out.

Exceptions::

    ValueError
     ├── InputError        bad input file; names file, line and column
     └── AssignmentError   no valid assignment; names the entry, judge or category at fault

Names are imported on first use (PEP 562), so ``python -m judging --help`` and the command
line's start-up do not load modules a command does not need.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from judging.affinity import AffinityAudit, JudgeAffinity, affinity_audit, remove_affinity
    from judging.agreement import ReliabilityGroup, sheet_reliability
    from judging.analyze import (
        METHODS,
        Analysis,
        EntryResult,
        JudgeResult,
        PairResult,
        analyze,
        reliability_of,
    )
    from judging.api import ROW_FIELDS, analyze_rows
    from judging.assign import (
        AssignmentError,
        AssignmentReport,
        CategoryOverlap,
        EntrySpec,
        JudgeSpec,
        assign,
        assignment_report,
        overlap_components,
    )
    from judging.calibrate import Calibration, calibrate, parse_shrinkage
    from judging.csvio import InputError
    from judging.graph import component_names, judge_components
    from judging.normalize import (
        SIMPLE_METHODS,
        median_score,
        rank_mean,
        raw_mean,
        simple_stderr,
        trimmed_mean,
        zscore_mean,
    )
    from judging.rank import rank_within_categories
    from judging.reliability import (
        IccInterval,
        IccResult,
        icc,
        icc_intervals,
        is_complete,
        kendall_w,
        krippendorff_alpha,
        krippendorff_alpha_interval,
    )
    from judging.report import CSV_TABLES, model_summary, to_csv, to_json, to_table
    from judging.sheet import (
        CONFIDENCE_WORDS,
        Criterion,
        Rubric,
        ScoreRows,
        ScoreSheet,
        build_sheet,
        read_rubric,
        read_scores,
    )
    from judging.uncertainty import (
        TopKChange,
        difference_stderr,
        draw_values,
        leave_one_judge_out,
        p_top_k,
        tied_groups,
    )

_WHERE = {
    "AffinityAudit": "judging.affinity",
    "Analysis": "judging.analyze",
    "AssignmentError": "judging.assign",
    "AssignmentReport": "judging.assign",
    "CONFIDENCE_WORDS": "judging.sheet",
    "CSV_TABLES": "judging.report",
    "Calibration": "judging.calibrate",
    "CategoryOverlap": "judging.assign",
    "Criterion": "judging.sheet",
    "EntryResult": "judging.analyze",
    "EntrySpec": "judging.assign",
    "IccInterval": "judging.reliability",
    "IccResult": "judging.reliability",
    "InputError": "judging.csvio",
    "JudgeAffinity": "judging.affinity",
    "JudgeResult": "judging.analyze",
    "JudgeSpec": "judging.assign",
    "METHODS": "judging.analyze",
    "PairResult": "judging.analyze",
    "ROW_FIELDS": "judging.api",
    "ReliabilityGroup": "judging.agreement",
    "Rubric": "judging.sheet",
    "SIMPLE_METHODS": "judging.normalize",
    "ScoreRows": "judging.sheet",
    "ScoreSheet": "judging.sheet",
    "TopKChange": "judging.uncertainty",
    "affinity_audit": "judging.affinity",
    "analyze": "judging.analyze",
    "analyze_rows": "judging.api",
    "assign": "judging.assign",
    "assignment_report": "judging.assign",
    "build_sheet": "judging.sheet",
    "calibrate": "judging.calibrate",
    "component_names": "judging.graph",
    "difference_stderr": "judging.uncertainty",
    "draw_values": "judging.uncertainty",
    "icc": "judging.reliability",
    "icc_intervals": "judging.reliability",
    "is_complete": "judging.reliability",
    "judge_components": "judging.graph",
    "kendall_w": "judging.reliability",
    "krippendorff_alpha": "judging.reliability",
    "krippendorff_alpha_interval": "judging.reliability",
    "leave_one_judge_out": "judging.uncertainty",
    "median_score": "judging.normalize",
    "model_summary": "judging.report",
    "overlap_components": "judging.assign",
    "p_top_k": "judging.uncertainty",
    "parse_shrinkage": "judging.calibrate",
    "rank_mean": "judging.normalize",
    "rank_within_categories": "judging.rank",
    "raw_mean": "judging.normalize",
    "read_rubric": "judging.sheet",
    "read_scores": "judging.sheet",
    "reliability_of": "judging.analyze",
    "remove_affinity": "judging.affinity",
    "sheet_reliability": "judging.agreement",
    "simple_stderr": "judging.normalize",
    "tied_groups": "judging.uncertainty",
    "to_csv": "judging.report",
    "to_json": "judging.report",
    "to_table": "judging.report",
    "trimmed_mean": "judging.normalize",
    "zscore_mean": "judging.normalize",
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


class _Package(types.ModuleType):
    """The package module. Importing a submodule sets ``judging.<submodule>``; for ``assign``,
    ``analyze`` and ``calibrate`` that would hide the public function of the same name (once
    ``judging.assign`` the module, ``judging.assign(...)`` fails), so such a setting is
    ignored: the submodule stays in ``sys.modules`` and the name resolves to the function."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _WHERE:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
