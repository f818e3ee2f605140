"""Questback / Tivian EFS SPSS exports.

EFS writes system variables next to the questions: ``lfdn`` (running number), ``dispcode``
(disposition; 31 and 32 are completed interviews), ``duration`` (seconds), ``datetime``,
``lastpage`` and more. Question variables (``v_1``...) are mapped by a deployment file or
by being named as the instrument's vars. EFS system missing codes in question variables
(-77 not shown, -99 not answered) become blank, and the report says how many.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import IngestionError
from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._multi import code_key
from surveykit.ingestion._platforms._base import Canonical, build_canonical, map_columns
from surveykit.ingestion._platforms._meta import fill_meta
from surveykit.ingestion._report import problems

__all__ = ["convert", "detect"]

COMPLETED = ("31", "32")
SYSTEM = (
    "lfdn", "external_lfdn", "tester", "dispcode", "lastpage", "quality", "duration",
    "datetime", "date_of_last_access", "date_of_first_mail", "ats", "browser", "referer",
    "device_type", "participant_browser", "participant_browser_version", "participant_os",
    "participant_device", "participant_user_agent", "page_history", "hflip", "vflip",
    "output_mode", "javascript", "flash", "session_id", "language", "cleaned", "mode",
)
SYSTEM_MISSING = ("-77", "-99")


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """EFS: ``lfdn`` and ``dispcode`` columns."""
    return "lfdn" in raw.columns and "dispcode" in raw.columns


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """EFS export -> canonical frame; ``complete`` is dispcode 31 or 32."""
    missing = [c for c in ("lfdn", "dispcode") if c not in raw.columns]
    if missing:
        raise IngestionError(
            f"{meta.path}: source='questback' expects the EFS system columns 'lfdn' and "
            f"'dispcode', but {missing} are not in the file ({raw.shape[1]} columns). Export "
            "with system variables, or pass the right source= (or source='auto')."
        )
    questions = [c for c in raw.columns if c not in SYSTEM and not c.startswith("rts")]
    cleaned, notes = _system_missing(raw, questions)
    cmap = map_columns(questions, inst, dep, seps=(".",))
    canon = build_canonical(cleaned, meta, inst, dep, cmap)
    complete = code_key(raw["dispcode"]).isin(COMPLETED).fillna(False)
    duration = (pd.to_numeric(raw["duration"], errors="coerce").astype("float64")
                if "duration" in raw.columns else None)
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid="lfdn", submitted="datetime",
                                  duration=duration, complete=complete)
    canon.used |= used | {c for c in raw.columns if c in SYSTEM or c.startswith("rts")}
    canon.problems.extend(notes)
    return canon


def _system_missing(raw: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, list[Any]]:
    out, notes = raw, []
    for col in columns:
        if raw[col].dtype.kind not in "if":
            continue
        # a number column: compare the numbers (the codes' text keys say the same)
        hit = np.isin(raw[col].to_numpy(dtype="float64", na_value=np.nan),
                      [float(code) for code in SYSTEM_MISSING])
        if hit.any():
            if out is raw:
                out = raw.copy()
            out[col] = raw[col].mask(hit)
            notes.append(problems("file", "info", col, None, int(np.sum(hit)),
                                  f"{int(np.sum(hit))} EFS system-missing values (-77 not "
                                  f"shown, -99 not answered) in {col!r} read as blank"))
    return out, notes
