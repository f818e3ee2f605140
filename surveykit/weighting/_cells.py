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

from surveykit._lazy import lazy_module

sp = lazy_module("scipy.sparse")

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
    has_missing: bool = True

    @property
    def size(self) -> int:
        """Number of categories."""
        return len(self.labels)


def _factorize(col: pd.Series) -> tuple[np.ndarray, list[Any], bool]:
    """Codes (-1 for missing), sorted labels and whether any value is missing.

    Integer columns with a compact range (survey codes) and categoricals take a fast path
    without hashing.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = np.asarray(col.cat.codes)
        return codes, list(col.cat.categories), bool(codes.size and codes.min() < 0)
    values = col.to_numpy()
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < 4 * values.size + 1024:
            return (values if lo == 0 else values - lo), list(range(lo, hi + 1)), False
    if values.dtype.kind == "b":
        return values.view(np.int8), [False, True], False
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
    return codes, list(uniques), bool(codes.size and codes.min() < 0)


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
        return Encoded(tuple(variables), *parts[0])
    sizes = [len(lab) for _, lab, _ in parts]
    codes = np.zeros(len(data), dtype=np.int64)
    for (c, _, _), k in zip(parts, sizes, strict=True):
        codes = codes * k + c
    has_missing = any(m for _, _, m in parts)
    if has_missing:
        codes[np.logical_or.reduce([c < 0 for c, _, _ in parts])] = -1
    grid = pd.MultiIndex.from_product([lab for _, lab, _ in parts])
    return Encoded(tuple(variables), codes, list(grid), has_missing)


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
        if e.has_missing:
            missing |= e.codes < 0
    if n_dense <= _DENSE_LIMIT:
        return _dense(encoded, sizes, missing)
    return _compressed(encoded, missing)


def _dense(encoded: Sequence[Encoded], sizes: list[int], missing: np.ndarray) -> CrossTable:
    cell = encoded[0].codes.astype(np.int64)
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


class LazyRowValues:
    """Row values ``base * cell_values[cell]``, computed only when numpy asks for them.

    ``cell_values`` may be (cells,) or (cells, p); the result is (n,) or (n, p).

    A raking record keeps one weight vector per margin for the linearisation engine (R's
    ``postStrata``); building them costs a pass over the rows each, which only a variance
    computation needs. ``np.asarray(obj)`` materialises (and caches) the array.

    Examples
    --------
    >>> t = CrossTable(np.array([0, 1, 1]), 2, [np.array([0, 1])])
    >>> np.asarray(LazyRowValues(np.array([1.0, 2.0, 3.0]), t, np.array([10.0, 0.5])))
    array([10. ,  1. ,  1.5])

    """

    def __init__(self, base: np.ndarray, table: CrossTable, cell_values: np.ndarray) -> None:
        self._base, self._table, self._cell_values = base, table, cell_values
        self._value: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the row values."""
        return self._base.shape + self._cell_values.shape[1:]

    def __len__(self) -> int:
        return int(self._base.shape[0])

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if self._value is None:
            rows = self._table.to_rows(self._cell_values, fill=0.0)
            base = self._base if rows.ndim == 1 else self._base[:, None]
            self._value = base * rows
        out = self._value if dtype is None else self._value.astype(dtype, copy=False)
        return out.copy() if copy else out
