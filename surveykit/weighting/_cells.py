"""Category codes and the cross-table of weighting variables.

Raking, post-stratification and calibration on categorical auxiliaries all work on the
cross-table of the weighting variables: one weighted count over the rows gives the cell
totals, the method iterates on the (few) cells, and the result is mapped back to the rows
with one gather. This module builds the codes and the table; it knows nothing of targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CrossTable", "Encoded", "cross_table", "encode"]

#: largest dense code space (product of category counts) before codes are compressed
_DENSE_LIMIT = 1 << 22


@dataclass(frozen=True)
class Encoded:
    """The variables of one margin coded in their own category space.

    ``codes[i]`` is the category of row ``i`` (-1 where a variable is missing) and
    ``labels[k]`` the label of category ``k`` (a tuple for cross-classified margins).
    """

    variables: tuple[str, ...]
    codes: np.ndarray
    labels: list[Any]

    @property
    def size(self) -> int:
        """Number of categories."""
        return len(self.labels)


def _factorize(col: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for missing) and sorted labels of one column, fast for ints and categoricals."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return np.asarray(col.cat.codes), list(col.cat.categories)
    values = col.to_numpy()
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < 4 * values.size + 1024:
            return values - lo, list(range(lo, hi + 1))
    if values.dtype.kind == "b":
        return values.astype(np.int8), [False, True]
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
    return codes, list(uniques)


def encode(data: pd.DataFrame, variables: Sequence[str]) -> Encoded:
    """Code the variable(s) of one margin; cross margins get the product category space.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 1, 2]})
    >>> e = encode(df, ["a", "b"])
    >>> e.codes.tolist(), e.labels
    ([0, 2, 1], [('x', 1), ('x', 2), ('y', 1), ('y', 2)])

    """
    parts = [_factorize(data[v]) for v in variables]
    if len(parts) == 1:
        return Encoded(tuple(variables), parts[0][0], parts[0][1])
    sizes = [len(lab) for _, lab in parts]
    codes = np.zeros(len(data), dtype=np.int64)
    missing = np.zeros(len(data), dtype=bool)
    for (c, _), k in zip(parts, sizes, strict=True):
        codes = codes * k + c
        missing |= c < 0
    codes[missing] = -1
    grid = pd.MultiIndex.from_product([lab for _, lab in parts])
    return Encoded(tuple(variables), codes, list(grid))


@dataclass(frozen=True)
class CrossTable:
    """Rows mapped to the cells of the cross-table of several encoded margins.

    ``cell[i]`` is row ``i``'s cell, or ``n_cells`` (a sentinel slot) for rows left out
    (missing values in rows that carry no weight). ``margin_codes[m][c]`` is the category of
    margin ``m`` in cell ``c``.
    """

    cell: np.ndarray
    n_cells: int
    margin_codes: list[np.ndarray]

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Cell sums of ``values`` (n,) -> (n_cells,), or (n, k) -> (n_cells, k)."""
        slots = self.n_cells + 1
        if values.ndim == 1:
            return np.bincount(self.cell, weights=values, minlength=slots)[:-1]
        if values.shape[1] <= 4:
            cols = [np.bincount(self.cell, weights=values[:, j], minlength=slots)[:-1]
                    for j in range(values.shape[1])]
            return np.column_stack(cols) if cols else np.zeros((self.n_cells, 0))
        ind = sp.csr_matrix(
            (np.ones(self.cell.size), (self.cell, np.arange(self.cell.size))),
            shape=(slots, self.cell.size),
        )
        return np.asarray(ind @ values)[:-1]

    def to_rows(self, cell_values: np.ndarray, fill: float = 1.0) -> np.ndarray:
        """Map cell values (n_cells,) or (n_cells, k) back to rows; left-out rows get ``fill``."""
        pad_shape = (1, *cell_values.shape[1:])
        padded = np.concatenate([cell_values, np.full(pad_shape, fill)])
        return padded[self.cell]


def cross_table(encoded: Sequence[Encoded], keep: np.ndarray | None = None) -> CrossTable:
    """Cross-classify the margins; rows with a missing code go to the sentinel slot.

    ``keep`` (bool, n) marks rows that must have a cell; callers check for missing values in
    those rows before calling.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [0, 1, 1], "b": [0, 0, 1]})
    >>> t = cross_table([encode(df, ["a"]), encode(df, ["b"])])
    >>> t.cell.tolist(), t.n_cells, t.sums(np.array([1.0, 2.0, 3.0])).tolist()
    ([0, 2, 3], 4, [1.0, 0.0, 2.0, 3.0])

    """
    sizes = [e.size for e in encoded]
    n_dense = int(np.prod(np.array(sizes, dtype=float)))
    missing = np.zeros(encoded[0].codes.shape[0], dtype=bool)
    for e in encoded:
        if e.codes.size and e.codes.min() < 0:
            missing |= e.codes < 0
    if n_dense <= _DENSE_LIMIT:
        return _dense(encoded, sizes, missing)
    return _compressed(encoded, missing)


def _dense(encoded: Sequence[Encoded], sizes: list[int], missing: np.ndarray) -> CrossTable:
    dtype = np.int32 if int(np.prod(sizes)) < 2**31 - 1 else np.int64
    cell = encoded[0].codes.astype(dtype)
    for e in encoded[1:]:
        np.multiply(cell, e.size, out=cell)
        np.add(cell, e.codes, out=cell, casting="unsafe")
    n_cells = int(np.prod(sizes))
    if missing.any():
        cell[missing] = n_cells
    grid = np.unravel_index(np.arange(n_cells), sizes)
    return CrossTable(cell, n_cells, [np.asarray(g) for g in grid])


def _compressed(encoded: Sequence[Encoded], missing: np.ndarray) -> CrossTable:
    codes = np.column_stack([np.where(missing, 0, e.codes) for e in encoded])
    uniq, cell = np.unique(codes, axis=0, return_inverse=True)
    cell = cell.ravel().astype(np.int64)
    n_cells = uniq.shape[0]
    cell[missing] = n_cells
    return CrossTable(cell, n_cells, [uniq[:, j] for j in range(len(encoded))])
