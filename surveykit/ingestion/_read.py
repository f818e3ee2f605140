"""``read_responses``: read, map, type, validate, flag, protect and stamp a response file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_option
from surveykit.errors import IngestionError
from surveykit.ingestion._accounting import Accounting
from surveykit.ingestion._compact import decode_columns
from surveykit.ingestion._deployment import Deployment, load_deployment
from surveykit.ingestion._labelled import labelled_frame
from surveykit.ingestion._metadata import FileMetadata, ResponseMetadata
from surveykit.ingestion._platforms import ADAPTERS, META_COLUMNS, SOURCES, detect_source
from surveykit.ingestion._privacy import (
    protect_frame,
    protect_identifiers,
    protect_respondent_ids,
)
from surveykit.ingestion._quality import quality_flags
from surveykit.ingestion._readers import read_file
from surveykit.ingestion._report import ValidationReport, problems
from surveykit.ingestion._responses import Responses, flag_counts
from surveykit.ingestion._typing import type_frame
from surveykit.ingestion._validation import (
    apply_skip_logic,
    relevance,
    structure_rules,
    value_rules,
)
from surveykit.ingestion._variables import variable_metadata
from surveykit.ingestion._version_fit import check_version_fit

__all__ = ["read_responses"]


def read_responses(
    path: str | os.PathLike[str],
    instrument: Any = None,
    source: str = "auto",
    wave: str | None = None,
    deployment: str | os.PathLike[str] | dict[str, Any] | Deployment | None = None,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
    pseudonym_key_file: str | os.PathLike[str] | None = None,
    language: str | None = None,
) -> Responses:
    """Read a survey export, validate it against an instrument and account for every row.

    Parameters
    ----------
    path : str or path-like
        CSV/TXT (``;``, ``,`` or tab; UTF-8 with or without BOM, UTF-16 with BOM, cp1252;
        decimal comma), XLSX, SPSS ``.sav``/``.zsav``, Stata ``.dta`` or Parquet.
    instrument : Instrument, str or None
        An ``Instrument``, a bundled name (``"reputation"``, ``"reputation@1.0.0"``) or a
        YAML path. ``None`` reads the file faithfully: value labels become categoricals of
        the labels (ordered where the file's measure is ordinal), variable labels and
        missing ranges go to ``metadata``, and nothing is validated except the structure.
    source : str
        Platform layout: ``"auto"`` (detected; the deployment's ``platform`` if given),
        ``"nettskjema"``, ``"nettskjema_legacy"``, ``"questback"``, ``"msforms"``,
        ``"kobo"``, ``"surveyxact"`` or ``"generic"``.
    wave : str, optional
        Wave label stamped on every row (default: the deployment's wave).
    deployment : path, dict or Deployment, optional
        Mapping of platform column names and codes to the instrument (see
        ``surveykit.ingestion.Deployment``).
    encoding : str, optional
        Text encoding of a CSV (detected when omitted).
    sheet : str or int, optional
        Worksheet of an XLSX file (default: the first).
    pseudonym_key_file : path, optional
        Key file for pseudonymising identifiers (else ``SURVEYKIT_PSEUDONYM_KEY`` or
        ``SURVEYKIT_PSEUDONYM_KEY_FILE``; without a key, identifiers are dropped).
    language : str, optional
        Language of variable and value labels (default: the instrument's source language).

    Returns
    -------
    Responses
        ``data`` (indexed by 1-based source row ``row``; meta columns ``respondent_id``,
        ``submitted_at``, ``duration_s``, ``complete`` where available; one typed column per
        instrument variable; pseudonymised identifiers; the stamps ``instrument_id``,
        ``instrument_version``, ``instrument_fingerprint``, ``wave``, ``source_sha256``),
        ``report``, ``accounting`` and ``metadata``.

    Raises
    ------
    IngestionError
        The file is missing, empty, header-only, truncated or corrupt, in the wrong
        encoding, has a ragged row, or a column that parses in no row as its item's type;
        or the file fits another version of the instrument: another released version
        matches its header better, or most rows break the value rules (codes, ranges,
        required answers). The message names the version that fits.

    """
    check_option("source", source, SOURCES)
    raw, fmeta = read_file(path, encoding=encoding, sheet=sheet, compact=instrument is not None)
    dep = load_deployment(deployment if deployment is not None else {})
    if source == "auto":
        source = dep.platform if dep.platform in ADAPTERS else detect_source(raw, fmeta)
    wave = wave if wave is not None else dep.wave
    if instrument is None:
        return _read_labelled(raw, fmeta, source, wave, pseudonym_key_file)
    inst = resolve_instrument(instrument)
    if dep.instrument and dep.instrument not in (inst.id, inst.ref):
        raise IngestionError(
            f"deployment {dep.source} is for {dep.instrument!r} but the instrument is "
            f"{inst.ref!r}. Pass the matching instrument or deployment."
        )
    return _read_with_instrument(compact_data_columns(raw, inst, dep), fmeta, inst, source,
                                 wave, dep, pseudonym_key_file, language or inst.languages.source)


def compact_data_columns(raw: pd.DataFrame, inst: Any, dep: Deployment) -> pd.DataFrame:
    """Keep as categoricals only the columns named as data columns; decode the others.

    Typing reads a data column's distinct values from its categories. Meta, identifier,
    renamed and unknown columns go back to Python strings, the cells every other step
    (ids, pseudonyms, platform columns) was written for.
    """
    ident = {v.var for v in inst.variables if "identifier" in v.role}
    keep = {c for c in inst.data_columns if c not in ident and dep.columns.get(c, c) == c}
    return decode_columns(raw, keep)


def resolve_instrument(instrument: Any) -> Any:
    """Return an Instrument as given, or load it from a name, ``name@version`` or a path."""
    if not isinstance(instrument, (str, os.PathLike)):
        if not hasattr(instrument, "variables"):
            raise TypeError(f"'instrument' must be an Instrument, a name or a path (got "
                            f"{type(instrument).__name__}).")
        return instrument
    from surveykit.instruments import load_instrument

    text = str(instrument)
    if "@" in text and not Path(text).exists():
        name, version = text.split("@", 1)
        return load_instrument(name, version=version)
    return load_instrument(text)


def _row_index(n: int) -> pd.Index:
    return pd.RangeIndex(1, n + 1, name="row")


def _read_labelled(raw: pd.DataFrame, fmeta: FileMetadata, source: str, wave: str | None,
                   key_file: Any) -> Responses:
    data, codes = labelled_frame(raw, fmeta)
    data, ident, notes = protect_frame(data, key_file)
    data.index = _row_index(len(data))
    parts = notes + structure_rules_file(fmeta)
    report = ValidationReport.concat(parts, source=fmeta.path)
    meta = ResponseMetadata(
        file=fmeta, source=source, wave=wave, variable_labels=dict(fmeta.column_labels),
        value_labels={k: dict(v) for k, v in fmeta.value_labels.items() if k in data.columns},
        measure=dict(fmeta.measure), category_codes=codes, identifiers=ident,
    )
    acc = Accounting(read=fmeta.n_rows, accepted=len(data),
                     flagged=flag_counts(report, data.index))
    return Responses(data, report, acc, meta)


def structure_rules_file(fmeta: FileMetadata) -> list[pd.DataFrame]:
    """Duplicate column names and cp1252 fallback lines (rules that need no instrument)."""
    return encoding_notes(fmeta) + [problems("duplicate_column", "error", col, None, None,
                     f"column name {col!r} occurs more than once; only the first was read "
                     "under its name (later copies get ' (2)', ' (3)')")
            for col in fmeta.duplicate_columns]


def encoding_notes(fmeta: FileMetadata) -> list[pd.DataFrame]:
    """Return a warning naming the lines of a UTF-8 file that had to be decoded as cp1252."""
    if not fmeta.fallback_lines:
        return []
    lines = ", ".join(map(str, fmeta.fallback_lines[:20]))
    more = f" and {len(fmeta.fallback_lines) - 20} more" if len(fmeta.fallback_lines) > 20 else ""
    return [problems("encoding", "warning", None, None, None,
                     f"the file is UTF-8 but line(s) {lines}{more} are not; they were decoded "
                     "as cp1252. Check their letters (æ, ø, å) and re-export the file as UTF-8")]


def _read_with_instrument(raw: pd.DataFrame, fmeta: FileMetadata, inst: Any, source: str,
                          wave: str | None, dep: Deployment, key_file: Any,
                          language: str, check_version: bool = True) -> Responses:
    canon = _convert(raw, fmeta, inst, source, dep)
    frame = canon.frame
    n = len(frame)
    parts = list(canon.problems) + encoding_notes(fmeta)
    if "respondent_id" not in frame.columns:
        frame = frame.assign(respondent_id=pd.array(np.arange(1, n + 1).astype(str),
                                                    dtype="string"))
        parts.append(problems("no_respondent_id", "info", "respondent_id", None, None,
                              "no respondent id column found; row numbers are used (name the "
                              "column with the deployment's 'respondent_id')"))
    else:
        safe, id_notes = protect_respondent_ids(frame["respondent_id"], dep.respondent_id,
                                                key_file)
        frame = frame.assign(respondent_id=safe)
        parts += id_notes
    ids = frame["respondent_id"].reset_index(drop=True)
    typed = type_frame(frame, inst, decimal_comma=fmeta.decimal == ",", path=fmeta.path,
                       ids=ids)
    parts += typed.problems
    data = pd.DataFrame(typed.columns, index=frame.index, copy=False)
    typed.columns = {}  # held by data now (kept once, not twice)
    shown = relevance(inst, data)
    data = apply_skip_logic(inst, data, shown)
    dup_renamed = set(raw.columns) - set(fmeta.columns)
    unused = [c for c in raw.columns if c not in canon.used and c not in dep.ignore
              and c not in dup_renamed]
    ident_items = [v.var for v in inst.variables if "identifier" in v.role]
    identifiers = {**canon.identifiers, **{v: raw_or_typed(frame, data, v) for v in ident_items}}
    extra, ident_meta, notes = protect_identifiers(raw[unused], identifiers, key_file)
    unknown = [c for c in unused if c not in ident_meta]
    parts += notes
    parts += structure_rules(inst, typed.missing, unknown, fmeta.duplicate_columns, ids)
    parts += value_rules(inst, data, typed.present, shown, ids)
    meta_cols = frame[[c for c in META_COLUMNS if c in frame.columns]]
    parts += quality_flags(inst, data, meta_cols.reset_index(drop=True), ids,
                           {**identifiers, **{c: raw[c] for c in ident_meta if c in raw}}, shown)
    out = _assemble(meta_cols, data, extra, ident_items, inst, wave, fmeta, ident_meta)
    report = ValidationReport.concat(_with_ids(parts, ids), source=fmeta.path)
    if check_version:
        def reread(other: Any) -> pd.DataFrame:
            return _read_with_instrument(raw, fmeta, other, source, wave, dep, key_file,
                                         other.languages.source, False).report.to_frame()

        check_version_fit(raw, fmeta, inst, source, dep, report.to_frame(), n, reread,
                          canon)
    meta = variable_metadata(inst, out, fmeta, source, wave, language, ident_meta, dep)
    out.attrs["surveykit"] = {"free_text": list(meta.free_text)}
    acc = Accounting(read=fmeta.n_rows, accepted=len(out), flagged=flag_counts(report, out.index))
    return Responses(out, report, acc, meta)


def _convert(raw: pd.DataFrame, fmeta: FileMetadata, inst: Any, source: str,
             dep: Deployment) -> Any:
    """Run the platform adapter; a layout it does not expect is an ``IngestionError``."""
    try:
        return ADAPTERS[source].convert(raw, fmeta, inst, dep)
    except (KeyError, AttributeError, TypeError, IndexError) as exc:
        raise IngestionError(
            f"{fmeta.path}: the file does not have the layout of a {source!r} export "
            f"({type(exc).__name__} on {str(exc)[:40]!r}; {raw.shape[1]} columns). Check "
            "source= (or use source='auto') and the deployment's 'columns'."
        ) from None


def _with_ids(parts: list[pd.DataFrame], ids: pd.Series) -> list[pd.DataFrame]:
    """Fill the respondent id of report rows that name a row but not the respondent."""
    lookup = pd.Series(ids.to_numpy(dtype=object), index=np.arange(1, len(ids) + 1))
    out = []
    for p in parts:
        if len(p) and p["respondent_id"].isna().any() and p["row"].notna().any():
            filled = p["row"].astype("float64").map(lookup)
            p = p.assign(respondent_id=p["respondent_id"].where(p["respondent_id"].notna(),
                                                                filled))
        out.append(p)
    return out


def raw_or_typed(frame: pd.DataFrame, data: pd.DataFrame, var: str) -> pd.Series:
    """Return the raw values of an identifier item (before typing), else the typed ones."""
    return frame[var] if var in frame.columns else data[var]


def _assemble(meta_cols: pd.DataFrame, data: pd.DataFrame, extra: pd.DataFrame,
              ident_items: list[str], inst: Any, wave: str | None, fmeta: FileMetadata,
              ident_meta: dict[str, str]) -> pd.DataFrame:
    protected = extra.reindex(columns=[c for c in extra.columns if c not in data.columns])
    items = data.drop(columns=[v for v in ident_items if ident_meta.get(v) == "dropped"])
    for v in ident_items:
        if v in protected.columns:
            items[v] = protected.pop(v)
    n = len(data)
    stamps = pd.DataFrame({
        "instrument_id": _repeated(inst.id, n),
        "instrument_version": _repeated(inst.version, n),
        "instrument_fingerprint": _repeated(inst.fingerprint, n),
        "wave": _repeated(wave, n),
        "source_sha256": _repeated(fmeta.sha256, n),
    }, index=data.index)
    out = pd.concat([meta_cols, items, protected, stamps], axis=1)
    out.index = _row_index(n)
    return out


def _repeated(value: str | None, n: int) -> Any:
    """Return a ``string`` array of ``n`` copies of ``value`` (missing for ``None``).

    Taken from a one-element array, which builds the column without a list of ``n`` items.
    """
    return pd.array([value], dtype="string").take(np.zeros(n, dtype=np.intp))
