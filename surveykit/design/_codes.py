"""Integer codes for strata, clusters and domains (factorised once, reused everywhere)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["factorize", "group_sums", "indicator", "interaction", "sorted_codes"]


def factorize(values: pd.Series | np.ndarray) -> tuple[np.ndarray, int]:
    """Return ``(codes, n_levels)`` with codes in order of first appearance.

    Examples
    --------
    >>> factorize(np.array(["b", "a", "b"]))
    (array([0, 1, 0]), 2)

    """
    codes, uniques = pd.factorize(np.asarray(values) if not isinstance(values, pd.Series)
                                  else values, use_na_sentinel=True)
    return codes.astype(np.int64), len(uniques)


def interaction(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes of the combinations of two code vectors (R's ``interaction`` without levels).

    Examples
    --------
    >>> interaction(np.array([0, 0, 1]), np.array([0, 1, 0]))
    (array([0, 1, 2]), 3)

    """
    nb = int(b.max()) + 1 if b.size else 1
    return factorize(a.astype(np.int64) * nb + b.astype(np.int64))


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Codes in sorted level order, as R's ``factor()``; missing values get code -1.

    A pandas ``Categorical`` keeps its category order; other values are sorted.

    Examples
    --------
    >>> sorted_codes(pd.Series(["b", "a", None, "b"]))
    (array([ 1,  0, -1,  1]), ['a', 'b'])

    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.cat.remove_unused_categories()
        return np.asarray(cat.cat.codes, dtype=np.int64), list(cat.cat.categories)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def indicator(codes: np.ndarray, n_groups: int) -> sp.csr_matrix:
    """Sparse ``(n_groups, n)`` 0/1 matrix with a one where ``codes[i] == g``; -1 is dropped.

    Examples
    --------
    >>> indicator(np.array([0, 1, 0, -1]), 2).toarray()
    array([[1., 0., 1., 0.],
           [0., 1., 0., 0.]])

    """
    n = codes.shape[0]
    keep = codes >= 0
    rows = codes[keep]
    cols = np.flatnonzero(keep)
    return sp.csr_matrix((np.ones(rows.shape[0]), (rows, cols)), shape=(n_groups, n))


def group_sums(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Column sums of ``values`` (n, k) within groups: ``(n_groups, k)``; code -1 is dropped.

    Uses ``np.bincount`` for few columns and a sparse indicator product for many.

    Examples
    --------
    >>> group_sums(np.array([0, 1, 0]), np.array([[1.0], [2.0], [3.0]]), 2)
    array([[4.],
           [2.]])

    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    k = values.shape[1]
    if k <= 4:
        keep = codes >= 0
        c = codes[keep]
        out = np.empty((n_groups, k))
        for j in range(k):
            out[:, j] = np.bincount(c, weights=values[keep, j], minlength=n_groups)
        return out
    return np.asarray(indicator(codes, n_groups) @ values)
