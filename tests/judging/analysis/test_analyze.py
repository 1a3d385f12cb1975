"""The whole analysis: reliability on packed matrices, warnings, methods, output formats."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from judging.analysis.analyze import analyze, reliability_of
from judging.command.report import to_csv, to_table
from judging.ranking.uncertainty import p_top_k_independent
from judging.reliability.coefficients import krippendorff_alpha_interval
from judging.sheets.sheet import build_sheet


def _design(seed, n_entries=24, n_judges=6, per_entry=3, outlier=None):
    rng = np.random.default_rng(seed)
    truth = rng.normal(50, 10, n_entries)
    bias = rng.normal(0, 3, n_judges)
    rows = []
    for e in range(n_entries):
        for j in rng.choice(n_judges, per_entry, replace=False):
            rows.append([f"e{e:02d}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 1)])
    if outlier is not None:
        rows[outlier][2] += 40.0
    entries, judges, values = zip(*rows, strict=True)
    return build_sheet(entries, judges, values)


def test_reliability_of_packed_matrix_equals_full_matrix_alpha():
    """Alpha on the packed E x max(m) matrix equals alpha on the full E x J matrix."""
    sheet = _design(1)
    full = np.full((sheet.n_entries, sheet.n_judges), np.nan)
    full[sheet.entry_idx, sheet.judge_idx] = sheet.total
    result = reliability_of(sheet)
    assert list(result) == ["krippendorff_alpha"]
    assert_allclose(result["krippendorff_alpha"], krippendorff_alpha_interval(full))


def test_reliability_of_complete_design_adds_icc_and_w():
    """A complete design reports the six ICCs and Kendall's W."""
    sheet = _design(2, n_entries=6, n_judges=3, per_entry=3)
    assert set(reliability_of(sheet)) == {
        "krippendorff_alpha",
        "icc1",
        "icc2",
        "icc3",
        "icc1k",
        "icc2k",
        "icc3k",
        "kendall_w",
    }


def test_analyze_flags_planted_outlier():
    """A score pushed 40 points off is named as an outlier with its standardized residual."""
    sheet = _design(3, outlier=10)
    result = analyze(sheet, draws=0)
    flagged = [w for w in result.warnings if "far from what the model expects" in w]
    assert len(flagged) == 1
    judge = sheet.judge_ids[sheet.judge_idx[np.argmax(np.abs(result.calibration.residual))]]
    assert f"judge {judge} on entry" in flagged[0]


def test_analyze_draws_zero_leaves_p_top_empty():
    """--draws 0 skips the Monte Carlo: p_top is None for every entry."""
    result = analyze(_design(4), draws=0)
    assert {r.p_top for r in result.entries} == {None}


def test_analyze_entries_come_by_category_then_rank():
    """Entries are listed by category name, ranks 1..n inside each (a ties c: id decides)."""
    rows = [("a", "x", 3), ("b", "x", 5), ("c", "y", 4), ("a", "y", 2), ("c", "x", 1)]
    entries, judges, values = zip(*rows, strict=True)
    sheet = build_sheet(entries, judges, values, categories=["k2", "k1", "k2", "k2", "k2"])
    result = analyze(sheet, method="raw", draws=0)
    assert [(r.category, r.rank, r.entry) for r in result.entries] == [
        ("k1", 1, "b"),
        ("k2", 1, "a"),
        ("k2", 2, "c"),
    ]


def test_analyze_zscore_method_reports_reorder_versus_raw():
    """When the top k differs from the raw mean's, a warning names both lists."""
    rows = [("a", "h", 3), ("b", "h", 1), ("b", "l", 9), ("c", "l", 8.5), ("d", "l", 8)]
    entries, judges, values = zip(*rows, strict=True)
    result = analyze(build_sheet(entries, judges, values), method="zscore", top=1, draws=0)
    assert any(w.startswith("In the ranking the top 1 by zscore score") for w in result.warnings)


def test_analyze_rejects_unknown_method():
    """Only the documented methods are accepted."""
    with pytest.raises(ValueError, match="unknown method"):
        analyze(_design(5), method="best")


def test_p_top_k_independent_separates_distant_entries():
    """Far apart scores with small errors: the leader is certain, the others never make it."""
    p = p_top_k_independent(
        np.array([10.0, 0.0, -10.0]), np.array([0.1, 0.1, 0.1]), ["", "", ""], 1, 200, 0
    )
    assert p.tolist() == [1.0, 0.0, 0.0]


def test_report_csv_and_table_render_every_entry():
    """CSV has one row per entry; the table has a judge section and all entry ids."""
    sheet = _design(6)
    result = analyze(sheet, draws=50)
    csv_text = to_csv(result)
    assert len(csv_text.strip().splitlines()) == sheet.n_entries + 1
    table = to_table(result)
    assert all(e in table for e in sheet.entry_ids)
    assert "Judges (bias from the calibration model)" in table
    assert not math.isnan(result.entries[0].score)


