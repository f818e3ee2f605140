"""Nettskjema (UiO): the current semicolon export and the older Norwegian-header export.

Current (API v3 ``csv-report``): header ``$submission_id;$created;...;$answer_time_ms``, one
column per question named by its external ID, checkbox options as ``question.option`` with
0/1, radio matrices as ``matrix.row``. Older export: tab-separated, headers ``NR``,
``E-post``, ``Opprettet``, ``Endret``, ..., ``Svartid`` (text such as ``1 minutt``), dates
``dd.mm.yyyy HH:MM`` and checkbox options as ``question_k`` holding ``Ja`` or blank.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms._base import Canonical, build_canonical, map_columns
from surveykit.ingestion._platforms._meta import (
    fill_meta,
    parse_norwegian_duration,
    parse_number_text,
)

__all__ = ["convert", "convert_legacy", "detect", "detect_legacy"]

_LEGACY_META = ("NR", "Opprettet", "Endret", "Svartid", "E-post", "Innsendt", "Levert")


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """Detect the current export by its ``$submission_id`` column."""
    return "$submission_id" in raw.columns


def detect_legacy(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """Detect the older export: ``NR`` plus ``Opprettet`` or ``Svartid``."""
    return "NR" in raw.columns and bool({"Opprettet", "Svartid"} & set(raw.columns))


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """Convert the current export (``$``-columns are platform metadata)."""
    questions = [c for c in raw.columns if not str(c).startswith("$")]
    cmap = map_columns(questions, inst, dep, seps=(".",))
    canon = build_canonical(raw, meta, inst, dep, cmap)
    duration = None
    if "$answer_time_ms" in raw.columns:
        ms = parse_number_text(raw["$answer_time_ms"])
        duration = ms.astype("float64") / 1000.0
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid="$submission_id",
                                  submitted="$created", duration=duration)
    canon.used |= used | {c for c in raw.columns if str(c).startswith("$")}
    return canon


def convert_legacy(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """Convert the older export (``Ja``/blank checkboxes, text durations)."""
    questions = [c for c in raw.columns if c not in _LEGACY_META]
    cmap = map_columns(questions, inst, dep, seps=(".",), positional=True)
    canon = build_canonical(raw, meta, inst, dep, cmap, blank_is_zero=True)
    duration = parse_norwegian_duration(raw["Svartid"]) if "Svartid" in raw.columns else None
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid="NR", submitted="Opprettet",
                                  duration=duration)
    if "E-post" in raw.columns:
        canon.identifiers["email"] = raw["E-post"]
    canon.used |= used | {c for c in _LEGACY_META if c in raw.columns}
    return canon
