"""Invariants of the calibration model, checked on random designs with hypothesis."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from judging.calibration.calibrate import calibrate
from judging.calibration.normalize import raw_mean
from judging.ranking.rank import rank_within_categories
from judging.sheets.sheet import build_sheet


@st.composite
def designs(draw, complete=False):
    """Random incomplete designs: every entry scored by a non-empty set of judges."""
    n_e = draw(st.integers(2, 8))
    n_j = draw(st.integers(2, 5))
    rows = []
    for e in range(n_e):
        if complete:
            chosen = list(range(n_j))
        else:
            chosen = draw(st.sets(st.integers(0, n_j - 1), min_size=1, max_size=n_j))
        for j in sorted(chosen):
            rows.append((f"e{e}", f"j{j}", float(draw(st.integers(0, 100)))))
    return rows


def _sheet(rows):
    entries, judges, values = zip(*rows, strict=True)
    return build_sheet(entries, judges, values)


@settings(max_examples=60, deadline=None)
@given(rows=designs(), shift=st.integers(-30, 30), which=st.integers(0, 4))
def test_calibrate_constant_added_to_one_judge_leaves_comparisons_unchanged(rows, shift, which):
    """Shrinkage none: adding c to one judge's scores changes no difference between entry values
    of a component; the values of j's component all move by the gauge share c / n_c."""
    sheet = _sheet(rows)
    judge = sheet.judge_ids[which % sheet.n_judges]
    moved = _sheet([(e, j, v + shift if j == judge else v) for e, j, v in rows])
    before, after = calibrate(sheet, "none"), calibrate(moved, "none")
    assert moved.entry_ids == sheet.entry_ids
    comp = before.component
    j = sheet.judge_ids.index(judge)
    in_comp = comp[sheet.judge_idx] == comp[j]
    entries_in = np.zeros(sheet.n_entries, bool)
    entries_in[sheet.entry_idx[in_comp]] = True
    expected = np.where(entries_in, shift / np.count_nonzero(comp == comp[j]), 0.0)
    assert_allclose(after.values - before.values, expected, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(rows=designs(), seed=st.integers(0, 2**32 - 1))
def test_calibrate_relabelling_ids_changes_nothing(rows, seed):
    """Renaming entries and judges and shuffling rows gives the same value for every entry (to
    the REML optimizer's tolerance, 1e-5 of the scale, when auto picks the mixed model; sheets
    whose model choice flips on rounding at the test's threshold are skipped)."""
    rng = np.random.default_rng(seed)
    rename = {name: f"x{rng.integers(1 << 30)}-{name}" for r in rows for name in r[:2]}
    shuffled = [rows[i] for i in rng.permutation(len(rows))]
    relabelled = _sheet([(rename[e], rename[j], v) for e, j, v in shuffled])
    original = _sheet(rows)
    a = calibrate(original, "auto")
    b = calibrate(relabelled, "auto")
    # the fixed-or-random choice is a threshold: rounding can flip it exactly at the boundary
    assume(a.model == b.model)
    tol = 1e-8 if a.model == "fixed entries" else 1e-5 * max(1.0, float(np.abs(a.values).max()))
    by_id = dict(zip(relabelled.entry_ids, b.values, strict=True))
    assert_allclose([by_id[rename[e]] for e in original.entry_ids], a.values, atol=tol)
    by_judge = dict(zip(relabelled.judge_ids, b.biases, strict=True))
    assert_allclose([by_judge[rename[j]] for j in original.judge_ids], a.biases, atol=tol)


@settings(max_examples=60, deadline=None)
@given(rows=designs(complete=True))
def test_calibrate_complete_balanced_design_ranks_like_raw_mean(rows):
    """Every judge scores every entry with equal confidence: calibrated = raw mean, same ranks."""
    sheet = _sheet(rows)
    cal, auto = calibrate(sheet, "none"), calibrate(sheet, "auto")
    raw = raw_mean(sheet.entry_idx, sheet.judge_idx, sheet.total)
    assert_allclose(cal.values, raw, atol=1e-9)
    cats = [""] * sheet.n_entries
    expected = rank_within_categories(raw, cats, sheet.entry_ids)
    assert np.array_equal(rank_within_categories(cal.values, cats, sheet.entry_ids), expected)
    distinct = np.diff(np.sort(raw)).min(initial=np.inf) > 1e-6 * max(1.0, np.abs(raw).max())
    if distinct:  # random entries shrink every mean alike: the order is kept
        assert np.array_equal(rank_within_categories(auto.values, cats, sheet.entry_ids), expected)


@settings(max_examples=80, deadline=None)
@given(rows=designs())
def test_calibrate_judgewise_is_centred_shrinkage_of_fixed_effects(rows):
    """auto: every s_j in [0, 1]; biases = s_j b_hat_j minus its component mean, so they sum
    to zero within each connected component."""
    sheet = _sheet(rows)
    none, auto = calibrate(sheet, "none"), calibrate(sheet, "judgewise")
    comp = auto.component
    sums = np.bincount(comp, auto.biases)
    assert_allclose(sums, 0.0, atol=1e-8 * max(1.0, float(np.abs(none.biases).max())))
    if auto.shrink_factors is None:  # no noise estimate: auto falls back to fixed effects
        assert_allclose(auto.biases, none.biases, atol=1e-9)
        return
    s = auto.shrink_factors
    assert np.all((s >= 0) & (s <= 1))
    shrunk = s * none.biases
    expected = shrunk - (np.bincount(comp, shrunk) / np.bincount(comp))[comp]
    assert_allclose(auto.biases, expected, atol=1e-8)