def test_analyze_single_judge_sheet_reports_missing_noise_estimate():
    """One judge, no overlap: no crash; stderr and p_top unknown; warnings say why."""
    sheet = build_sheet(["a", "b", "c"], ["j", "j", "j"], [1.0, 2.0, 2.0])
    result = analyze(sheet)
    assert [r.entry for r in result.entries] == ["b", "c", "a"]
    assert {r.p_top for r in result.entries} == {None}
    assert all(math.isnan(r.stderr) for r in result.entries)
    assert any("too few scores to estimate the judges' noise" in w for w in result.warnings)
    assert not any(w.startswith("Without judge") for w in result.warnings)


def test_analyze_warns_when_shrinkage_changes_the_top_k():
    """A one-score judge who marks the best entry down moves it under `judgewise`, not `none`."""
    rng = np.random.default_rng(10)
    truth, bias = rng.normal(50, 5, 12), rng.normal(0, 4, 5)
    rows = [
        (f"e{e:02d}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 3))
        for e in range(12)
        for j in rng.choice(5, 3, replace=False)
    ]
    best = int(np.argmax(truth))
    rows.append((f"e{best:02d}", "late", truth[best] - 15))
    entries, judges, values = zip(*rows, strict=True)
    sheet = build_sheet(entries, judges, values)
    result = analyze(sheet, shrinkage="judgewise", top=1, draws=0)
    assert [w for w in result.warnings if "without shrinkage (--shrinkage none)" in w] == [
        "In the ranking the top 1 by calibrated score (e03) differs from the top 1 by calibrated "
        "score without shrinkage (--shrinkage none) (e07)."
    ]


def test_analyze_exact_fit_has_zero_noise_and_no_outliers():
    """Scores that fit the additive model exactly give sigma^2 = 0 and no outlier warning."""
    rows = [
        (e, j, v + b)
        for e, v in (("a", 80), ("b", 70), ("c", 60))
        for j, b in (("j1", 0), ("j2", 1), ("j3", -1))
    ]
    rows.append(("a", "x", 20.0))
    entries, judges, values = zip(*rows, strict=True)
    result = analyze(build_sheet(entries, judges, values), draws=10)
    assert result.calibration.sigma2 == 0.0
    assert not any("far from what the model expects" in w for w in result.warnings)
    assert [r.entry for r in result.entries] == ["a", "b", "c"]


def _two_groups():
    """Two judge groups sharing no entry; the second group's judges are 15 points more lenient."""
    rng = np.random.default_rng(0)
    rows = []
    for g, offset in enumerate([0.0, 15.0]):
        quality = rng.normal(50, 8, 10)
        for e in range(10):
            for j in range(3):
                rows.append((f"g{g}e{e}", f"g{g}j{j}", quality[e] + offset + rng.normal(0, 2)))
    return build_sheet(*zip(*rows, strict=True))


def test_analyze_ranks_calibrated_scores_within_disconnected_judge_groups():
    """Each judge group gets ranks 1..10 and its own P(top 2) summing to 2 (so the lenient
    group's entries are not all certain of the top 2); a warning says so."""
    result = analyze(_two_groups(), top=2, draws=2000)
    for group in (0, 1):
        members = [r for r in result.entries if r.component == group]
        assert sorted(r.rank for r in members) == list(range(1, 11))
        assert sum(r.p_top for r in members) == pytest.approx(2.0)
        assert all(r.entry.startswith(f"g{group}") for r in members)
    assert any("ranked within each of the 2 judge groups" in w for w in result.warnings)


def test_analyze_raw_method_warns_that_groups_are_assumed_comparable():
    """The raw mean ranks across judge groups (one ranking of 20) and warns about it."""
    result = analyze(_two_groups(), method="raw", top=2, draws=0)
    assert sorted(r.rank for r in result.entries) == list(range(1, 21))
    assert any("assumes the groups' judges are equally lenient" in w for w in result.warnings)


def test_analyze_reports_adjacent_z_and_placewise_ranks():
    """Every entry but the last of a ranking has z_next; tied_ranks brackets its own rank."""
    result = analyze(_two_groups(), top=2, draws=0)
    for r in result.entries:
        assert r.tied_ranks[0] <= r.rank <= r.tied_ranks[1]
        assert (r.z_next is None) == (r.rank == 10)


def test_build_all_gives_frozen_instances_equal_to_the_constructor():
    """Rows built in bulk equal, hash and pickle like ``EntryResult(...)``, keep the class's
    defaults, and stay frozen."""
    import dataclasses
    import pickle

    from judging.analysis.types import EntryResult, PairResult, build_all

    row = ("e1", "A", 1, 7.5, 0.25, 7.0, 3, None, ("e2",), 1.5, (1, 2), 0)
    built = build_all(EntryResult, *([value] for value in row))
    assert built == [EntryResult(*row)]
    assert type(built[0]) is EntryResult
    assert hash(built[0]) == hash(EntryResult(*row))
    assert pickle.loads(pickle.dumps(built[0])) == EntryResult(*row)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].rank = 2
    short = build_all(EntryResult, *([value] for value in row[:9]))
    assert short == [EntryResult(*row[:9])]
    assert short[0].tied_ranks == (0, 0)
    assert build_all(PairResult, ["A"], ["e1"], ["e2"], [0.5], [0.25], [2.0]) == [
        PairResult("A", "e1", "e2", 0.5, 0.25, 2.0)
    ]
