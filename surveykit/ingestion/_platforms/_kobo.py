"""KoboToolbox / ODK Central CSV exports of XLSForm surveys.

Columns are XLSForm names, possibly prefixed by group paths (``group/age``); a multi-select
is one column of space-separated codes, and Kobo may add one 1/0 column per option
(``group/needs/housing``). Meta columns: ``start``, ``end``, ``_uuid``/``meta/instanceID``,
``_submission_time``, ``_id``, ``_index``, ``_status``... (``deviceid`` and ``_submitted_by``
are identifiers).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms._base import Canonical, build_canonical, map_columns
from surveykit.ingestion._platforms._meta import fill_meta, parse_datetimes

__all__ = ["convert", "detect"]

_MARKERS = ("_uuid", "_submission_time", "meta/instanceID", "meta:instanceID", "KEY",
            "instanceID")
_META = ("start", "end", "today", "username", "simserial", "subscriberid", "audit",
         "__version__", "instanceID", "KEY", "SubmissionDate", "SubmitterID", "SubmitterName",
         "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
         "Edits", "FormVersion")
_IDENTIFIERS = ("deviceid", "_submitted_by", "phonenumber", "SubmitterName", "DeviceID")


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """Detect a Kobo/ODK system column such as ``_uuid`` or ``meta/instanceID``."""
    return any(m in raw.columns for m in _MARKERS)


def _strip_groups(inst: Any) -> Any:
    multi = inst.multi_options

    def rename(col: str) -> str:
        parts = str(col).replace(":", "/").split("/")
        if len(parts) >= 2 and parts[-2] in multi:
            return f"{parts[-2]}/{parts[-1]}"
        return parts[-1]

    return rename


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """Convert a Kobo/ODK export to the canonical frame (space-separated multi-selects)."""
    skip = set(_META) | set(_IDENTIFIERS)
    questions = [c for c in raw.columns if not str(c).startswith("_") and c not in skip
                 and not str(c).startswith("meta")]
    rename = _strip_groups(inst)
    packed = {rename(c) for c in questions} & set(inst.multi_options)
    split = [c for c in questions if "/" in rename(c) and rename(c).split("/")[0] in packed]
    cmap = map_columns([c for c in questions if c not in split], inst, dep, seps=("/",),
                       rename=rename)
    canon = build_canonical(raw, meta, inst, dep, cmap, packed_sep=" ")
    duration = None
    if "start" in raw.columns and "end" in raw.columns:
        duration = (parse_datetimes(raw["end"]) - parse_datetimes(raw["start"])).dt.total_seconds()
    rid = next((c for c in ("_uuid", "meta/instanceID", "KEY", "instanceID", "_id")
                if c in raw.columns), None)
    submitted = next((c for c in ("_submission_time", "SubmissionDate") if c in raw.columns), None)
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid=rid, submitted=submitted,
                                  duration=duration)
    for col in _IDENTIFIERS:
        if col in raw.columns:
            canon.identifiers[col.strip("_").casefold()] = raw[col]
    canon.used |= used | set(split) | {c for c in raw.columns if c in skip
                                       or str(c).startswith(("_", "meta"))}
    return canon
