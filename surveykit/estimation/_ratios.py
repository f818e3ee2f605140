"""Ratios of totals (R's ``svyratio``) and population variances (R's ``svyvar``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit.design import ReplicateDesign, design_covariance, replicate_totals
from surveykit.design._codes import group_sums
from surveykit.estimation._domains import Domains, build_domains, ratio_core, srs_variance
from surveykit.estimation._inputs import (
    Design,
    check_design,
    columns_arg,
    make_table,
    missing_rows,
)
from surveykit.estimation._means import Deff, check_deff, srs_deff
from surveykit.estimation._results import EstimateTable

__all__ = ["ratio", "var"]


def _numeric(design: Design, cols: list[str]) -> np.ndarray:
    return np.column_stack([pd.to_numeric(design.data[c], errors="raise").to_numpy(float)
                            for c in cols])


def ratio(design: Design, numerator: str | Sequence[str], denominator: str | Sequence[str],
          *, by: str | list[str] | None = None, deff: Deff = False,
          nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Ratio of weighted totals ``sum(w y) / sum(w x)`` (R's ``svyratio``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    numerator, denominator : str or list of str
        Numeric columns; every numerator is divided by every denominator (numerators
        vary fastest, as R's ``svyratio``). The ``variable`` column reads ``"y/x"``.
    by : str or list of str, optional
        Domain variables (R's ``svyby(..., svyratio)``).
    deff : bool or "replace", default False
        Design effect (R's ``svyratio(deff=)``: the deff of the total of the residuals).
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" drops rows missing any numerator or denominator from the domain.

    Returns
    -------
    EstimateTable

    Notes
    -----
    Influence values ``w (y - R x) / sum(w x)``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> t = sk.ratio(d, "api.stu", "enroll")
    >>> round(float(t.estimate[0]), 6), round(float(t.se[0]), 6)
    (0.849709, 0.008386)

    Matches R: ``svyratio(~api.stu, ~enroll, dclus1)``: 0.8497087, SE 0.008386297.

    """
    deff = check_deff(deff)
    design = check_design(design)
    num = columns_arg("numerator", design.data, numerator)
    den = columns_arg("denominator", design.data, denominator)
    pairs = [(a, b) for b in den for a in num]
    y = _numeric(design, [a for a, _ in pairs])
    x = _numeric(design, [b for _, b in pairs])
    valid = missing_rows(design, num + den, np.hstack([y, x]), nan_policy)
    dom = build_domains(design, by, valid)
    est, cov = ratio_core(design, y, x, dom)
    labels = pd.DataFrame({"variable": [f"{a}/{b}" for a, b in pairs]})
    d = None
    if deff is not False:
        codes, safe = dom.codes, np.maximum(dom.codes, 0)
        y0, x0 = np.nan_to_num(y), np.nan_to_num(x)
        tx = group_sums(codes, x0 * design.analysis_weights()[:, None], dom.n_domains)
        resid = np.where((codes >= 0)[:, None], (y0 - est[safe] * x0) / tx[safe], 0.0)
        d = srs_deff(design, resid, dom, np.diag(cov), deff, "total")
    return make_table(design, dom, labels, est, cov, "ratio", d)


