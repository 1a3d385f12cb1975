"""Reliability test data and helpers: published matrices, an ICC result's fields and
hypothesis strategies for score matrices."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from judging.reliability.coefficients import IccResult

NAN = np.nan

# Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns).
SHROUT_FLEISS = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=np.float64,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers
# (A, B, C, D) x 12 units with missing values. Here rows are units, columns the observers.
KRIPPENDORFF_OBSERVERS = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],  # A
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],  # B
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],  # C
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],  # D
    ]
)
KRIPPENDORFF_UNITS = KRIPPENDORFF_OBSERVERS.T


def or_nan(function, matrix: np.ndarray) -> float:
    """The statistic, or NaN when the function reports it undefined."""
    try:
        return function(matrix)
    except ValueError:
        return float("nan")


def vars_of(result: IccResult) -> dict[str, float]:
    """The fields of an IccResult by name."""
    return {name: getattr(result, name) for name in IccResult.__dataclass_fields__}


small_scores = st.integers(min_value=0, max_value=10).map(float)
complete_matrices = st.tuples(
    st.integers(min_value=2, max_value=7), st.integers(min_value=2, max_value=5)
).flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=small_scores))


@st.composite
def matrices_with_gaps(draw: st.DrawFn) -> np.ndarray:
    """Small integer score matrices with some cells missing and at least one pairable unit."""
    matrix = draw(complete_matrices).copy()
    missing = draw(hnp.arrays(np.bool_, matrix.shape))
    matrix[missing] = NAN
    matrix[0, :2] = draw(st.tuples(small_scores, small_scores))
    return matrix
