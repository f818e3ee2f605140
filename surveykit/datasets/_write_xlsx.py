"""Spreadsheet platform exports: SurveyXact and Microsoft Forms (``.xlsx``)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from surveykit.datasets._items import ColumnSpec
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._write_common import (
    as_object,
    item_text,
    label_map,
    local_naive,
    numbered_specs,
    specs_of,
)

__all__ = ["write_msforms", "write_surveyxact"]

_SELECTED = {0: "Ikke valgt", 1: "Valgt"}


def write_surveyxact(frame: pd.DataFrame, instrument: Any, path: os.PathLike[str] | str) -> dict:
    """Write a SurveyXact-style workbook: sheet ``Data`` plus sheet ``Variabler``.

    SurveyXact's layout is not documented in the project's sources; this follows the common
    description: ``respondentid``, then ``v_<item>`` per question, ``v_<item>_<row>`` per grid
    row and ``v_<item>_<option>`` per multi-select option holding "Valgt"/"Ikke valgt".
    Single-choice cells hold codes; sheet ``Variabler`` lists each variable's label and value
    labels. Assumed meta columns: ``starttime``, ``endtime``, ``duration`` (seconds) and
    ``status`` ("Fullført"/"Delvis besvart").
    """
    data: dict[str, Any] = {"respondentid": frame["respondent_id"].to_numpy()}
    book: list[dict[str, Any]] = []
    columns: dict[str, str] = {}
    for number, row, spec in numbered_specs(instrument):
        text = item_text(instrument, spec)
        for j, col in enumerate(spec_columns(spec), start=1):
            name = f"v_{number}" + (f"_{row}" if row is not None else "")
            if spec.type == "multi":
                name = f"v_{number}_{j}"
                values = frame[col].map(_SELECTED, na_action="ignore")
                data[name] = as_object(values)
                book += [
                    {"variabel": name, "etikett": text, "verdi": k, "verdietikett": v}
                    for k, v in _SELECTED.items()
                ]
            else:
                data[name] = as_object(frame[col])
                book += [
                    {"variabel": name, "etikett": text, "verdi": k, "verdietikett": v}
                    for k, v in label_map(spec).items()
                ] or [{"variabel": name, "etikett": text, "verdi": None, "verdietikett": None}]
            columns[name] = col
    data["starttime"] = local_naive(frame["start_time"]).dt.floor("s").to_numpy()
    data["endtime"] = local_naive(frame["end_time"]).dt.floor("s").to_numpy()
    data["duration"] = np.round(frame["duration_s"].to_numpy(dtype=float)).astype(np.int64)
    data["status"] = np.where(frame["status"] == "complete", "Fullført", "Delvis besvart")
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        pd.DataFrame(data).to_excel(xl, sheet_name="Data", index=False)
        pd.DataFrame(book).to_excel(xl, sheet_name="Variabler", index=False)
    return {
        "respondent_id": "respondentid",
        "duration": {"column": "duration", "unit": "seconds"},
        "complete": {"column": "status", "values": ["Fullført"]},
        "columns": columns,
        "ignore": ["starttime", "endtime"],
    }


def _msforms_cells(frame: pd.DataFrame, spec: ColumnSpec) -> np.ndarray:
    labels = label_map(spec)
    if spec.type == "multi":
        cols = spec_columns(spec)
        names = [labels[_code(spec, c.split("__", 1)[1])] for c in cols]
        chosen = frame[cols].fillna(0).to_numpy(dtype=np.int64) == 1
        shown = frame[cols].notna().all(axis=1).to_numpy()
        text = ["".join(f"{n};" for n, on in zip(names, r, strict=True) if on) for r in chosen]
        return np.where(shown, np.array(text, dtype=object), np.array(None, dtype=object))
    values = as_object(frame[spec.var])
    if spec.choices is not None and spec.choices.measure != "interval":
        return np.array([None if v is None else labels.get(v, v) for v in values], dtype=object)
    return values


def _code(spec: ColumnSpec, text: str) -> Any:
    return next(c for c in spec.choices.codes if str(c) == text)


def write_msforms(frame: pd.DataFrame, instrument: Any, path: os.PathLike[str] | str) -> dict:
    """Write a Microsoft Forms workbook: metadata columns, then one column per question.

    ``ID, Start time, Completion time, Email, Name`` (anonymous form: Email "anonymous",
    Name blank), then columns headed by the question text (nb; a grid row's text after the
    grid's, joined by "."). Choice answers are label text; 0-10 rating (interval) answers
    are numbers; a multi-select is one cell with the labels each followed by ``;``.
    """
    data: dict[str, Any] = {
        "ID": np.arange(1, len(frame) + 1),
        "Start time": local_naive(frame["start_time"]).dt.floor("s").to_numpy(),
        "Completion time": local_naive(frame["end_time"]).dt.floor("s").to_numpy(),
        "Email": np.full(len(frame), "anonymous", dtype=object),
        "Name": np.full(len(frame), None, dtype=object),
    }
    columns: dict[str, str] = {}
    for spec in specs_of(instrument):
        header = item_text(instrument, spec)
        if spec.grid is not None:
            header = f"{item_text(instrument, _grid_spec(spec))}.{header}"
        while header in data:
            header += " "
        data[header] = _msforms_cells(frame, spec)
        columns[header] = spec.var
    pd.DataFrame(data).to_excel(path, sheet_name="Sheet1", index=False, engine="openpyxl")
    return {"respondent_id": "ID", "columns": columns, "ignore": ["Email", "Name"]}


def _grid_spec(spec: ColumnSpec) -> ColumnSpec:
    from dataclasses import replace

    return replace(spec, grid=None, item_id=spec.grid or spec.item_id)
