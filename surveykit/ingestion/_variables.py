"""Labels, missing codes and measurement levels of the typed data, from the instrument."""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata, ResponseMetadata

__all__ = ["variable_metadata"]

_SELECTED = {"nb": ("Ikke valgt", "Valgt"), "nn": ("Ikkje valt", "Valt"),
             "en": ("Not selected", "Selected")}
_META_LABELS = {
    "respondent_id": "Respondent id", "submitted_at": "Submitted at (UTC)",
    "duration_s": "Total duration (seconds)", "complete": "Completed response",
    "instrument_id": "Instrument id", "instrument_version": "Instrument version",
    "instrument_fingerprint": "Instrument fingerprint (SHA-256)", "wave": "Wave",
    "source_sha256": "SHA-256 of the source file",
}


def _text(texts: Any, language: str) -> str:
    return texts.get(language) or next(iter(texts.values()), "")


def _labels(v: Any, language: str) -> str:
    if v.row is not None:
        return f"{_text(v.item.text, language)}: {_text(v.row.text, language)}"
    if v.option is not None:
        return f"{_text(v.item.text, language)}: {_text(v.option.label, language)}"
    return _text(v.item.text, language)


def variable_metadata(
    inst: Any, data: pd.DataFrame, fmeta: FileMetadata, source: str, wave: str | None,
    language: str, identifiers: dict[str, str], dep: Deployment,
) -> ResponseMetadata:
    """Build the ``ResponseMetadata`` of data typed against ``inst``."""
    var_labels = {c: lab for c, lab in _META_LABELS.items() if c in data.columns}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, dict[Any, str]] = {}
    measure: dict[str, str] = dict.fromkeys(("duration_s",), "scale")
    free_text: list[str] = []
    no, yes = _SELECTED.get(language, _SELECTED["en"])
    for v in inst.variables:
        if v.var not in data.columns:
            continue
        var_labels[v.var] = _labels(v, language)
        if v.option is not None:
            value_labels[v.var] = {0: no, 1: yes}
            measure[v.var] = "nominal"
        elif v.choices is not None:
            ch = v.choices
            value_labels[v.var] = {e.code: _text(e.label, language)
                                   for e in (*ch.options, *ch.missing)}
            missing[v.var] = {m.code: m.kind for m in ch.missing}
            measure[v.var] = {"ordinal": "ordinal", "interval": "scale"}.get(ch.measure,
                                                                              "nominal")
        elif v.type in ("integer", "decimal"):
            measure[v.var] = "scale"
        else:
            measure[v.var] = "nominal"
        if v.type == "text" or v.item.disclosure_risk == "free_text":
            free_text.append(v.var)
    multi = {var: tuple(f"{var}__{c}" for c in codes)
             for var, codes in inst.multi_options.items()}
    return ResponseMetadata(
        file=fmeta, source=source, instrument_id=inst.id, instrument_version=inst.version,
        instrument_fingerprint=inst.fingerprint, wave=wave, variable_labels=var_labels,
        value_labels=value_labels, missing_codes=missing, measure=measure, multi=multi,
        free_text=tuple(free_text), identifiers=identifiers, deployment=dep.source,
    )
