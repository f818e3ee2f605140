"""Delimited platform exports: Nettskjema (API v3 ``csv-report``) and KoboToolbox CSV."""

from __future__ import annotations

import csv
import os
import uuid
from typing import Any

import numpy as np
import pandas as pd

from surveykit.datasets._items import ColumnSpec
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._write_common import specs_of

__all__ = ["write_kobo", "write_nettskjema"]


def _text(values: pd.Series) -> pd.Series:
    """Cells as strings: integers without decimals, missing as ''."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.map(lambda t: t.isoformat(), na_action="ignore").fillna("")
    out = values.astype("string")
    return out.fillna("")


def _nettskjema_name(spec: ColumnSpec, column: str) -> str:
    if spec.type == "multi":
        return f"{spec.var}.{column.split('__', 1)[1]}"
    if spec.grid is not None:
        return f"{spec.grid}.{spec.item_id.split('.', 1)[1]}"
    return spec.var


def write_nettskjema(frame: pd.DataFrame, instrument: Any, path: os.PathLike[str] | str) -> dict:
    """Write a Nettskjema ``csv-report``: ``;``-separated, every value double-quoted.

    Header ``$submission_id;$created;<questions>;$answer_time_ms``; ``$created`` is ISO 8601
    with the UTC offset; questions are named by external id (the instrument var), radio
    matrices ``matrix.row``, checkbox options ``question.option`` with 0/1 (blank when the
    question was not shown).
    """
    out: dict[str, pd.Series] = {
        "$submission_id": (frame["respondent_id"] + 26_000_000).astype(str),
        "$created": _text(frame["end_time"].dt.floor("s")),
    }
    columns: dict[str, str] = {}
    for spec in specs_of(instrument):
        for col in spec_columns(spec):
            name = _nettskjema_name(spec, col)
            out[name] = _text(frame[col])
            columns[name] = col
    out["$answer_time_ms"] = (frame["duration_s"] * 1000).round().astype(np.int64).astype(str)
    pd.DataFrame(out).to_csv(
        path, sep=";", index=False, quoting=csv.QUOTE_ALL, encoding="utf-8", lineterminator="\n"
    )
    return {
        "respondent_id": "$submission_id",
        "duration": {"column": "$answer_time_ms", "unit": "milliseconds"},
        "columns": columns,
    }


def write_kobo(frame: pd.DataFrame, instrument: Any, path: os.PathLike[str] | str) -> dict:
    """Write a KoboToolbox CSV export (``,``-separated, XML values).

    Columns ``start, end``, one column per XLSForm name (the instrument var), a multi-select
    as one column of space-separated codes, then ``_id, _uuid, _submission_time, _index``.
    """
    out: dict[str, pd.Series] = {
        "start": _text(frame["start_time"].dt.floor("s")),
        "end": _text(frame["end_time"].dt.floor("s")),
    }
    for spec in specs_of(instrument):
        if spec.type == "multi":
            out[spec.var] = _packed(frame, spec)
        else:
            out[spec.var] = _text(frame[spec.var])
    ids = frame["respondent_id"].astype(np.int64)
    out["_id"] = (ids + 480_000).astype(str)
    out["_uuid"] = ids.map(lambda i: str(uuid.uuid5(uuid.NAMESPACE_URL, f"surveykit/{i}")))
    out["_submission_time"] = (
        frame["end_time"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S")
    )
    out["_index"] = pd.Series(np.arange(1, len(frame) + 1).astype(str), index=frame.index)
    pd.DataFrame(out).to_csv(path, sep=",", index=False, encoding="utf-8", lineterminator="\n")
    return {"respondent_id": "_id", "columns": {s.var: s.var for s in specs_of(instrument)}}


def _packed(frame: pd.DataFrame, spec: ColumnSpec) -> pd.Series:
    cols = spec_columns(spec)
    codes = [c.split("__", 1)[1] for c in cols]
    chosen = frame[cols].fillna(0).to_numpy(dtype=np.int64) == 1
    shown = frame[cols].notna().all(axis=1).to_numpy()
    text = [" ".join(c for c, on in zip(codes, row, strict=True) if on) for row in chosen]
    return pd.Series(np.where(shown, text, ""), index=frame.index)
