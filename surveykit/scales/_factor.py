"""One-factor models of a correlation matrix: minimum residual (ULS) and maximum likelihood.

Both return standardised loadings ``l`` (sign chosen so that their sum is positive):

- ``"minres"`` minimises the off-diagonal residuals ``sum_{i<j} (r_ij - l_i l_j)^2`` over
  ``l`` (psych's ``fa(fm = "minres")`` default), by BFGS with the analytic gradient from
  the principal-component loadings;
- ``"ml"`` minimises the discrepancy ``log|Sigma| + tr(R Sigma^-1) - log|R| - p`` with
  ``Sigma = l l' + diag(psi)`` over the uniquenesses ``psi`` in ``[0.005, 1]`` (R's
  ``factanal``), by L-BFGS-B with the analytic gradient; the loadings follow from the
  first eigenvector of ``psi^-1/2 R psi^-1/2``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from surveykit._lazy import lazy_module

optimize = lazy_module("scipy.optimize")

__all__ = ["FactorMethod", "one_factor_loadings"]

FactorMethod = Literal["minres", "ml"]
_PSI_LOWER = 0.005


def _minres(r: np.ndarray) -> np.ndarray:
    off = ~np.eye(r.shape[0], dtype=bool)

    def fun(load: np.ndarray) -> tuple[float, np.ndarray]:
        resid = np.where(off, r - np.outer(load, load), 0.0)
        return 0.5 * float(np.sum(resid**2)), -2.0 * resid @ load

    values, vectors = np.linalg.eigh(r)
    start = vectors[:, -1] * np.sqrt(values[-1])
    res = optimize.minimize(fun, start, jac=True, method="BFGS",
                            options={"gtol": 1e-13, "maxiter": 10_000})
    return np.asarray(res.x)


def _ml_loadings(psi: np.ndarray, r: np.ndarray) -> np.ndarray:
    scale = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * np.outer(scale, scale))
    return np.sqrt(psi) * vectors[:, -1] * np.sqrt(max(values[-1] - 1.0, 0.0))


def _ml(r: np.ndarray) -> np.ndarray:
    def fun(psi: np.ndarray) -> tuple[float, np.ndarray]:
        scale = 1.0 / np.sqrt(psi)
        values = np.linalg.eigvalsh(r * np.outer(scale, scale))[:-1]
        load = _ml_loadings(psi, r)
        grad = (load**2 + psi - np.diag(r)) / psi**2
        return float(-np.sum(np.log(values) - values) - 1 + r.shape[0]), grad

    start = np.clip(1.0 - 0.5 / np.diag(np.linalg.inv(r)), _PSI_LOWER, 1.0)
    res = optimize.minimize(fun, start, jac=True, method="L-BFGS-B",
                            bounds=[(_PSI_LOWER, 1.0)] * r.shape[0],
                            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    return _ml_loadings(np.asarray(res.x), r)


def one_factor_loadings(r: np.ndarray, method: FactorMethod = "minres") -> np.ndarray:
    """Standardised loadings of a one-factor model of the correlation matrix ``r``.

    Examples
    --------
    >>> load = np.array([0.8, 0.7, 0.6, 0.5])
    >>> r = np.outer(load, load) + np.diag(1 - load**2)
    >>> np.round(one_factor_loadings(r, "minres"), 8), np.round(one_factor_loadings(r, "ml"), 6)
    (array([0.8, 0.7, 0.6, 0.5]), array([0.8, 0.7, 0.6, 0.5]))

    """
    load = _minres(r) if method == "minres" else _ml(r)
    return -load if load.sum() < 0 else load
