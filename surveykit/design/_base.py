"""Behaviour shared by both design classes: immutability, weights, domains (``subset``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Self, TypeVar

import numpy as np
import pandas as pd

from surveykit.errors import DesignError

__all__ = ["FrozenDesign", "column_names", "domain_mask"]

T = TypeVar("T")


def column_names(*specs: object) -> tuple[str, ...]:
    """Collect the column names among design arguments (names, lists of names or values).

    Examples
    --------
    >>> column_names("w", ["dnum", "snum"], None, [0.5, 0.5])
    ('w', 'dnum', 'snum')

    """
    names: list[str] = []
    for spec in specs:
        items = spec if isinstance(spec, list | tuple) else [spec]
        names += [c for c in items if isinstance(c, str) and c not in names]
    return tuple(names)


def _aligned(name: str, value: object, index: pd.Index) -> Any:
    """``value`` as one value per row of the data with ``index`` (a scalar is broadcast)."""
    if isinstance(value, pd.Series):
        if value.index.equals(index):
            return value.to_numpy()
        if value.index.is_unique and index.is_unique and value.index.sort_values().equals(
                index.sort_values()):
            return value.reindex(index).to_numpy()
        raise DesignError(f"with_columns: {name}= is a Series whose index does not match the "
                          "design's data; pass values aligned with design.data (same index "
                          "labels) or a plain array in row order.")
    if isinstance(value, pd.DataFrame) or callable(value):
        raise DesignError(f"with_columns: {name}= must be one value per row or a scalar "
                          f"(got {type(value).__name__}).")
    if pd.api.types.is_scalar(value):
        return value
    arr: Any = (value if isinstance(value, pd.api.extensions.ExtensionArray | pd.Index)
                else np.asarray(value))
    shape = tuple(arr.shape)
    if len(shape) != 1 or shape[0] != len(index):
        raise DesignError(f"with_columns: {name}= must have one value per row "
                          f"({len(index)}); got shape {shape}.")
    return arr


def domain_mask(data: pd.DataFrame, condition: object) -> np.ndarray:
    """Build a boolean row mask from a mask-like or a ``DataFrame.eval`` expression (NaN -> False).

    Examples
    --------
    >>> domain_mask(pd.DataFrame({"a": [1, 2, 3]}), "a > 1")
    array([False,  True,  True])

    """
    result: object
    if isinstance(condition, str):
        try:
            result = data.eval(condition)
        except Exception as exc:  # pandas raises many types for bad expressions
            raise DesignError(f"subset expression {condition!r} could not be evaluated: "
                              f"{exc}") from exc
    else:
        result = condition
    if isinstance(result, pd.Series):
        if not result.index.equals(data.index):
            raise DesignError("The subset mask is a Series whose index does not match the "
                              "design's data; pass a mask aligned with design.data.")
        result = result.to_numpy()
    arr = np.asarray(result)
    if arr.shape != (len(data),):
        raise DesignError(f"The subset mask must have one value per row ({len(data)}); "
                          f"got shape {arr.shape}.")
    if arr.dtype == object:
        arr = pd.array(arr, dtype="boolean").fillna(False).to_numpy(dtype=bool)
    elif arr.dtype != bool:
        raise DesignError(f"The subset mask must be boolean (got dtype {arr.dtype}).")
    return arr


class FrozenDesign:
    """Base of the design classes: no attribute can be set after construction."""

    __slots__ = ("_cache", "_data", "_design_columns", "_domain", "_w", "calibrations",
                 "weighting_history")

    _cache: dict[Hashable, Any]
    _data: pd.DataFrame
    _design_columns: tuple[str, ...]
    _domain: np.ndarray | None
    _w: np.ndarray
    calibrations: tuple[Any, ...]
    weighting_history: tuple[Any, ...]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use with_columns(), "
                             "with_weights() or subset() to get a new design.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable.")

    def _replace(self, **changes: object) -> Self:
        new = type(self).__new__(type(self))
        new.__setstate__({**self.__getstate__(), **changes})
        return new

    def __getstate__(self) -> dict[str, object]:
        """Return what a pickle (or a copy) of the design keeps: every attribute but the cache.

        Examples
        --------
        >>> import pickle
        >>> import pandas as pd
        >>> from surveykit import SurveyDesign, mean
        >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 4.0]}), weights=[1.0, 1.0, 2.0])
        >>> round(float(mean(pickle.loads(pickle.dumps(d)), "y").estimate[0]), 4)
        2.75

        """
        return {name: getattr(self, name) for klass in type(self).__mro__
                for name in getattr(klass, "__slots__", ())
                if name != "_cache" and hasattr(self, name)}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore the attributes of :meth:`__getstate__`; the cache starts empty."""
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def _cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return ``build()``, computed once per design (a design never changes).

        Estimators derive the same things from a design again and again (a column's level
        codes, the domains of a ``by`` column, their degrees of freedom): a study estimates
        hundreds of items in the same domains. Every new design (``subset``,
        ``with_columns``, ``with_weights``) starts with an empty cache. What is cached
        comes from ``data`` as it was: change columns with :meth:`with_columns`, never in
        place. Arrays come back read-only (an array itself, or in a tuple), since every
        later call shares them.

        Examples
        --------
        >>> import pandas as pd
        >>> from surveykit import SurveyDesign
        >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0]}), weights=[1.0, 1.0])
        >>> d._cached("total", lambda: float(d.data["y"].sum()))
        3.0
        >>> d._cached("total", lambda: 0.0)  # built once
        3.0

        """
        try:
            cache = self._cache
        except AttributeError:
            cache = {}
            object.__setattr__(self, "_cache", cache)
        if key not in cache:
            cache[key] = _read_only(build())
        value: T = cache[key]
        return value

    @property
    def data(self) -> pd.DataFrame:
        """The design's data (never modified by surveykit).

        Treat it as read-only: estimators cache what they derive from its columns (see
        ``_cached``); add or change columns with :meth:`with_columns`.
        """
        return self._data

    def with_columns(self, **columns: object) -> Self:
        """Return the same design over its data with columns added or replaced.

        Weights, strata, PSUs, fpc, replicate weights, domain, calibrations and weighting
        history are kept; only the data frame changes. Neither this design nor its data is
        modified. Use it to add analysis variables (recodes, indicators, scores) to a
        design that has already been built or weighted.

        Parameters
        ----------
        **columns : array-like, pandas.Series or scalar
            ``name=values``: one value per row of ``data`` in row order, a Series with the
            data's index labels (aligned by label), or a scalar repeated on every row.
            Names that are not valid keywords can be passed as ``**{"e-post": values}``.

        Returns
        -------
        design
            A new design of the same class.

        Raises
        ------
        DesignError
            A name is a column that defines the design (weights or probabilities, strata,
            PSU, fpc or replicate-weight columns given by name), or values do not have one
            value per row.

        Examples
        --------
        >>> import pandas as pd
        >>> from surveykit import DesignError, SurveyDesign
        >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "w": [10.0, 10.0, 20.0, 20.0],
        ...                    "y": [1.0, 2.0, 3.0, 5.0]})
        >>> d = SurveyDesign(df, weights="w", strata="st")
        >>> d2 = d.with_columns(high=d.data["y"] > 2, y=df["y"] * 10)
        >>> d2.data["high"].tolist(), d2.data["y"].tolist(), list(df.columns)
        ([False, False, True, True], [10.0, 20.0, 30.0, 50.0], ['st', 'w', 'y'])
        >>> try:
        ...     d.with_columns(st=0)
        ... except DesignError as exc:
        ...     print(str(exc)[:50])
        with_columns cannot replace 'st': it defines the d

        """
        fixed = [c for c in columns if c in self._design_columns]
        if fixed:
            raise DesignError(
                f"with_columns cannot replace {', '.join(map(repr, fixed))}: it defines the "
                "design (weights, strata, PSU, fpc or replicate weights). Give the new "
                "column another name, or build a new design from the changed data.")
        index = self._data.index
        values = {name: _aligned(name, v, index) for name, v in columns.items()}
        return self._replace(_data=self._data.assign(**values))

    @property
    def n(self) -> int:
        """Number of rows in the data (the full design, including rows outside a subset)."""
        return len(self._data)

    @property
    def domain(self) -> np.ndarray | None:
        """Boolean row mask of a subset design (None for the full design)."""
        return None if self._domain is None else self._domain.copy()

    @property
    def weights(self) -> pd.Series:
        """Analysis weights aligned with ``data`` (zero outside a subset's domain)."""
        return pd.Series(self.analysis_weights(), index=self._data.index, name="weights")

    def analysis_weights(self) -> np.ndarray:
        """Analysis weights as a float array, zero outside the domain (a copy)."""
        return self._w * self._domain if self._domain is not None else self._w.copy()

    def subset(self, condition: object) -> Self:
        """Restrict estimation to a domain while keeping the whole design (R's ``subset``).

        Parameters
        ----------
        condition : str or array-like of bool
            A ``DataFrame.eval`` expression over the data (missing counts as False, as R)
            or a boolean mask aligned with ``data``.

        Returns
        -------
        design
            A new design of the same class whose ``domain`` is the old domain and the
            condition; strata and PSUs outside the domain still count for the variance.

        """
        mask = domain_mask(self._data, condition)
        if self._domain is not None:
            mask = mask & self._domain
        return self._replace(_domain=mask)


def _read_only(value: T) -> T:
    """Mark an array, or the arrays of a tuple, read-only; return ``value``."""
    for item in value if isinstance(value, tuple) else (value,):
        if isinstance(item, np.ndarray):
            item.flags.writeable = False
    return value
