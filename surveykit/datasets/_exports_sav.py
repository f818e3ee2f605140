"""Questback / Tivian EFS SPSS export (``.sav``) through pyreadstat, with a fixed header date.

SPSS files carry their creation date and time in the header; :func:`stamp_sav` sets them
(the demo study stamps the end of fieldwork), so the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module
from surveykit.datasets._items import ColumnSpec, choice_code, column_specs, item_text, label_map
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._timing import local_naive

pyreadstat = lazy_module("pyreadstat")

__all__ = ["stamp_sav", "write_questback"]

#: EFS system codes in question variables: not shown, shown but not answered.
NOT_SHOWN, NOT_ANSWERED = -77, -99
_SAV_DATE = slice(92, 101)  # "dd Mon yy" in the 176-byte file header
_SAV_TIME = slice(101, 109)  # "hh:mm:ss"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _dispcode(frame: pd.DataFrame) -> np.ndarray:
    """31 completed, 32 completed after a break (every 15th complete), 22 broken off."""
    complete = (frame["status"] == "complete").to_numpy()
    after_break = (frame["respondent_id"].to_numpy() % 15) == 0
    return np.where(complete, np.where(after_break, 32, 31), 22)


def _numeric(frame: pd.DataFrame, col: str, shown: np.ndarray) -> np.ndarray:
    values = frame[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(values), np.where(shown, NOT_ANSWERED, NOT_SHOWN), values)


def _shown(frame: pd.DataFrame, spec: ColumnSpec) -> np.ndarray:
    """Rows where the variable was shown: answered, or an optional item left blank."""
    cols = spec_columns(spec)
    answered = frame[cols].notna().all(axis=1).to_numpy()
    optional = not spec.required and spec.relevant is None
    complete = (frame["status"] == "complete").to_numpy()
    return np.asarray(answered | (optional & complete))


def write_questback(frame: pd.DataFrame, instrument: Any, path: os.PathLike[str] | str) -> dict:
    """Write an EFS-style ``.sav``: system variables, then ``v_1 ... v_k`` with value labels.

    System variables: ``lfdn`` (running number), ``dispcode`` (31 completed, 32 completed
    after a break, 22 broken off), ``datetime`` (start), ``date_of_last_access``,
    ``duration`` (seconds), ``lastpage``. Question variables carry their nb text as variable
    label and the choice labels as value labels; the instrument's missing codes are declared
    user-missing together with EFS's -77 (not shown) and -99 (not answered). Multi-select
    options are separate 0/1 variables ("ikke valgt"/"valgt"). Text answers are strings.
    """
    data: dict[str, Any] = {
        "lfdn": frame["respondent_id"].astype(np.int64).to_numpy(),
        "dispcode": _dispcode(frame),
        "datetime": local_naive(frame["start_time"]).dt.floor("s").to_numpy(),
        "date_of_last_access": local_naive(frame["end_time"]).dt.floor("s").to_numpy(),
        "duration": np.round(frame["duration_s"].to_numpy(dtype=float)).astype(np.int64),
        "lastpage": np.where(frame["status"] == "complete", 9999, 4),
    }
    labels: dict[str, str | None] = {
        "lfdn": "Løpenummer",
        "dispcode": "Disposisjonskode",
        "datetime": "Startet",
        "date_of_last_access": "Siste tilgang",
        "duration": "Svartid (sekunder)",
        "lastpage": "Siste side",
    }
    value_labels: dict[str, dict[Any, str]] = {
        "dispcode": {22: "Avbrutt", 31: "Fullført", 32: "Fullført etter avbrudd"}
    }
    missing: dict[str, list[Any]] = {}
    measure: dict[str, str] = {}
    columns: dict[str, str] = {}
    k = 0
    for spec in column_specs(instrument):
        shown = _shown(frame, spec)
        for col in spec_columns(spec):
            k += 1
            name = f"v_{k}"
            columns[name] = col
            _one_variable(
                frame,
                instrument,
                spec,
                col,
                name,
                shown,
                data,
                labels,
                value_labels,
                missing,
                measure,
            )
    pyreadstat.write_sav(
        pd.DataFrame(data),
        os.fspath(path),
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
        variable_measure=measure,
    )
    return {
        "respondent_id": "lfdn",
        "duration": {"column": "duration", "unit": "seconds"},
        "complete": {"column": "dispcode", "values": [31, 32]},
        "columns": columns,
        "ignore": ["date_of_last_access", "lastpage"],
    }


def _one_variable(
    frame: pd.DataFrame,
    instrument: Any,
    spec: ColumnSpec,
    col: str,
    name: str,
    shown: np.ndarray,
    data: dict[str, Any],
    labels: dict[str, str | None],
    value_labels: dict[str, dict[Any, str]],
    missing: dict[str, list[Any]],
    measure: dict[str, str],
) -> None:
    text = item_text(instrument, spec)
    if spec.type == "multi":
        code = col.split("__", 1)[1]
        option = label_map(spec)[choice_code(spec, code)]
        labels[name] = f"{text} – {option}"[:250]
        data[name] = _numeric(frame, col, shown)
        value_labels[name] = {0: "ikke valgt", 1: "valgt", NOT_SHOWN: "ikke vist"}
        missing[name] = [NOT_SHOWN, NOT_ANSWERED]
        measure[name] = "nominal"
        return
    labels[name] = text[:250]
    string_codes = spec.choices is not None and not all(
        isinstance(c, int) for c in spec.choices.all_codes
    )
    if spec.type in ("text", "date") or string_codes:
        data[name] = frame[col].astype("string").fillna("").to_numpy(dtype=object)
        measure[name] = "nominal"
        return
    data[name] = _numeric(frame, col, shown)
    codes = label_map(spec)
    value_labels[name] = {**codes, NOT_SHOWN: "ikke vist", NOT_ANSWERED: "ikke besvart"}
    declared = list(spec.choices.missing_codes) if spec.choices is not None else []
    missing[name] = [*declared[:1], NOT_SHOWN, NOT_ANSWERED]
    measure[name] = _measure(spec)


def _measure(spec: ColumnSpec) -> str:
    if spec.choices is None:
        return "scale"
    return {"nominal": "nominal", "ordinal": "ordinal"}.get(spec.choices.measure, "scale")


def stamp_sav(path: os.PathLike[str] | str, when: dt.datetime) -> None:
    """Set the creation date and time in an SPSS ``.sav`` header to ``when``."""
    with open(path, "r+b") as fh:
        head = bytearray(fh.read(176))
        if head[:4] not in (b"$FL2", b"$FL3"):
            raise ValueError(f"{os.fspath(path)!r} is not an SPSS .sav file (header {head[:4]!r}).")
        month = _MONTHS[when.month - 1]  # SPSS writes English abbreviations, whatever the locale
        head[_SAV_DATE] = f"{when.day:02d} {month} {when.year % 100:02d}".encode("ascii")
        head[_SAV_TIME] = when.strftime("%H:%M:%S").encode("ascii")
        fh.seek(0)
        fh.write(head)
