"""Means and totals (R's ``svymean`` / ``svytotal``, with ``svyby`` domains)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit.errors import SurveykitWarning
from surveykit.estimation._domains import Domains, build_domains, ratio_core, srs_variance
from surveykit.estimation._inputs import (
    Design,
    check_design,
    columns_arg,
    expand_variables,
    make_table,
    missing_rows,
)
from surveykit.estimation._results import EstimateTable

__all__ = ["check_deff", "mean", "srs_deff", "total"]

Deff = bool | Literal["replace"]


def check_deff(deff: object) -> Deff:
    """Validate ``deff=`` (False, True or "replace", as R)."""
    if deff is True or deff is False or deff == "replace":
        return deff
    raise ValueError(f"'deff' must be one of (False, True, 'replace') (got {deff!r}).")


def srs_deff(design: Design, values: np.ndarray, dom: Domains, variances: np.ndarray,
             deff: Deff, kind: Literal["mean", "total"]) -> np.ndarray | None:
    """Design effects ``var / var_srs`` as R's ``svymean``/``svytotal`` (``deff=``).

    For a mean without replacement, a domain whose weights sum to less than its rows
    (relative weights, scaled to mean one or less) has no finite population to correct
    for: R returns NA with a warning, and so does this function (NaN and a
    :class:`~surveykit.SurveykitWarning`) instead of a negative design effect.
    """
    if deff is False:
        return None
    s2, nobs, psum = srs_variance(design, values, dom)
    nobs, psum = nobs[:, None], psum[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "mean":
            vsrs = s2 / nobs if deff == "replace" else s2 * (psum - nobs) / (psum * nobs)
            if deff != "replace" and (small := psum[:, 0] < nobs[:, 0]).any():
                warnings.warn(
                    f"The weights sum to less than the number of rows in {int(small.sum())} "
                    "domain(s) (are they relative weights?): the design effect against "
                    "sampling without replacement is NaN there, as R's NA ('Sample size "
                    "greater than population size'). Scale the weights to population "
                    "totals, or pass deff='replace'.", SurveykitWarning, stacklevel=4)
                vsrs = np.where(small[:, None], np.nan, vsrs)
        else:
            vsrs = s2 * psum**2 / nobs
            if deff != "replace":
                vsrs = vsrs * (psum - nobs) / psum
        return variances.reshape(vsrs.shape) / vsrs


def _prepare(design: Design, variables: str | Sequence[str], by: str | list[str] | None,
             nan_policy: str) -> tuple[Design, np.ndarray, pd.DataFrame, Domains]:
    design = check_design(design)
    cols = columns_arg("variables", design.data, variables)
    values, labels = design._cached(("variables", *cols),
                                    lambda: expand_variables(design.data, cols))
    valid = missing_rows(design, cols, values, nan_policy)
    return design, values, labels, build_domains(design, by, valid)


def mean(design: Design, variables: str | Sequence[str], *, by: str | list[str] | None = None,
         deff: Deff = False, nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Weighted mean of each variable, overall or in domains (R's ``svymean``/``svyby``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variables : str or list of str
        Numeric columns; string/categorical columns give the mean of each level's
        indicator (R's ``svymean(~factor)``); booleans count as 0/1.
    by : str or list of str, optional
        Domain variables (R's ``svyby``); domains are ordered with the first variable
        varying fastest, as R.
    deff : bool or "replace", default False
        Design effect against SRS without (True) or with ("replace") replacement. Where
        the weights of a domain sum to less than its rows (relative weights) the design
        effect without replacement is NaN, with a warning, as R's NA.
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" removes rows with a missing value in any of ``variables`` from the domain
        (R's ``na.rm=TRUE``); the design stays whole.

    Returns
    -------
    EstimateTable

    Notes
    -----
    The estimate is ``sum(w y) / sum(w)``; influence values ``w (y - mean) / sum(w)``.
    Confidence limits use the design df; R's ``confint`` (normal) is
    ``table.confidence_interval(df=float("inf"))``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> t = sk.mean(d, "api00")
    >>> round(float(t.estimate[0]), 2), round(float(t.se[0]), 4)
    (662.29, 9.4089)

    Matches R: ``svymean(~api00, svydesign(id=~1, strata=~stype, weights=~pw,
    data=apistrat, fpc=~fpc))``: 662.29, SE 9.4089.

    """
    deff = check_deff(deff)
    design, values, labels, dom = _prepare(design, variables, by, nan_policy)
    est, cov = ratio_core(design, values, 1.0, dom)
    d = srs_deff(design, values, dom, np.diag(cov), deff, "mean")
    return make_table(design, dom, labels, est, cov, "mean", d)


def total(design: Design, variables: str | Sequence[str], *, by: str | list[str] | None = None,
          deff: Deff = False, nan_policy: Literal["raise", "omit"] = "raise") -> EstimateTable:
    """Weighted total of each variable, overall or in domains (R's ``svytotal``/``svyby``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variables : str or list of str
        As for :func:`mean`.
    by : str or list of str, optional
        Domain variables.
    deff : bool or "replace", default False
        Design effect (R's ``deff=``).
    nan_policy : {"raise", "omit"}, default "raise"
        As for :func:`mean`.

    Returns
    -------
    EstimateTable

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> t = sk.total(d, "enroll")
    >>> round(float(t.estimate[0])), round(float(t.se[0]))
    (3687178, 114642)

    Matches R: ``svytotal(~enroll, dstrat)``: 3687178, SE 114642.

    """
    deff = check_deff(deff)
    design, values, labels, dom = _prepare(design, variables, by, nan_policy)
    est, cov = ratio_core(design, values, None, dom)
    d = srs_deff(design, values, dom, np.diag(cov), deff, "total")
    return make_table(design, dom, labels, est, cov, "total", d)
