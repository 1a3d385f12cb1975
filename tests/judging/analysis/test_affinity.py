"""Favouritism audit: a hand-worked design, Holm's adjustment, and the 2018 Olympic skating
sheets (BuzzFeed News, 2018-02-olympic-figure-skating-analysis, CC BY 4.0; see
data/affinity_skating_extract.py)."""

import csv
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from judging.analysis.affinity import affinity_audit, group_affinity, holm, remove_affinity
from judging.calibration.calibrate import calibrate
from judging.sheets.sheet import build_sheet

DATA = Path(__file__).parents[1] / "data"


def _skating():
    with (DATA / "affinity_skating_totals.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    entries = [f"{r['program']}|{r['performance_id']}" for r in rows]
    judges = [f"{r['program']}|{r['judge']}" for r in rows]
    sheet = build_sheet(entries, judges, [float(r["total"]) for r in rows])
    judge_country = {j: r["judge_country"] for j, r in zip(judges, rows, strict=True)}
    nation = {e: r["nation"] for e, r in zip(entries, rows, strict=True)}
    names = {j: r["judge_name"] for j, r in zip(judges, rows, strict=True)}
    return sheet, judge_country, nation, names


def test_affinity_exact_on_a_noiseless_complete_design():
    """Scores value + bias + 5 on own-group pairs of judge A only: A's affinity is exactly 5,
    B's and C's are 0, and removing it restores the additive sheet."""
    values = {"e1": 60.0, "e2": 70.0, "e3": 50.0, "e4": 65.0}
    bias = {"A": 2.0, "B": -1.0, "C": -1.0}
    groups = {"e1": "x", "e2": "y", "e3": "x", "e4": "y"}
    judge_groups = {"A": "x", "B": "y", "C": "z"}
    rows = [
        (e, j, v + bias[j] + (5.0 if j == "A" and groups[e] == "x" else 0.0))
        for e, v in values.items()
        for j in bias
    ]
    sheet = build_sheet(*zip(*rows, strict=True))
    audit = affinity_audit(sheet, judge_groups, groups)
    by_judge = {a.judge: a for a in audit.judges}
    assert set(by_judge) == {"A", "B"}
    assert_allclose(by_judge["A"].estimate, 5.0, atol=1e-9)
    assert_allclose(by_judge["B"].estimate, 0.0, atol=1e-9)
    assert audit.own_scores == 4
    fixed = calibrate(remove_affinity(sheet, audit), "none")
    assert_allclose(fixed.residual, 0.0, atol=1e-9)


def test_affinity_holm_adjustment_hand_worked():
    """Holm: sorted p (0.01, 0.02, 0.04) with m = 3 become (0.03, 0.04, 0.04); NaN stays NaN."""
    assert_allclose(holm(np.array([0.04, 0.01, np.nan, 0.02])), [0.04, 0.03, np.nan, 0.04])


def test_affinity_refuses_a_sheet_without_own_group_scores():
    """No judge shares a group with an entry it scored: a ValueError says so."""
    sheet = build_sheet(["a", "a", "b", "b"], ["J", "K", "J", "K"], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="own group"):
        affinity_audit(sheet, {"J": "x"}, {"a": "y"})


def test_affinity_flags_own_country_judging_at_the_2018_olympics():
    """Real sheets: own-country residuals average +3.26 points against -0.21 (92% positive);
    the pooled affinity is 3.81 points (SE 0.26); Holm at 5% flags five judge-programs, first
    Chen Weiguang (CHN) in the men's free skating, whom the ISU suspended in 2018 for national
    bias."""
    sheet, judge_country, nation, names = _skating()
    audit = affinity_audit(sheet, judge_country, nation)
    assert audit.own_scores == 138
    assert_allclose(audit.residual_own, 3.2552, atol=1e-4)
    assert_allclose(audit.residual_other, -0.2127, atol=1e-4)
    assert_allclose(audit.share_own_positive, 127 / 138)
    assert_allclose(audit.pooled, 3.8088, atol=1e-4)
    assert_allclose(audit.pooled_stderr, 0.2567, atol=1e-4)
    assert audit.pooled_p < 1e-40
    flagged = audit.flagged
    assert len(flagged) == 5
    assert all(a.estimate > 0 for a in flagged)
    first = flagged[0]
    assert first.judge == "Men Single Skating - Free Skating|J7"
    assert names[first.judge] == "Weiguang CHEN"
    assert first.group == "CHN"
    assert_allclose(first.estimate, 16.637, atol=1e-3)
    assert first.p_adjusted < 1e-11


def _random_sheet(seed: int = 3, entries: int = 60, judges: int = 8, noise: float = 8.0):
    rng = np.random.default_rng(seed)
    e, j, y = [], [], []
    for entry in range(entries):
        for judge in rng.choice(judges, 3, replace=False):
            e.append(f"e{entry}")
            j.append(f"j{judge}")
            y.append(float(rng.normal(60, noise)) + (4.0 if judge == 0 and entry % 3 == 0 else 0.0))
    return build_sheet(e, j, y)


def test_group_affinity_matches_one_judge_audits():
    """Each judge x group estimate equals the audit with only that judge labelled g."""
    sheet = _random_sheet()
    groups = {f"e{n}": f"d{n % 3}" for n in range(60)}
    found = group_affinity(sheet, groups)
    assert set(found) == {"d0", "d1", "d2"}
    for judge in found["d0"]:
        labels = {name: ("g" if group == "d0" else "") for name, group in groups.items()}
        single = affinity_audit(sheet, {judge.judge: "g"}, labels).judges[0]
        assert_allclose(
            [judge.estimate, judge.stderr, judge.p_value],
            [single.estimate, single.stderr, single.p_value],
            rtol=1e-9,
        )


def test_group_affinity_finds_the_judge_who_favours_a_group():
    """A judge adding 4 points to every entry of d0 has the largest d0 estimate, near 4."""
    sheet = _random_sheet(entries=300, noise=3.0)
    found = group_affinity(sheet, {f"e{n}": f"d{n % 3}" for n in range(300)})
    top = max(found["d0"], key=lambda a: a.estimate)
    assert top.judge == "j0"
    assert 3.0 < top.estimate < 5.0
    assert top.flagged


def test_group_affinity_tests_only_judges_with_enough_scores():
    """min_scores leaves out judges with fewer scores in or out of the group."""
    sheet = _random_sheet()
    groups = {f"e{n}": f"d{n % 3}" for n in range(60)}
    every = group_affinity(sheet, groups)
    some = group_affinity(sheet, groups, min_scores=8)
    assert all(j.own_scores >= 8 and j.other_scores >= 8 for g in some.values() for j in g)
    assert sum(map(len, some.values())) < sum(map(len, every.values()))