def var(design: Design, variables: str | Sequence[str], *, by: str | list[str] | None = None,
        covariance: bool = False,
        nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Estimated population variances, and optionally covariances (R's ``svyvar``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variables : str or list of str
        Numeric columns.
    by : str or list of str, optional
        Domain variables.
    covariance : bool, default False
        False: one row per variable (its variance). True: the whole covariance matrix of
        the variables, one row per entry in R's column-major order (``variable`` is the
        row, ``variable2`` the column), with the covariance of all entries in ``cov``, as
        R's ``svyvar`` of several variables (``print(v, covariance=TRUE)``).
    nan_policy : {"raise", "omit"}, default "raise"
        As for :func:`mean`; "omit" drops rows missing any of the variables.

    Returns
    -------
    EstimateTable

    Notes
    -----
    ``n/(n-1) * sum w (y - ybar)(z - zbar) / sum w`` with ``n`` the observations with
    non-zero weight (rows of the domain for replicate designs), as R. For linearisation
    designs the SE treats the means as fixed, as R's ``svyvar`` does. The matrix is
    ``t.to_frame().pivot(index="variable", columns="variable2", values="estimate")``
    (``values="se"`` for its standard errors).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> t = sk.var(d, "api00")
    >>> round(float(t.estimate[0]), 2), round(float(t.se[0]), 2)
    (11182.82, 1386.41)

    Matches R: ``svyvar(~api00, dclus1)``: 11183, SE 1386.4.

    >>> c = sk.var(d, ["api00", "api99"], covariance=True).to_frame()
    >>> c.pivot(index="variable", columns="variable2", values="estimate").round(1)
    variable2    api00    api99
    variable
    api00      11182.8  11516.3
    api99      11516.3  12735.2

    R: ``svyvar(~api00 + api99, dclus1)`` gives the same matrix (SEs with
    ``print(v, covariance=TRUE)``).

    """
    design = check_design(design)
    cols = columns_arg("variables", design.data, variables)
    y = _numeric(design, cols)
    valid = missing_rows(design, cols, y, nan_policy)
    dom = build_domains(design, by, valid)
    p = len(cols)
    pairs = ([(i, j) for j in range(p) for i in range(p)] if covariance
             else [(i, i) for i in range(p)])
    a, b = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    s2, nobs = _pair_moments(design, y, dom, a, b)
    if isinstance(design, ReplicateDesign):
        cov = _replicate_var_cov(design, y, dom, nobs, s2, a, b)
    else:
        codes = dom.codes
        safe = np.maximum(codes, 0)
        n_r = _design_nobs(design, by, dom) if valid is not None else nobs
        with np.errstate(divide="ignore", invalid="ignore"):
            s2 = s2 * ((n_r / (n_r - 1)) / (nobs / (nobs - 1)))[:, None]
        nobs = n_r
        mean = ratio_core(design, y, 1.0, dom)[0]
        factor = (nobs / (nobs - 1))[safe][:, None]
        dev = np.where((codes >= 0)[:, None], y - mean[safe], 0.0)
        _, cov = ratio_core(design, dev[:, a] * dev[:, b] * factor, 1.0, dom)
    labels = pd.DataFrame({"variable": [cols[i] for i in a]})
    if covariance:
        labels["variable2"] = [cols[j] for j in b]
    return make_table(design, dom, labels, s2, cov, "variance")


def _pair_moments(design: Design, y: np.ndarray, dom: Domains, a: np.ndarray,
                  b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centred ``n/(n-1)`` (co)variances ``(D, len(a))`` of column pairs and R's ``n``."""
    if np.array_equal(a, b):
        s2, nobs, _ = srs_variance(design, y[:, a], dom)
        return s2, nobs
    codes, n_dom = dom.codes, dom.n_domains
    safe = np.maximum(codes, 0)
    w = design.analysis_weights()
    _, nobs, psum = srs_variance(design, y[:, :1], dom)
    inside = (codes >= 0)[:, None]
    yz = np.where(inside, np.nan_to_num(y), 0.0)
    mean = group_sums(codes, yz * w[:, None], n_dom) / psum[:, None]
    dev = np.where(inside, yz - mean[safe], 0.0)
    ss = group_sums(codes, dev[:, a] * dev[:, b] * w[:, None], n_dom) / psum[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return ss * (nobs / (nobs - 1))[:, None], nobs


def _design_nobs(design: Design, by: str | list[str] | None, dom: Domains) -> np.ndarray:
    """Return R's ``n`` of ``svyvar`` for each domain.

    Rows with non-zero weight in the domain *before* rows with missing values are dropped
    (R counts them before ``na.rm``).
    """
    full = build_domains(design, by)
    w = design.analysis_weights()
    counts = np.bincount(full.codes[(full.codes >= 0) & (w != 0)], minlength=full.n_domains)
    keep = np.flatnonzero(dom.codes >= 0)
    rep = np.zeros(dom.n_domains, dtype=np.int64)
    rep[dom.codes[keep]] = keep                   # one row of each domain
    return counts[full.codes[rep]].astype(float)


def _replicate_var_cov(design: ReplicateDesign, y: np.ndarray, dom: Domains,
                       nobs: np.ndarray, s2: np.ndarray, a: np.ndarray,
                       b: np.ndarray) -> np.ndarray:
    codes, n_dom = dom.codes, dom.n_domains
    m = y.shape[1]
    yz = np.nan_to_num(y)
    vals = np.hstack([np.ones((y.shape[0], 1)), yz, yz[:, a] * yz[:, b]])

    def thetas() -> np.ndarray:
        t = replicate_totals(design, vals, codes, n_dom)
        t0, t1, t2 = t[:, :, :1], t[:, :, 1:1 + m], t[:, :, 1 + m:]
        mu = t1 / t0
        v = (t2 / t0 - mu[:, :, a] * mu[:, :, b]) * (nobs / (nobs - 1))[None, :, None]
        return v.reshape(design.n_replicates, -1)

    return design_covariance(design, None, None, s2.reshape(-1), replicate_thetas=thetas)
