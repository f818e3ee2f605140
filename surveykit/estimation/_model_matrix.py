"""Model matrices from R-style formulas (through patsy), with R's names and missing-data rule.

Column names with dots (``acs.k3``) are valid in R formulas but not in patsy's Python
expressions, so names that are columns of the data are quoted with ``Q("...")`` before
parsing. Term names are given back in R's spelling (``(Intercept)``, ``stypeH``,
``ell:meals``). Rows with a missing value in any variable of the formula are left out of
the fit (R's ``na.omit``); the caller keeps the design and gives them weight zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import patsy

__all__ = ["ModelFrame", "model_frame"]

_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")
_Q = re.compile(r'Q\("([^"]+)"\)')
_LEVEL = re.compile(r"\[T\.([^\]]*)\]")


@dataclass(frozen=True)
class ModelFrame:
    """Response, model matrix and the rows used (R's ``model.frame`` + ``model.matrix``)."""

    y: np.ndarray
    x: np.ndarray
    terms: list[str]
    used: np.ndarray
    response: str


def _quote_names(expr: str, columns: set[str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(0)
        if name in columns and not name.isidentifier():
            return f'Q("{name}")'
        return name

    return _NAME.sub(repl, expr)


def r_term_name(name: str) -> str:
    """R's spelling of a patsy column name.

    Examples
    --------
    >>> r_term_name('Q("sch.wide")[T.Yes]:meals')
    'sch.wideYes:meals'
    >>> r_term_name("Intercept")
    '(Intercept)'

    """
    if name == "Intercept":
        return "(Intercept)"
    return _LEVEL.sub(r"\1", _Q.sub(r"\1", name))


def _response(data: pd.DataFrame, lhs: str, binary: bool) -> np.ndarray:
    lhs = lhs.strip()
    if lhs not in data.columns:
        raise ValueError(f"'formula' response {lhs!r} is not a column of the design's data; "
                         "use a column name on the left of '~'.")
    col = data[lhs]
    if pd.api.types.is_bool_dtype(col):
        return col.astype(float).to_numpy()
    if pd.api.types.is_numeric_dtype(col):
        return col.to_numpy(dtype=float)
    if not binary:
        raise ValueError(f"'formula' response {lhs!r} is not numeric; only family='binomial' "
                         "accepts a categorical response.")
    levels = sorted(col.dropna().unique().tolist())
    if len(levels) != 2:
        raise ValueError(f"'formula' response {lhs!r} must have two categories for "
                         f"family='binomial' (found {len(levels)}: {levels!r}).")
    # R: a factor response is 'failure' for its first level, 'success' for the others
    out = (col != levels[0]).astype(float).to_numpy().copy()
    out[col.isna().to_numpy()] = np.nan
    return out


def _r_column_order(rhs: str, info: patsy.DesignInfo) -> list[int]:
    """Column order of R's ``model.matrix``: terms by interaction order, then as written."""
    written = patsy.ModelDesc.from_formula(rhs).rhs_termlist
    rank = {term: i for i, term in enumerate(written)}
    terms = sorted(info.term_slices, key=lambda t: (len(t.factors), rank.get(t, len(rank))))
    order: list[int] = []
    for term in terms:
        sl = info.term_slices[term]
        order.extend(range(sl.start, sl.stop))
    return order


def model_frame(data: pd.DataFrame, formula: str, *, binary_response: bool) -> ModelFrame:
    """Parse ``formula`` against ``data``; rows with missing values are marked unused.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2.0, None, 4.0], "a.b": [1.0, 0.0, 1.0, 3.0]})
    >>> mf = model_frame(df, "y ~ a.b", binary_response=False)
    >>> mf.terms, mf.used.tolist()
    (['(Intercept)', 'a.b'], [True, True, False, True])

    """
    if formula.count("~") != 1:
        raise ValueError(f"'formula' must have the form 'y ~ x1 + x2' (got {formula!r}).")
    lhs, rhs = formula.split("~")
    data = data.reset_index(drop=True)
    y = _response(data, lhs, binary_response)
    columns = {str(c) for c in data.columns}
    quoted = _quote_names(rhs, columns)
    try:
        x_df = patsy.dmatrix(quoted, data, NA_action="drop", return_type="dataframe")
    except patsy.PatsyError as exc:
        raise ValueError(f"'formula' {formula!r} could not be parsed: {exc}") from exc
    x_df = x_df.iloc[:, _r_column_order(quoted, x_df.design_info)]
    rows = x_df.index.to_numpy(dtype=np.int64)
    used = np.zeros(len(data), dtype=bool)
    used[rows] = True
    used &= ~np.isnan(y)
    x = np.zeros((len(data), x_df.shape[1]))
    x[rows] = x_df.to_numpy(dtype=float)
    return ModelFrame(y=np.where(used, y, 0.0), x=x,
                      terms=[r_term_name(str(c)) for c in x_df.columns], used=used,
                      response=lhs.strip())
