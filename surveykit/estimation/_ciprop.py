"""Confidence intervals for proportions on the probability scale (R's ``svyciprop`` methods).

Each function is vectorised over estimates: ``p`` and its design-based variance ``var`` (R's
``vcov(svymean(...))``), the confidence level and the degrees of freedom (``inf`` gives normal
quantiles, as R's ``qt(., Inf)``). The same functions give the probability-scale intervals
behind R's Woodruff intervals for quantiles (``svyquantile(interval.type=)``).

Methods (R survey 4.1.1 ``svyciprop``):

``mean``
    ``p -/+ t * se`` (R's ``confint(svymean())``).
``xlogit``
    Wald interval for ``logit(p)`` with the delta-method SE ``se / (p (1 - p))``,
    back-transformed.
``logit``
    As ``xlogit`` for linearisation designs (R fits ``svyglm(family=quasibinomial)``, whose
    sandwich variance of the intercept is exactly the delta-method one); for replicate
    designs the variance of ``logit(p)`` comes from the replicate logits
    (``var_logit=``).
``asin``
    Wald interval for ``asin(sqrt(p))`` with SE ``se / (2 sqrt(p (1 - p)))``,
    back-transformed by ``sin(.)^2``.
``beta``
    Korn and Graubard (1998): Clopper-Pearson interval at the effective sample size
    ``n_eff = p (1 - p) / var``, multiplied as R by
    ``(t_{n-1, alpha/2} / t_{df_design, alpha/2})^2`` where ``n`` is the number of rows of
    the design (or domain) and ``df_design`` its degrees of freedom.
``wilson``
    Not in R survey 4.1.1. The Wilson (1927) score interval at the effective sample size
    ``n_eff = p (1 - p) / var`` with a ``t`` quantile on the design df (Kott and Carr 1997;
    Dean and Pagano 2015)::

        (p + t^2/(2 n_eff) -/+ t/(2 n_eff) * sqrt(4 n_eff p (1 - p) + t^2)) / (1 + t^2/n_eff)

    the same formula later survey releases use for ``svyciprop(method="wilson")``.

References
----------
Korn EL, Graubard BI (1998). Confidence intervals for proportions with small expected number
of positive counts estimated from survey data. Survey Methodology 24:193-201.
Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
JASA 22:209-212.
Kott PS, Carr DA (1997). Developing an estimation strategy for a pharmacoepidemiological
national probability survey. Proceedings of the Section on Survey Research Methods, ASA.
Dean N, Pagano M (2015). Evaluating confidence interval methods for binomial proportions in
clustered surveys. Journal of Survey Statistics and Methodology 3:484-503.
"""

from __future__ import annotations

import numpy as np

from surveykit._distributions import norm_ppf, t_ppf
from surveykit._lazy import lazy_module

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["PROB_METHODS", "prob_interval", "t_crit"]

PROB_METHODS = ("mean", "xlogit", "logit", "asin", "beta", "wilson")

Interval = tuple[np.ndarray, np.ndarray]


def t_crit(confidence_level: float, df: np.ndarray | float) -> np.ndarray:
    """Upper ``(1 + level)/2`` quantile of ``t_df`` (normal where ``df`` is infinite).

    ``df <= 0`` gives NaN, as R's ``qt``.

    Examples
    --------
    >>> t_crit(0.95, np.array([np.inf, 10.0])).round(6)
    array([1.959964, 2.228139])

    """
    p = (1.0 + confidence_level) / 2.0
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        q = t_ppf(p, np.where(df > 0, df, np.nan))
    return np.where(np.isposinf(df), norm_ppf(p), q)


def _wald(p: np.ndarray, se: np.ndarray, q: np.ndarray) -> Interval:
    return p - q * se, p + q * se


def _logit_scale(p: np.ndarray, se_logit: np.ndarray, q: np.ndarray) -> Interval:
    eta = special.logit(p)
    return special.expit(eta - q * se_logit), special.expit(eta + q * se_logit)


