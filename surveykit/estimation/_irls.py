"""Iteratively reweighted least squares, step for step as R's ``glm.fit``.

``svyglm`` fits its point estimates with ``glm`` (prior weights = the rescaled sampling
weights) and its replicate estimates with ``glm.fit(start=beta0)``. Reproducing R's
starting values, updates, offsets, step halving and convergence rule
(``|dev - devold| / (|dev| + 0.1) < 1e-8``) makes the coefficients agree with R to far
better than the stopping tolerance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from surveykit.errors import EstimationError
from surveykit.estimation._families import Family

__all__ = ["IRLSFit", "irls"]


@dataclass(frozen=True)
class IRLSFit:
    """Result of :func:`irls`: coefficients and the last iteration's working quantities."""

    coef: np.ndarray
    mu: np.ndarray
    eta: np.ndarray
    working_weights: np.ndarray
    working_residuals: np.ndarray
    xtwx_inv: np.ndarray
    iterations: int
    converged: bool


def _wls(x: np.ndarray, z: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares through a QR of ``sqrt(w) X`` (as R's ``Cdqrls``)."""
    sw = np.sqrt(w)
    q, r = np.linalg.qr(x * sw[:, None])
    coef = np.linalg.solve(r, q.T @ (z * sw))
    return coef, r


def _halve(x: np.ndarray, off: np.ndarray, family: Family, coef: np.ndarray,
           coefold: np.ndarray | None, ok: Callable[[np.ndarray, np.ndarray], bool],
           max_iter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's step halving: move ``coef`` halfway back to ``coefold`` until ``ok(eta, mu)``."""
    eta = x @ coef + off
    mu = family.linkinv(eta)
    if ok(eta, mu):
        return coef, eta, mu
    if coefold is None:
        raise EstimationError(
            f"The {family.name} model with the {family.link.name} link found no valid "
            "coefficients at its first step (R: 'no valid set of coefficients has been "
            "found'); the fitted means leave the range the family allows. Try another link.")
    for _ in range(max_iter):
        coef = (coef + coefold) / 2.0
        eta = x @ coef + off
        mu = family.linkinv(eta)
        if ok(eta, mu):
            return coef, eta, mu
    raise EstimationError(f"The {family.name} model with the {family.link.name} link could "
                          "not correct its step size (R: 'inner loop; cannot correct step "
                          "size'); the fitted means leave the range the family allows.")


def irls(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    family: Family,
    *,
    start: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    rows: np.ndarray | None = None,
    epsilon: float = 1e-8,
    max_iter: int = 25,
) -> IRLSFit:
    """Fit a GLM by IRLS exactly as R's ``glm.fit`` (full-rank ``x``).

    Parameters
    ----------
    x : ndarray
        ``(n, p)`` model matrix.
    y : ndarray
        ``(n,)`` response (0/1 or proportions for binomial).
    weights : ndarray
        Prior weights; rows with weight zero do not enter the fit.
    family : Family
        Distribution and link.
    start : ndarray, optional
        Starting coefficients (R's ``start=``); default the family's starting means.
    offset : ndarray, optional
        Known part of the linear predictor (R's ``offset``); default zero.
    rows : ndarray of bool, optional
        The rows of R's model frame (default: positive weight): the fitted means must be
        valid on all of them, as R checks (a replicate may give some of them weight zero).
    epsilon, max_iter : float, int
        R's ``glm.control`` defaults.

    Returns
    -------
    IRLSFit

    Examples
    --------
    >>> from surveykit.estimation._families import make_family
    >>> x = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> fit = irls(x, np.array([1.0, 3.0, 2.0, 5.0]), np.ones(4), make_family("gaussian"))
    >>> np.round(fit.coef, 6)
    array([1.1, 1.1])

    """
    keep = weights > 0 if rows is None else np.asarray(rows, dtype=bool)
    off_all = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    xk, yk, wk, off = x[keep], y[keep], weights[keep], off_all[keep]
    good = wk > 0

    def deviance(mu: np.ndarray) -> float:
        return float(np.sum(family.dev_resids(yk[good], mu[good], wk[good])))

    coefold = None if start is None else np.asarray(start, dtype=float)
    eta = family.linkfun(family.mustart(yk, wk)) if coefold is None else xk @ coefold + off
    mu = family.linkinv(eta)
    if not family.valid(eta, mu):
        raise EstimationError(f"The {family.name} model with the {family.link.name} link "
                              "cannot find valid starting values (as R).")
    devold = deviance(mu)
    coef = np.zeros(x.shape[1]) if coefold is None else coefold
    converged, it = False, 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
            mu_eta = family.mu_eta(eta)
            g = good & (mu_eta != 0)
            z = (eta - off)[g] + (yk - mu)[g] / mu_eta[g]
            w = wk[g] * mu_eta[g] ** 2 / family.variance(mu[g])
            new, r = _wls(xk[g], z, w)
            if not np.all(np.isfinite(new)):
                break
            new, eta, mu = _halve(xk, off, family, new, coefold,
                                  lambda _e, m: np.isfinite(deviance(m)), max_iter)
            new, eta, mu = _halve(xk, off, family, new, coefold, family.valid, max_iter)
            dev = deviance(mu)
            coef = new
            if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
                converged = True
                break
            devold, coefold = dev, new
        rinv = np.linalg.inv(r)
        ww = np.zeros(len(y))
        ww[np.flatnonzero(keep)[g]] = w
        eta_full = x @ coef + off_all
        mu_full = family.linkinv(eta_full)
        resid = np.where(ww > 0, (y - mu_full) / family.mu_eta(eta_full), 0.0)
    return IRLSFit(
        coef=coef,
        mu=mu_full,
        eta=eta_full,
        working_weights=ww,
        working_residuals=resid,
        xtwx_inv=rinv @ rinv.T,
        iterations=it,
        converged=converged,
    )
