"""What every platform adapter shares: the canonical frame and the column mapper.

An adapter turns the cells of one platform's export into the *canonical wide frame*: the
meta columns ``respondent_id``, ``submitted_at``, ``duration_s`` and ``complete`` (where the
platform has them) and one column per instrument data column (multi-select options as
``var__code`` 0/1), still holding raw values. Typing and validation happen afterwards,
the same for every platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._multi import binary_values, code_key, unpack
from surveykit.ingestion._report import problems

__all__ = ["META_COLUMNS", "STAMP_COLUMNS", "Canonical", "ColumnMap", "build_canonical"]

#: meta columns an adapter may fill, in this order
META_COLUMNS: tuple[str, ...] = ("respondent_id", "submitted_at", "duration_s", "complete")
#: columns surveykit stamps on every row (consumed when a surveykit export is read back)
STAMP_COLUMNS: tuple[str, ...] = (
    "instrument_id", "instrument_version", "instrument_fingerprint", "wave", "source_sha256",
)


@dataclass
class Canonical:
    """An adapter's output: the canonical frame plus what it learned on the way."""

    frame: pd.DataFrame
    used: set[str] = field(default_factory=set)
    identifiers: dict[str, pd.Series] = field(default_factory=dict)
    problems: list[pd.DataFrame] = field(default_factory=list)


@dataclass
class ColumnMap:
    """How raw columns map to canonical ones (filled by :func:`map_columns`)."""

    direct: dict[str, str] = field(default_factory=dict)      # raw -> data column
    packed: dict[str, str] = field(default_factory=dict)      # raw -> multi var
    unknown_option: dict[str, tuple[str, str]] = field(default_factory=dict)  # raw -> (var, opt)
    binary: set[str] = field(default_factory=set)             # raw multi option columns


def choice_aliases(inst: Any, var: str) -> dict[str, Any]:
    """``{label or code text (casefolded): code}`` for the choice list of a data column."""
    v = inst.variable(var) if var in inst.data_columns else None
    if v is None:
        item = next(i for i in inst.items if i.var == var)
        choices = inst.choice_lists[item.choices]
    else:
        choices = v.choices
    out: dict[str, Any] = {}
    if choices is None:
        return out
    for entry in (*choices.options, *choices.missing):
        for label in entry.label.values():
            out[str(label).strip().casefold()] = entry.code
        out[str(entry.code).casefold()] = entry.code
    return out


def _option_of(inst: Any, var: str, suffix: str, dep: Deployment) -> Any:
    codes = inst.multi_options[var]
    alias = dep.options.get(var, {})
    if suffix in alias:
        return alias[suffix]
    key = suffix.casefold()
    for c in codes:
        if str(c).casefold() == key:
            return c
    return None


def map_columns(
    columns: list[str], inst: Any, dep: Deployment, *, seps: tuple[str, ...] = (".", "/"),
    positional: bool = False, rename: Callable[[str], str] | None = None,
) -> ColumnMap:
    """Map raw column names to data columns: deployment first, then names and layouts.

    Recognised without a deployment: the data column itself (``age``, ``needs__jobs``), a
    packed multi-select (``needs``), ``needs.jobs`` / ``needs/jobs`` option columns, grid rows
    as ``grid.row`` and, with ``positional``, ``needs_2`` for the second option.
    """
    targets = set(inst.data_columns)
    multi = inst.multi_options
    grid_keys = {v.key: v.var for v in inst.variables if v.row is not None}
    cmap = ColumnMap()
    prefixes = {p: t for p, t in dep.columns.items() if t in multi and p not in columns}
    for raw in columns:
        name = rename(raw) if rename else raw
        target = dep.columns.get(raw, name)
        if target in targets:
            cmap.direct[raw] = target
            if "__" in target and target.split("__")[0] in multi:
                cmap.binary.add(raw)
        elif target in multi:
            cmap.packed[raw] = target
        elif target in grid_keys:
            cmap.direct[raw] = grid_keys[target]
        else:
            _map_option_column(raw, name, inst, dep, cmap, seps, positional, prefixes)
    return cmap


