"""Typing the canonical frame per item of the instrument.

integer -> ``Int64``; decimal -> ``Float64``; date -> datetime; text -> string; single-choice
items and grid rows -> categoricals of the *codes* (ordered for ordinal and interval lists),
with the list's missing codes as explicit trailing categories; multi-select options ->
``Int64`` 1/0. A value that does not parse, or a code outside the choice list, is reported
(rule ``type`` or ``code``, with the observed value) and becomes NA in the typed column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import IngestionError
from surveykit.ingestion._distinct import distinct, is_text_categorical, spread
from surveykit.ingestion._labelled import parse_numbers
from surveykit.ingestion._multi import code_key
from surveykit.ingestion._platforms._meta import parse_datetimes
from surveykit.ingestion._report import problems

__all__ = ["TypedFrame", "type_frame"]

#: largest whole number a float64 holds exactly; larger "integers" are reported, not kept
_MAX_EXACT_INT = 2.0**53


class TypedFrame:
    """Typed columns plus, per column, which raw cells held anything (``present``)."""

    def __init__(self) -> None:
        self.columns: dict[str, pd.Series] = {}
        self.present: dict[str, np.ndarray] = {}
        self.missing: list[str] = []
        self.problems: list[pd.DataFrame] = []


def type_frame(
    canon: pd.DataFrame, inst: Any, *, decimal_comma: bool, path: str,
    ids: pd.Series | None = None,
) -> TypedFrame:
    """Type every data column of ``inst`` found in ``canon`` (absent ones become all-NA)."""
    out = TypedFrame()
    n = len(canon)
    for v in inst.variables:
        if v.var not in canon.columns:
            out.missing.append(v.var)
            raw = pd.Series([None] * n, index=canon.index, dtype=object)
        else:
            raw = canon[v.var]
        split = distinct(raw) if _is_text(raw) else None
        present = _present(raw, split)
        typed, bad, rule, why = _type_one(raw, v, decimal_comma, split)
        if bad.any():
            if v.var not in out.missing and present.any() and bad[present].all() \
                    and rule == "type" and present.sum() >= 2:
                _unparseable(path, v, raw, bad)
            pos = np.flatnonzero(bad)
            out.problems.append(problems(rule, "error", v.var, pos, raw.iloc[pos].to_numpy(), why,
                                         respondent_ids=ids))
        out.columns[v.var] = typed
        out.present[v.var] = present
    return out


def _is_text(raw: pd.Series) -> bool:
    return raw.dtype == object or raw.dtype == "str" or str(raw.dtype) == "string" \
        or is_text_categorical(raw)


def _present(raw: pd.Series, split: tuple[np.ndarray, pd.Series] | None) -> np.ndarray:
    """Cells holding anything: not missing and, for text (``split``), not blank."""
    if split is None:
        return raw.notna().to_numpy().copy()
    rows, uniques = split
    # a value starting with a letter or digit is filled whatever strip() removes; only the
    # others (blank, padded, punctuation, non-text) go through the string methods
    filled = np.fromiter((isinstance(v, str) and v[:1].isalnum() for v in uniques),
                         dtype=bool, count=len(uniques))
    rest = ~filled
    if rest.any():
        other = uniques[rest].astype("string").str.strip() != ""
        filled[rest] = other.fillna(False).to_numpy(dtype=bool)
    return spread(filled, rows, False)


def _unparseable(path: str, v: Any, raw: pd.Series, bad: np.ndarray) -> None:
    first = int(np.flatnonzero(bad)[0])
    examples = list(dict.fromkeys(map(str, raw[bad].head(20))))[:3]
    raise IngestionError(
        f"{path}: column {v.var!r} does not parse as {v.type} in any row (first: row "
        f"{first + 1}, value {examples[0]!r}; others: {examples[1:]}). The column is probably "
        "mapped to the wrong item or uses another format: check the deployment file's "
        "'columns'/'codes', or the source= platform."
    )


def _type_one(raw: pd.Series, v: Any, comma: bool, split: tuple[np.ndarray, pd.Series] | None
              ) -> tuple[pd.Series, np.ndarray, str, str]:
    kind = "option" if v.option is not None else v.type
    if kind in ("single", "grid"):
        return _categorical(raw, v, split)
    if kind == "text":
        text = raw.astype("string")
        return text.mask(text.str.strip() == ""), np.zeros(len(raw), bool), "type", ""
    if kind == "date":
        parsed = parse_datetimes(raw)
        bad = raw.notna().to_numpy() & parsed.isna().to_numpy()
        return parsed, bad, "type", f"not a date (expected e.g. 2026-03-01) for {v.var!r}"
    num, bad = parse_numbers(raw, comma)
    if kind == "decimal":
        return num.astype("Float64"), bad, "type", f"not a number for {v.var!r}"
    frac = num.notna().to_numpy() & (num.to_numpy() != np.floor(num.to_numpy()))
    if kind == "option":
        frac |= num.notna().to_numpy() & ~np.isin(num.to_numpy(), (0.0, 1.0))
        why = f"expected 1 (selected) or 0 (not selected) for option column {v.var!r}"
    else:
        frac |= num.notna().to_numpy() & (np.abs(num.to_numpy()) > _MAX_EXACT_INT)
        why = f"not a whole number (within ±2^53) for integer item {v.var!r}"
    bad = bad | frac
    return num.mask(bad).astype("Int64"), bad, "type", why


def _code_positions(raw: pd.Series, cats: list[Any],
                    split: tuple[np.ndarray, pd.Series] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Position of each value in ``cats`` (-1 for blank or unknown) and the unknown mask.

    ``split`` is ``distinct(raw)`` when the caller has it.
    """
    if raw.dtype.kind in "iuf":
        numeric = [c for c in cats if isinstance(c, int)]
        values = pd.Index(raw.to_numpy(dtype="float64"))
        pos = pd.Index(numeric, dtype="float64").get_indexer(values)
        lookup = np.array([cats.index(c) for c in numeric] + [-1], dtype=np.int64)
        codes = lookup[pos]
        return codes, raw.notna().to_numpy() & (codes < 0)
    rows, uniques = split if split is not None else distinct(raw)
    codes, bad = _positions(uniques, {str(c): k for k, c in enumerate(cats)})
    return spread(codes, rows, -1), spread(bad, rows, False)