def _asin(p: np.ndarray, se: np.ndarray, q: np.ndarray) -> Interval:
    centre = np.arcsin(np.sqrt(p))
    se_t = se / (2.0 * np.sqrt(p) * np.sqrt(1.0 - p))
    return np.sin(centre - q * se_t) ** 2, np.sin(centre + q * se_t) ** 2


def _beta(p: np.ndarray, var: np.ndarray, level: float, n_rows: np.ndarray,
          design_df: np.ndarray) -> Interval:
    alpha = 1.0 - level
    n_eff = p * (1.0 - p) / var
    ratio = t_ppf(alpha / 2, n_rows - 1.0) / np.where(
        np.isposinf(design_df), norm_ppf(alpha / 2),
        t_ppf(alpha / 2, np.where(design_df > 0, design_df, np.nan)))
    n_eff = n_eff * ratio**2
    a_low, b_low = n_eff * p, n_eff * (1.0 - p) + 1.0
    a_up, b_up = n_eff * p + 1.0, n_eff * (1.0 - p)
    low = np.where(a_low == 0, 0.0, stats.beta.ppf(alpha / 2, a_low, b_low))
    high = np.where(b_up == 0, 1.0, stats.beta.ppf(1 - alpha / 2, a_up, b_up))
    return low, high


def _wilson(p: np.ndarray, var: np.ndarray, q: np.ndarray) -> Interval:
    n_eff = p * (1.0 - p) / var
    denom = 1.0 + q * q / n_eff
    root = np.sqrt(4.0 * n_eff * p * (1.0 - p) + q * q)
    centre = p + q * q / (2.0 * n_eff)
    half = q / (2.0 * n_eff) * root
    return (centre - half) / denom, (centre + half) / denom


def prob_interval(method: str, p: np.ndarray, var: np.ndarray, confidence_level: float,
                  df: np.ndarray, *, var_logit: np.ndarray | None = None,
                  n_rows: np.ndarray | None = None,
                  design_df: np.ndarray | None = None) -> Interval:
    """Confidence limits for proportions ``p`` with variances ``var`` by ``method``.

    Parameters
    ----------
    method : str
        One of :data:`PROB_METHODS`.
    p, var : ndarray
        Estimates and their design-based variances.
    confidence_level : float
        In (0, 1).
    df : ndarray
        Degrees of freedom of the ``t`` quantile (R's ``df=``).
    var_logit : ndarray, optional
        Variance of ``logit(p)`` for ``method="logit"`` (replicate designs); by default the
        delta-method value ``var / (p (1 - p))^2``.
    n_rows, design_df : ndarray, optional
        Rows and degrees of freedom of the design (or domain) for ``method="beta"``.

    Returns
    -------
    tuple of ndarray
        Lower and upper limits.

    Examples
    --------
    >>> lo, hi = prob_interval("mean", np.array([0.2]), np.array([0.0004]), 0.95,
    ...                        np.array([np.inf]))
    >>> round(float(lo[0]), 6), round(float(hi[0]), 6)
    (0.160801, 0.239199)

    """
    p = np.asarray(p, dtype=float)
    var = np.asarray(var, dtype=float)
    df = np.broadcast_to(np.asarray(df, dtype=float), p.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var)
        q = t_crit(confidence_level, df)
        if method == "mean":
            return _wald(p, se, q)
        if method in ("xlogit", "logit"):
            vl = var / (p * (1.0 - p)) ** 2 if var_logit is None or method == "xlogit" \
                else np.asarray(var_logit, dtype=float)
            return _logit_scale(p, np.sqrt(vl), q)
        if method == "asin":
            return _asin(p, se, q)
        if method == "wilson":
            return _wilson(p, var, q)
        if method == "beta":
            if n_rows is None or design_df is None:
                raise ValueError("method='beta' needs n_rows and design_df.")
            return _beta(p, var, confidence_level, np.asarray(n_rows, dtype=float),
                         np.asarray(design_df, dtype=float))
    raise ValueError(f"'method' must be one of {PROB_METHODS!r} (got {method!r}).")
