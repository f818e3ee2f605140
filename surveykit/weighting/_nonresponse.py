"""Nonresponse adjustment: weighting classes, or response propensities from a logistic model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.errors import WeightingError
from surveykit.weighting._apply import base_weights, finish, stacked, unstack
from surveykit.weighting._cells import encode
from surveykit.weighting._history import StepTimer, WeightingStep

__all__ = ["adjust_nonresponse", "logistic_propensity"]

Design = SurveyDesign | ReplicateDesign


def _respondent_mask(data: pd.DataFrame, respondent: Any) -> np.ndarray:
    if isinstance(respondent, str):
        check_columns("respondent", data, [respondent])
        values = data[respondent]
    else:
        values = pd.Series(np.asarray(respondent), index=data.index)
    if values.isna().any():
        rows = data.index[values.isna().to_numpy()][:10].tolist()
        raise WeightingError(f"'respondent' has missing values (first rows: {rows!r}); "
                             "every sampled unit must be marked respondent or not.")
    uniq = set(pd.unique(values))
    if not uniq <= {True, False}:
        raise WeightingError(f"'respondent' must be boolean or 0/1 (got values "
                             f"{sorted(map(str, uniq))[:10]!r}).")
    mask = values.to_numpy().astype(bool)
    if len(mask) != len(data):
        raise WeightingError(f"'respondent' has {len(mask)} values; the data has {len(data)}.")
    return mask


def _class_factors(codes: np.ndarray, size: int, W: np.ndarray, resp: np.ndarray,
                   labels: list[Any]) -> np.ndarray:
    """Per class and weight column: total weight / respondent weight."""
    two = W if W.ndim == 2 else W[:, None]
    allw = np.stack([np.bincount(codes, weights=two[:, j], minlength=size)
                     for j in range(two.shape[1])], axis=1)
    rw = np.stack([np.bincount(codes, weights=two[:, j] * resp, minlength=size)
                   for j in range(two.shape[1])], axis=1)
    empty = (rw[:, 0] == 0) & (allw[:, 0] > 0)
    if empty.any():
        bad = [repr(labels[k]) for k in np.flatnonzero(empty)][:20]
        raise WeightingError(f"adjust_nonresponse(): weighting classes without respondents: "
                             f"{bad}. Collapse them with neighbouring classes.")
    f = np.divide(allw, rw, out=np.ones_like(allw), where=rw > 0)
    return f if W.ndim == 2 else f[:, 0]


def _design_matrix(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    frame = pd.get_dummies(data[list(columns)], drop_first=True, dtype=float)
    if frame.isna().to_numpy().any():
        bad = frame.columns[frame.isna().any()].tolist()
        raise WeightingError(f"'model' columns have missing values: {bad!r}.")
    return np.column_stack([np.ones(len(data)), frame.to_numpy(dtype=float)])


def logistic_propensity(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, tol: float = 1e-10,
                        max_iter: int = 50) -> np.ndarray:
    """Fitted response probabilities of a weighted logistic regression (IRLS).

    The point estimates equal R's ``svyglm(y ~ x, design, family=quasibinomial())``.

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), [0.0, 0.0, 1.0, 1.0]])
    >>> logistic_propensity(X, np.array([1.0, 0.0, 1.0, 1.0]), np.ones(4)).round(3).tolist()
    [0.5, 0.5, 1.0, 1.0]

    """
    beta = np.zeros(X.shape[1])
    for _ in range(max_iter):
        eta = np.clip(X @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-eta))
        v = w * p * (1 - p)
        step = np.linalg.lstsq((X * v[:, None]).T @ X, X.T @ (w * (y - p)), rcond=None)[0]
        beta += step
        if np.max(np.abs(step)) < tol:
            break
    return 1.0 / (1.0 + np.exp(-np.clip(X @ beta, -30, 30)))


def _by_classes(base, resp, classes, data):
    cols = as_column_list("classes", classes)
    check_columns("classes", data, cols)
    enc = encode(data, cols)
    if (enc.codes[base.w > 0] < 0).any():
        raise WeightingError(f"'classes' {cols!r} have missing values in rows with weight.")
    codes = np.where(enc.codes < 0, 0, enc.codes)
    f = _class_factors(codes, enc.size, stacked(base), resp, enc.labels)
    return stacked(base) * f[codes] * (resp if f.ndim == 1 else resp[:, None])


def _by_model(base, resp, model, data):
    cols = as_column_list("model", model)
    check_columns("model", data, cols)
    X = _design_matrix(data, cols)
    W = stacked(base)
    two = W if W.ndim == 2 else W[:, None]
    out = np.zeros_like(two)
    for j in range(two.shape[1]):  # refit per replicate column, as a replicate design must
        p = logistic_propensity(X, resp.astype(float), two[:, j])
        out[:, j] = np.where(resp, two[:, j] / p, 0.0)
    return out if W.ndim == 2 else out[:, 0]


def adjust_nonresponse(
    design: Design,
    respondent: str | Sequence[bool] | np.ndarray,
    *,
    classes: str | Sequence[str] | None = None,
    model: str | Sequence[str] | None = None,
) -> Design:
    """Move the weight of nonrespondents to respondents.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design of the whole sample (respondents and nonrespondents).
    respondent : str or array of bool
        Column (or mask) marking respondents (True / 1).
    classes : str or list of str, optional
        Weighting classes: within each class respondents' weights are multiplied by
        (total weight) / (respondent weight).
    model : str or list of str, optional
        Columns of a logistic response-propensity model (categoricals become dummies;
        fitted with the design weights); respondents' weights are divided by their fitted
        response probability.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        A new design restricted to respondents (``subset``): nonrespondents get weight zero
        but keep their place in the design, so PSUs and strata still count for variances.
        Replicate columns are adjusted each on their own (the model is refitted per column).

    Raises
    ------
    WeightingError
        Classes without respondents, missing values, or a bad ``respondent`` column.

    Notes
    -----
    Give exactly one of ``classes`` and ``model``. The weight total is kept exactly by the
    class adjustment and approximately by the propensity adjustment.

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"r": [1, 0, 1, 1], "k": ["a", "a", "b", "b"], "w": [2.0] * 4})
    >>> d = sk.adjust_nonresponse(sk.SurveyDesign(df, weights="w"), "r", classes="k")
    >>> d.weights.tolist()
    [4.0, 0.0, 2.0, 2.0]

    """
    timer = StepTimer()
    if (classes is None) == (model is None):
        raise ValueError("adjust_nonresponse() needs exactly one of 'classes' and 'model' "
                         f"(got classes={classes!r}, model={model!r}).")
    base = base_weights(design, "adjust_nonresponse")
    resp = _respondent_mask(base.data, respondent)
    if not (resp & (base.w > 0)).any():
        raise WeightingError("adjust_nonresponse(): no respondent has a positive weight.")
    new = (_by_classes(base, resp, classes, base.data) if classes is not None
           else _by_model(base, resp, model, base.data))
    w, rep = unstack(new)
    step = WeightingStep(
        method="adjust_nonresponse",
        targets=pd.DataFrame(columns=["margin", "level", "target", "achieved"]),
        options={"classes": classes, "model": model}, iterations=1, tolerance=0.0,
        converged=True, started=timer.started, seconds=timer.seconds(),
        details={"respondents": int(resp.sum()), "nonrespondents": int((~resp).sum()),
                 "weight_before": float(base.w.sum()), "weight_after": float(w.sum())},
    )
    return finish(design, w, rep, method="adjust_nonresponse", record=step).subset(resp)
