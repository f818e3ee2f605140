"""Adjusted p-values for a family of tests: Benjamini-Hochberg, Holm and Bonferroni."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from surveykit._validate import check_option

__all__ = ["ADJUST_METHODS", "adjust_pvalues"]

AdjustMethod = Literal["bh", "holm", "bonferroni", "none"]
ADJUST_METHODS = ("bh", "holm", "bonferroni", "none")


def _bh(p: np.ndarray) -> np.ndarray:
    m = p.size
    order = np.argsort(p)[::-1]
    ranks = np.arange(m, 0, -1)
    stepped = np.minimum.accumulate(p[order] * m / ranks)
    out = np.empty(m)
    out[order] = stepped
    return out


def _holm(p: np.ndarray) -> np.ndarray:
    m = p.size
    order = np.argsort(p)
    stepped = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = stepped
    return out


def adjust_pvalues(p_values: Sequence[float] | np.ndarray,
                   method: AdjustMethod = "bh") -> np.ndarray:
    """Adjust p-values for multiple comparisons (R's ``p.adjust``).

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values. NaN entries (e.g. comparisons that were refused) are not part of the
        family and stay NaN.
    method : {"bh", "holm", "bonferroni", "none"}, default "bh"
        ``"bh"``: Benjamini-Hochberg step-up (controls the false discovery rate);
        ``"holm"``: Holm step-down and ``"bonferroni"`` (both control the family-wise
        error rate); ``"none"``: the raw p-values.

    Returns
    -------
    ndarray
        Adjusted p-values, capped at 1, in the order given.

    Notes
    -----
    With ``m`` tests and p-values sorted ascending ``p_(1) <= ... <= p_(m)``:
    BH gives ``min_{j >= i} min(1, m p_(j) / j)``; Holm gives
    ``max_{j <= i} min(1, (m - j + 1) p_(j))``; Bonferroni ``min(1, m p_i)``. Matches R's
    ``p.adjust(p, "BH" | "holm" | "bonferroni")`` and statsmodels'
    ``multipletests(p, method="fdr_bh" | "holm" | "bonferroni")[1]``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]

    """
    check_option("method", method, ADJUST_METHODS)
    p = np.asarray(p_values, dtype=float).reshape(-1)
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        bad = p[finite & ((p < 0) | (p > 1))][:5].tolist()
        raise ValueError(f"'p_values' must lie in [0, 1] (got {bad}).")
    out = p.copy()
    sub = p[finite]
    if sub.size == 0 or method == "none":
        return out
    if method == "bonferroni":
        adj = sub * sub.size
    elif method == "holm":
        adj = _holm(sub)
    else:
        adj = _bh(sub)
    out[finite] = np.minimum(adj, 1.0)
    return out
