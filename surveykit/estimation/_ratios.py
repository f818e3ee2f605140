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
        nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Estimated population variance of each variable (R's ``svyvar``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variables : str or list of str
        Numeric columns (one variance each; covariances between variables are not
        returned).
    by : str or list of str, optional
        Domain variables.
    nan_policy : {"raise", "omit"}, default "raise"
        As for :func:`mean`.

    Returns
    -------
    EstimateTable

    Notes
    -----
    ``n/(n-1) * sum w (y - ybar)^2 / sum w`` with ``n`` the observations with non-zero
    weight (rows of the domain for replicate designs), as R. For linearisation designs the
    SE treats ``ybar`` as fixed, as R's ``svyvar`` does.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> t = sk.var(d, "api00")
    >>> round(float(t.estimate[0]), 2), round(float(t.se[0]), 2)
    (11182.82, 1386.41)

    Matches R: ``svyvar(~api00, dclus1)``: 11183, SE 1386.4.

    """
    design = check_design(design)
    cols = columns_arg("variables", design.data, variables)
    y = _numeric(design, cols)
    valid = missing_rows(design, cols, y, nan_policy)
    dom = build_domains(design, by, valid)
    s2, nobs, _ = srs_variance(design, y, dom)
    if isinstance(design, ReplicateDesign):
        cov = _replicate_var_cov(design, y, dom, nobs, s2)
    else:
        codes = dom.codes
        safe = np.maximum(codes, 0)
        n_r = _design_nobs(design, by, dom) if valid is not None else nobs
        with np.errstate(divide="ignore", invalid="ignore"):
            s2 = s2 * ((n_r / (n_r - 1)) / (nobs / (nobs - 1)))[:, None]
        nobs = n_r
        mean = ratio_core(design, y, 1.0, dom)[0]
        factor = (nobs / (nobs - 1))[safe][:, None]
        z = np.where((codes >= 0)[:, None], (y - mean[safe]) ** 2 * factor, 0.0)
        _, cov = ratio_core(design, z, 1.0, dom)
    labels = pd.DataFrame({"variable": cols})
    return make_table(design, dom, labels, s2, cov, "variance")


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


def _replicate_var_cov(design: ReplicateDesign, y: np.ndarray, dom: object,
                       nobs: np.ndarray, s2: np.ndarray) -> np.ndarray:
    codes, n_dom = dom.codes, dom.n_domains  # type: ignore[attr-defined]
    m = y.shape[1]
    yz = np.nan_to_num(y)
    vals = np.hstack([np.ones((y.shape[0], 1)), yz, yz**2])

    def thetas() -> np.ndarray:
        t = replicate_totals(design, vals, codes, n_dom)
        t0, t1, t2 = t[:, :, :1], t[:, :, 1:1 + m], t[:, :, 1 + m:]
        mu = t1 / t0
        v = (t2 / t0 - mu**2) * (nobs / (nobs - 1))[None, :, None]
        return v.reshape(design.n_replicates, -1)

    return design_covariance(design, None, None, s2.reshape(-1), replicate_thetas=thetas)
