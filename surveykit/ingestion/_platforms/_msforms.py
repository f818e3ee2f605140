"""Microsoft Forms Excel exports.

The first columns are metadata (``ID``, ``Start time``, ``Completion time``, ``Email``,
``Name``; Norwegian UI: ``Starttidspunkt``, ``Fullføringstidspunkt``, ``E-post``, ``Navn``),
then one column per question headed by the question *text*. Choice answers are label text;
a multi-select answer is one cell with the selected labels separated by ``;`` and a trailing
``;``. Questions are matched to items by text (any language) unless the deployment maps them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms._base import Canonical, build_canonical, map_columns
from surveykit.ingestion._platforms._meta import fill_meta, norm_header, parse_datetimes

__all__ = ["convert", "detect"]

_START = ("Start time", "Starttidspunkt")
_END = ("Completion time", "Fullføringstidspunkt")
_META = ("ID", *_START, *_END, "Email", "E-post", "Name", "Navn", "Last modified time",
         "Tidspunkt for siste endring")
_IDENTIFIERS = {"Email": "email", "E-post": "email", "Name": "name", "Navn": "name"}


def detect(raw: pd.DataFrame, meta: FileMetadata) -> bool:
    """``ID`` with a start and a completion time column."""
    cols = set(raw.columns)
    return "ID" in cols and bool(cols & set(_START)) and bool(cols & set(_END))


def _text_index(inst: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for v in inst.variables:
        if v.option is not None:
            continue
        texts = list(v.text.values())
        if v.row is not None:
            texts += [f"{g} {r}" for g in v.item.text.values() for r in v.row.text.values()]
            texts += [f"{g}.{r}" for g in v.item.text.values() for r in v.row.text.values()]
        for t in texts:
            index.setdefault(norm_header(t), v.var)
    for item in inst.items:
        if item.type == "multi" and item.var:
            for t in item.text.values():
                index[norm_header(t)] = item.var
    return index


def convert(raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment) -> Canonical:
    """MS Forms export -> canonical frame (labels to codes, ``;``-packed multi-selects)."""
    index = _text_index(inst)
    questions = [c for c in raw.columns if c not in _META]
    cmap = map_columns(questions, inst, dep, seps=(),
                       rename=lambda c: index.get(norm_header(c), c))
    canon = build_canonical(raw, meta, inst, dep, cmap, packed_sep=";", labels=True)
    start = next((c for c in _START if c in raw.columns), None)
    end = next((c for c in _END if c in raw.columns), None)
    duration = None
    if start and end:
        delta = parse_datetimes(raw[end]) - parse_datetimes(raw[start])
        duration = delta.dt.total_seconds()
    canon.frame, used = fill_meta(canon.frame, raw, dep, rid="ID", submitted=end,
                                  duration=duration)
    for col, name in _IDENTIFIERS.items():
        if col in raw.columns:
            canon.identifiers[name] = raw[col]
    canon.used |= used | {c for c in _META if c in raw.columns}
    return canon
