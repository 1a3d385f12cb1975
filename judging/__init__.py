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
"""

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
