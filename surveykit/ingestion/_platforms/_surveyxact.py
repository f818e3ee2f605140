"""SurveyXact (Rambøll) exports: option columns ``v_1_1...`` labelled "Ikke valgt"/"Valgt".

Multi-select options are one column each holding 0/1 (value labels "Ikke valgt"/"Valgt" in
SPSS, or the label text in CSV/Excel). Columns are mapped by the deployment (a prefix such as
``v_3: needs`` maps ``v_3_1, v_3_2...`` to the options in order) or by name (``needs_2``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms._base import (
    Canonical,
    build_canonical,
    first_present,
    map_columns,
)
from surveykit.ingestion._platforms._meta import fill_meta

__all__ = ["convert", "detect"]

_LABELS = {"ikke valgt", "valgt"}


def _is_option_column(raw: pd.DataFrame, meta: FileMetadata, col: str) -> bool:
    labels = meta.value_labels.get(col)
    if labels:
        return {str(v).strip().casefold() for v in labels.values()} == _LABELS
    s = raw[col]
    if s.dtype.kind in "biuf":
        return False
    vals = set(s.dropna().head(200).astype(str).str.strip().str.casefold().unique()[:5])
    return bool(vals) and vals <= _LABELS


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """Any column labelled (or filled with) "Ikke valgt"/"Valgt"."""
    cols = list(raw.columns[:500])
    labelled = [c for c in cols if meta.value_labels.get(c)]
    if any(_is_option_column(raw, meta, c) for c in labelled):
        return True
    text = [c for c in cols if c not in labelled and raw[c].dtype.kind not in "biuf"]
    if not text:
        return False
    block = raw.head(200)[text]
    flat = pd.Series(block.to_numpy(dtype=object).ravel(order="F"))
    folded = flat.astype("string").str.strip().str.casefold()
    shape = (len(text), len(block))
    label = folded.isin(_LABELS).to_numpy(dtype=bool).reshape(shape)
    blank = flat.isna().to_numpy().reshape(shape)
    return bool(((label | blank).all(axis=1) & label.any(axis=1)).any())


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """SurveyXact export -> canonical frame (positional option columns allowed)."""
    cols = list(raw.columns)
    cmap = map_columns(cols, inst, dep, seps=(".",), positional=True)
    canon = build_canonical(raw, meta, inst, dep, cmap)
    rid = first_present(cols, "respondentid", "respondent_id", "respondent", "id")
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid=rid)
    canon.used |= used
    return canon
