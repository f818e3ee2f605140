"""Boundary checks shared by every layer.

Public functions validate their arguments once, with these helpers, and raise
:class:`~surveykit.ArgumentError` (a ``ValueError``), :class:`~surveykit.ColumnError` (a
``KeyError``) or ``TypeError``, whose message follows one template::

    '{param}' must be one of {options!r} (got {value!r}).

plus a hint where there is an obvious fix. Missing columns are listed, all of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from surveykit.errors import ArgumentError, ColumnError

__all__ = [
    "as_column_list",
    "check_columns",
    "check_option",
    "check_probability",
    "check_type",
]


def _hint(value: object, options: Iterable[Any]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_option(param: str, value: Any, options: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``options``, else raise ``ArgumentError``.

    Examples
    --------
    >>> check_option("method", "linear", ("linear", "raking"))
    'linear'
    >>> check_option("method", "raking2", ("linear", "raking"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.ArgumentError: 'method' must be one of ('linear', 'raking') (got ...
    ...Did you mean 'raking'?
    """
    if value not in options:
        raise ArgumentError(
            f"{param!r} must be one of {tuple(options)!r} (got {value!r})."
            + _hint(value, options)
        )
    return value


def check_type(param: str, value: Any, types: type | tuple[type, ...], expected: str) -> Any:
    """Return ``value`` if it is an instance of ``types``, else raise ``TypeError``.

    Examples
    --------
    >>> check_type("tol", "x", float, "a float")
    Traceback (most recent call last):
    ...
    TypeError: 'tol' must be a float (got str 'x').
    """
    if not isinstance(value, types):
        raise TypeError(f"{param!r} must be {expected} (got {type(value).__name__} {value!r}).")
    return value


def as_column_list(param: str, value: str | Sequence[str] | None) -> list[str]:
    """Normalise a column argument (``None``, a name, or a list of names) to a list.

    Examples
    --------
    >>> as_column_list("by", "stype")
    ['stype']
    >>> as_column_list("by", None)
    []
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TypeError(f"{param!r} must be a column name or a list of column names (got {value!r}).")


def check_columns(param: str, data: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """Check that every name in ``columns`` is a column of ``data``; list all that are not.

    Raises :class:`~surveykit.ColumnError` (a ``KeyError``) with a "did you mean" hint.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1], "b": [2]})
    >>> check_columns("by", df, ["a", "c", "d"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.ColumnError: 'by' names columns that are not in the data: ['c', 'd']. ...
    """
    cols = list(columns)
    missing = [c for c in cols if c not in data.columns]
    if missing:
        available = list(map(str, data.columns))
        shown = available if len(available) <= 20 else [*available[:20], "..."]
        hint = "".join(_hint(m, available) for m in missing[:1])
        raise ColumnError(
            f"{param!r} names columns that are not in the data: {missing!r}. "
            f"Available columns: {shown!r}.{hint}"
        )
    return cols


def check_probability(param: str, value: float, *, open_interval: bool = True) -> float:
    """Check that ``value`` is a probability (in (0, 1) or [0, 1]).

    Examples
    --------
    >>> check_probability("confidence_level", 0.95)
    0.95
    >>> check_probability("confidence_level", 95)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.ArgumentError: 'confidence_level' must be a number in (0, 1) (got 95). Write 0.95...
    """
    ok = 0 < value < 1 if open_interval else 0 <= value <= 1
    if not ok:
        interval = "(0, 1)" if open_interval else "[0, 1]"
        hint = f" Write {value / 100:g} for {value:g}%." if 1 < value <= 100 else ""
        raise ArgumentError(f"{param!r} must be a number in {interval} (got {value!r}).{hint}")
    return float(value)
