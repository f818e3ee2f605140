"""Item values ready for scoring: codes, missing codes and reverse coding of scale items.

Each item column is read in three steps, shared by :func:`surveykit.scale_score` and
:func:`surveykit.reliability` so that a score and its reliability describe the same values:

1. **values**: numeric codes are used as they are; categoricals give their category values
   (ingestion types choice items as categoricals of the codes) or, for ordered categoricals
   of labels, the position ``1 .. K`` of each substantive category;
2. **missing codes** (don't know, refused, not applicable: from the instrument's choice list
   or ``missing_codes=``) and NA become missing: they never enter a score;
3. **reverse coding** ``x -> (min + max) - x`` over the item's substantive codes, for the items
   flagged ``reverse`` in the instrument (or listed in ``reverse=``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_type
from surveykit.errors import InstrumentError
from surveykit.instruments import Instrument

if TYPE_CHECKING:
    from surveykit.instruments import Index

__all__ = ["ItemColumn", "fmt_code", "index_spec", "item_matrix"]


@dataclass(frozen=True)
class ItemColumn:
    """How one item column enters a score.

    ``codes`` are the substantive codes (``None`` when unknown: any number is accepted),
    ``missing`` the codes treated as missing, ``low``/``high`` the scale range (NaN when
    unknown) and ``reverse`` whether the item is reverse-coded.
    """

    var: str
    codes: tuple[float, ...] | None
    missing: tuple[object, ...]
    low: float
    high: float
    reverse: bool


def _numeric_codes(values: Iterable[object]) -> tuple[float, ...] | None:
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            return None
        out.append(float(v))
    return tuple(out)


def _from_instrument(inst: Instrument, name: str, data: pd.DataFrame) -> ItemColumn:
    """Resolve a data column or item key (``pulse.trust``) through the instrument."""
    if name in inst.data_columns:
        var = inst.variable(name)
    else:
        found = inst.variables_of(name)
        if len(found) != 1:
            raise InstrumentError(
                f"'items' entry {name!r} of {inst.ref} has {len(found)} data columns "
                f"({[v.var for v in found]!r}); name the rows one by one "
                f"(e.g. {found[0].key!r}).")
        var = found[0]
    choices = var.choices
    if choices is None:
        return ItemColumn(var.var, None, (), np.nan, np.nan, var.reverse)
    if choices.measure == "nominal" or var.option is not None:
        raise InstrumentError(
            f"'items' entry {name!r} ({var.var}) of {inst.ref} uses a nominal choice list: it "
            "is not a scale item and cannot enter a score.")
    codes = _numeric_codes(choices.codes)
    if codes is None:
        raise InstrumentError(
            f"'items' entry {name!r} ({var.var}) of {inst.ref} has non-numeric codes "
            f"{list(choices.codes)!r}; scores need numeric codes.")
    return ItemColumn(var.var, codes, choices.missing_codes, min(codes), max(codes),
                      var.reverse)


def _from_data(data: pd.DataFrame, name: str, missing: tuple[object, ...],
               scale_range: tuple[float, float] | None) -> ItemColumn:
    """Describe an item known only from the data (``scale_range=``, ``missing_codes=``)."""
    s = data[name]
    low, high = (float(scale_range[0]), float(scale_range[1])) if scale_range else (np.nan,
                                                                                    np.nan)
    codes = None
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = [c for c in s.cat.categories if c not in missing]
        codes = _numeric_codes(cats)
        if codes is None:
            codes = tuple(float(k) for k in range(1, len(cats) + 1))
        if scale_range is None and codes:
            low, high = min(codes), max(codes)
    return ItemColumn(name, codes, missing, low, high, False)


def _values(data: pd.DataFrame, item: ItemColumn) -> np.ndarray:
    """Float values of one item, missing codes and NA as NaN."""
    s = data[item.var]
    if isinstance(s.dtype, pd.CategoricalDtype):
        keep = [c for c in s.cat.categories if c not in item.missing]
        numeric = _numeric_codes(keep)
        table = np.array(numeric if numeric is not None else range(1, len(keep) + 1), float)
        pos = pd.Index(keep).get_indexer(s.astype(object).to_numpy())
        out = np.where(pos >= 0, table[pos] if len(table) else np.nan, np.nan)
        return out.astype(float)
    if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
        raise TypeError(f"Item column {item.var!r} must be numeric codes or a categorical "
                        f"(got dtype {s.dtype}); convert it with pd.to_numeric() or read the "
                        "data with its instrument.")
    out = s.to_numpy(dtype=float, na_value=np.nan)
    miss = _numeric_codes(item.missing) or ()
    return np.where(np.isin(out, miss), np.nan, out)


def _check_codes(values: np.ndarray, item: ItemColumn, data: pd.DataFrame) -> None:
    """Raise if a value is neither a substantive code nor missing (or outside the range)."""
    ok = np.isnan(values)
    if item.codes is not None:
        ok |= np.isin(values, item.codes)
        expected = f"one of the codes {[fmt_code(c) for c in item.codes]!r}"
    elif np.isfinite(item.low):
        ok |= (values >= item.low) & (values <= item.high)
        expected = f"a value in [{fmt_code(item.low)}, {fmt_code(item.high)}]"
    else:
        return
    if not ok.all():
        bad = np.flatnonzero(~ok)
        rows = list(data.index[bad[:5]])
        found = sorted({fmt_code(v) for v in values[bad]})[:5]
        raise ValueError(
            f"Item column {item.var!r} holds values that are neither {expected} nor missing: "
            f"{found!r} in {len(bad)} row(s) (first index labels {rows!r}). Declare them as "
            "missing codes (missing_codes=...) or correct the data.")


def fmt_code(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _resolve(data: pd.DataFrame, items: Sequence[str], instrument: Instrument | None,
             reverse: Sequence[str] | None, missing_codes: Iterable[object],
             scale_range: tuple[float, float] | None) -> list[ItemColumn]:
    """Item columns with their codes, range and reverse flag; ``reverse=`` overrides."""
    if instrument is not None:
        cols = [_from_instrument(instrument, name, data) for name in items]
    else:
        check_columns("items", data, items)
        cols = [_from_data(data, name, tuple(missing_codes), scale_range) for name in items]
    check_columns("items", data, [c.var for c in cols])
    if len({c.var for c in cols}) != len(cols):
        raise ValueError(f"'items' names a column more than once (got {list(items)!r}).")
    extra = tuple(missing_codes)
    if instrument is not None and (extra or scale_range is not None):
        cols = [ItemColumn(c.var, c.codes, c.missing + extra,
                           *(scale_range if scale_range is not None else (c.low, c.high)),
                           c.reverse) for c in cols]
    if reverse is not None:
        wanted = set(as_column_list("reverse", reverse))
        known = {c.var for c in cols} | set(items)
        unknown = sorted(wanted - known)
        if unknown:
            raise ValueError(f"'reverse' names {unknown!r}, which are not among 'items' "
                             f"{list(items)!r}.")
        cols = [ItemColumn(c.var, c.codes, c.missing, c.low, c.high,
                           c.var in wanted or name in wanted)
                for c, name in zip(cols, items, strict=True)]
    return cols


def item_matrix(data: pd.DataFrame, items: Sequence[str], *,
                instrument: Instrument | None = None, reverse: Sequence[str] | None = None,
                missing_codes: Iterable[object] = (),
                scale_range: tuple[float, float] | None = None,
                ) -> tuple[pd.DataFrame, list[ItemColumn]]:
    """Item values ready for scoring: missing codes as NaN, reverse-coded items reversed.

    Returns the ``(n, k)`` float frame (columns = the data columns, index = ``data.index``)
    and the resolved :class:`ItemColumn` descriptions. Used by :func:`scale_score` and
    :func:`surveykit.reliability`.
    """
    check_type("data", data, pd.DataFrame, "a pandas DataFrame")
    if instrument is not None:
        check_type("instrument", instrument, Instrument, "an Instrument (sk.load_instrument)")
    names = as_column_list("items", items)
    if not names:
        raise ValueError("'items' must name at least one item column (got none).")
    cols = _resolve(data, names, instrument, reverse, missing_codes, scale_range)
    out = {}
    for col in cols:
        values = _values(data, col)
        _check_codes(values, col, data)
        if col.reverse:
            if not np.isfinite(col.low):
                raise ValueError(f"Item {col.var!r} is reverse-coded but its scale range is "
                                 "unknown; pass scale_range=(min, max).")
            values = (col.low + col.high) - values
        out[col.var] = values
    return pd.DataFrame(out, index=data.index), cols


def index_spec(instrument: Instrument | None, index: str) -> Index:
    if instrument is None:
        raise ValueError(f"'index' {index!r} needs the instrument that declares it; pass "
                         "instrument=sk.load_instrument(...).")
    for spec in instrument.indices:
        if spec.id == index:
            return spec
    raise InstrumentError(f"{instrument.ref} declares no index {index!r}; its indices are "
                          f"{[i.id for i in instrument.indices]!r}.")
