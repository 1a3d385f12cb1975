"""P(rank <= k) by structured draws, tied groups, and leave-one-judge-out."""

import math

import numpy as np
from numpy.testing import assert_allclose

from judging.calibration.calibrate import calibrate
from judging.ranking.uncertainty import (
    difference_stderr,
    draw_values,
    independent_difference_stderr,
    leave_one_judge_out,
    negligible_z,
    p_top_k,
    tied_groups,
)
from judging.sheets.sheet import build_sheet


def _sheet(seed, n_entries=30, n_judges=6, per_entry=3, categories=("A", "B")):
    rng = np.random.default_rng(seed)
    truth = rng.normal(50, 8, n_entries)
    bias = rng.normal(0, 4, n_judges)
    rows = []
    for e in range(n_entries):
        for j in rng.choice(n_judges, per_entry, replace=False):
            cat = categories[e % len(categories)]
            rows.append((f"e{e:02d}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 3), cat))
    entries, judges, values, cats = zip(*rows, strict=True)
    return build_sheet(entries, judges, values, categories=cats)


def test_draw_values_match_model_covariance():
    """Draws have mean value_hat and covariance sigma^2/W_e I + A Cov(b) A^T."""
    sheet = _sheet(1, n_entries=8, n_judges=4)
    cal = calibrate(sheet, "none")
    draws = np.vstack(list(draw_values(cal, 40_000, seed=3)))
    mix = np.zeros((sheet.n_entries, sheet.n_judges))
    mix[sheet.entry_idx, sheet.judge_idx] = cal.mixture
    model = mix @ cal.bias_cov @ mix.T + np.diag(cal.sigma2 / cal.precision)
    assert_allclose(draws.mean(axis=0), cal.values, atol=0.05)
    assert_allclose(np.cov(draws.T), model, atol=0.06 * model.max())


def test_p_top_k_is_seeded_and_sums_to_k_per_category():
    """Same seed, same probabilities; each category's probabilities add up to k."""
    sheet = _sheet(2)
    cal = calibrate(sheet, "judgewise")
    first = p_top_k(cal, sheet.category, 3, draws=700, seed=5)
    again = p_top_k(cal, sheet.category, 3, draws=700, seed=5)
    assert np.array_equal(first, again)
    cats = np.array(sheet.category)
    assert_allclose([first[cats == c].sum() for c in ("A", "B")], [3.0, 3.0])


def test_p_top_k_small_category_is_certain():
    """A category with at most k entries puts every entry in its top k."""
    sheet = _sheet(3, n_entries=10, categories=("A", "A", "A", "A", "A", "A", "A", "A", "B", "B"))
    cal = calibrate(sheet, "none")
    p = p_top_k(cal, sheet.category, 3, draws=200, seed=0)
    assert_allclose(p[np.array(sheet.category) == "B"], 1.0)


def test_tied_groups_join_entries_within_196_se_of_leader():
    """Entries within 1.96 SE of the group's leader join it; the first one outside starts anew."""
    values = np.array([10.0, 9.0, 8.5, 5.0, 4.9, 1.0])
    stderr = np.full(6, 0.5)  # SE of a difference = sqrt(0.5) = 0.707, threshold 1.386
    groups = tied_groups(np.arange(6), values, independent_difference_stderr(stderr))
    assert [g.tolist() for g in groups] == [[0, 1], [3, 4]]


def test_tied_groups_leader_rule_breaks_long_chains():
    """A chain of small steps is cut when the distance to the leader becomes significant."""
    values = np.array([10.0, 9.0, 8.0, 7.0, 6.0])
    groups = tied_groups(np.arange(5), values, independent_difference_stderr(np.full(5, 0.5)))
    assert [g.tolist() for g in groups] == [[0, 1], [2, 3]]


def test_difference_stderr_accounts_for_shared_judges():
    """SE of a difference equals the dense model's sqrt(Var_a + Var_b - 2 Cov_ab)."""
    sheet = _sheet(4, n_entries=10, n_judges=4)
    cal = calibrate(sheet, 1.0)
    mix = np.zeros((sheet.n_entries, sheet.n_judges))
    mix[sheet.entry_idx, sheet.judge_idx] = cal.mixture
    cov = mix @ cal.bias_cov @ mix.T + np.diag(cal.sigma2 / cal.precision)
    left, right = np.array([0, 2, 5]), np.array([1, 7, 9])
    expected = np.sqrt(cov[left, left] + cov[right, right] - 2 * cov[left, right])
    assert_allclose(difference_stderr(cal)(left, right), expected, rtol=1e-10)


def _top(sheet, cal, category, k):
    members = [e for e in range(sheet.n_entries) if sheet.category[e] == category]
    members = [e for e in members if np.isfinite(cal.values[e])]
    members.sort(key=lambda e: (-cal.values[e], sheet.entry_ids[e]))
    return tuple(sheet.entry_ids[e] for e in members[:k])


def test_leave_one_judge_out_matches_refitting_without_the_judge():
    """The updated J x J solve gives the same top-k changes as a full refit per judge."""
    sheet = _sheet(5, n_entries=40, n_judges=8)
    cal = calibrate(sheet, 1.5)
    expected = []
    for j, judge in enumerate(sheet.judge_ids):
        keep = sheet.judge_idx != j
        sub = build_sheet(
            [sheet.entry_ids[e] for e in sheet.entry_idx[keep]],
            [sheet.judge_ids[x] for x in sheet.judge_idx[keep]],
            sheet.total[keep],
            categories=[sheet.category[e] for e in sheet.entry_idx[keep]],
        )
        refit = calibrate(sub, 1.5)
        for cat in ("A", "B"):
            before, after = _top(sheet, cal, cat, 3), _top(sub, refit, cat, 3)
            if before != after:
                expected.append((judge, cat, before, after))
    changes = leave_one_judge_out(sheet, cal, 3)
    assert [(c.judge, c.category, c.before, c.after) for c in changes] == expected
    assert expected  # this seed does move some top 3


def test_p_top_k_prefilter_matches_drawing_every_entry():
    """Skipping entries far below the k-th best changes no probability beyond Monte Carlo error."""
    sheet = _sheet(6, n_entries=60, n_judges=8, categories=("A",))
    cal = calibrate(sheet, "judgewise")
    p = p_top_k(cal, sheet.category, 3, draws=4000, seed=1)
    block = np.vstack(list(draw_values(cal, 4000, seed=2)))
    threshold = np.sort(block, axis=1)[:, -3]
    brute = (block >= threshold[:, None]).mean(axis=0)
    assert_allclose(p, brute, atol=0.03)
    assert np.count_nonzero(p == 0) > 20  # most entries cannot reach the top 3


def test_negligible_z_leaves_out_under_a_tenth_of_a_hit():
    """The pre-filter's cut: k Phi(-z) draws = 0.1 (a left-out entry would be expected in the
    top k of under 0.1 draws in all), never beyond 6 standard errors."""
    for k, draws in ((3, 1000), (1, 200), (10, 10_000)):
        z = negligible_z(k, draws)
        assert_allclose(k * 0.5 * math.erfc(z / math.sqrt(2.0)) * draws, 0.1, rtol=1e-9)
    assert negligible_z(50, 10**9) == 6.0


def _refit_top(sheet, cal, judge, shrinkage):
    """Top 3 per category after refitting without ``judge`` by the documented rule."""
    keep = sheet.judge_idx != judge
    sub = build_sheet(
        [sheet.entry_ids[e] for e in sheet.entry_idx[keep]],
        [sheet.judge_ids[x] for x in sheet.judge_idx[keep]],
        sheet.total[keep],
        categories=[sheet.category[e] for e in sheet.entry_idx[keep]],
    )
    refit = calibrate(sub, shrinkage if isinstance(shrinkage, float) else "none")
    if shrinkage == "judgewise":  # keep the full fit's s_k; re-centre over its components
        index = [sheet.judge_ids.index(x) for x in sub.judge_ids]
        b = cal.shrink_factors[index] * refit.biases
        comp = cal.component[index]
        b = b - (np.bincount(comp, b) / np.bincount(comp))[comp]
        shift = np.bincount(sub.entry_idx, refit.mixture * (refit.biases - b)[sub.judge_idx])
        refit = type(refit)(**{**_fields(refit), "values": refit.values + shift})
    return sub, refit


def _fields(cal):
    return {name: getattr(cal, name) for name in cal.__dataclass_fields__}


def test_leave_one_judge_out_none_and_auto_match_refits():
    """For none and auto, the pruned update gives the top-3 changes of a refit per judge."""
    sheet = _sheet(7, n_entries=60, n_judges=8)
    for shrinkage in ("none", "judgewise"):
        cal = calibrate(sheet, shrinkage)
        expected = []
        for j, judge in enumerate(sheet.judge_ids):
            sub, refit = _refit_top(sheet, cal, j, shrinkage)
            for cat in ("A", "B"):
                before, after = _top(sheet, cal, cat, 3), _top(sub, refit, cat, 3)
                if before != after:
                    expected.append((judge, cat, before, after))
        changes = leave_one_judge_out(sheet, cal, 3)
        assert [(c.judge, c.category, c.before, c.after) for c in changes] == expected
        assert expected  # this seed does move some top 3


def test_p_top_k_auto_draws_use_the_shrunk_covariance():
    """auto draws have covariance sigma^2/W_e I + A Cov(b) A^T with Cov(b) of the shrunk
    estimator (P(S C S + tau^2 (I - S)^2)P), not the fixed-effects one."""
    sheet = _sheet(8, n_entries=8, n_judges=4)
    cal = calibrate(sheet, "judgewise")
    draws = np.vstack(list(draw_values(cal, 40_000, seed=4)))
    mix = np.zeros((sheet.n_entries, sheet.n_judges))
    mix[sheet.entry_idx, sheet.judge_idx] = cal.mixture
    model = mix @ cal.bias_cov @ mix.T + np.diag(cal.sigma2 / cal.precision)
    assert_allclose(np.cov(draws.T), model, atol=0.06 * model.max())
    assert_allclose(cal.value_stderr**2, np.diag(model), rtol=1e-10)


def test_leave_one_judge_out_with_single_judge_entries_matches_refits():
    """Entries scored by one judge drop out of both sides; the rest match a refit per judge."""
    rng = np.random.default_rng(12)
    base = _sheet(9, n_entries=40, n_judges=6)
    rows = [
        (base.entry_ids[e], base.judge_ids[j], float(v), base.category[e])
        for e, j, v in zip(base.entry_idx, base.judge_idx, base.total, strict=True)
    ]
    for i in range(8):  # strong entries with a single judge each
        rows.append((f"solo{i}", f"j{i % 6}", 70.0 + rng.normal(0, 3), "AB"[i % 2]))
    entries, judges, values, cats = zip(*rows, strict=True)
    sheet = build_sheet(entries, judges, values, categories=cats)
    for shrinkage in ("none", "judgewise", 2.0):
        cal = calibrate(sheet, shrinkage)
        expected = []
        for j, judge in enumerate(sheet.judge_ids):
            sub, refit = _refit_top(sheet, cal, j, "none" if shrinkage == "none" else shrinkage)
            kept = set(sub.entry_ids)
            for cat in ("A", "B"):
                members = [
                    e
                    for e in range(sheet.n_entries)
                    if sheet.category[e] == cat and sheet.entry_ids[e] in kept
                ]
                members.sort(key=lambda e: (-cal.values[e], sheet.entry_ids[e]))
                before = tuple(sheet.entry_ids[e] for e in members[:3])
                after = _top(sub, refit, cat, 3)
                if before != after:
                    expected.append((judge, cat, before, after))
        changes = leave_one_judge_out(sheet, cal, 3)
        assert [(c.judge, c.category, c.before, c.after) for c in changes] == expected
        assert changes  # some top 3 moves, beyond the entries that lose their only judge


def test_adjacent_z_and_placewise_groups_hand_worked():
    """Values 10, 9, 8, 5, 4.9, 1 with independent SEs 0.6: SE(diff) = 0.6 sqrt 2, so the
    cut-off is 1.96 * 0.849 = 1.663; 10~9, 9~8 but not 10~8; 5~4.9; 1 alone."""
    from judging.ranking.uncertainty import (
        adjacent_z,
        independent_difference_stderr,
        placewise_groups,
    )

    values = np.array([10.0, 9.0, 8.0, 5.0, 4.9, 1.0])
    order = np.arange(6)
    diff = independent_difference_stderr(np.full(6, 0.6))
    se = 0.6 * np.sqrt(2.0)
    assert_allclose(adjacent_z(order, values, diff), np.array([1.0, 1.0, 3.0, 0.1, 3.9]) / se)
    lo, hi = placewise_groups(order, values, diff)
    assert lo.tolist() == [0, 0, 1, 3, 3, 5]
    assert hi.tolist() == [1, 2, 2, 4, 4, 5]


def test_placewise_groups_are_not_capped():
    """Forty entries all within noise of each other form one place-wise group of 40."""
    from judging.ranking.uncertainty import independent_difference_stderr, placewise_groups

    values = np.linspace(50.0, 49.0, 40)
    lo, hi = placewise_groups(np.arange(40), values, independent_difference_stderr(np.ones(40)))
    assert lo.tolist() == [0] * 40
    assert hi.tolist() == [39] * 40


def _placewise_reference(ordered, values, diff_stderr, z=1.96):
    """The place-wise walk one pair at a time (the definition, without batching)."""
    n = ordered.size
    hi = np.arange(n)
    reach = 0
    for i in range(n - 1):
        reach = max(reach, i)
        pair = ordered[[i]], ordered[[i + 1]]
        near = abs(values[pair[0]] - values[pair[1]])[0] / diff_stderr(*pair)[0] < z
        if reach == i and not near:
            continue
        if reach == i:
            reach = i + 1
        while reach + 1 < n:
            me, nxt = ordered[[i]], ordered[[reach + 1]]
            if not (abs(values[me] - values[nxt]) < z * diff_stderr(me, nxt))[0]:
                break
            reach += 1
        hi[i] = reach
    hi = np.maximum.accumulate(hi)
    lo = np.minimum(np.searchsorted(hi, np.arange(n), side="left"), np.arange(n))
    return lo, hi


def test_placewise_groups_batched_equals_one_pair_reference():
    """The block-batched place-wise walk gives exactly the one-pair-at-a-time groups, for the
    calibrated SEs and for independent SEs with NaN values, at several batch sizes."""
    import warnings

    from judging.ranking.uncertainty import placewise_groups

    for seed in range(6):
        rng = np.random.default_rng(seed)
        sheet = _sheet(seed, n_entries=60, n_judges=8)
        cal = calibrate(sheet, "auto")
        order = np.argsort(-cal.values, kind="stable")
        values = np.where(rng.random(120) < 0.05, np.nan, rng.normal(0, 1, 120).cumsum())
        ind_order = np.argsort(-np.nan_to_num(values, nan=-1e9), kind="stable")
        cases = [
            (order, cal.values, difference_stderr(cal)),
            (ind_order, values, independent_difference_stderr(rng.uniform(0.2, 3.0, 120))),
        ]
        for ordered, vals, diff in cases:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                want = _placewise_reference(ordered, vals, diff)
                for batch in (1, 4, 9, 64):
                    lo, hi = placewise_groups(ordered, vals, diff, batch=batch)
                    assert lo.tolist() == want[0].tolist()
                    assert hi.tolist() == want[1].tolist()
            assert (want[1] - np.arange(ordered.size)).max() >= 2  # some groups span 3+


def _shrunk_sheet(seed, n_entries=40, n_judges=10, per_entry=3):
    """Entries that differ little against noisy judges: the random-entries model shrinks them
    hard, so its variance floor binds."""
    rng = np.random.default_rng(seed)
    truth, bias = rng.normal(50, 1.5, n_entries), rng.normal(0, 2, n_judges)
    rows = []
    for e in range(n_entries):
        for j in rng.choice(n_judges, per_entry, replace=False):
            rows.append((f"e{e:02d}", f"j{j}", truth[e] + bias[j] + rng.normal(0, 3)))
    entries, judges, values = zip(*rows, strict=True)
    return build_sheet(entries, judges, values)


def test_draw_values_random_model_use_the_floored_stderr():
    """With the variance floor binding, draws have the reported value_stderr and the reported
    SE of differences (the floor is independent noise), so P(top k) uses the uncertainty it
    reports."""
    cal = calibrate(_shrunk_sheet(0), "auto")
    assert cal.model == "random entries and judges"
    assert (cal.extra_var > 0.1 * cal.value_stderr**2).all()  # the floor binds everywhere
    draws = np.vstack(list(draw_values(cal, 40_000, seed=2)))
    assert_allclose(draws.std(axis=0), cal.value_stderr, rtol=0.03)
    left, right = np.arange(0, 39), np.arange(1, 40)
    spread = (draws[:, left] - draws[:, right]).std(axis=0)
    assert_allclose(spread, difference_stderr(cal)(left, right), rtol=0.03)


def test_leave_one_judge_out_random_model_uses_the_documented_ridge_approximation():
    """Random entries: without judge j the values are the BLUP plus the change of the ridge
    solution (lambda = sigma^2 / tau^2) on leaving j out; the pruned update finds exactly the
    top-3 changes of that rule applied to every entry, and before is the BLUP's own top 3."""
    sheet = _shrunk_sheet(0, n_entries=60, n_judges=8)
    sheet = build_sheet(
        [sheet.entry_ids[e] for e in sheet.entry_idx],
        [sheet.judge_ids[x] for x in sheet.judge_idx],
        sheet.total,
        categories=["AB"[e % 2] for e in sheet.entry_idx],
    )
    cal = calibrate(sheet, "auto")
    assert cal.model == "random entries and judges"
    full = calibrate(sheet, float(cal.shrinkage))
    expected = []
    for j, judge in enumerate(sheet.judge_ids):
        sub, refit = _refit_top(sheet, cal, j, float(cal.shrinkage))
        moved = {
            sub.entry_ids[e]: cal.values[sheet.entry_ids.index(sub.entry_ids[e])]
            + refit.values[e]
            - full.values[sheet.entry_ids.index(sub.entry_ids[e])]
            for e in range(sub.n_entries)
        }
        for cat in ("A", "B"):
            members = [
                x for x in sheet.entry_ids if sheet.category[sheet.entry_ids.index(x)] == cat
            ]
            before = tuple(
                sorted(members, key=lambda x: (-cal.values[sheet.entry_ids.index(x)], x))[:3]
            )
            left = [x for x in members if x in moved]
            after = tuple(sorted(left, key=lambda x: (-moved[x], x))[:3])
            if before != after:
                expected.append((judge, cat, before, after))
    changes = leave_one_judge_out(sheet, cal, 3)
    assert [(c.judge, c.category, c.before, c.after) for c in changes] == expected
    assert expected  # some judge moves a top 3


def test_tied_groups_sized_by_own_stderr_equal_plain_batches():
    """Sizing each group's first batch by the entries' own standard errors (with a NaN value
    and a NaN SE in the list) gives the same groups as plain doubling batches."""
    sheet = _sheet(21, n_entries=120, n_judges=10, categories=("A",))
    cal = calibrate(sheet, "none")
    values = cal.values.copy()
    values[5] = np.nan
    stderr = cal.value_stderr.copy()
    stderr[40] = np.nan
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")
    diff = difference_stderr(cal)

    def masked(left, right):
        out = diff(left, right)
        return np.where(np.isnan(stderr[left]) | np.isnan(stderr[right]), np.nan, out)

    for z in (0.5, 1.96, 4.0):
        plain = tied_groups(order, values, masked, z=z, batch=2)
        sized = tied_groups(order, values, masked, z=z, stderr=stderr)
        assert [g.tolist() for g in sized] == [g.tolist() for g in plain]
        assert any(len(g) > 2 for g in plain)
