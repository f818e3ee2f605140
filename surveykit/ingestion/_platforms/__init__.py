"""Platform adapters: detect a platform's export layout and map it to the canonical frame.

Each adapter is two functions: ``detect(raw, meta) -> bool`` and
``convert(raw, meta, instrument, deployment) -> Canonical``. Detection tries them in the
order of :data:`ADAPTERS`; ``generic`` accepts anything and comes last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._platforms import (
    _generic,
    _kobo,
    _msforms,
    _nettskjema,
    _questback,
    _surveyxact,
)
from surveykit.ingestion._platforms._base import META_COLUMNS, STAMP_COLUMNS, Canonical

__all__ = ["ADAPTERS", "META_COLUMNS", "SOURCES", "STAMP_COLUMNS", "Adapter", "Canonical",
           "detect_source"]


@dataclass(frozen=True)
class Adapter:
    """One platform layout."""

    name: str
    detect: Callable[[pd.DataFrame, FileMetadata], bool]
    convert: Callable[[pd.DataFrame, FileMetadata, Any, Deployment], Canonical]


ADAPTERS: dict[str, Adapter] = {
    a.name: a for a in (
        Adapter("nettskjema", _nettskjema.detect, _nettskjema.convert),
        Adapter("nettskjema_legacy", _nettskjema.detect_legacy, _nettskjema.convert_legacy),
        Adapter("questback", _questback.detect, _questback.convert),
        Adapter("msforms", _msforms.detect, _msforms.convert),
        Adapter("kobo", _kobo.detect, _kobo.convert),
        Adapter("surveyxact", _surveyxact.detect, _surveyxact.convert),
        Adapter("generic", _generic.detect, _generic.convert),
    )
}

#: values accepted by ``read_responses(source=...)``
SOURCES: tuple[str, ...] = ("auto", *ADAPTERS)


def detect_source(raw: pd.DataFrame, meta: FileMetadata) -> str:
    """Name of the first adapter whose ``detect`` accepts the file.

    A file written by surveykit itself (it has the stamp columns) is read as ``generic``.
    """
    if all(c in raw.columns for c in STAMP_COLUMNS):
        return "generic"
    return next(name for name, a in ADAPTERS.items() if a.detect(raw, meta))
