"""Checks of a draw's inputs: the frame, the allocation, the method and the seed.

Every check names what it found and how to fix it; nothing the caller gave is modified.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_option, check_type
from surveykit.errors import ArgumentError

__all__ = ["METHODS", "DrawInputs", "check_draw_inputs", "read_frame"]

#: selection methods of :func:`surveykit.plan.draw`
METHODS = ("srswor", "systematic", "poisson")

#: columns a draw adds to the sample
ADDED = ("stratum", "inclusion_prob", "design_weight", "stratum_size")


def read_frame(frame: pd.DataFrame | str | os.PathLike[str],
               numeric: list[str]) -> pd.DataFrame:
    r"""Return the frame: a DataFrame as given, or a CSV/XLSX/Parquet file read as cells.

    A file goes through the package's guarded readers (input limits, encoding detection;
    Parquet needs the optional ``pyarrow``, ``pip install 'surveykit[parquet]'``). Cells of
    a CSV file are text; the ``numeric`` columns (the systematic sort keys) are turned into
    numbers when every non-blank cell is one, so that ``age`` sorts as a number. Every
    other column stays text, so stratum codes such as ``"0301"`` keep their leading zero.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp) / "frame.csv"
    ...     _ = f.write_text("knr;age\n0301;9\n0301;10\n", encoding="utf-8")
    ...     df = read_frame(f, ["age"])
    >>> df["knr"].tolist(), df.sort_values("age")["age"].tolist()
    (['0301', '0301'], [9, 10])

    """
    if isinstance(frame, pd.DataFrame):
        return frame
    if not isinstance(frame, str | os.PathLike):
        raise TypeError("'frame' must be a pandas DataFrame or the path of a CSV, XLSX or "
                        f"Parquet file (got {type(frame).__name__}).")
    from surveykit.ingestion import read_table

    data = read_table(frame)
    found = [c for c in numeric if c in data.columns]
    converted = {}
    for col in found:
        values = pd.to_numeric(data[col], errors="coerce")
        blank = data[col].isna() | (data[col].astype("string").str.strip() == "")
        if not (values.isna() & ~blank).any():
            converted[col] = values
    return data.assign(**converted) if converted else data


class DrawInputs:
    """The checked inputs: labels, per-stratum sizes, row codes and the generator."""

    __slots__ = ("codes", "labels", "population", "sizes", "unallocated")

    def __init__(self, labels: list[Any], sizes: np.ndarray, population: np.ndarray,
                 codes: np.ndarray, unallocated: pd.Series) -> None:
        self.labels = labels
        self.sizes = sizes
        self.population = population
        self.codes = codes
        self.unallocated = unallocated


def allocation_sizes(allocation: Any) -> dict[Any, int]:
    """Return ``{stratum: n}`` from a mapping, a Series or an ``Allocation``.

    An ``Allocation`` (from :func:`surveykit.plan.allocate`) gives its per-stratum
    ``to_frame()``, whose column ``n`` holds the sample sizes.

    Examples
    --------
    >>> allocation_sizes({"Hamar": 40, "Løten": 12})
    {'Hamar': 40, 'Løten': 12}
    >>> allocation_sizes({"Hamar": 2.5})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.ArgumentError: allocation for stratum 'Hamar' must be a whole number ...

    """
    if hasattr(allocation, "to_frame") and not isinstance(allocation, pd.Series):
        table = allocation.to_frame()
        if "n" not in table.columns:
            raise ArgumentError("the allocation's to_frame() has no column 'n' (the sample "
                                f"size per stratum); its columns are {list(table.columns)!r}.")
        sizes: Mapping[Any, Any] = (table.set_index("stratum")["n"] if "stratum" in table
                                    else table["n"]).to_dict()
    elif isinstance(allocation, Mapping | pd.Series):
        sizes = dict(allocation.items())
    else:
        raise TypeError("'allocation' must be a mapping {stratum: n}, a pandas Series or an "
                        f"Allocation from plan.allocate (got {type(allocation).__name__}).")
    if not sizes:
        raise ArgumentError("the allocation is empty; give the sample size of every stratum "
                            "to draw from, e.g. {'Hamar': 400, 'Løten': 150}.")
    return {label: _whole(label, n) for label, n in sizes.items()}


def _whole(label: Any, n: Any) -> int:
    ok = isinstance(n, numbers.Real) and not isinstance(n, bool) and math.isfinite(n)
    if not ok or float(n) != int(n):
        raise ArgumentError(f"allocation for stratum {label!r} must be a whole number of "
                            f"people (got {n!r}). Round the allocation first.")
    if n < 0:
        raise ArgumentError(f"allocation for stratum {label!r} is negative ({n!r}); sample "
                            "sizes must be 0 or more.")
    return int(n)


def check_seed(seed: Any) -> int:
    """Return ``seed`` if it is a non-negative integer, else raise.

    Examples
    --------
    >>> check_seed(20260115)
    20260115
    >>> check_seed(1.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: 'seed' must be a non-negative integer ...

    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError("'seed' must be a non-negative integer that makes the draw "
                        f"reproducible, e.g. seed=20260115 (got {type(seed).__name__} "
                        f"{seed!r}).")
    if seed < 0:
        raise ArgumentError(f"'seed' must be a non-negative integer (got {seed}).")
    return int(seed)


def _sorted_labels(labels: list[Any]) -> list[Any]:
    try:
        return sorted(labels)
    except TypeError:
        return sorted(labels, key=str)


def _check_strata_values(frame: pd.DataFrame, strata: str) -> None:
    missing = frame[strata].isna().to_numpy()
    if missing.any():
        rows = frame.index[missing][:5].tolist()
        raise ArgumentError(
            f"stratum column {strata!r} is missing for {int(missing.sum())} of {len(frame)} "
            f"people in the frame (rows {rows!r}{'...' if missing.sum() > 5 else ''}); every "
            "person must belong to a stratum. Fill in the stratum or remove those rows "
            "from the frame."
        )


def _check_sizes(labels: list[Any], sizes: np.ndarray, population: np.ndarray,
                 strata: str) -> None:
    short = [f"{label!r} needs {n} but has {big} (short by {n - big})"
             for label, n, big in zip(labels, sizes, population, strict=True) if n > big]
    if short:
        raise ArgumentError(
            f"{len(short)} stratum/strata of {strata!r} have fewer people in the frame than "
            f"their allocation: {'; '.join(short)}. Lower those allocations (at most the "
            "stratum's size) or use a fuller frame."
        )


def check_draw_inputs(frame: pd.DataFrame, allocation: Any, strata: str, method: str,
                      sort_by: str | list[str] | None) -> DrawInputs:
    """Check the frame against the allocation; return labels, sizes and row codes.

    Strata are numbered in sorted order of their labels, so the draw does not depend on
    the order of the allocation's keys. Frame rows in strata the allocation leaves out get
    code -1 and are outside the draw (listed in ``unallocated``).
    """
    check_type("strata", strata, str, "one column name")
    check_option("method", method, METHODS)
    sort_cols = as_column_list("sort_by", sort_by)
    if sort_cols and method != "systematic":
        raise ArgumentError(f"'sort_by' orders the frame for a systematic draw; method "
                            f"{method!r} does not use an order. Drop sort_by or use "
                            "method='systematic'.")
    check_columns("strata", frame, [strata])
    check_columns("sort_by", frame, sort_cols)
    clash = [c for c in ADDED if c in frame.columns and c != strata]
    if clash:
        raise ArgumentError(f"the frame already has column(s) {clash!r}, which the draw adds "
                            "to the sample; rename them in the frame first.")
    _check_strata_values(frame, strata)
    sizes_by_label = allocation_sizes(allocation)
    counts = frame[strata].value_counts(sort=False)
    counts = counts[counts > 0]            # unused categories of a categorical column
    absent = [label for label in sizes_by_label if label not in counts.index]
    if absent:
        shown = _sorted_labels(counts.index.tolist())[:20]
        raise ArgumentError(
            f"the allocation names {len(absent)} stratum/strata that are not values of "
            f"{strata!r} in the frame: {absent!r}. The frame's strata are {shown!r}. Check "
            "the spelling and the type (a code 301 is not the text '0301')."
        )
    labels = _sorted_labels(list(sizes_by_label))
    sizes = np.array([sizes_by_label[label] for label in labels], dtype=np.int64)
    population = counts.loc[labels].to_numpy(dtype=np.int64)
    _check_sizes(labels, sizes, population, strata)
    codes = pd.Index(labels).get_indexer(frame[strata]).astype(np.int64)
    unallocated = counts.drop(index=labels).rename("N")
    return DrawInputs(labels, sizes, population, codes, unallocated)
