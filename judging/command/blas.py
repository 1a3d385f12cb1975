"""Run numpy's OpenBLAS single-threaded while the judging command works.

The engine's dense algebra is small (J x J with J in the hundreds): a solve takes about a
millisecond on one core. OpenBLAS threads gain little there and, when the cores are busy with
other processes, their busy-waiting makes each call 10 to 100 times slower (measured on the
2-core build machine: a 300 x 300 Cholesky took 1.3 ms on one thread and 45-160 ms on two under
load). :func:`single_threaded_blas` therefore asks the OpenBLAS library that numpy has loaded to
use one thread, and restores the previous count afterwards.

It only acts on Linux with an OpenBLAS build that exports ``*openblas_set_num_threads*`` (as
numpy's wheels do), and never when the user chose a thread count with ``OPENBLAS_NUM_THREADS``
or ``OMP_NUM_THREADS``; otherwise it does nothing. Results do not depend on it.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["single_threaded_blas"]

_SETTERS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


def _openblas() -> tuple[ctypes._CFuncPtr, ctypes._CFuncPtr] | None:
    """The (set, get) thread-count functions of the loaded OpenBLAS, if any."""
    import numpy  # noqa: F401  (make sure numpy's BLAS is loaded)

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _SETTERS:
            setter, getter = getattr(lib, set_name, None), getattr(lib, get_name, None)
            if setter is not None and getter is not None:
                setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                return setter, getter
    return None


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Within the block, numpy's OpenBLAS uses one thread (see the module docstring)."""
    if "OPENBLAS_NUM_THREADS" in os.environ or "OMP_NUM_THREADS" in os.environ:
        yield
        return
    functions = _openblas()
    if functions is None:
        yield
        return
    setter, getter = functions
    previous = int(getter())
    setter(1)
    try:
        yield
    finally:
        setter(previous)
