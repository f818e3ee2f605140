"""Quantiles with confidence intervals (R survey 4.1.1's ``svyquantile``).

Three interval constructions (``interval.type``):

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._validate import check_option, check_probability
from surveykit.design import ExceedanceSweep, ReplicateDesign, SurveyDesign, design_covariance
from surveykit.estimation._ciprop import prob_interval, t_crit
from surveykit.estimation._domains import Domains, build_domains, domain_df_and_rows, ratio_core
from surveykit.estimation._inputs import (
    Design,
    check_design,
    columns_arg,
    domain_counts,
    missing_rows,
    table_labels,
    variance_name,
)
from surveykit.estimation._qrules import QRULES, SortedVariable
from surveykit.estimation._results import EstimateTable, IntervalFn
from surveykit.estimation._zeroin import uniroot

__all__ = ["quantile"]

INTERVAL_TYPES = ("mean", "beta", "xlogit", "asin", "score", "quantile")
QRule = Literal["math", "school", "shahvaish", "hf1", "hf2", "hf3", "hf4", "hf5", "hf6",
                "hf7", "hf8", "hf9"]


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


def _check_quantiles(quantiles: float | Sequence[float]) -> np.ndarray:
    values = np.atleast_1d(np.asarray(quantiles, dtype=float))
    if values.ndim != 1 or not values.size:
        raise ValueError(f"'quantiles' must be a probability or a list of probabilities "
                         f"(got {quantiles!r}).")
    for q in values:
        check_probability("quantiles", float(q), open_interval=False)
    return values


def _check_interval_type(design: Design, interval_type: str) -> None:
    check_option("interval_type", interval_type, INTERVAL_TYPES)
    if interval_type == "score" and isinstance(design, ReplicateDesign):
        raise ValueError("interval_type='score' needs a linearisation design (R's "
                         "svyquantile offers it for survey.design only); use 'mean' or "
                         "'quantile' with replicate designs.")
    if interval_type == "quantile" and not isinstance(design, ReplicateDesign):
        raise ValueError("interval_type='quantile' replicates the quantile and needs a "
                         "ReplicateDesign; use 'mean' (Woodruff) or 'score' here.")


def _point_estimates(variables: list[SortedVariable], rule: str, probs: np.ndarray
                     ) -> np.ndarray:
    """Quantiles ``(D, V, Q)``."""
    return np.stack([np.column_stack([v.quantiles(rule, p) for p in probs])
                     for v in variables], axis=1)


def _woodruff_fn(kind: str, design: Design, variables: list[SortedVariable], dom: Domains,
                 rule: str, qhat: np.ndarray, rows: np.ndarray,
                 design_df: np.ndarray) -> IntervalFn:
    probs = [woodruff_probabilities(design, v, dom, qhat[:, i]) for i, v in
             enumerate(variables)]
    return _WoodruffInterval(kind, rule, variables, probs, rows, design_df, qhat.shape)


@dataclass(frozen=True, eq=False)
class _WoodruffInterval:
    """Woodruff limits (``interval_type`` mean, beta, xlogit, asin) at any level and df."""

    kind: str
    rule: str
    variables: list[SortedVariable]
    probs: list[tuple[np.ndarray, np.ndarray]]
    rows: np.ndarray
    design_df: np.ndarray
    shape: tuple[int, ...]

    def __call__(self, level: float, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dfs = np.asarray(df, dtype=float).reshape(self.shape)
        lo, hi = np.empty(self.shape), np.empty(self.shape)
        for i, (v, (phat, pvar)) in enumerate(zip(self.variables, self.probs, strict=True)):
            lo[:, i], hi[:, i] = woodruff_interval(self.kind, self.rule, v, phat, pvar, level,
                                                   dfs[:, i], self.rows, self.design_df)
        return lo.reshape(-1), hi.reshape(-1)


@dataclass(frozen=True, eq=False)
class _ScoreInterval:
    """Score (test-inversion) limits at any level and df; each (level, df) solved once."""

    design: SurveyDesign
    variables: list[SortedVariable]
    rule: str
    probs: np.ndarray
    rows: np.ndarray
    shape: tuple[int, ...]
    cache: dict[tuple[float, bytes], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict)

    def __call__(self, level: float, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dfs = np.asarray(df, dtype=float).reshape(self.shape)
        key = (level, dfs.tobytes())
        if key not in self.cache:
            self.cache[key] = self._solve(level, dfs)
        return self.cache[key]

    def _solve(self, level: float, dfs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        design, shape = self.design, self.shape
        lo, hi = np.empty(shape), np.empty(shape)
        for d in range(shape[0]):
            for i, v in enumerate(self.variables):
                sweep = (ExceedanceSweep.build(design, v.x, v.codes == d)
                         if ExceedanceSweep.applies(design) else None)  # all quantiles
                for j, p in enumerate(self.probs):
                    lo[d, i, j], hi[d, i, j] = score_interval(
                        design, v, self.rule, d, float(p), level, float(dfs[d, i, j]),
                        float(self.rows[d]), sweep)
        return lo.reshape(-1), hi.reshape(-1)


@dataclass(frozen=True, eq=False)
class _ReplicateInterval:
    """``estimate -/+ t se`` from the replicate standard errors, at any level and df."""

    est: np.ndarray
    se: np.ndarray

    def __call__(self, level: float, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        half = self.se * t_crit(level, df)
        return self.est - half, self.est + half


def quantile(design: Design, variable: str | Sequence[str],
             quantiles: float | Sequence[float], *, by: str | list[str] | None = None,
             qrule: QRule = "math",
             interval_type: Literal["mean", "beta", "xlogit", "asin", "score",
                                    "quantile"] = "mean",
             confidence_level: float = 0.95, df: float | None = None,
             nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Quantiles of numeric variables with confidence intervals (R's ``svyquantile``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variable : str or list of str
        Numeric columns.
    quantiles : float or list of float
        Probabilities in [0, 1].
    by : str or list of str, optional
        Domain variables (R's ``svyby(..., svyquantile)``).
    qrule : str, default "math"
        How the weighted empirical distribution is inverted (R's ``qrule=``): "math" (the
        inverse CDF), "school" (average at exact ties), "shahvaish", or "hf1" ... "hf9"
        (Hyndman-Fan types with weights).
    interval_type : {"mean", "beta", "xlogit", "asin", "score", "quantile"}
        R 4.1.1's ``interval.type``: Woodruff intervals whose probability-scale limits come
        from the named proportion interval ("mean" is the Wald interval, the default);
        "score" inverts a score test (linearisation designs only); "quantile" replicates
        the quantile itself (replicate designs only).
    confidence_level : float, default 0.95
        Level of the interval; the SE is derived from it.
    df : float, optional
        Degrees of freedom (R's ``df=``); default the design's, and within each domain
        that domain's (R's ``degf`` of the subset design). ``float("inf")``: normal.
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" drops rows with a missing value in any ``variable`` from the domain (R's
        ``na.rm=TRUE``).

    Returns
    -------
    EstimateTable
        Columns [by...], variable, quantile, estimate, se, ci_low, ci_high, df, ...;
        ``se = (ci_high - ci_low) / (2 t)`` as R. The covariance holds the variances on
        its diagonal and NaN elsewhere (R's ``vcov``), except with
        ``interval_type="quantile"``, where it is the full replicate covariance.

    Notes
    -----
    For the default Woodruff interval, ``F_hat(q_hat)`` (the estimated share at or below
    the quantile) gets a Wald interval with its design-based SE and the design df; its
    limits are turned back into values with the same ``qrule``.

    Differences from R survey 4.1.1, on purpose: with replicate designs R ignores
    ``interval.type`` "beta", "xlogit" and "asin" (it always uses "mean"), which later
    survey releases fixed; surveykit honours them. The "score" interval works on the
    domain's rows; for calibrated designs R's version also counts the rows outside the
    domain in its unweighted share.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> t = sk.quantile(d, "api00", [0.25, 0.5])
    >>> t.to_frame()[["quantile", "estimate", "ci_low", "ci_high", "se"]].round(2)
       quantile  estimate  ci_low  ci_high     se
    0      0.25     565.0   535.0    597.0  15.72
    1      0.50     668.0   642.0    694.0  13.18

    Matches R: ``svyquantile(~api00, dstrat, quantiles = c(0.25, 0.5), ci = TRUE)``:
    565 (535, 597) SE 15.71945; 668 (642, 694) SE 13.18406.

    """
    design = check_design(design)
    cols = columns_arg("variable", design.data, variable)
    probs = _check_quantiles(quantiles)
    check_option("qrule", qrule, tuple(QRULES))
    _check_interval_type(design, interval_type)
    level = check_probability("confidence_level", confidence_level)
    x = np.column_stack([pd.to_numeric(design.data[c], errors="raise").to_numpy(float)
                         for c in cols])
    valid = missing_rows(design, cols, x, nan_policy)
    dom = build_domains(design, by, valid)
    w = design.analysis_weights()
    variables = [SortedVariable.build(x[:, i], w, dom) for i in range(len(cols))]
    qhat = _point_estimates(variables, qrule, probs)
    design_df, rows = domain_df_and_rows(design, dom)
    shape = qhat.shape
    dfs = (np.repeat(design_df, len(cols) * len(probs)) if df is None
           else np.full(qhat.size, float(df)))
    est = qhat.reshape(-1)
    cov = None
    if interval_type == "quantile":
        assert isinstance(design, ReplicateDesign)
        cov = replicate_quantile_cov(design, variables, qrule, probs, est)
        interval: IntervalFn = _ReplicateInterval(est, np.sqrt(np.diag(cov)))
    elif interval_type == "score":
        assert isinstance(design, SurveyDesign)
        interval = _ScoreInterval(design, variables, qrule, probs, rows, shape)
    else:
        interval = _woodruff_fn(interval_type, design, variables, dom, qrule, qhat, rows,
                                design_df)
    lo, hi = interval(level, dfs)
    with np.errstate(invalid="ignore"):
        se = (hi - lo) / (2 * t_crit(level, dfs))
    if cov is None:
        cov = np.full((est.size, est.size), np.nan)
        np.fill_diagonal(cov, se**2)
    labels = pd.DataFrame({"variable": np.repeat(cols, len(probs)),
                           "quantile": np.tile(probs, len(cols))})
    n, nw = domain_counts(design, dom, len(labels))
    return EstimateTable(
        labels=table_labels(dom, labels), estimate=est, se=se, df=dfs, n=n, n_weighted=nw,
        cov=cov, statistic="quantile", variance_method=variance_name(design),
        confidence_level=level, interval=interval,
    )
