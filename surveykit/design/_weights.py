"""Reading and checking analysis weights and selection probabilities."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns
from surveykit.design._stages import Stage
from surveykit.errors import DesignError, SurveykitWarning

__all__ = ["as_weight_vector", "design_weights"]


def as_weight_vector(param: str, data: pd.DataFrame, value: object, *,
                     allow_negative: bool = False) -> np.ndarray:
    """Read a column name or an array-like of length ``n`` as a checked float vector.

    Weights must be finite and, unless ``allow_negative``, non-negative. Calibrated weights
    may be negative (unbounded linear calibration, as R's ``calibrate`` allows), so
    ``with_weights`` passes ``allow_negative=True``; sampling weights never may.

    Examples
    --------
    >>> as_weight_vector("weights", pd.DataFrame({"w": [1.0, 2.0]}), "w")
    array([1., 2.])

    """
    if isinstance(value, str):
        check_columns(param, data, [value])
        arr = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=float)
        where = f"column {value!r}"
    else:
        if isinstance(value, pd.Series) and not value.index.equals(data.index):
            raise DesignError(f"{param!r} is a Series whose index does not match the data's.")
        arr = np.asarray(value, dtype=float).reshape(-1)
        where = "the array"
        if arr.shape[0] != len(data):
            raise DesignError(f"{param!r} has {arr.shape[0]} values but the data has "
                              f"{len(data)} rows.")
    bad = ~np.isfinite(arr) if allow_negative else ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        expected = "finite" if allow_negative else "finite and non-negative"
        raise DesignError(
            f"{param!r} ({where}) must be {expected}; {int(bad.sum())} value(s) "
            f"are not (first at row {data.index[i]!r}: {arr[i]!r})."
        )
    return arr


def design_weights(data: pd.DataFrame, weights: object, probs: object | None,
                   stages: list[Stage]) -> np.ndarray:
    """Analysis weights from ``weights=``, ``probs=`` or the fpc (R's ``svydesign`` rules)."""
    if weights is not None and probs is not None:
        raise DesignError("Give either 'weights' or 'probs', not both.")
    if weights is not None:
        return as_weight_vector("weights", data, weights)
    if probs is not None:
        cols: Sequence[object] = (as_column_list("probs", probs)
                                  if isinstance(probs, str | list | tuple) else [probs])
        p = np.ones(len(data))
        for c in cols:
            pc = as_weight_vector("probs", data, c)
            if (pc == 0).any() or (pc > 1).any():
                raise DesignError("'probs' must be selection probabilities in (0, 1].")
            p = p * pc
        return 1.0 / p
    if stages[0].has_fpc:
        w = np.ones(len(data))
        for st in stages:
            if st.cluster_popsize is not None:
                w = w * (st.cluster_popsize / st.npsu[st.cluster_stratum])[st.clusters]
            else:
                assert st.popsize is not None
                w = w * (st.popsize / st.npsu)[st.strata]
        return w
    warnings.warn("No weights or probabilities given: assuming equal probability "
                  "(weights of 1), as R's svydesign does.", SurveykitWarning, stacklevel=4)
    return np.ones(len(data))