def _positions(values: pd.Series, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Position of each (distinct) text value among the codes, and which are unknown."""
    present = values.notna().to_numpy().copy()
    # the keys are text, so only text can match (as values.map(positions) would find)
    codes = np.fromiter((positions.get(v, -1) if isinstance(v, str) else -1 for v in values),
                        dtype=np.int64, count=len(values))
    retry = present & (codes < 0)
    if retry.any():  # " 3", "3.0", 3.0 as text...
        key = code_key(values[retry])
        codes[retry] = key.map(positions).fillna(-1).to_numpy(dtype=np.int64)
        present[retry] &= key.notna().to_numpy()
    return codes, present & (codes < 0)


def _categorical(raw: pd.Series, v: Any, split: tuple[np.ndarray, pd.Series] | None
                 ) -> tuple[pd.Series, np.ndarray, str, str]:
    choices = v.choices
    cats = list(choices.all_codes)
    codes, bad = _code_positions(raw, cats, split)
    ordered = choices.measure in ("ordinal", "interval")
    as_int = all(isinstance(c, int) for c in cats)
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(
        cats, dtype="int64" if as_int else object), ordered=ordered)
    listed = ", ".join(map(str, cats[:12])) + (", ..." if len(cats) > 12 else "")
    why = f"code not in the choice list of {v.var!r} ({listed})"
    return pd.Series(cat, index=raw.index), bad, "code", why
