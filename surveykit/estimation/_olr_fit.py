"""The weighted maximum-likelihood fit of a proportional-odds model (behind ``svyolr``).

The log-likelihood ``sum_i w_i log p_i`` with ``p_i = F(zeta_{y_i} - x_i'beta) -
F(zeta_{y_i - 1} - x_i'beta)`` (logistic ``F``) is concave in ``(beta, zeta)``, so a damped
Newton iteration with the analytic gradient and Hessian, started from ``beta = 0`` and the
logits of the weighted cumulative shares, reaches the maximum to machine precision. The
per-row scores and the Hessian it returns are what the design-based variance needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.errors import ConvergenceError

special = lazy_module("scipy.special")

__all__ = ["OLRFit", "fit_olr"]

_TOL = 1e-12


@dataclass(frozen=True)
class OLRFit:
    """Maximum of the weighted proportional-odds log-likelihood.

    ``coef`` is ``(beta, zeta)``; ``scores`` are the per-row gradients of ``w_i log p_i``
    (``(n, k)``); ``hessian`` is the analytic Hessian of the weighted log-likelihood;
    ``loglik`` its value.
    """

    coef: np.ndarray
    scores: np.ndarray
    hessian: np.ndarray
    loglik: float
    iterations: int


def _cdf_diff(u: np.ndarray, low: np.ndarray) -> np.ndarray:
    """``F(u) - F(low)`` for the logistic ``F``, accurate in both tails."""
    upper_tail = low > 0
    direct = special.expit(u) - special.expit(low)
    mirrored = special.expit(-low) - special.expit(-u)
    return np.where(upper_tail, mirrored, direct)


def _density(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logistic density ``f(t)`` and its derivative ``f'(t)`` (zero at +-inf)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-np.abs(t))
        f = e / (1.0 + e) ** 2
        fprime = f * (1.0 - 2.0 * special.expit(t))
    finite = np.isfinite(t)
    return np.where(finite, f, 0.0), np.where(finite, fprime, 0.0)


def _pieces(coef: np.ndarray, x: np.ndarray, y: np.ndarray, q: int) -> tuple[np.ndarray, ...]:
    """Log-probabilities, derivative matrices and densities at ``coef``."""
    p = x.shape[1]
    beta, zeta = coef[:p], coef[p:]
    eta = x @ beta
    cuts = np.concatenate(([-np.inf], zeta, [np.inf]))
    u, low = cuts[y + 1] - eta, cuts[y] - eta
    prob = _cdf_diff(u, low)
    onehot = np.eye(q + 1)[:, :q]  # row j: indicator of cut point j (row q: none)
    du = np.hstack([-x, onehot[y]])
    dl = np.hstack([-x, np.vstack([np.zeros((1, q)), onehot[:q]])[y]])
    return prob, u, low, du, dl


def _evaluate(coef: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray,
              q: int) -> tuple[float, np.ndarray, np.ndarray]:
    """Weighted log-likelihood, per-row weighted scores and the Hessian."""
    prob, u, low, du, dl = _pieces(coef, x, y, q)
    if np.any(prob[w > 0] <= 0):
        return -np.inf, np.empty(0), np.empty(0)
    fu, fpu = _density(u)
    fl, fpl = _density(low)
    grad = (fu[:, None] * du - fl[:, None] * dl) / prob[:, None]
    scores = w[:, None] * grad
    hess = ((du * (w * fpu / prob)[:, None]).T @ du - (dl * (w * fpl / prob)[:, None]).T @ dl
            - grad.T @ scores)
    loglik = float(np.sum(w[w > 0] * np.log(prob[w > 0])))
    return loglik, scores, hess


def _start(y: np.ndarray, w: np.ndarray, p: int, q: int) -> np.ndarray:
    """``beta = 0`` and the logits of the weighted cumulative category shares."""
    shares = np.bincount(y, weights=w, minlength=q + 1) / w.sum()
    cum = np.cumsum(shares)[:q]
    return np.concatenate([np.zeros(p), special.logit(cum)])


def fit_olr(x: np.ndarray, y: np.ndarray, weights: np.ndarray, q: int, *,
            start: np.ndarray | None = None, max_iter: int = 100) -> OLRFit:
    """Maximise the weighted proportional-odds log-likelihood by damped Newton steps.

    Parameters
    ----------
    x : ndarray
        ``(n, p)`` model matrix without intercept.
    y : ndarray
        ``(n,)`` integer categories ``0 .. q``.
    weights : ndarray
        Non-negative weights; rows with weight zero do not enter the fit.
    q : int
        Number of cut points (categories minus one).
    start : ndarray, optional
        Starting ``(beta, zeta)`` (replicate refits start at the full-sample fit).
    max_iter : int
        Newton iterations before :class:`~surveykit.ConvergenceError`.

    Returns
    -------
    OLRFit

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [0.0], [1.0], [2.0], [1.0]])
    >>> y = np.array([0, 1, 2, 1, 0, 2, 2])
    >>> fit = fit_olr(x, y, np.ones(7), 2)
    >>> np.round(fit.coef, 6)  # R: MASS::polr(factor(y) ~ x): 2.264360, 0.665971, 2.588959
    array([2.26436 , 0.665971, 2.588959])

    """
    p = x.shape[1]
    coef = _start(y, weights, p, q) if start is None else np.asarray(start, dtype=float)
    loglik, scores, hess = _evaluate(coef, x, y, weights, q)
    for it in range(1, max_iter + 1):
        try:
            step = np.linalg.solve(hess, -scores.sum(axis=0))
        except np.linalg.LinAlgError as exc:
            raise ValueError("The proportional-odds model is not identified: the predictors "
                             "are collinear (drop or merge the redundant terms).") from exc
        trial, new = _line_search(coef, step, loglik, x, y, weights, q)
        coef, (loglik, scores, hess) = trial, new
        if np.all(np.abs(step) <= _TOL * (1.0 + np.abs(coef))):
            return OLRFit(coef, scores, hess, loglik, it)
    raise ConvergenceError(f"The proportional-odds fit did not converge in {max_iter} Newton "
                           "iterations; check for categories predicted perfectly by a "
                           "covariate (separation) or collinear predictors.",
                           iterations=max_iter)


def _line_search(coef: np.ndarray, step: np.ndarray, loglik: float, x: np.ndarray,
                 y: np.ndarray, w: np.ndarray,
                 q: int) -> tuple[np.ndarray, tuple[float, np.ndarray, np.ndarray]]:
    """Halve the Newton step until the cut points stay ordered and the fit does not worsen."""
    p = x.shape[1]
    scale = 1.0
    for _ in range(60):
        trial = coef + scale * step
        if np.all(np.diff(trial[p:]) > 0):
            new = _evaluate(trial, x, y, w, q)
            if new[0] >= loglik - 1e-9 * abs(loglik):
                return trial, new
        scale /= 2.0
    return coef, _evaluate(coef, x, y, w, q)
