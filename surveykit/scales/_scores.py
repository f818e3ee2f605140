"""Scale scores from Likert-type items, and the indices an instrument declares.

A score is computed row by row from the item values (codes, with missing codes as NA and
reverse-coded items reversed: :func:`~surveykit.scales._items.item_matrix`) by
**aggregation**: ``mean`` of the valid items, or ``sum`` (prorated: the mean of the valid
items times the number of items, i.e. person-mean imputation, so that respondents with a
missing item stay on the scale of the full sum); missing where fewer than ``min_valid``
items are valid. ``scale="pomp"`` maps the score to percent of maximum possible,
``100 (score - min) / (max - min)``, with min and max the score's possible range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_option, check_type
from surveykit.instruments import Instrument
from surveykit.scales._items import ItemColumn, fmt_code, index_spec, item_matrix

__all__ = ["index_scores", "scale_score"]

Method = Literal["mean", "sum"]
Scale = Literal["raw", "pomp"]


def _common_range(cols: list[ItemColumn]) -> tuple[float, float]:
    ranges = {(c.low, c.high) for c in cols}
    if len(ranges) != 1 or not all(np.isfinite(r).all() for r in ranges):
        shown = {c.var: (fmt_code(c.low), fmt_code(c.high)) if np.isfinite(c.low) else None
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
        spec = index_spec(instrument, index)
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
