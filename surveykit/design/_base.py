"""Behaviour shared by both design classes: immutability, weights, domains (``subset``)."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import pandas as pd

from surveykit.errors import DesignError

__all__ = ["FrozenDesign", "domain_mask"]


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

    __slots__ = ("_data", "_domain", "_w", "calibrations", "weighting_history")

    _data: pd.DataFrame
    _domain: np.ndarray | None
    _w: np.ndarray
    calibrations: tuple[Any, ...]
    weighting_history: tuple[Any, ...]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use with_weights() or "
                             "subset() to get a new design.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable.")

    def _replace(self, **changes: object) -> Self:
        cls = type(self)
        new = cls.__new__(cls)
        for klass in cls.__mro__:
            for name in getattr(klass, "__slots__", ()):
                if hasattr(self, name):
                    object.__setattr__(new, name, changes.get(name, getattr(self, name)))
        return new

    @property
    def data(self) -> pd.DataFrame:
        """The design's data (never modified by surveykit)."""
        return self._data

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
