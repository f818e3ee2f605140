"""Scale scores from Likert-type items, and the indices an instrument declares.

A score is computed row by row from the item columns in four steps:

1. **values**: numeric codes are used as they are; categoricals give their category values
   (ingestion types choice items as categoricals of the codes) or, for ordered categoricals
   of labels, the position ``1 .. K`` of each substantive category;
2. **missing codes** (don't know, refused, not applicable: from the instrument's choice list
   or ``missing_codes=``) and NA become missing: they never enter a score;
3. **reverse coding** ``x -> (min + max) - x`` over the item's substantive codes, for the items
   flagged ``reverse`` in the instrument (or listed in ``reverse=``);
4. **aggregation**: ``mean`` of the valid items, or ``sum`` (prorated: the mean of the valid
   items times the number of items, i.e. person-mean imputation, so that respondents with a
   missing item stay on the scale of the full sum); missing where fewer than ``min_valid``
   items are valid. ``scale="pomp"`` maps the score to percent of maximum possible,
   ``100 (score - min) / (max - min)``, with min and max the score's possible range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_option, check_type
from surveykit.errors import InstrumentError
from surveykit.instruments import Instrument

if TYPE_CHECKING:
    from surveykit.instruments import Index

__all__ = ["ItemColumn", "index_scores", "item_matrix", "scale_score"]

Method = Literal["mean", "sum"]
Scale = Literal["raw", "pomp"]


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
        expected = f"one of the codes {[_fmt(c) for c in item.codes]!r}"
    elif np.isfinite(item.low):
        ok |= (values >= item.low) & (values <= item.high)
        expected = f"a value in [{_fmt(item.low)}, {_fmt(item.high)}]"
    else:
        return
    if not ok.all():
        bad = np.flatnonzero(~ok)
        rows = list(data.index[bad[:5]])
        found = sorted({_fmt(v) for v in values[bad]})[:5]
        raise ValueError(
            f"Item column {item.var!r} holds values that are neither {expected} nor missing: "
            f"{found!r} in {len(bad)} row(s) (first index labels {rows!r}). Declare them as "
            "missing codes (missing_codes=...) or correct the data.")


def _fmt(v: float) -> str:
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


def _common_range(cols: list[ItemColumn]) -> tuple[float, float]:
    ranges = {(c.low, c.high) for c in cols}
    if len(ranges) != 1 or not all(np.isfinite(r).all() for r in ranges):
        shown = {c.var: (_fmt(c.low), _fmt(c.high)) if np.isfinite(c.low) else None
                 for c in cols}
        raise ValueError("scale='pomp' needs every item on one known scale range (got "
                         f"{shown!r}); pass scale_range=(min, max) or use scale='raw'.")
    return ranges.pop()


def _aggregate(values: np.ndarray, method: str, min_valid: int) -> np.ndarray:
    valid = (~np.isnan(values)).sum(axis=1)
    total = np.where(np.isnan(values), 0.0, values).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / valid
    score = mean if method == "mean" else mean * values.shape[1]
    return np.where(valid >= min_valid, score, np.nan)


def _check_min_valid(min_valid: int | None, k: int) -> int:
    if min_valid is None:
        return k
    if isinstance(min_valid, bool) or not isinstance(min_valid, int | np.integer) \
            or not 1 <= min_valid <= k:
        raise ValueError(f"'min_valid' must be an integer from 1 to the number of items ({k}) "
                         f"(got {min_valid!r}).")
    return int(min_valid)


def _index_spec(instrument: Instrument | None, index: str) -> Index:
    if instrument is None:
        raise ValueError(f"'index' {index!r} needs the instrument that declares it; pass "
                         "instrument=sk.load_instrument(...).")
    for spec in instrument.indices:
        if spec.id == index:
            return spec
    raise InstrumentError(f"{instrument.ref} declares no index {index!r}; its indices are "
                          f"{[i.id for i in instrument.indices]!r}.")


def scale_score(
    data: pd.DataFrame,
    items: str | Sequence[str] | None = None,
    *,
    method: Method | None = None,
    min_valid: int | None = None,
    scale: Scale | None = None,
    instrument: Instrument | None = None,
    index: str | None = None,
    reverse: Sequence[str] | None = None,
    missing_codes: Iterable[object] = (),
    scale_range: tuple[float, float] | None = None,
    name: str | None = None,
) -> pd.Series:
    """Score a multi-item scale row by row (mean or sum of the items, optionally POMP).

    Parameters
    ----------
    data : DataFrame
        Responses, one row per respondent; item columns hold numeric codes or categoricals
        (as :func:`surveykit.read_responses` types them). Not modified.
    items : str or sequence of str, optional
        Item data columns (``"pulse_trust"``) or, with ``instrument``, item keys
        (``"pulse.trust"``). Not with ``index``.
    method : {"mean", "sum"}, default "mean"
        Mean of the valid items, or their sum (prorated when items are missing: mean of the
        valid items times the number of items).
    min_valid : int, optional
        Fewest valid items for a score (default: all items); rows with fewer get NA.
    scale : {"raw", "pomp"}, default "raw"
        ``"pomp"``: percent of maximum possible, ``100 (score - min) / (max - min)``.
    instrument : Instrument, optional
        Supplies each item's substantive and missing codes, its scale range and its
        ``reverse`` flag.
    index : str, optional
        An index declared in ``instrument`` (``"pulse"``): its items, method, scale and
        min_valid are used; do not pass those arguments as well.
    reverse : sequence of str, optional
        Items to reverse-code, replacing the instrument's flags (default: the instrument's
        flags, or none without an instrument).
    missing_codes : iterable, optional
        Extra codes (or category labels) that count as missing, e.g. ``[98, 99]`` for data
        without an instrument.
    scale_range : (float, float), optional
        The items' scale ``(min, max)`` where the instrument or the categories do not give
        it (needed for reverse coding and POMP).
    name : str, optional
        Name of the returned Series (default: ``index`` or ``"score"``).

    Returns
    -------
    pandas.Series
        Float scores aligned with ``data.index`` (NaN where fewer than ``min_valid`` items
        are valid).

    Raises
    ------
    ValueError
        A value is neither a substantive code nor a missing code, arguments conflict, or
        POMP/reverse coding lacks a scale range.
    InstrumentError
        An item or index is not in the instrument.

    See Also
    --------
    index_scores : every index the instrument declares, by name.
    surveykit.reliability : Cronbach's alpha and McDonald's omega of the same items.

    Notes
    -----
    Reverse coding maps ``x`` to ``(min + max) - x`` over the substantive codes, so a
    1-5 item reads 5-1. Missing codes (don't know, refused, not applicable) never enter a
    score. With ``method="mean"`` and every item valid the score equals the row mean;
    POMP of a prorated sum equals POMP of the mean.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"a": [1, 5, 98, 4], "b": [2, 4, 3, 98], "c": [5, 1, 3, 98]})
    >>> sk.scale_score(df, ["a", "b", "c"], reverse=["c"], missing_codes=[98],
    ...                scale_range=(1, 5), min_valid=2).tolist()
    [1.3333333333333333, 4.666666666666667, 3.0, nan]
    >>> inst = sk.load_instrument("needs_assessment")
    >>> df = sk.datasets.generate_responses(inst, 200, seed=1)
    >>> sk.scale_score(df, instrument=inst, index="loneliness").describe()[["min", "max"]]
    min    3.0
    max    9.0
    Name: loneliness, dtype: float64

    """
    check_option("method", method, ("mean", "sum", None))
    check_option("scale", scale, ("raw", "pomp", None))
    if index is not None:
        given = {k: v for k, v in (("items", items), ("method", method), ("scale", scale),
                                   ("min_valid", min_valid)) if v is not None}
        if given:
            raise ValueError(f"'index' {index!r} takes items, method, scale and min_valid from "
                             f"the instrument; do not also pass {sorted(given)!r} (or pass "
                             "'items' without 'index' for a different score).")
        spec = _index_spec(instrument, index)
        items, method, scale, min_valid = list(spec.items), spec.method, spec.scale, \
            spec.min_valid
    if items is None:
        raise ValueError("Pass 'items' (item columns or keys) or 'index' (with 'instrument').")
    values, cols = item_matrix(data, items, instrument=instrument, reverse=reverse,
                               missing_codes=missing_codes, scale_range=scale_range)
    k = len(cols)
    score = _aggregate(values.to_numpy(), method or "mean", _check_min_valid(min_valid, k))
    if scale == "pomp":
        low, high = _common_range(cols)
        per_item = score / k if method == "sum" else score
        score = 100.0 * (per_item - low) / (high - low)
    return pd.Series(score, index=data.index, name=name or index or "score", dtype=float)


def index_scores(data: pd.DataFrame, instrument: Instrument,
                 indices: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Compute indices declared in an instrument, one column per index id.

    Parameters
    ----------
    data : DataFrame
        Responses to ``instrument`` (codes or categoricals). Not modified.
    instrument : Instrument
        Declares the indices (items, method, scale, min_valid) and the items' reverse flags
        and missing codes.
    indices : str or sequence of str, optional
        Index ids (default: every index of the instrument, in file order).

    Returns
    -------
    DataFrame
        Float columns named by index id, aligned with ``data.index``; add them to the data
        (``data.join(scores)``) to estimate or compare them.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.load_instrument("reputation", version="2.0.0")
    >>> df = sk.datasets.generate_responses(inst, 300, seed=7)
    >>> scores = sk.index_scores(df, inst)
    >>> list(scores.columns)
    ['pulse', 'attributes']
    >>> scores.agg(["min", "max"]).round(2)  # doctest: +NORMALIZE_WHITESPACE
         pulse  attributes
    min   4.17         1.0
    max  95.83         5.0

    """
    check_type("instrument", instrument, Instrument, "an Instrument (sk.load_instrument)")
    ids = [i.id for i in instrument.indices] if indices is None else as_column_list(
        "indices", indices)
    return pd.DataFrame({i: scale_score(data, instrument=instrument, index=i) for i in ids},
                        index=data.index)
