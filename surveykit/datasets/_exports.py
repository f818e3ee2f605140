"""Write a canonical synthetic frame in a survey platform's export layout, with its deployment.

Each writer takes the frame from :func:`generate_responses`, the instrument and a path, writes
the file and returns the *deployment* (``surveykit.deployment/1`` as a dict) that maps the
platform's columns back to the instrument's variables. Layouts follow the platform notes in
the project's domain reference (section 4); where a platform's layout is not documented
(SurveyXact), the writer says which choices are assumptions. Delimited exports (Nettskjema,
KoboToolbox) and workbooks (SurveyXact, Microsoft Forms) are written here, the SPSS file
(Questback EFS) in :mod:`surveykit.datasets._exports_sav`.

xlsx workbooks (zip archives) carry a modification time per entry plus created/modified
properties; :func:`stamp_xlsx` fixes them (the demo study stamps the end of fieldwork), so
the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from surveykit._ooxml import reproducible_package
from surveykit._validate import check_option
from surveykit._writing import write_atomic
from surveykit._xlsx_plain import plain_workbook
from surveykit.datasets._exports_sav import write_questback
from surveykit.datasets._items import (
    ColumnSpec,
    choice_code,
    column_specs,
    instrument_spec,
    item_text,
    label_map,
    numbered_specs,
)
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._timing import local_naive

__all__ = ["PLATFORMS", "platform_extension", "stamp_xlsx", "write_kobo", "write_msforms",
           "write_nettskjema", "write_platform_export", "write_surveyxact"]

Writer = Callable[[pd.DataFrame, Any, "os.PathLike[str] | str"], dict[str, Any]]


# --- delimited exports: Nettskjema, KoboToolbox -----------------------------------------


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
    for spec in column_specs(instrument):
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
    for spec in column_specs(instrument):
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
    return {"respondent_id": "_id", "columns": {s.var: s.var for s in column_specs(instrument)}}


def _packed(frame: pd.DataFrame, spec: ColumnSpec) -> pd.Series:
    cols = spec_columns(spec)
    codes = [c.split("__", 1)[1] for c in cols]
    chosen = frame[cols].fillna(0).to_numpy(dtype=np.int64) == 1
    shown = frame[cols].notna().all(axis=1).to_numpy()
    text = [" ".join(c for c, on in zip(codes, row, strict=True) if on) for row in chosen]
    return pd.Series(np.where(shown, text, ""), index=frame.index)


# --- workbooks: SurveyXact, Microsoft Forms ---------------------------------------------


def as_object(values: pd.Series) -> np.ndarray:
    """Values as Python objects with ``None`` for missing (for cell-by-cell writers)."""
    return np.asarray(values.astype(object).where(values.notna(), None), dtype=object)


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
    write_atomic(path, plain_workbook({"Data": pd.DataFrame(data),
                                       "Variabler": pd.DataFrame(book)}))
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
        names = [labels[choice_code(spec, c.split("__", 1)[1])] for c in cols]
        chosen = frame[cols].fillna(0).to_numpy(dtype=np.int64) == 1
        shown = frame[cols].notna().all(axis=1).to_numpy()
        text = ["".join(f"{n};" for n, on in zip(names, r, strict=True) if on) for r in chosen]
        return np.where(shown, np.array(text, dtype=object), np.array(None, dtype=object))
    values = as_object(frame[spec.var])
    if spec.choices is not None and spec.choices.measure != "interval":
        return np.array([None if v is None else labels.get(v, v) for v in values], dtype=object)
    return values


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
    for spec in column_specs(instrument):
        header = item_text(instrument, spec)
        if spec.grid is not None:
            header = f"{item_text(instrument, _grid_spec(spec))}.{header}"
        while header in data:
            header += " "
        data[header] = _msforms_cells(frame, spec)
        columns[header] = spec.var
    write_atomic(path, plain_workbook({"Sheet1": pd.DataFrame(data)}))
    return {"respondent_id": "ID", "columns": columns, "ignore": ["Email", "Name"]}


def _grid_spec(spec: ColumnSpec) -> ColumnSpec:
    return replace(spec, grid=None, item_id=spec.grid or spec.item_id)


def stamp_xlsx(path: os.PathLike[str] | str, when: dt.datetime) -> None:
    """Rewrite an ``.xlsx`` in place with its entries and created/modified properties ``when``."""
    with open(path, "rb") as fh:
        data = fh.read()
    with open(path, "wb") as fh:
        fh.write(reproducible_package(data, when, date_entries=True, mode=0))


# --- the registry ----------------------------------------------------------------------

#: Platform name -> (writer, file extension). Names are those of the ingestion adapters.
PLATFORMS: dict[str, tuple[Writer, str]] = {
    "nettskjema": (write_nettskjema, ".csv"),
    "questback": (write_questback, ".sav"),
    "surveyxact": (write_surveyxact, ".xlsx"),
    "msforms": (write_msforms, ".xlsx"),
    "kobo": (write_kobo, ".csv"),
}


def platform_extension(platform: str) -> str:
    """File extension of a platform's export (``".csv"``, ``".sav"``, ``".xlsx"``)."""
    check_option("platform", platform, tuple(PLATFORMS))
    return PLATFORMS[platform][1]


def write_platform_export(
    frame: pd.DataFrame,
    instrument: Any,
    path: os.PathLike[str] | str,
    platform: str,
    *,
    wave: str | None = None,
) -> dict[str, Any]:
    """Write ``frame`` as ``platform`` would export it and return the deployment mapping.

    Parameters
    ----------
    frame : DataFrame
        A frame from :func:`generate_responses` (meta columns plus instrument columns).
    instrument : Instrument
        The instrument the frame was generated from.
    path : path-like
        Output file.
    platform : {"nettskjema", "questback", "surveyxact", "msforms", "kobo"}
        Nettskjema CSV, Questback EFS ``.sav``, SurveyXact ``.xlsx``, Microsoft Forms
        ``.xlsx`` or KoboToolbox CSV.
    wave : str, optional
        Wave label recorded in the deployment.

    Returns
    -------
    dict
        The ``surveykit.deployment/1`` mapping (write it as
        ``deployments/<wave>-<platform>.yaml``).

    """
    check_option("platform", platform, tuple(PLATFORMS))
    _check_frame(frame, instrument)
    # the writers read the frame column by column and pandas deep-copies ``attrs`` (the
    # generator's record, thousands of entries) into every column it hands out
    bare = frame.copy(deep=False)
    bare.attrs = {}
    deployment = PLATFORMS[platform][0](bare, instrument, path)
    spec = instrument_spec(instrument)
    head = {
        "schema": "surveykit.deployment/1",
        "instrument": f"{spec.id}@{spec.version}",
        "wave": wave,
        "platform": platform,
    }
    return {**{k: v for k, v in head.items() if v is not None}, **deployment}


def _check_frame(frame: pd.DataFrame, instrument: Any) -> None:
    specs: list[ColumnSpec] = column_specs(instrument)
    needed = ["respondent_id", "start_time", "end_time", "duration_s"]
    needed += [c for s in specs for c in spec_columns(s)]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"'frame' lacks columns {missing} of instrument "
            f"{instrument_spec(instrument).id}; pass a frame from generate_responses for "
            "this instrument."
        )
