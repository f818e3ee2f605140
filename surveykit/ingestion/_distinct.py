"""Work on the distinct values of a column, then spread the results back to every row.

A survey column holds few distinct answers (a five-point scale in 100 000 rows holds six),
so stripping, parsing and looking up each *distinct* value and taking the results back by
position costs one factorisation plus work proportional to the distinct values, instead of
string operations on every cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import take

__all__ = ["distinct", "is_text_categorical", "per_distinct", "spread"]


def distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Return ``(codes, uniques)``: ``uniques.iloc[codes[i]]`` is ``values.iloc[i]``.

    Missing cells get code ``-1``. A categorical of text gives its own codes and categories.
    A column of mixed Python objects (``1``, ``1.0`` and ``True`` hash alike but read
    differently as text) is not merged: each cell keeps its own entry.

    Examples
    --------
    >>> codes, uniques = distinct(pd.Series(["3", "1", "3", None]))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, 0, -1], ['3', '1'])

    """
    if is_text_categorical(values):  # the CSV reader's codes, used as they are
        cat = values.array
        return (np.asarray(cat.codes, dtype=np.intp),
                pd.Series(cat.categories.to_numpy(dtype=object), dtype=object))
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) != "string":
        codes = np.where(values.notna().to_numpy(), np.arange(len(values)), -1)
        return codes, values.reset_index(drop=True)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), pd.Series(uniques, dtype=values.dtype)


def is_text_categorical(values: pd.Series) -> bool:
    """Tell whether ``values`` is a categorical of Python strings (as the CSV reader gives).

    Examples
    --------
    >>> is_text_categorical(pd.Series(pd.Categorical(["a", None], categories=pd.Index(["a"],
    ...     dtype=object))))
    True
    >>> is_text_categorical(pd.Series(pd.Categorical([1, 2])))
    False

    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return False
    cats = values.dtype.categories
    return cats.dtype == object and pd.api.types.infer_dtype(cats, skipna=False) in (
        "string", "empty")


def per_distinct(values: pd.Series, func: Callable[[pd.Series], Any], fill: Any = None) -> Any:
    """Apply ``func`` (Series -> Series or array) to the distinct values; spread to all rows.

    Missing rows get ``fill`` in an array result (default: ``False`` for booleans, NaN for
    numbers, None for objects) and the missing value of a Series result, whose index
    becomes ``values.index``. A tuple returned by ``func`` is spread element by element.

    Examples
    --------
    >>> per_distinct(pd.Series([" a", "b", " a", None]), lambda u: u.str.strip()).tolist()
    ['a', 'b', 'a', nan]
    >>> per_distinct(pd.Series(["x", None, "x"]), lambda u: (u == "x").to_numpy()).tolist()
    [True, False, True]

    """
    codes, uniques = distinct(values)
    result = func(uniques)
    if isinstance(result, tuple):
        return tuple(_spread(r, codes, values.index, fill) for r in result)
    return _spread(result, codes, values.index, fill)


def spread(result: np.ndarray, codes: np.ndarray, fill: Any) -> np.ndarray:
    """Return ``result[codes]``, with ``fill`` where the code is ``-1`` (a missing cell).

    Examples
    --------
    >>> spread(np.array([4, 2]), np.array([1, -1, 0]), -1).tolist()
    [2, -1, 4]
    >>> spread(np.array([True, True]), np.array([1, -1, 0]), False).tolist()
    [True, False, True]

    """
    result = np.asarray(result)
    if result.dtype == bool and fill is False and not result.any():  # nothing to take
        return np.zeros(len(codes), dtype=bool)
    if result.dtype == bool and fill is False and result.all():
        return np.asarray(codes) >= 0
    return np.concatenate([result, np.asarray([fill], dtype=result.dtype)])[codes]


def _spread(result: Any, codes: np.ndarray, index: pd.Index, fill: Any) -> Any:
    if isinstance(result, pd.Series):
        return pd.Series(take(result.array, codes, allow_fill=True), index=index,
                         name=result.name, copy=False)
    arr = np.asarray(result)
    if fill is None:
        fill = False if arr.dtype == bool else np.nan if arr.dtype.kind == "f" else None
    return spread(arr, codes, fill)
