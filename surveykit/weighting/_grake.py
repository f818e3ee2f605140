"""Newton iterations for generalised raking (calibration), as R survey's ``grake``.

Solves ``sum_i w_i g_i x_i = T`` with ``g_i = 1 + F(x_i'λ)`` for every weight column at
once: ``w`` may be ``(m,)`` or ``(m, k)`` (full sample and replicates). Units are rows or,
for categorical auxiliaries, cells of the cross-table (``g`` is constant within a cell, so
the answer is the same and the work is O(cells)). Unlike R there is no hidden rescaling of
the weights when the targets are far from the sample totals, so bounds always mean ratios
to the input weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit.weighting._calfun import CalibrationDistance

__all__ = ["GrakeResult", "grake", "relative_misfit"]

_GINV_RTOL = 256 * np.finfo(float).eps  # MASS::ginv tolerance, as R's grake


@dataclass(frozen=True)
class GrakeResult:
    """Outcome of :func:`grake`: g-weights, iterations, misfit history, convergence."""

    g: np.ndarray
    iterations: int
    misfit: np.ndarray
    history: np.ndarray
    converged: bool


def relative_misfit(X: np.ndarray, w: np.ndarray, g: np.ndarray,
                    population: np.ndarray) -> np.ndarray:
    """``|T - X'(w g)| / (1 + |T|)`` per target (rows) and weight column (columns)."""
    achieved = X.T @ (w * g)
    pop = population[:, None]
    return np.abs(pop - achieved) / (1.0 + np.abs(pop))


def _tmat(X: np.ndarray, wd: np.ndarray) -> np.ndarray:
    return np.stack([(X * wd[:, [r]]).T @ X for r in range(wd.shape[1])])


def _state(X: np.ndarray, eta: np.ndarray, dist: CalibrationDistance, lo: float, up: float
           ) -> tuple[np.ndarray, np.ndarray]:
    u = X @ eta
    return 1.0 + dist.g_minus_1(u, lo, up), dist.derivative(u, lo, up)


def _halve(X, eta, deta, dist, lo, up, g, deriv, budget):
    """R's step halving while g or its derivative is not finite; returns the iterations used."""
    used = 0
    while used < budget:
        bad = ~(np.isfinite(g).all(axis=0) & np.isfinite(deriv).all(axis=0))
        if not bad.any():
            break
        used += 1
        deta[:, bad] /= 2.0
        eta[:, bad] -= deta[:, bad]
        g[:, bad], deriv[:, bad] = _state(X, eta[:, bad], dist, lo, up)
    return used


def grake(
    X: np.ndarray,
    w: np.ndarray,
    population: np.ndarray,
    dist: CalibrationDistance,
    *,
    bounds: tuple[float, float],
    tol: float,
    max_iter: int,
) -> GrakeResult:
    """Calibrate weights ``w`` on units with auxiliaries ``X`` to totals ``population``.

    Convergence is R's: every ``|T - achieved| / (1 + |T|) < tol``.

    Examples
    --------
    >>> from surveykit.weighting._calfun import DISTANCES
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 1.0]])
    >>> res = grake(X, np.array([10.0, 10.0, 10.0]), np.array([40.0, 30.0]),
    ...             DISTANCES["raking"], bounds=(-np.inf, np.inf), tol=1e-12, max_iter=50)
    >>> res.converged, np.round(res.g, 6).tolist()
    (True, [1.0, 1.5, 1.5])

    """
    lo, up = bounds
    one_d = w.ndim == 1
    W = w[:, None] if one_d else w
    k = W.shape[1]
    eta = np.zeros((X.shape[1], k))
    g, deriv = _state(X, eta, dist, lo, up)
    active = np.ones(k, dtype=bool)
    history: list[float] = []
    it = 1
    while True:
        cols = np.flatnonzero(active)
        Wc = W[:, cols]
        misfit = population[:, None] - X.T @ (Wc * g[:, cols])
        tmat = _tmat(X, Wc * deriv[:, cols])
        deta = np.einsum("rpq,qr->pr", np.linalg.pinv(tmat, rtol=_GINV_RTOL), misfit)
        eta[:, cols] += deta
        g[:, cols], deriv[:, cols] = _state(X, eta[:, cols], dist, lo, up)
        sub_g, sub_d, sub_eta = g[:, cols], deriv[:, cols], eta[:, cols]
        it += _halve(X, sub_eta, deta, dist, lo, up, sub_g, sub_d, max_iter - it)
        g[:, cols], deriv[:, cols], eta[:, cols] = sub_g, sub_d, sub_eta
        rel = relative_misfit(X, Wc, g[:, cols], population)
        history.append(float(rel.max(initial=0.0)))
        active[cols[(rel < tol).all(axis=0)]] = False
        if not active.any() or it >= max_iter:
            break
        it += 1
    final = relative_misfit(X, W, g, population).max(axis=1)
    out = g[:, 0] if one_d else g
    return GrakeResult(out, it, final, np.array(history), not active.any())
