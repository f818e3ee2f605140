"""Proportions of every level of a categorical variable with R's ``svyciprop`` intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module
from surveykit._validate import check_option, check_probability
from surveykit.design import ReplicateDesign, design_covariance, replicate_totals
from surveykit.design._codes import sorted_codes
from surveykit.estimation._ciprop import PROB_METHODS, prob_interval
from surveykit.estimation._ciprop_likelihood import intercept_fit, likelihood_interval
from surveykit.estimation._domains import (
    Domains,
    build_domains,
    domain_df_and_rows,
    given_df_and_rows,
    ratio_core,
)
from surveykit.estimation._inputs import (
    Design,
    check_design,
    columns_arg,
    domain_counts,
    missing_rows,
    table_labels,
    variance_name,
)
from surveykit.estimation._means import Deff, check_deff, srs_deff
from surveykit.estimation._results import EstimateTable, IntervalFn

special = lazy_module("scipy.special")

__all__ = ["proportion"]

CI_METHODS = ("likelihood", *PROB_METHODS)


def level_indicators(data: pd.DataFrame, column: str, levels: Sequence[object] | None
                     ) -> tuple[np.ndarray, pd.DataFrame]:
    """0/1 matrix ``(n, L)`` of the levels of ``column`` (NaN rows where it is missing).

    Without ``levels`` the levels are R's factor levels (every category of a
    ``Categorical``, used or not, otherwise the sorted distinct values). With ``levels``
    the columns follow that order and may include values that do not occur (their
    proportion is zero); a value that occurs but is not listed is an error, so the
    proportions always sum to one.
    """
    s = data[column]
    missing = s.isna().to_numpy()
    if levels is None:
        codes, lv = sorted_codes(s, keep_unused=True)
    else:
        lv = list(levels)
        if not pd.Index(lv).is_unique:
            raise ValueError(f"'levels' lists a value twice: {lv!r}.")
        codes = np.where(missing, -1, pd.Index(lv).get_indexer(pd.Index(s))).astype(np.int64)
        unlisted = (codes < 0) & ~missing
        if unlisted.any():
            extra = sorted(map(str, pd.unique(s[unlisted])))
            raise ValueError(f"Column {column!r} has values not in 'levels': {extra[:10]!r} "
                             f"(first at row {data.index[int(np.flatnonzero(unlisted)[0])]!r})."
                             " Add them to 'levels' or recode them to missing.")
    block = (codes[:, None] == np.arange(len(lv))[None, :]).astype(float)
    block[missing] = np.nan
    labels = pd.DataFrame({"variable": [column] * len(lv), "level": lv})
    return block, labels


def _indicators(design: Design, column: str, levels: Sequence[object] | None
                ) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`level_indicators` of a design's column; without ``levels`` once per design.

    An item is estimated overall and in every domain: its indicators are built once
    (read-only) and reused.
    """
    if levels is not None:
        return level_indicators(design.data, column, levels)
    return design._cached(("level indicators", column),
                          lambda: level_indicators(design.data, column, None))


def _replicate_logit_var(design: ReplicateDesign, y: np.ndarray, dom: Domains,
                         est: np.ndarray) -> np.ndarray:
    """Variance of ``logit(p)`` from the replicate proportions (R's ``svyglm`` refits)."""
    yz = np.nan_to_num(y)

    def thetas() -> np.ndarray:
        num = replicate_totals(design, yz, dom.codes, dom.n_domains)
        den = replicate_totals(design, np.ones((yz.shape[0], 1)), dom.codes, dom.n_domains)
        with np.errstate(divide="ignore", invalid="ignore"):
            return special.logit(num / den).reshape(design.n_replicates, -1)

    with np.errstate(divide="ignore"):
        full = special.logit(est.reshape(-1))
    cov = design_covariance(design, None, None, full, replicate_thetas=thetas)
    return np.diag(cov)


def _interval_fn(method: str, design: Design, y: np.ndarray, dom: Domains, est: np.ndarray,
                 var: np.ndarray, rows: np.ndarray, design_df: np.ndarray,
                 n_weighted: np.ndarray, given: tuple[np.ndarray, np.ndarray] | None
                 ) -> IntervalFn:
    """Return the ``(level, df) -> (low, high)`` of :class:`EstimateTable` (it pickles)."""
    m = est.shape[1]
    var_logit = None
    if method == "logit" and isinstance(design, ReplicateDesign):
        var_logit = _replicate_logit_var(design, y, dom, est)
    fit = None
    if method == "likelihood":
        # R's svyglm fits the rows without a missing value, its weights rescaled over all
        fit = intercept_fit(design, y, dom, est, var, domain_df_and_rows(design, dom)[1],
                            n_weighted, given)
    return _ProportionInterval(method, est.reshape(-1), var, var_logit, fit,
                               np.repeat(rows, m), np.repeat(design_df, m))


