"""The judge-entry graph: components and the weighted Laplacian."""

import numpy as np
from numpy.testing import assert_allclose

from judging.calibration.graph import EntryGroups, component_names, judge_components, laplacian


def test_judge_components_follow_shared_entries():
    """Judges linked through shared entries share a label; labels ordered by first judge."""
    # entry 0: judges 3, 1; entry 1: judges 1, 4; entry 2: judges 0, 2; entry 3: judge 5
    e = np.array([0, 0, 1, 1, 2, 2, 3])
    j = np.array([3, 1, 1, 4, 0, 2, 5])
    assert judge_components(e, j, 7).tolist() == [0, 1, 0, 1, 1, 2, 3]


def test_judge_components_long_chain_converges():
    """A path of 200 judges linked pairwise by entries is one component."""
    n = 200
    e = np.repeat(np.arange(n - 1), 2)
    j = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1).ravel()[::-1].copy()
    assert set(judge_components(e, j, n).tolist()) == {0}


def test_component_names_list_a_few_judges():
    """Each component is named by its first judges and a count of the rest."""
    names = component_names(np.array([0, 0, 0, 0, 1]), ["a", "b", "c", "d", "e"])
    assert names == ["judges a, b, c and 1 more", "judge e"]


def test_laplacian_equals_dense_schur_complement():
    """L = D_J - N^T D_E^-1 N computed from within-entry pairs equals the dense formula."""
    rng = np.random.default_rng(0)
    e = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3])
    j = np.array([0, 1, 2, 1, 3, 0, 2, 3, 1])
    w = rng.uniform(0.5, 2.0, e.size)
    groups = EntryGroups(e, 4)
    every = np.arange(4)
    _, s, t = groups.pairs(every, every)
    lap, big_w = laplacian(e, j, w, (s, t), 4, 4)
    n = np.zeros((4, 4))
    n[e, j] = w
    dense = np.diag(n.sum(axis=0)) - n.T @ np.diag(1 / n.sum(axis=1)) @ n
    assert_allclose(lap, dense, atol=1e-12)
    assert_allclose(big_w, n.sum(axis=1))
