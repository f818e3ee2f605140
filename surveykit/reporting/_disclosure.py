"""Disclosure control: primary and secondary suppression of small cells (SSB's ":")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveykit._validate import check_columns, check_type

__all__ = ["suppress", "suppression_mask"]

#: values of the ``suppressed`` column
PRIMARY = "primary"
SECONDARY = "secondary"


def _as_groups(groups: Sequence[str | Sequence[str]] | None) -> list[list[str]]:
    if groups is None:
        return []
    out = []
    for g in groups:
        out.append([g] if isinstance(g, str) else list(g))
    return out


def _secondary(frame: pd.DataFrame, sizes: np.ndarray, hidden: np.ndarray,
               groups: list[list[str]]) -> np.ndarray:
    """Hide a second cell wherever a group (summing to a published total) has exactly one."""
    hidden = hidden.copy()
    secondary = np.zeros(len(frame), dtype=bool)
    for _ in range(len(frame) + 1):  # each pass hides at least one more cell, or stops
        changed = False
        for cols in groups:
            key = frame.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
            count = np.bincount(key, weights=hidden.astype(float))
            size = np.bincount(key)
            need = (count == 1) & (size > 1)
            if not need.any():
                continue
            candidates = need[key] & ~hidden
            # in each group that needs one, hide the smallest visible cell (first on ties)
            order = np.lexsort((np.arange(len(frame)), sizes, ~candidates, key))
            first = order[np.r_[True, key[order][1:] != key[order][:-1]]]
            pick = first[candidates[first]]
            hidden[pick] = True
            secondary[pick] = True
            changed = changed or pick.size > 0
        if not changed:
            break
    return secondary


def _flags(frame: pd.DataFrame, n_column: str, threshold: int,
           groups: Sequence[str | Sequence[str]] | None) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments; return the primary and the secondary suppression masks."""
    check_type("frame", frame, pd.DataFrame, "a pandas DataFrame")
    check_columns("n_column", frame, [n_column])
    threshold = int(check_type("threshold", threshold, (int, np.integer), "an integer"))
    if threshold < 1:
        raise ValueError(f"'threshold' must be at least 1 (got {threshold}); "
                         "use 1 to switch suppression off.")
    group_cols = _as_groups(groups)
    for cols in group_cols:
        check_columns("groups", frame, cols)
    sizes = pd.to_numeric(frame[n_column], errors="coerce").to_numpy(dtype=float)
    primary = (sizes > 0) & (sizes < threshold)
    return primary, _secondary(frame, np.nan_to_num(sizes), primary, group_cols)


def suppression_mask(frame: pd.DataFrame, n_column: str = "n", threshold: int = 5, *,
                     groups: Sequence[str | Sequence[str]] | None = None) -> np.ndarray:
    """Which rows :func:`suppress` hides (primary or secondary), as a boolean array.

    For callers that format the values themselves and only need to know which cells to
    show as ``":"``; the arguments mean what they mean for :func:`suppress`.

    Parameters
    ----------
    frame, n_column, threshold, groups
        As for :func:`suppress`: the cells with their unweighted counts, the count column,
        the smallest count shown, and the sets of cells that add up to a published total.

    Returns
    -------
    numpy.ndarray of bool
        One entry per row of ``frame``, True where the cell is suppressed.

    Examples
    --------
    >>> cells = pd.DataFrame({"area": ["A", "A", "A", "B", "B"], "n": [40, 3, 12, 25, 30]})
    >>> suppression_mask(cells, threshold=5, groups=["area"]).tolist()
    [False, True, True, False, False]

    """
    primary, secondary = _flags(frame, n_column, threshold, groups)
    return primary | secondary


def suppress(frame: pd.DataFrame, n_column: str = "n", threshold: int = 5, *,
             value_columns: Sequence[str] | None = None,
             groups: Sequence[str | Sequence[str]] | None = None) -> pd.DataFrame:
    """Suppress cells based on fewer than ``threshold`` respondents, and their complements.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per cell, with an unweighted count column.
    n_column : str, default "n"
        Column with the number of respondents behind each cell.
    threshold : int, default 5
        Cells with ``0 < n < threshold`` are suppressed (primary suppression). Empty cells
        (``n == 0``) reveal nobody and stay. Statistics Norway uses 3; 5 is common.
    value_columns : sequence of str, optional
        Columns blanked (set to NaN) in suppressed rows; default every numeric column,
        including ``n_column`` (the count itself is what must not be shown).
    groups : sequence of (str or list of str), optional
        Each entry names the columns whose equal values form a set of cells that add up
        to a published total (e.g. the levels of one variable within a domain, or a row
        of a two-way table). Where such a set has exactly one suppressed cell, its
        smallest visible cell is suppressed too (secondary suppression), repeated until
        no set has a lone suppressed cell.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with suppressed values set to NaN and a column ``suppressed``:
        ``""``, ``"primary"`` or ``"secondary"``. The input is not changed.

    Examples
    --------
    >>> cells = pd.DataFrame({"area": ["A", "A", "A", "B", "B"],
    ...                       "level": ["x", "y", "z", "x", "y"],
    ...                       "n": [40, 3, 12, 25, 30], "estimate": [0.7, 0.05, 0.25, 0.45, 0.55]})
    >>> out = suppress(cells, threshold=5, groups=["area"])
    >>> out["suppressed"].tolist()
    ['', 'primary', 'secondary', '', '']
    >>> out["estimate"].isna().tolist()
    [False, True, True, False, False]

    """
    primary, secondary = _flags(frame, n_column, threshold, groups)
    if value_columns is None:
        value_columns = [c for c in frame.columns
                         if pd.api.types.is_numeric_dtype(frame[c])
                         and not pd.api.types.is_bool_dtype(frame[c])]
    else:
        check_columns("value_columns", frame, value_columns)
    out = frame.copy()
    hide = primary | secondary
    for col in value_columns:
        if hide.any():
            out[col] = out[col].astype(float).mask(hide)
    out["suppressed"] = np.where(primary, PRIMARY, np.where(secondary, SECONDARY, ""))
    return out
