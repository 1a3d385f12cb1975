"""Judge gains of the bias+scale model (``bias_scale=True`` in
:mod:`judging.calibration.calibrate`).

Given the entries' values, each judge's weighted slope ghat_j of its totals on the values
(kept at 1 with fewer than 3 scores or a slope <= 0, clipped to [0.25, 4]) is shrunk on the
log scale: log g_j = t_j log ghat_j, t_j = tau_g^2 / (tau_g^2 + V_j), V_j = sigma^2 /
(Sxx_j ghat_j^2) the delta-method variance of log ghat_j, and tau_g^2 = max(0, var(log ghat) -
mean V) by moments; the gains are then normalized to mean 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["judge_gains"]

Array = NDArray[np.float64]
Index = NDArray[np.intp]


def judge_gains(
    entry_idx: Index, judge_idx: Index, n_judges: int, y: Array, w: Array, v: Array, sigma2: float
) -> Array:
    """Per-judge gains: log-slopes of the totals on the values, shrunk toward 0 (module
    docstring), normalized to mean 1 over the judges with scores."""
    j, nj = judge_idx, n_judges
    x = v[entry_idx]
    sw = np.bincount(j, w, minlength=nj)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = np.bincount(j, w * x, minlength=nj) / sw
        ym = np.bincount(j, w * y, minlength=nj) / sw
        dx = x - xm[j]
        sxx = np.bincount(j, w * dx * dx, minlength=nj)
        slope = np.bincount(j, w * dx * (y - ym[j]), minlength=nj) / sxx
    count = np.bincount(j, minlength=nj)
    ok = (count >= 3) & (sxx > 1e-12 * max(float(sxx.max()), 1.0)) & (slope > 0)
    if not ok.any() or not np.isfinite(sigma2):
        return np.ones(nj)
    log_g = np.log(np.clip(slope[ok], 0.25, 4.0))
    var = sigma2 / (sxx[ok] * slope[ok] ** 2)
    tau2 = max(0.0, float(np.mean((log_g - log_g.mean()) ** 2) - np.mean(var)))
    gains = np.ones(nj)
    gains[ok] = np.exp(tau2 / (tau2 + var) * log_g) if tau2 > 0 else 1.0
    return gains / gains[count > 0].mean()
