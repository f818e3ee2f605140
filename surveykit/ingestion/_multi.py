"""Multi-select answers in every platform layout, normalised to ``var__code`` 0/1 columns.

Packed layouts hold all selected options in one cell (XLSForm/Kobo: ``"housing jobs"``;
Microsoft Forms: ``"Bolig;Jobb;"``); binary layouts use one column per option holding
``1``/``0``, ``"Ja"``/blank or ``"Valgt"``/``"Ikke valgt"``. Both become one float column per
option with 1/0, without any loop over rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._distinct import per_distinct

__all__ = ["binary_values", "code_key", "unpack"]

_TRUE = {"1", "1.0", "ja", "yes", "true", "valgt", "selected", "quoted", "x", "checked"}
_FALSE = {"0", "0.0", "nei", "no", "false", "ikke valgt", "not selected", "not quoted",
          "unchecked"}


def code_key(values: pd.Series) -> pd.Series:
    """Normalise codes for look-up: numbers as integer text where integral, text stripped.

    Each distinct value is normalised once (see :func:`per_distinct`).

    Examples
    --------
    >>> code_key(pd.Series([1.0, "2", " 3.0 ", "jobs", None])).tolist()
    ['1', '2', '3', 'jobs', <NA>]

    """
    return per_distinct(values, _code_key)


def _code_key(values: pd.Series) -> pd.Series:
    cells = values.to_numpy(dtype=object)
    done = _canonical_integers(cells)
    if not done.any():
        return _code_key_text(values)
    out = cells.copy()
    if not done.all():
        out[~done] = _code_key_text(values[~done]).to_numpy(dtype=object)
    return pd.Series(pd.array(out, dtype="string"), index=values.index)


def _canonical_integers(cells: np.ndarray) -> np.ndarray:
    r"""Mark the cells that are text of :func:`_canonical_integer`, by Arrow where all are text.

    Examples
    --------
    >>> _canonical_integers(np.array(["7", "07", "0", "7\n", "x", "²", None], dtype=object))
    array([ True, False,  True, False, False, False, False])

    """
    if pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            text = pa.array(cells, type=pa.string(), from_pandas=True)
        except (pa.ArrowException, UnicodeError):  # e.g. a lone surrogate: not UTF-8
            text = None
        if text is not None:
            match = pc.match_substring_regex(text, r"^(0|[1-9][0-9]*)$").fill_null(False)
            return np.asarray(match.to_numpy(zero_copy_only=False), dtype=bool)
    return np.fromiter((isinstance(v, str) and _canonical_integer(v) for v in cells),
                       dtype=bool, count=len(cells))


def _canonical_integer(text: str) -> bool:
    """``"0"``, ``"7"``, ``"1024"``: text that is its own key (whole, unpadded, no leading 0)."""
    return text.isascii() and text.isdigit() and (text[0] != "0" or text == "0")


def _code_key_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    num = pd.to_numeric(text, errors="coerce")
    integral = num.notna() & (num == np.floor(num)) & (num.abs() < 2**53)
    as_int = num.where(integral).astype("Int64").astype("string")
    out = text.where(~integral, as_int)
    return out.mask(out == "")


def binary_values(values: pd.Series, blank_is_zero: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Map 1/0, Ja/blank, Valgt/Ikke valgt, True/False to 1.0/0.0; return ``(values, bad)``.

    ``bad`` marks cells that are none of these. With ``blank_is_zero`` (Nettskjema's older
    "Ja"/blank layout) a blank is 0, otherwise NA.

    Examples
    --------
    >>> v, bad = binary_values(pd.Series(["Valgt", "Ikke valgt", None, "7"]))
    >>> v.tolist(), bad.tolist()
    ([1.0, 0.0, nan, nan], [False, False, False, True])

    """
    def classify(uniques: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        key = _code_key(uniques).str.casefold()
        yes = key.isin(_TRUE).fillna(False).to_numpy(dtype=bool)
        no = key.isin(_FALSE).fillna(False).to_numpy(dtype=bool)
        blank = key.isna().to_numpy(dtype=bool)
        value = np.where(yes, 1.0, np.where(no | (blank & blank_is_zero), 0.0, np.nan))
        return value, ~(yes | no | blank)

    value, bad = per_distinct(values, classify)
    if blank_is_zero:
        value = np.where(values.isna().to_numpy(), 0.0, value)
    return pd.Series(value, index=values.index, dtype="float64"), bad


def unpack(
    values: pd.Series,
    var: str,
    codes: Sequence[Any],
    sep: str,
    aliases: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split packed multi-select cells into ``var__code`` 0/1 columns.

    ``aliases`` maps other spellings (labels in any language, platform codes; compared
    case-insensitively) to codes. Returns ``(wide, unknown)`` where ``unknown`` has one row
    per token that matched no option: ``position`` (0-based row) and ``token``. A blank cell
    is all 0.

    Examples
    --------
    >>> wide, unknown = unpack(pd.Series(["Bolig;Jobb;", None, "Bolig;Hage;"]), "needs",
    ...                        ["housing", "jobs"], ";", {"bolig": "housing", "jobb": "jobs"})
    >>> wide.to_dict("list")
    {'needs__housing': [1.0, 0.0, 1.0], 'needs__jobs': [1.0, 0.0, 0.0]}
    >>> unknown.to_dict("list")
    {'position': [2], 'token': ['Hage']}

    """
    lookup: dict[str, int] = {}
    for alias, code in (aliases or {}).items():
        if code in codes:
            lookup[str(alias).strip().casefold()] = list(codes).index(code)
    for k, code in enumerate(codes):
        lookup[str(code).casefold()] = k
    text = values.astype("string").reset_index(drop=True)
    tokens = text.str.split(sep if sep != " " else None).explode()
    tokens = tokens.str.strip()
    tokens = tokens[tokens.notna() & (tokens != "")]
    keys = code_key(tokens).str.casefold()
    idx = keys.map(lookup)
    known = idx.notna().to_numpy()
    matrix = np.zeros((len(values), len(codes)), dtype="float64")
    matrix[tokens.index.to_numpy()[known], idx[known].to_numpy(dtype=np.int64)] = 1.0
    wide = pd.DataFrame(matrix, index=values.index, columns=[f"{var}__{c}" for c in codes])
    unknown = pd.DataFrame({"position": tokens.index.to_numpy()[~known],
                            "token": tokens.to_numpy(dtype=object)[~known]})
    return wide, unknown
