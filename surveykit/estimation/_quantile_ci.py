"""Confidence intervals for quantiles, as R survey 4.1.1's ``svyquantile`` computes them.

Three constructions (``interval.type``):

- Woodruff ("mean", "beta", "xlogit", "asin"; both design classes): the proportion of the
  domain at or below the estimated quantile, ``p_hat = F_hat(q_hat)``, gets a design-based
  variance and a confidence interval on the probability scale by the named
  :mod:`~surveykit.estimation._ciprop` method; its limits are mapped back through the
  quantile rule. A limit below 0 or above 1 gives NaN, as R.
- score ("score"; linearisation designs): Francisco and Fuller's test-inversion interval:
  the roots in ``theta`` of ``(F_hat_c(theta) - (1 - p)) / se - -/+ t`` found with R's
  ``uniroot`` (tolerance ``1 / (100 sqrt(n))``); each root becomes the (unweighted) share of
  the domain's values at or below it, mapped through the quantile rule.
- replicate ("quantile"; replicate designs): the quantile is recomputed with every set of
  replicate weights and ``q_hat -/+ t * sqrt(v)`` with ``v`` from the replicate variance
  formula (R's ``svrVar``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from surveykit.design import ExceedanceSweep, ReplicateDesign, SurveyDesign, design_covariance
from surveykit.estimation._ciprop import prob_interval, t_crit
from surveykit.estimation._domains import Domains, ratio_core
from surveykit.estimation._qrules import apply_qrule
from surveykit.estimation._zeroin import uniroot

__all__ = ["SortedVariable", "replicate_quantile_cov", "score_interval",
           "woodruff_interval", "woodruff_probabilities"]

Design = SurveyDesign | ReplicateDesign


@dataclass(frozen=True, eq=False)
class SortedVariable:
    """One variable sorted once (stable, as R's ``order``), with weights and domain codes.

    ``segments[d]`` lists, in ascending order of the value, the positions (in the sorted
    arrays) of the rows of domain ``d``; quantile rules then run on each domain's rows only.
    """

    x: np.ndarray
    codes: np.ndarray
    order: np.ndarray
    xs: np.ndarray
    ws: np.ndarray
    segments: tuple[np.ndarray, ...]

    @classmethod
    def build(cls, x: np.ndarray, w: np.ndarray, dom: Domains) -> SortedVariable:
        """Sort ``x`` (missing values last) and split the sorted positions by domain."""
        order = np.argsort(x, kind="stable")
        cs = dom.codes[order]
        by_domain = np.argsort(cs, kind="stable")
        bounds = np.searchsorted(cs[by_domain], np.arange(dom.n_domains + 1))
        segments = tuple(by_domain[bounds[d]:bounds[d + 1]] for d in range(dom.n_domains))
        return cls(x, dom.codes, order, x[order], w[order], segments)

    @property
    def n_domains(self) -> int:
        """Number of domains."""
        return len(self.segments)

    def domain_quantiles(self, rule: str, d: int, weights: np.ndarray,
                         p: np.ndarray | float) -> np.ndarray:
        """Quantiles of domain ``d`` for weight columns ``weights`` (rows in sorted order)."""
        seg = self.segments[d]
        return apply_qrule(rule, self.xs[seg], weights[seg], p)

    def quantiles(self, rule: str, p: np.ndarray | float) -> np.ndarray:
        """Quantile at ``p`` (scalar or one per domain) in every domain: ``(D,)``."""
        probs = np.broadcast_to(np.asarray(p, dtype=float), (self.n_domains,))
        w = self.ws[:, None]
        return np.array([self.domain_quantiles(rule, d, w, probs[d])[0]
                         for d in range(self.n_domains)])


def woodruff_probabilities(design: Design, var: SortedVariable, dom: Domains,
                           qhat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``F_hat(q_hat)`` in each domain and its variance, ``(D, Q)`` each."""
    safe = np.maximum(dom.codes, 0)
    with np.errstate(invalid="ignore"):
        below = (var.x[:, None] <= qhat[safe]).astype(float)
    est, cov = ratio_core(design, below, np.ones_like(below), dom)
    return est, np.diag(cov).reshape(est.shape)


def woodruff_interval(kind: str, rule: str, var: SortedVariable, phat: np.ndarray,
                      pvar: np.ndarray, level: float, df: np.ndarray, rows: np.ndarray,
                      design_df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Woodruff limits ``(D, Q)``: the probability-scale interval mapped through ``rule``."""
    n_q = phat.shape[1]
    plo, phi = prob_interval(kind, phat, pvar, level, df,
                             n_rows=np.repeat(rows[:, None], n_q, axis=1),
                             design_df=np.repeat(design_df[:, None], n_q, axis=1))
    lo = np.empty_like(phat)
    hi = np.empty_like(phat)
    for j in range(n_q):
        lo[:, j] = var.quantiles(rule, plo[:, j])
        hi[:, j] = var.quantiles(rule, phi[:, j])
    with np.errstate(invalid="ignore"):
        lo = np.where(np.isnan(plo) | (plo < 0), np.nan, lo)
        hi = np.where(np.isnan(phi) | (phi > 1), np.nan, hi)
    return lo, hi


def _r_quantile7(x: np.ndarray, prob: float) -> float:
    """R's ``quantile(x, prob, type = 7)``."""
    xs = np.sort(x)
    index = (len(xs) - 1) * prob
    lo, hi = int(np.floor(index)), int(np.ceil(index))
    h = index - lo
    return float(xs[lo]) if xs[hi] == xs[lo] else float((1 - h) * xs[lo] + h * xs[hi])


def score_interval(design: SurveyDesign, var: SortedVariable, rule: str, d: int, p: float,
                   level: float, df: float, n_rows: float,
                   sweep: ExceedanceSweep | None = None) -> tuple[float, float]:
    """R's ``ffullerCI`` for quantile ``p`` in domain ``d`` (NaN when a root is not bracketed).

    The score's variance at each ``theta`` comes from ``sweep`` (one sorted pass over the
    domain serves every quantile; built here when not given); a calibrated design, whose
    residuals mix rows, is linearised afresh at each ``theta``.
    """
    rows = var.codes == d
    xd = var.x[rows]
    iqr = _r_quantile7(xd, 0.75) - _r_quantile7(xd, 0.25)
    lower_t, upper_t = float(xd.min() + iqr / 100), float(xd.max() - iqr / 100)
    tol = 1 / (100 * np.sqrt(n_rows))
    crit = _t_crit(level, df)
    if sweep is None and ExceedanceSweep.applies(design):
        sweep = ExceedanceSweep.build(design, var.x, rows)
    score = (_design_score(design, var, rows, p) if sweep is None
             else _sweep_score(sweep, p))
    roots = [uniroot(partial(score, limit=lim), lower_t, upper_t, tol=tol)
             for lim in (crit, -crit)]
    limits = []
    for root in roots:
        if np.isnan(root):
            limits.append(np.nan)
            continue
        share = float(np.mean(xd <= root))
        limits.append(float(var.domain_quantiles(rule, d, var.ws[:, None], share)[0]))
    return limits[0], limits[1]


@lru_cache(maxsize=256)
def _t_crit(level: float, df: float) -> float:
    """``t_crit`` for one level and df (domains and quantiles share a few df values)."""
    return float(t_crit(level, df))


def _sweep_score(sweep: ExceedanceSweep, p: float) -> Callable[..., float]:
    """Return the score ``(F_hat_c(theta) - (1 - p)) / se - limit`` read off the sweep."""
    total = sweep.total_weight

    def score(theta: float, limit: float) -> float:
        r = sweep.above(theta)
        est = (sweep.weight_above[r] - (1 - p) * total) / total
        return float(est / np.sqrt(sweep.variance[r]) - limit)

    return score


def _design_score(design: SurveyDesign, var: SortedVariable, rows: np.ndarray,
                  p: float) -> Callable[..., float]:
    """Return the same score, linearised through the design at each ``theta``."""
    one = Domains(np.where(rows, 0, -1).astype(np.int64), 1, pd.DataFrame(index=[0]))
    xz = np.where(rows, var.x, 0.0)

    def score(theta: float, limit: float) -> float:
        u = ((xz > theta).astype(float) - (1 - p))[:, None]
        est, cov = ratio_core(design, u, np.ones_like(u), one)
        return float(est[0, 0] / np.sqrt(cov[0, 0]) - limit)

    return score


def replicate_quantile_cov(design: ReplicateDesign, variables: list[SortedVariable],
                           rule: str, probs: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Replicate covariance of the quantiles, rows ordered (domain, variable, quantile)."""
    n_dom = variables[0].n_domains
    thetas = np.empty((design.n_replicates, n_dom, len(variables), len(probs)))
    for sl, block in design.replicate_chunks():
        for v, var in enumerate(variables):
            rep_sorted = block[var.order]
            for d in range(n_dom):
                for j, p in enumerate(probs):
                    thetas[sl, d, v, j] = var.domain_quantiles(rule, d, rep_sorted, p)
    return design_covariance(design, None, None, full,
                             replicate_thetas=lambda: thetas.reshape(design.n_replicates, -1))
