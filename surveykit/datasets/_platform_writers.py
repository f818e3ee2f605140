"""Write a canonical synthetic frame in a survey platform's export layout, with its deployment.

Each writer takes the frame from :func:`generate_responses`, the instrument and a path, writes
the file and returns the *deployment* (``surveykit.deployment/1`` as a dict) that maps the
platform's columns back to the instrument's variables. Layouts follow the platform notes in
the project's domain reference (section 4); where a platform's layout is not documented
(SurveyXact), the writer says which choices are assumptions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pandas as pd

from surveykit._validate import check_option
from surveykit.datasets._items import ColumnSpec, column_specs, instrument_spec
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._write_csv import write_kobo, write_nettskjema
from surveykit.datasets._write_sav import write_questback
from surveykit.datasets._write_xlsx import write_msforms, write_surveyxact

__all__ = ["PLATFORMS", "platform_extension", "write_platform_export"]

Writer = Callable[[pd.DataFrame, Any, "os.PathLike[str] | str"], dict[str, Any]]

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
    deployment = PLATFORMS[platform][0](frame, instrument, path)
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