def _map_option_column(
    raw: str, name: str, inst: Any, dep: Deployment, cmap: ColumnMap,
    seps: tuple[str, ...], positional: bool, prefixes: Mapping[str, str],
) -> None:
    multi = inst.multi_options
    for sep in seps:
        if sep in name:
            head, tail = name.rsplit(sep, 1)
            head = prefixes.get(head, head)
            if head in multi:
                code = _option_of(inst, head, tail, dep)
                if code is not None:
                    cmap.direct[raw] = f"{head}__{code}"
                    cmap.binary.add(raw)
                else:
                    cmap.unknown_option[raw] = (head, tail)
                return
    m = re.match(r"^(.*)_(\d+)$", name)
    if m and (positional or m.group(1) in prefixes):
        head, k = prefixes.get(m.group(1), m.group(1)), int(m.group(2))
        if head in multi:
            codes = multi[head]
            if 1 <= k <= len(codes):
                cmap.direct[raw] = f"{head}__{codes[k - 1]}"
                cmap.binary.add(raw)
            else:
                cmap.unknown_option[raw] = (head, str(k))


def build_canonical(
    raw: pd.DataFrame, meta: FileMetadata, inst: Any, dep: Deployment, cmap: ColumnMap,
    *, packed_sep: str | None = None, blank_is_zero: bool = False, labels: bool = False,
) -> Canonical:
    """Assemble the canonical frame from a column map (meta columns are the adapter's job)."""
    cols: dict[str, pd.Series] = {}
    probs: list[pd.DataFrame] = []
    for rawcol, target in cmap.direct.items():
        s = raw[rawcol]
        if rawcol in cmap.binary:
            s, bad = binary_values(s, blank_is_zero)
            if bad.any():
                pos = np.flatnonzero(bad)
                probs.append(problems("type", "error", target, pos, raw[rawcol].to_numpy()[pos],
                                      f"column {rawcol!r}: expected 1/0 (selected / not selected)"))
        elif labels and _has_choices(inst, target):
            s = _labels_to_codes(s, choice_aliases(inst, target))
        cols.setdefault(target, s)
    for rawcol, var in cmap.packed.items():
        sep = packed_sep or _guess_sep(raw[rawcol])
        aliases = {**choice_aliases(inst, var), **dep.options.get(var, {})}
        wide, unknown = unpack(raw[rawcol], var, list(inst.multi_options[var]), sep, aliases)
        for c in wide.columns:
            cols.setdefault(c, wide[c])
        if len(unknown):
            probs.append(problems(
                "unknown_option", "error", var, unknown["position"].to_numpy(),
                unknown["token"], f"column {rawcol!r}: option not in the choice list"))
    for rawcol, (var, opt) in cmap.unknown_option.items():
        sel, _ = binary_values(raw[rawcol])
        pos = np.flatnonzero(sel.to_numpy() == 1)
        probs.append(problems("unknown_option", "error", var, pos, [opt] * len(pos),
                              f"column {rawcol!r}: option {opt!r} is not in the choice list"))
    frame = pd.DataFrame(cols, index=raw.index)
    used = set(cmap.direct) | set(cmap.packed) | set(cmap.unknown_option)
    return Canonical(frame=_apply_codes(frame, dep), used=used, problems=probs)


def _has_choices(inst: Any, var: str) -> bool:
    return var in inst.data_columns and inst.variable(var).choices is not None \
        and inst.variable(var).option is None


def _labels_to_codes(s: pd.Series, aliases: Mapping[str, Any]) -> pd.Series:
    key = s.astype("string").str.strip().str.casefold()
    mapped = key.map({k: str(v) for k, v in aliases.items()})
    return mapped.where(mapped.notna(), s.astype("string"))


def _guess_sep(s: pd.Series) -> str:
    text = s.dropna().astype("string")
    for sep in (";", ","):
        if text.str.contains(sep, regex=False).any():
            return sep
    return " "


def _apply_codes(frame: pd.DataFrame, dep: Deployment) -> pd.DataFrame:
    if not dep.codes:
        return frame
    out = frame.copy()
    for var, mapping in dep.codes.items():
        if var not in out.columns:
            continue
        key = code_key(out[var])
        hit = key.isin(list(mapping)).fillna(False).to_numpy(dtype=bool)
        new = key.map({k: (None if v is None else str(v)) for k, v in mapping.items()})
        out[var] = out[var].astype(object).where(~hit, new.astype(object))
    return out


def first_present(columns: list[str], *names: str) -> str | None:
    """Return the first of ``names`` that is a column (case-insensitive), or None."""
    lower = {c.casefold(): c for c in columns}
    for n in names:
        if n is not None and n.casefold() in lower:
            return lower[n.casefold()]
    return None
