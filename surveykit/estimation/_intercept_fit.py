"""R's ``svyglm(y ~ 1, family=quasibinomial)`` for a 0/1 variable, in closed form per domain.

``svyciprop(method="likelihood")`` reads several numbers off that fit, and two of them carry
the fit's iteratively reweighted least squares (IRLS) history, which has to be replayed to
agree with R beyond about 1e-5:

- the model-based ("naive") variance of the intercept uses the working weights of the last
  IRLS iteration, i.e. the fitted values of the iteration *before* convergence (in the
  first iteration, R's binomial starting values ``(W y + 0.5) / (W + 1)`` row by row);
- the intercept itself is the IRLS value, converged when the deviance changes by less than
  ``1e-8`` relative (R's ``glm.control``).

For an intercept-only model every IRLS step after the first is the scalar Newton step
``b + (p - mu) / (mu (1 - mu))``, so the replay costs one grouped sum and a few scalar
iterations. ``W`` are R's rescaled weights ``w / mean(w)`` over the rows of the (domain's)
design, and the dispersion is R's ``svyvar`` of the Pearson residuals
``(y - mu) / sqrt(mu (1 - mu))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.design._codes import group_sums
from surveykit.estimation._domains import Domains, srs_variance

__all__ = ["InterceptFit", "intercept_fit"]

_EPS = np.finfo(float).eps


@dataclass(frozen=True, eq=False)
class InterceptFit:
    """The quantities of R's intercept-only quasibinomial fit, one per (domain, level)."""

    p: np.ndarray
    beta: np.ndarray
    var_beta: np.ndarray
    naive_var: np.ndarray
    n_rows: np.ndarray
    dispersion: np.ndarray
    prior_total: np.ndarray | None = None  # sum of R's prior weights; None: n_rows


def _linkinv(eta: np.ndarray) -> np.ndarray:
    e = np.where(eta < -30, _EPS, np.where(eta > 30, 1 / _EPS, np.exp(np.clip(eta, -30, 30))))
    return e / (1 + e)


def _first_iteration(w: np.ndarray, y: np.ndarray, codes: np.ndarray, n_dom: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intercept, working-weight total and deviance from R's binomial starting values."""
    wc = w[:, None]
    mu0 = (wc * y + 0.5) / (wc + 1)
    eta0 = np.log(mu0 / (1 - mu0))
    a = wc * mu0 * (1 - mu0)
    z = eta0 + (y - mu0) / (mu0 * (1 - mu0))
    dev = -2 * wc * (y * np.log(mu0) + (1 - y) * np.log(1 - mu0))
    m = y.shape[1]
    sums = group_sums(codes, np.hstack([a, a * z, dev]), n_dom)
    sa, saz, dev0 = sums[:, :m], sums[:, m:2 * m], sums[:, 2 * m:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return saz / sa, sa, dev0


def _irls(p: np.ndarray, rows: np.ndarray, beta: np.ndarray, weight_sum: np.ndarray,
          dev_old: np.ndarray, maxit: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """Replay the scalar IRLS iterations; return the intercept and last working-weight sum."""
    s1, s0 = p * rows, (1 - p) * rows
    done = np.zeros(p.shape, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for _ in range(maxit):
            mu = _linkinv(beta)
            dev = -2 * (s1 * np.log(mu) + s0 * np.log(1 - mu))
            done |= np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < 1e-8
            done |= ~np.isfinite(beta)
            if done.all():
                break
            step = ~done
            weight_sum = np.where(step, rows * mu * (1 - mu), weight_sum)
            beta = np.where(step, beta + (p - mu) / (mu * (1 - mu)), beta)
            dev_old = np.where(step, dev, dev_old)
    return beta, weight_sum


def intercept_fit(design: SurveyDesign | ReplicateDesign, y: np.ndarray, dom: Domains,
                  est: np.ndarray, var_p: np.ndarray, rows: np.ndarray,
                  n_weighted: np.ndarray, given: tuple[np.ndarray, np.ndarray] | None = None
                  ) -> InterceptFit:
    """R's intercept-only quasibinomial ``svyglm`` of each 0/1 column of ``y`` in each domain.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design.
    y : ndarray
        ``(n, m)`` 0/1 indicators (NaN where missing).
    dom : Domains
        The domains.
    est, var_p : ndarray
        Weighted means ``(D, m)`` and their design-based variances (``D*m``).
    rows, n_weighted : ndarray
        Rows of each domain's design (R's ``nrow``) and its weight total, ``(D,)``.
    given : (rows, weight total), optional
        The same for the design R was given when rows with a missing value left the fit
        (``na.rm=TRUE``): R rescales the prior weights by their mean over those rows, so
        the fit's weights sum to less than its rows and the Pearson residuals (hence the
        dispersion) carry the ratio of the two mean weights.

    Returns
    -------
    InterceptFit
        Arrays of ``D*m`` values in domain-major order.

    """
    codes, n_dom = dom.codes, dom.n_domains
    inside = codes >= 0
    safe = np.maximum(codes, 0)
    scale = rows / n_weighted if given is None else given[0] / given[1]
    w = np.where(inside, design.analysis_weights() * scale[safe], 0.0)
    yz = np.where(inside[:, None], np.nan_to_num(y), 0.0)
    beta, weight_sum, dev0 = _first_iteration(w, yz, codes, n_dom)
    rows_c = np.repeat(rows[:, None], est.shape[1], axis=1)
    fit_rows = np.repeat((n_weighted * scale)[:, None], est.shape[1], axis=1)
    beta, weight_sum = _irls(est, fit_rows, beta, weight_sum, dev0)
    mu = _linkinv(beta)
    with np.errstate(invalid="ignore", divide="ignore"):
        resid = (yz - mu[safe]) / np.sqrt(mu * (1 - mu))[safe]
        resid = np.where(inside[:, None], resid, 0.0)
        dispersion = srs_variance(design, resid, dom)[0] * (fit_rows / rows_c)
        var_beta = var_p / (mu * (1 - mu)).reshape(-1) ** 2
    return InterceptFit(p=est.reshape(-1), beta=beta.reshape(-1), var_beta=var_beta,
                        naive_var=1 / weight_sum.reshape(-1), n_rows=rows_c.reshape(-1),
                        dispersion=dispersion.reshape(-1),
                        prior_total=fit_rows.reshape(-1))