@dataclass(frozen=True, eq=False)
class _ProportionInterval:
    """Limits of proportions by ``method`` at any level and df (R's ``confint``)."""

    method: str
    p: np.ndarray
    var: np.ndarray
    var_logit: np.ndarray | None
    fit: Any
    rows: np.ndarray
    design_df: np.ndarray

    def __call__(self, level: float, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.fit is not None:
            return likelihood_interval(self.fit, level, df)
        return prob_interval(self.method, self.p, self.var, level, df,
                             var_logit=self.var_logit, n_rows=self.rows,
                             design_df=self.design_df)


def proportion(design: Design, variable: str, *, by: str | list[str] | None = None,
               ci_method: Literal["logit", "likelihood", "asin", "beta", "mean", "xlogit",
                                  "wilson"] = "logit",
               confidence_level: float = 0.95, df: float | None = None, deff: Deff = False,
               nan_policy: Literal["raise", "omit"] = "raise",
               levels: Sequence[object] | None = None) -> EstimateTable:
    """Proportion of every level of a categorical variable, with R's ``svyciprop`` intervals.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variable : str
        A categorical, string, boolean or 0/1 column; every level gets a row.
    by : str or list of str, optional
        Domain variables (R's ``svyby(..., svyciprop)``).
    ci_method : {"logit", "likelihood", "asin", "beta", "mean", "xlogit", "wilson"}
        Interval method (R's ``svyciprop(method=)``); "wilson" is not in R survey 4.1.1
        (see Notes). "likelihood" needs a linearisation design (R gives no interval for
        replicate designs).
    confidence_level : float, default 0.95
        Level of ``ci_low``/``ci_high``.
    df : float, optional
        Degrees of freedom of the intervals (R's ``df=``); default the design's degrees of
        freedom, and within each domain that domain's (R's ``degf`` of the subset design).
        ``float("inf")`` gives normal quantiles.
    deff : bool or "replace", default False
        Design effects as for :func:`mean`.
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" drops rows with a missing ``variable`` from the domain; the degrees of
        freedom and the row count ("beta") stay those of the design (or domain) given,
        missing rows included, as R's ``svyciprop(..., na.rm=TRUE)``.
    levels : sequence, optional
        The levels to report, in this order; a level that does not occur gets proportion
        zero. Every value that occurs must be listed.

    Returns
    -------
    EstimateTable
        One row per (domain, level); ``se`` is the SE of the proportion (R's
        ``SE(svyciprop())``, from ``svymean``); ``confidence_interval(level)`` recomputes
        the chosen interval at another level.

    Notes
    -----
    The estimate is the weighted mean of the level indicator. Interval methods:

    - "logit": Wald interval for ``logit(p)`` back-transformed (R fits a quasibinomial
      ``svyglm``; its sandwich variance equals the delta-method one for linearisation
      designs, while replicate designs use the variance of the replicate logits).
    - "xlogit": the same with the delta-method variance on every design.
    - "likelihood": R's profile-likelihood interval with the Rao-Scott scaling.
    - "asin": Wald interval for ``asin(sqrt(p))``.
    - "beta": Korn-Graubard: Clopper-Pearson at the effective sample size
      ``p (1 - p) / var``, times ``(t_{n-1} / t_{df})^2`` with ``n`` the rows and ``df``
      the degrees of freedom of the design (R ignores ``df=`` here, and so does surveykit).
    - "mean": ``p -/+ t se``.
    - "wilson": Wilson's score interval at the effective sample size with a ``t``
      quantile (Kott and Carr 1997; Dean and Pagano 2015), as later survey releases.

    Proportions of 0 or 1 give NaN limits for the methods that need a variance.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> t = sk.proportion(d, "sch.wide", ci_method="beta")
    >>> t.to_frame()[["level", "estimate", "ci_low", "ci_high"]].round(4)
      level  estimate  ci_low  ci_high
    0    No    0.1721  0.1266   0.2258
    1   Yes    0.8279  0.7742   0.8734

    Matches R: ``svyciprop(~I(sch.wide == "Yes"), dstrat, method = "beta")`` with
    ``dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc,
    data = apistrat)``: 0.828, 2.5% 0.774, 97.5% 0.87.

    """
    design = check_design(design)
    check_option("ci_method", ci_method, CI_METHODS)
    level = check_probability("confidence_level", confidence_level)
    deff = check_deff(deff)
    col = columns_arg("variable", design.data, variable)
    if len(col) != 1:
        raise ValueError(f"'variable' must name one column (got {variable!r}); call "
                         "proportion once per variable.")
    if ci_method == "likelihood" and isinstance(design, ReplicateDesign):
        raise ValueError("ci_method='likelihood' needs a linearisation design (R's "
                         "svyciprop gives no likelihood interval for replicate designs); "
                         "use 'logit' or 'beta'.")
    y, labels = _indicators(design, col[0], levels)
    valid = missing_rows(design, col, y, nan_policy)
    dom = build_domains(design, by, valid)
    est, cov = ratio_core(design, y, np.ones_like(y), dom)
    design_df, rows, given_weighted = given_df_and_rows(design, by, dom, valid)
    m = y.shape[1]
    dfs = np.repeat(design_df, m) if df is None else np.full(est.size, float(df))
    n, nw = domain_counts(design, dom, m)
    var = np.diag(cov).copy()
    given = None if valid is None else (rows, given_weighted)
    interval = _interval_fn(ci_method, design, y, dom, est, var, rows, design_df, nw[::m],
                            given)
    d = srs_deff(design, y, dom, var, deff, "mean")
    return EstimateTable(
        labels=table_labels(dom, labels), estimate=est.reshape(-1), se=np.sqrt(var),
        df=dfs, n=n, n_weighted=nw, cov=cov, statistic="proportion",
        variance_method=variance_name(design),
        deff=None if d is None else np.asarray(d, dtype=float).reshape(-1),
        confidence_level=level, interval=interval,
    )
