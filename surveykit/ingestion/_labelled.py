"""The faithful reader used without an instrument: labels become categoricals, nothing is lost.

SPSS/Stata columns whose measurement level is nominal or ordinal and that carry value labels
become categoricals of the labels (ordered for ordinal). A code that occurs in the data but
has no label becomes a category named by the code, so no value turns into NaN. Columns of
text files become numbers when every non-blank value parses (decimal comma allowed when the
delimiter is not a comma).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._distinct import per_distinct
from surveykit.ingestion._metadata import FileMetadata

__all__ = ["labelled_frame", "parse_numbers"]


def parse_numbers(s: pd.Series, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    """Parse a column to numbers; return ``(numbers, bad)`` with ``bad`` marking failures.

    Blank cells are NA and not failures. With ``decimal_comma`` a value like ``"2,5"`` is 2.5.
    Infinite values (``inf``, or ``1e309``, which overflows) are failures.

    Examples
    --------
    >>> num, bad = parse_numbers(pd.Series(["1", "2,5", None, "x", "1e309"]), decimal_comma=True)
    >>> num.tolist(), bad.tolist()
    ([1.0, 2.5, nan, nan, nan], [False, False, False, True, True])

    """
    if s.dtype.kind in "biuf":
        return _finite(s.astype("float64"), np.zeros(len(s), dtype=bool))
    num, bad = per_distinct(s, lambda u: _parse_text(u, decimal_comma))
    return _finite(pd.Series(num, index=s.index, dtype="float64"), bad)


def _parse_text(s: pd.Series, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    present = s.notna().to_numpy()
    text = s.astype("string").str.strip() if s.dtype != "str" else s.str.strip()
    # Float64 on both sides: pandas 2.2 cannot fill an Int64 result from a Float64 one
    num = pd.to_numeric(text, errors="coerce").astype("Float64")
    bad = present & num.isna().to_numpy()
    if decimal_comma and bad.any():
        alt = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        num = num.fillna(alt.astype("Float64"))
        bad = present & num.isna().to_numpy()
    return num.to_numpy(dtype="float64", na_value=np.nan), bad


def _finite(num: pd.Series, bad: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """``inf``, ``-inf`` and overflowing numbers such as ``1e309`` are failures, not numbers."""
    infinite = np.isinf(num.to_numpy(dtype="float64", na_value=np.nan))
    if not infinite.any():
        return num, bad
    return num.mask(infinite), bad | infinite


def _as_numeric_column(s: pd.Series, decimal_comma: bool) -> pd.Series:
    num, bad = parse_numbers(s, decimal_comma)
    if bad.any() or s.notna().sum() == 0:
        return s
    return _typed(num.to_numpy(dtype="float64"), s.index)


def _typed(values: np.ndarray, index: pd.Index) -> pd.Series:
    """``Int64`` when every number is whole (and exact in a float), else ``Float64``."""
    finite = values[~np.isnan(values)]
    if (finite == np.floor(finite)).all() and (np.abs(finite) < 2**53).all():
        return pd.Series(pd.array(values, dtype="Float64").astype("Int64"), index=index)
    return pd.Series(pd.array(values, dtype="Float64"), index=index)


#: cells parsed in one call when text columns are typed together
_CHUNK_CELLS = 2_000_000


def _numeric_text_columns(raw: pd.DataFrame, comma: bool) -> dict[str, pd.Series]:
    """Type text columns that parse as numbers in every non-blank cell, many per call.

    Parsing column by column costs a few milliseconds of pandas overhead per column (a
    file of 8 000 columns took a minute); here the cells of many columns are parsed as one
    series and split again.
    """
    out: dict[str, pd.Series] = {}
    n = len(raw)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, raw.shape[1], step):
        block = raw.iloc[:, start:start + step]
        flat = pd.Series(block.to_numpy(dtype=object).ravel(order="F"))
        num, bad = parse_numbers(flat, comma)
        k = block.shape[1]
        values = num.to_numpy(dtype="float64").reshape(k, n)
        blank = np.isnan(values)
        failed = bad.reshape(k, n).any(axis=1)
        filled = flat.notna().to_numpy().reshape(k, n).any(axis=1)
        safe = np.where(blank, 0.0, values)
        whole = ((safe == np.floor(safe)) & (np.abs(safe) < 2**53)).all(axis=1)
        for j in np.flatnonzero(~failed & filled):
            arr = (pd.arrays.IntegerArray(safe[j].astype("int64"), blank[j]) if whole[j]
                   else pd.arrays.FloatingArray(safe[j], blank[j]))
            out[block.columns[int(j)]] = pd.Series(arr, index=raw.index, copy=False)
    return out


def labelled_frame(
    raw: pd.DataFrame, meta: FileMetadata
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Return ``(frame, category_codes)`` for reading without an instrument.

    ``category_codes`` maps each categorical column to ``{category: code}`` so writers can
    put the codes back.
    """
    out: dict[str, pd.Series] = {}
    codes: dict[str, dict[str, Any]] = {}
    comma = meta.decimal == ","
    text = meta.format in ("csv", "xlsx")
    inferred = raw.infer_objects() if text else raw
    as_text = [c for c in raw.columns if text and inferred[c].dtype.kind not in "biuf"]
    numbers = _numeric_text_columns(raw[as_text], comma) if as_text else {}
    for col in raw.columns:
        s = raw[col]
        labels = meta.value_labels.get(col)
        level = meta.measure.get(col, "unknown")
        if labels and level in ("nominal", "ordinal") and s.dtype.kind in "biuf":
            out[col], codes[col] = _categorical(s, labels, ordered=level == "ordinal")
        elif text:
            out[col] = numbers.get(col, s) if col in as_text else \
                _as_numeric_column(inferred[col], comma)
        else:
            out[col] = s
    return pd.DataFrame(out, index=raw.index), codes


def _categorical(
    s: pd.Series, labels: Mapping[Any, str], ordered: bool
) -> tuple[pd.Series, dict[str, Any]]:
    observed = pd.unique(s.dropna())
    all_codes = sorted(set(labels) | {_int(v) for v in observed}, key=_sort_key)
    names = [str(labels.get(c, _fmt(c))) for c in all_codes]
    counts = pd.Series(names).value_counts()
    names = [n if counts[n] == 1 else f"{n} ({_fmt(c)})" for n, c in zip(names, all_codes,
                                                                          strict=True)]
    lookup = pd.Series(names, index=pd.Index([float(c) for c in all_codes]))
    mapped = s.astype("float64").map(lookup)
    cat = pd.Categorical(mapped, categories=names, ordered=ordered)
    return pd.Series(cat, index=s.index, name=s.name), dict(zip(names, all_codes, strict=True))


def _int(v: Any) -> Any:
    return int(v) if isinstance(v, float) and float(v).is_integer() else v


def _fmt(code: Any) -> str:
    return str(_int(code))


def _sort_key(code: Any) -> tuple[int, Any]:
    return (0, float(code)) if isinstance(code, (int, float)) else (1, str(code))
