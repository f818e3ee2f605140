"""Generic exports (any CSV, XLSX, SPSS, Stata or Parquet whose columns are named by var)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms._base import (
    STAMP_COLUMNS,
    Canonical,
    build_canonical,
    first_present,
    map_columns,
)
from surveykit.ingestion._platforms._meta import fill_meta, has_duration, parse_number_text

__all__ = ["convert", "detect"]

ID_NAMES = ("respondent_id", "id", "respondent", "respondentid", "resp_id", "response_id")


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """Accept anything: the generic adapter is tried last."""
    return True


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """Map columns named by instrument var (or by the deployment) to the canonical frame."""
    cols = list(raw.columns)
    cmap = map_columns(cols, inst, dep, seps=(".", "/"), positional=False)
    canon = build_canonical(raw, meta, inst, dep, cmap)
    duration_col = first_present(cols, "duration_s", "duration")
    duration = (parse_number_text(raw[duration_col])
                if duration_col and not has_duration(raw, dep) else None)
    complete_col = first_present(cols, "complete")
    complete = None
    if complete_col is not None:
        key = raw[complete_col].astype("string").str.strip().str.casefold()
        complete = key.isin(["1", "1.0", "true", "ja", "yes"])
        complete = complete.mask(key.isna())
    frame, used = fill_meta(canon.frame, raw, dep, rid=first_present(cols, *ID_NAMES),
                            submitted=first_present(cols, "submitted_at"), duration=duration,
                            complete=complete)
    canon.frame = frame
    canon.used |= used | {c for c in (duration_col, complete_col) if c} | set(STAMP_COLUMNS)
    return canon
