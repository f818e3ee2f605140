"""Model matrices from R-style formulas (through patsy), with R's names and missing-data rule.

Column names with dots (``acs.k3``) are valid in R formulas but not in patsy's Python
expressions, so names that are columns of the data are quoted with ``Q("...")`` before
parsing. Term names are given back in R's spelling (``(Intercept)``, ``stypeH``,
``ell:meals``, ``log(enroll)``); R's ``log``, ``exp``, ``sqrt``, ``log1p``, ``log2``,
``log10`` and ``abs`` may be used in a formula. ``offset(expr)`` terms are taken out of the
formula and summed into a known part of the linear predictor, as R's ``model.offset``.
Rows with a missing value in any variable of the formula or an offset are left out of the
fit (R's ``na.omit``); the caller keeps the design and gives them weight zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module

if TYPE_CHECKING:
    import patsy
else:
    patsy = lazy_module("patsy")

__all__ = ["ModelFrame", "model_frame", "split_offsets"]

Offset = str | Sequence[float] | np.ndarray | pd.Series | None

_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")
_Q = re.compile(r'Q\("([^"]+)"\)')
_LEVEL = re.compile(r"\[T\.([^\]]*)\]")
_OFFSET = re.compile(r"\boffset\(")
# R's functions that formulas commonly use, under their R names (numpy stays reachable)
_NAMES = {
    "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "log1p": np.log1p, "log2": np.log2,
    "log10": np.log10, "abs": np.abs, "np": np,
}


def _env() -> patsy.EvalEnvironment:
    """Return the formula environment with :data:`_NAMES` (patsy is imported on use)."""
    return patsy.EvalEnvironment([_NAMES])


@dataclass(frozen=True)
class ModelFrame:
    """Response, model matrix and the rows used (R's ``model.frame`` + ``model.matrix``)."""

    y: np.ndarray
    x: np.ndarray
    terms: list[str]
    used: np.ndarray
    response: str
    offset: np.ndarray | None = None
    info: patsy.DesignInfo | None = field(default=None, repr=False)
    order: tuple[int, ...] = ()

    def matrix(self, data: pd.DataFrame) -> np.ndarray:
        """Return the model matrix of new rows (complete in every variable), R's column order.

        Categorical variables keep the levels and contrasts of the fitted data, as R's
        ``model.matrix(terms(fit), newdata)``; offsets are not part of it.
        """
        if self.info is None:
            raise ValueError("This model frame keeps no design information.")
        (mat,) = patsy.build_design_matrices([self.info], data, NA_action="raise",
                                             return_type="matrix")
        return np.asarray(mat, dtype=float)[:, list(self.order)]


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


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis that closes the one opened just before ``start``."""
    depth = 1
    for j in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j
    raise ValueError(f"'formula' has an unbalanced parenthesis in {text!r}.")


def split_offsets(rhs: str) -> tuple[str, list[str]]:
    """Take the ``offset(...)`` terms out of a right-hand side.

    Examples
    --------
    >>> split_offsets("x + offset(log(n)) + z")
    ('x + z', ['log(n)'])
    >>> split_offsets("offset(log(n))")
    ('1', ['log(n)'])

    """
    offsets: list[str] = []
    rest = rhs
    while (m := _OFFSET.search(rest)) is not None:
        end = _closing(rest, m.end())
        offsets.append(rest[m.end():end].strip())
        rest = rest[:m.start()] + rest[end + 1:]
    if not offsets:
        return rhs, []
    parts = [p.strip() for p in re.split(r"\+(?![^()]*\))", rest)]
    kept = " + ".join(p for p in parts if p)
    return (kept if kept and not kept.startswith("-") else f"1 {kept}".strip()), offsets


def _expression(data: pd.DataFrame, expr: str, columns: set[str], what: str) -> np.ndarray:
    try:
        mat = patsy.dmatrix(f"0 + I({_quote_names(expr, columns)})", data,
                            NA_action=patsy.NAAction(NA_types=[]), eval_env=_env())
    except (patsy.PatsyError, NameError, SyntaxError) as exc:
        raise ValueError(f"{what} {expr!r} could not be evaluated on the design's data: "
                         f"{exc}") from exc
    return np.asarray(mat, dtype=float)[:, 0]


def _offset(data: pd.DataFrame, formula_offsets: list[str], offset: Offset,
            columns: set[str]) -> np.ndarray | None:
    """Sum the offsets (NaN where any is missing); None without offsets."""
    parts = [_expression(data, e, columns, "'formula' offset") for e in formula_offsets]
    if isinstance(offset, str):
        parts.append(_expression(data, offset, columns, "'offset'"))
    elif offset is not None:
        values = offset.to_numpy(dtype=float) if isinstance(offset, pd.Series) else \
            np.asarray(offset, dtype=float)
        if values.shape != (len(data),):
            raise ValueError(f"'offset' must have one value per row of the design's data "
                             f"({len(data)}); got shape {values.shape}. Pass a column name "
                             "or an expression such as 'log(exposure)' instead.")
        parts.append(values)
    if not parts:
        return None
    return np.sum(parts, axis=0)


def model_frame(data: pd.DataFrame, formula: str, *, binary_response: bool,
                offset: Offset = None) -> ModelFrame:
    """Parse ``formula`` against ``data``; rows with missing values are marked unused.

    ``offset`` (R's ``offset=``) is a column name or expression over the data, or one value
    per row; it is added to the ``offset(...)`` terms of the formula.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2.0, None, 4.0], "a.b": [1.0, 0.0, 1.0, 3.0]})
    >>> mf = model_frame(df, "y ~ a.b", binary_response=False)
    >>> mf.terms, mf.used.tolist()
    (['(Intercept)', 'a.b'], [True, True, False, True])
    >>> df["n"] = [2.0, None, 1.0, 4.0]
    >>> mf = model_frame(df, "y ~ offset(log(n))", binary_response=False)
    >>> mf.terms, mf.used.tolist(), round(float(mf.offset[3]), 4)
    (['(Intercept)'], [True, False, False, True], 1.3863)

    """
    if formula.count("~") != 1:
        raise ValueError(f"'formula' must have the form 'y ~ x1 + x2' (got {formula!r}).")
    lhs, rhs = formula.split("~")
    if isinstance(offset, pd.Series):
        offset = offset.reindex(data.index)
    data = data.reset_index(drop=True)
    y = _response(data, lhs, binary_response)
    columns = {str(c) for c in data.columns}
    rhs, formula_offsets = split_offsets(rhs)
    off = _offset(data, formula_offsets, offset, columns)
    quoted = _quote_names(rhs, columns)
    try:
        x_df = patsy.dmatrix(quoted, data, NA_action="drop", return_type="dataframe",
                             eval_env=_env())
    except (patsy.PatsyError, NameError, SyntaxError) as exc:
        raise ValueError(f"'formula' {formula!r} could not be parsed: {exc}") from exc
    order = _r_column_order(quoted, x_df.design_info)
    info = x_df.design_info
    x_df = x_df.iloc[:, order]
    rows = x_df.index.to_numpy(dtype=np.int64)
    used = np.zeros(len(data), dtype=bool)
    used[rows] = True
    used &= ~np.isnan(y)
    if off is not None:
        used &= ~np.isnan(off)
    x = np.zeros((len(data), x_df.shape[1]))
    x[rows] = x_df.to_numpy(dtype=float)
    return ModelFrame(y=np.where(used, y, 0.0), x=x,
                      terms=[r_term_name(str(c)) for c in x_df.columns], used=used,
                      response=lhs.strip(),
                      offset=None if off is None else np.where(used, off, 0.0),
                      info=info, order=tuple(order))
