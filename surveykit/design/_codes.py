"""Integer codes for strata, clusters and domains (factorised once, reused everywhere)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module

if TYPE_CHECKING:
    import scipy.sparse as sp
else:
    sp = lazy_module("scipy.sparse")

__all__ = ["factorize", "group_sums", "grouped_crossprod", "indicator", "interaction",
           "sorted_codes"]


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


def sorted_codes(values: pd.Series, *, keep_unused: bool = False
                 ) -> tuple[np.ndarray, list[object]]:
    """Codes in sorted level order, as R's ``factor()``; missing values get code -1.

    A pandas ``Categorical`` keeps its category order; other values are sorted. Unused
    categories are dropped unless ``keep_unused`` (R keeps a factor's declared levels in
    ``svymean``/``svytotal``, with estimate 0 and SE 0, but not in ``svyby`` domains).

    Examples
    --------
    >>> sorted_codes(pd.Series(["b", "a", None, "b"]))
    (array([ 1,  0, -1,  1]), ['a', 'b'])
    >>> s = pd.Series(pd.Categorical(["a"], categories=["a", "z"]))
    >>> sorted_codes(s)[1], sorted_codes(s, keep_unused=True)[1]
    (['a'], ['a', 'z'])

    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        categories = list(values.cat.categories)
        if keep_unused:
            return codes, categories
        # drop the unused categories and renumber the codes (remove_unused_categories,
        # without building a new Categorical)
        used = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        new_code = np.cumsum(used) - 1
        return (np.where(codes >= 0, new_code[codes], -1),
                [c for c, u in zip(categories, used, strict=True) if u])
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def indicator(codes: np.ndarray, n_groups: int,
              weights: np.ndarray | None = None) -> sp.csc_matrix:
    """Sparse ``(n_groups, n)`` matrix with ``weights[i]`` (default 1) where ``codes[i] == g``.

    Built directly in CSC form (one entry per row, no sorting). Rows with code -1 get no
    entry at all, so missing values there never reach a product.

    Examples
    --------
    >>> indicator(np.array([0, 1, 0, -1]), 2).toarray()
    array([[1., 0., 1., 0.],
           [0., 1., 0., 0.]])
    >>> indicator(np.array([0, 1, 0]), 2, np.array([2.0, 3.0, 4.0])).toarray()
    array([[2., 0., 4.],
           [0., 3., 0.]])

    """
    n = codes.shape[0]
    keep = codes >= 0
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if keep.all():
        return sp.csc_matrix((w, codes, np.arange(n + 1)), shape=(n_groups, n))
    indptr = np.concatenate(([0], np.cumsum(keep)))
    return sp.csc_matrix((w[keep], codes[keep], indptr), shape=(n_groups, n))


def group_sums(codes: np.ndarray, values: np.ndarray, n_groups: int,
               weights: np.ndarray | None = None, *,
               ind: sp.csc_matrix | None = None) -> np.ndarray:
    """Column sums of ``weights * values`` (n, k) within groups: ``(n_groups, k)``.

    Rows with code -1 are dropped (their values may be NaN). One ``np.bincount`` for a
    single column, else a sparse indicator product: on the whole block when it is
    C-contiguous, else over cache-sized row chunks, each made C-contiguous (a pandas
    block arrives in Fortran order; no full copy of it is made). ``ind``: the matrix
    ``indicator(codes, n_groups, weights)`` when the caller keeps one for repeated sums.

    Examples
    --------
    >>> group_sums(np.array([0, 1, 0]), np.array([[1.0], [2.0], [3.0]]), 2)
    array([[4.],
           [2.]])
    >>> group_sums(np.array([0, 1, -1]), np.array([[1.0], [2.0], [np.nan]]), 2,
    ...            weights=np.array([2.0, 1.0, 1.0]))
    array([[2.],
           [2.]])

    """
    values = np.asarray(values)
    if values.dtype != np.float64:
        values = values.astype(np.float64)
    if values.ndim == 1:
        values = values[:, None]
    n, k = values.shape
    if k == 1:
        keep = codes >= 0
        v = values[:, 0] if weights is None else values[:, 0] * weights
        return np.bincount(codes[keep], weights=v[keep], minlength=n_groups)[:, None]
    if ind is None:
        ind = indicator(codes, n_groups, weights)
    if values.flags.c_contiguous or k == 0:
        return np.asarray(ind @ values)
    out = np.zeros((n_groups, k))
    step = max(1024, 2**18 // k)
    for start in range(0, n, step):  # chunks of rows, not rows
        out += ind[:, start:start + step] @ np.ascontiguousarray(values[start:start + step])
    return out


def grouped_crossprod(x: np.ndarray, codes: np.ndarray, n_groups: int,
                      block: int = 4096) -> np.ndarray:
    """``sum_{i: codes[i] == g} x_i x_i^T`` for every group: ``(n_groups, m, m)``.

    Rows are sorted by group and cut into blocks of at most ``block`` rows that never
    straddle two groups; the blocks are zero-padded to one length and multiplied in one
    batched ``matmul`` (BLAS), then summed per group. No Python loop over groups or rows;
    the padding at most doubles the memory of ``x``. Code -1 rows are dropped.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> grouped_crossprod(x, np.array([0, 1, 0]), 2)[0]
    array([[26., 32.],
           [32., 40.]])

    """
    m = x.shape[1]
    rows = np.flatnonzero(codes >= 0)
    order = np.argsort(codes[rows], kind="stable")
    rows = rows[order]
    c = codes[rows]
    counts = np.bincount(c, minlength=n_groups)
    size = int(max(1, min(block, rows.shape[0] // max(n_groups, 1))))
    n_blocks = -(-counts // size)
    local = np.arange(rows.shape[0]) - (np.cumsum(counts) - counts)[c]
    blk = (np.cumsum(n_blocks) - n_blocks)[c] + local // size
    pad = np.zeros((int(n_blocks.sum()), size, m))
    pad[blk, local % size] = x[rows]
    prods = np.matmul(pad.transpose(0, 2, 1), pad).reshape(-1, m * m)
    owner = np.repeat(np.arange(n_groups), n_blocks)
    return group_sums(owner, prods, n_groups).reshape(n_groups, m, m)
