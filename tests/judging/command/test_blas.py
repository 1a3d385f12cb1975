"""The single-threaded BLAS switch used by the command line."""

import os

import numpy as np
import pytest

from judging.command.blas import _openblas, single_threaded_blas


def test_single_threaded_blas_uses_one_thread_inside_and_restores_after():
    """Inside the block OpenBLAS reports 1 thread; afterwards the previous count is back."""
    if "OPENBLAS_NUM_THREADS" in os.environ or "OMP_NUM_THREADS" in os.environ:
        pytest.skip("the user chose a BLAS thread count; the switch leaves it alone")
    functions = _openblas()
    if functions is None:
        pytest.skip("numpy does not use an OpenBLAS exporting a thread-count setter here")
    _, get = functions
    before = get()
    with single_threaded_blas():
        inside = get()
        solved = np.linalg.solve(np.eye(3) * 2.0, np.ones(3))
    assert inside == 1
    assert get() == before
    assert solved.tolist() == [0.5, 0.5, 0.5]
