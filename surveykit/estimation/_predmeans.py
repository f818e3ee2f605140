"""Predictive margins after a GLM (R's ``svypredmeans``, Stata's ``margins``).

The model is refitted with the group variable added; then every row of the fitted sample is
predicted as if it belonged to each group in turn, and the predictions are averaged with the
sampling weights. The margins thus compare groups (waves) at one and the same composition
of the sample. Variance, as R: the design-based variance of the mean predictions (rows'
predictions as the variable) plus ``g' V g``, with ``V`` the covariance of the coefficients
and ``g`` the weighted mean of ``d mu / d eta`` times the model-matrix row.
"""

from __future__ import annotations

import re
from typing import Any, cast

import numpy as np
import pandas as pd

from surveykit._validate import check_columns, check_type
from surveykit.design._codes import sorted_codes
from surveykit.errors import EstimationError
from surveykit.estimation._domains import build_domains, ratio_core
from surveykit.estimation._glm import FamilyName, GLMResult, glm
from surveykit.estimation._inputs import variance_name
from surveykit.estimation._results import EstimateTable

__all__ = ["predictive_margins"]

_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")


def _with_group(fit: GLMResult, by: str) -> GLMResult:
    """Return the fit if ``by`` is in its formula, else refit with ``+ by`` (R's update)."""
    model = fit.model
    assert model is not None
    rhs = fit.formula.split("~", 1)[1]
    if by in _NAME.findall(rhs):
        return fit
    family = cast(FamilyName, model.family.name)
    return glm(model.design, f"{fit.formula} + {by}", family=family,
               link=model.family.link.name, offset=model.offset)


def _groups(values: pd.Series) -> list[object]:
    codes, levels = sorted_codes(values)
    return [levels[c] for c in sorted(set(codes.tolist())) if c >= 0]


def predictive_margins(fit: GLMResult, *, by: str) -> EstimateTable:
    """Mean predictions per group at the sample's composition (R's ``svypredmeans``).

    Parameters
    ----------
    fit : GLMResult
        The adjustment model from :func:`~surveykit.glm` (any family but ordinal). If its
        formula does not contain ``by``, the model is refitted with ``+ by`` added, as
        R's ``svypredmeans(adjustmodel, ~by)`` does; if it does (``y ~ age * wave``), the
        fit is used as it is, as Stata's ``margins wave``.
    by : str
        Group column (e.g. the wave). A numeric column enters the model as a number, as
        in R; make it a string or categorical column for one coefficient per group
        (R: ``~factor(wave)``; with two groups both give the same margins).

    Returns
    -------
    EstimateTable
        One row per group (in sorted order), ``variable`` the response, statistic
        ``"predictive_margin"``, the full covariance (so :func:`~surveykit.contrast`
        gives adjusted group differences with their SEs), the df of the design.

    Raises
    ------
    EstimationError
        ``fit`` is an ordinal model or carries no model (constructed by hand).

    Notes
    -----
    Matches ``svypredmeans(svyglm(...), ~by)`` of R survey 4.1.1 (estimates, SEs and
    covariance). R lists groups in order of first appearance; surveykit sorts them. As
    R's ``predict.svyglm``, predictions leave offsets out: with ``offset(log(exposure))``
    the margins are rates per unit of exposure. Rows with a missing value in the
    adjustment model are left out (R's ``na.omit``); rows with a missing group are
    predicted too but do not enter the refit. As in R, the variance adds the two parts
    and leaves out their covariance.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> pm = sk.predictive_margins(sk.glm(d, "api00 ~ ell"), by="stype")
    >>> pm.to_frame()[["stype", "estimate", "se"]].round(2)  # doctest: +NORMALIZE_WHITESPACE
      stype  estimate     se
    0     E    657.49  23.53
    1     H    566.33  23.91
    2     M    611.01  29.31
    >>> # R: svypredmeans(svyglm(api00 ~ ell, design = dclus1), ~stype):
    >>> # E 657.49 (23.526), H 566.33 (23.907), M 611.01 (29.312)
    >>> round(float(sk.contrast(pm, {"H": 1, "E": -1}).estimate[0]), 2)
    -91.16

    """
    check_type("fit", fit, GLMResult, "a GLMResult from sk.glm")
    if fit.model is None or fit.family == "ordinal":
        raise EstimationError("predictive_margins needs a GLM fitted by sk.glm with a family "
                              f"other than 'ordinal' (got family={fit.family!r}).")
    design, used = fit.model.design, fit.model.used
    check_columns("by", design.data, [by])
    refit = _with_group(fit, by)
    model = refit.model
    assert model is not None
    rows = np.flatnonzero(used)
    sample = design.data.iloc[rows]
    groups = _groups(sample[by])
    w = design.analysis_weights()[rows]
    fits = np.zeros((len(used), len(groups)))
    grad = np.empty((len(model.coef), len(groups)))
    for i, g in enumerate(groups):
        at_group: dict[str, Any] = {by: g}  # every row as a member of group g
        x = model.frame.matrix(sample.assign(**at_group))
        eta = x @ model.coef
        fits[rows, i] = model.family.linkinv(eta)
        grad[:, i] = (w * model.family.mu_eta(eta)) @ x / w.sum()
    fit_design = design if used.all() else design.subset(used)
    est, cov = ratio_core(fit_design, fits, 1.0, build_domains(fit_design, None))
    total = grad.T @ refit.cov @ grad + cov
    k = len(groups)
    return EstimateTable(
        labels=pd.DataFrame({by: groups, "variable": fit.model.frame.response}),
        estimate=np.asarray(est, dtype=float).reshape(-1), se=np.sqrt(np.diag(total)),
        df=np.full(k, float(fit_design.df)), n=np.full(k, float(len(rows))),
        n_weighted=np.full(k, float(w.sum())), cov=total, statistic="predictive_margin",
        variance_method=variance_name(design))
