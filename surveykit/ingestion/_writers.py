"""Writers: SPSS ``.sav``/``.zsav``, Stata ``.dta`` and Parquet, keeping labels and missing codes.

Categoricals go back to their codes, value labels and variable labels are written, missing
codes become SPSS user-missing values, and measurement levels are kept, so that a ``.sav``
written and read back gives the same data and labels.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from surveykit._writing import replacing
from surveykit.errors import IngestionError
from surveykit.ingestion._metadata import ResponseMetadata
from surveykit.ingestion._readers import PARQUET_KEY

__all__ = ["coded_frame", "write_dta", "write_parquet", "write_sav"]

_SPSS_NAME = re.compile(r"^[A-Za-z@#$][A-Za-z0-9_.@#$]*$")


def coded_frame(data: pd.DataFrame, meta: ResponseMetadata) -> pd.DataFrame:
    """Return ``data`` with categoricals as codes and nullable dtypes as plain numpy ones.

    Examples
    --------
    >>> from surveykit.ingestion._metadata import FileMetadata
    >>> m = ResponseMetadata(FileMetadata("a.sav", "sav", "0", 2, ("q",)), "labelled",
    ...                      category_codes={"q": {"Ja": 1, "Nei": 2}})
    >>> coded_frame(pd.DataFrame({"q": pd.Categorical(["Nei", None], ["Ja", "Nei"])}), m).q.tolist()
    [2.0, nan]

    """
    out: dict[str, Any] = {}
    for col in data.columns:
        out[col] = _coded_column(data[col], meta.category_codes.get(col))
    return pd.DataFrame(out, index=data.index)


def _coded_column(s: pd.Series, cat_codes: Mapping[str, Any] | None) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        values = [cat_codes.get(c, c) for c in cats] if cat_codes else cats
        lookup = np.asarray([*values, None], dtype=object)
        arr = lookup[s.cat.codes.to_numpy()]
        if all(isinstance(v, (int, float, np.integer, np.floating)) for v in values):
            return pd.Series(arr, index=s.index, dtype="float64")
        return pd.Series(arr, index=s.index, dtype=object)
    if s.dtype.kind == "M" or isinstance(s.dtype, pd.DatetimeTZDtype):
        tz = getattr(s.dt, "tz", None)
        return s.dt.tz_convert("UTC").dt.tz_localize(None) if tz is not None else s
    if s.dtype.kind in "biuf" or str(s.dtype) in ("Int8", "Int16", "Int32", "Int64", "Float64",
                                                  "boolean", "Float32", "UInt8"):
        return pd.Series(s.to_numpy(dtype="float64", na_value=np.nan), index=s.index)
    return pd.Series(s.astype(object).where(s.notna(), None), index=s.index, dtype=object)


def _spss_names(columns: list[str]) -> dict[str, str]:
    renames = {}
    for col in columns:
        if not _SPSS_NAME.match(col) or len(col.encode("utf-8")) > 64:
            new = re.sub(r"[^A-Za-z0-9_.@#$]", "_", col)[:64]
            renames[col] = new if new[:1].isalpha() else f"v_{new}"[:64]
    return renames


def _missing_spec(codes: list[Any], valid: list[Any]) -> list[Any]:
    if len(codes) <= 3:
        return list(codes)
    lo, hi = min(codes), max(codes)
    if any(lo <= v <= hi for v in valid):
        raise IngestionError(
            f"cannot write missing codes {codes} as SPSS user-missing values: SPSS allows at "
            "most three discrete values or one range, and valid codes lie inside the range."
        )
    return [{"lo": lo, "hi": hi}]


def _sav_missing(frame: pd.DataFrame, meta: ResponseMetadata) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for col, ranges in meta.file.missing_ranges.items():
        if col in frame.columns and col not in meta.missing_codes:
            out[col] = [lo if lo == hi else {"lo": lo, "hi": hi} for lo, hi in ranges]
    for col, codes in meta.missing_codes.items():
        if col in frame.columns and codes:
            valid = [c for c in meta.value_labels.get(col, {}) if c not in codes]
            out[col] = _missing_spec(sorted(codes, key=str), valid)
    return out


def _measure(frame: pd.DataFrame, meta: ResponseMetadata) -> dict[str, str]:
    out = {}
    for col in frame.columns:
        level = meta.measure.get(col)
        if level not in ("nominal", "ordinal", "scale"):
            level = "scale" if frame[col].dtype.kind in "fiumM" else "nominal"
        out[col] = level
    return out


def write_sav(
    data: pd.DataFrame, meta: ResponseMetadata, path: str | os.PathLike[str],
    *, compress: bool | None = None,
) -> None:
    """Write ``data`` to SPSS with labels, user-missing codes and measurement levels.

    ``compress`` (zsav) defaults to True when the path ends in ``.zsav``. Column names that
    SPSS does not allow are made valid (``Start time`` -> ``Start_time``) and the original
    name becomes the variable label when there is none.
    """
    import pyreadstat

    frame = coded_frame(data, meta)
    labels = {c: meta.variable_labels.get(c) or None for c in frame.columns}
    value_labels = {c: {_num(k): v for k, v in vl.items()} for c, vl in meta.value_labels.items()
                    if c in frame.columns and vl}
    missing = _sav_missing(frame, meta)
    measure = _measure(frame, meta)
    renames = _spss_names(list(frame.columns))
    for old, new in renames.items():
        labels[new] = labels.pop(old) or old
        _rename_key(value_labels, old, new)
        _rename_key(missing, old, new)
        _rename_key(measure, old, new)
    frame = frame.rename(columns=renames)
    zsav = str(path).lower().endswith(".zsav") if compress is None else compress
    try:
        with replacing(path) as tmp:
            pyreadstat.write_sav(
                frame, str(tmp), column_labels=labels, variable_value_labels=value_labels,
                missing_ranges=missing, variable_measure=measure, compress=zsav,
            )
    except Exception as exc:
        raise IngestionError(f"{path}: could not write the SPSS file ({exc}).") from None


def write_dta(data: pd.DataFrame, meta: ResponseMetadata, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to Stata 15 with variable and value labels.

    Stata has no numeric user-missing codes: missing codes stay as labelled values.
    """
    import pyreadstat

    frame = coded_frame(data, meta)
    renames = {c: re.sub(r"[^A-Za-z0-9_]", "_", c)[:32] for c in frame.columns
               if not re.match(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$", c)}
    value_labels: dict[str, dict[int | float, str]] = {
        renames.get(c, c): {int(_num(k)): v for k, v in vl.items()}
                    for c, vl in meta.value_labels.items() if c in frame.columns and vl
                    and frame[c].dtype.kind == "f" and all(_is_int(k) for k in vl)
    }
    labels = {renames.get(c, c): (meta.variable_labels.get(c) or None) for c in frame.columns}
    try:
        with replacing(path) as tmp:
            pyreadstat.write_dta(frame.rename(columns=renames), str(tmp), column_labels=labels,
                                 variable_value_labels=value_labels)
    except Exception as exc:
        raise IngestionError(f"{path}: could not write the Stata file ({exc}).") from None


def write_parquet(data: pd.DataFrame, meta: ResponseMetadata, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to Parquet, keeping dtypes and the labels in the schema metadata."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the environment
        raise IngestionError(
            "writing Parquet needs pyarrow. Install it: pip install 'surveykit[parquet]'."
        ) from None
    stored = {
        "column_labels": dict(meta.variable_labels),
        "value_labels": {c: [[_jsonable(k), v] for k, v in vl.items()]
                         for c, vl in meta.value_labels.items()},
        "missing_ranges": {c: [[_jsonable(lo), _jsonable(hi)] for lo, hi in r]
                           for c, r in meta.file.missing_ranges.items()},
        "measure": dict(meta.measure),
    }
    table = pa.Table.from_pandas(data.reset_index(drop=True), preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[PARQUET_KEY] = json.dumps(stored).encode("utf-8")
    with replacing(path) as tmp:
        pq.write_table(table.replace_schema_metadata(schema_meta), tmp)


def _rename_key(d: dict[str, Any], old: str, new: str) -> None:
    if old in d:
        d[new] = d.pop(old)


def _num(v: Any) -> Any:
    return float(v) if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else v


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer())


def _jsonable(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
