"""Argument handling shared by the estimators: variables, missing values, result tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_option, check_type
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.design._codes import group_sums, sorted_codes
from surveykit.errors import ArgumentError
from surveykit.estimation._domains import Domains
from surveykit.estimation._results import EstimateTable

__all__ = ["check_design", "expand_variables", "has_nan", "missing_rows", "nan_mask",
           "variance_name"]

NanPolicy = Literal["raise", "omit"]
Design = SurveyDesign | ReplicateDesign


def check_design(design: object) -> Design:
    """Check the first argument of an estimator."""
    return check_type("design", design, (SurveyDesign, ReplicateDesign),
                      "a SurveyDesign or ReplicateDesign")


def variance_name(design: Design) -> str:
    """"linearization" or the replicate method."""
    return design.method if isinstance(design, ReplicateDesign) else "linearization"


def _is_categorical(s: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s))


def expand_variables(data: pd.DataFrame, variables: Sequence[str], *,
                     categorical: bool | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Value matrix ``(n, m)`` and labels (variable, level) for the requested variables.

    Numeric and boolean columns give one column each (booleans as 0/1); other columns
    (strings, categoricals) give one 0/1 column per level in R's factor order (every
    category of a ``Categorical``, used or not, as R's factor levels). With
    ``categorical=True`` every variable is expanded by level (proportions). Missing values
    stay NaN in every column of that variable.
    """
    series = [data[v] for v in variables]
    if categorical is not True and not any(_is_categorical(s) for s in series):
        # column by column (selecting a sub-frame of a wide frame costs more than the
        # columns themselves), into a column-major block as pandas would give
        values = np.empty((len(data), len(series)), order="F")
        for j, s in enumerate(series):
            values[:, j] = s.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, pd.DataFrame({"variable": list(variables)})
    cols, labels = [], []
    for var, s in zip(variables, series, strict=True):
        if categorical is None:
            check_decimal_comma(var, s)
        if categorical or (categorical is None and _is_categorical(s)):
            codes, levels = sorted_codes(s, keep_unused=True)
            block = (codes[:, None] == np.arange(len(levels))[None, :]).astype(float)
            block[codes < 0] = np.nan
            cols.append(block)
            labels += [(var, lv) for lv in levels]
        else:
            cols.append(pd.to_numeric(s, errors="raise").to_numpy(dtype=float)[:, None])
            labels.append((var, None))
    values = np.concatenate(cols, axis=1) if cols else np.empty((len(data), 0))
    frame = pd.DataFrame(labels, columns=["variable", "level"])
    if frame["level"].isna().all():
        frame = frame.drop(columns="level")
    return values, frame


_DECIMAL_COMMA = re.compile(r"^\s*[-+−]?\d{1,3}(?:[ .\u00a0\u202f]?\d{3})*,\d+\s*$")


def check_decimal_comma(name: str, s: pd.Series) -> None:
    """Refuse a text column whose values are numbers written with a decimal comma.

    ``mean`` of a text column gives the share of each distinct string; for ``"512,5"``
    that is never what was meant.

    Examples
    --------
    >>> check_decimal_comma("x", pd.Series(["512,5", "3,25", None]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.ArgumentError: Column 'x' holds numbers written with a decimal comma (e.g. ...

    """
    if isinstance(s.dtype, pd.CategoricalDtype) or not _is_categorical(s):
        return
    values = s.dropna()
    if values.empty or not all(isinstance(v, str) for v in values.iloc[:1000]):
        return
    text = values.astype(str)
    if not text.str.match(_DECIMAL_COMMA).all():
        return
    raise ArgumentError(
        f"Column {name!r} holds numbers written with a decimal comma (e.g. "
        f"{text.iloc[0].strip()!r}), stored as text: a mean would give the share of each "
        f"distinct string. Convert it first: data[{name!r}] = pd.to_numeric(data[{name!r}]"
        ".str.replace(' ', '').str.replace('.', '').str.replace(',', '.')), or read the "
        "file with pandas.read_csv(..., decimal=',').")


def nan_mask(values: np.ndarray) -> np.ndarray:
    """Rows with no missing value in any column."""
    return ~np.isnan(values).any(axis=1) if values.size else np.ones(values.shape[0], bool)


def has_nan(values: np.ndarray) -> bool:
    """Whether ``values`` holds a NaN; one BLAS pass (column sums) decides when it is finite.

    Examples
    --------
    >>> has_nan(np.array([[1.0, np.inf], [2.0, 3.0]])), has_nan(np.array([[np.nan], [1.0]]))
    (False, True)

    """
    if values.size == 0:
        return False
    if np.isfinite(np.ones(values.shape[0]) @ values).all():
        return False
    return bool(np.isnan(values).any())


def missing_rows(design: Design, variables: Sequence[str], values: np.ndarray,
                 nan_policy: str) -> np.ndarray | None:
    """Apply ``nan_policy``: None when nothing is missing, else the complete-row mask.

    ``"raise"`` raises ``ValueError`` if a row of the domain has a missing value;
    ``"omit"`` returns the mask so the rows leave the domain (R's ``na.rm=TRUE``).
    """
    check_option("nan_policy", nan_policy, ("raise", "omit"))
    if not has_nan(values):
        return None
    ok = nan_mask(values)
    dom = design.domain
    bad = ~ok if dom is None else (~ok & dom)
    if not bad.any():
        return None
    if nan_policy == "raise":
        cols = [v for v in variables if design.data[v].isna().to_numpy()[bad].any()]
        raise ValueError(
            f"Variables {cols!r} have {int(bad.sum())} row(s) with missing values (first at "
            f"row {design.data.index[int(np.flatnonzero(bad)[0])]!r}). Pass "
            "nan_policy='omit' to leave those rows out of the domain (R's na.rm=TRUE)."
        )
    return ok


def columns_arg(param: str, data: pd.DataFrame, value: str | Sequence[str]) -> list[str]:
    """Validate a column-or-columns argument; at least one column."""
    cols = check_columns(param, data, as_column_list(param, value))
    if not cols:
        raise ValueError(f"{param!r} must name at least one column.")
    return cols


def table_labels(dom: Domains, stat_labels: pd.DataFrame) -> pd.DataFrame:
    """Rows for every (domain, statistic) pair, domain-major.

    Positional ``take`` with the new index set on the copies, and no ``concat`` when
    there are no domain columns (a study builds hundreds of these small frames).
    """
    d = dom.n_domains
    m = len(stat_labels)
    right = stat_labels.take(np.tile(np.arange(m), d))
    right.index = pd.RangeIndex(d * m)
    if len(dom.labels.columns) == 0:
        return right
    left = dom.labels.take(np.repeat(np.arange(d), m))
    left.index = right.index
    return pd.concat([left, right], axis=1)


def domain_counts(design: Design, dom: Domains, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Observations and weighted totals per table row (domain-major)."""
    n = dom.counts()
    nw = group_sums(dom.codes, design.analysis_weights(), dom.n_domains)[:, 0]
    return np.repeat(n, m), np.repeat(nw, m)


def make_table(design: Design, dom: Domains, stat_labels: pd.DataFrame, est: np.ndarray,
               cov: np.ndarray, statistic: str, deff: np.ndarray | None = None,
               **kwargs: object) -> EstimateTable:
    """Assemble an :class:`EstimateTable` from domain-major estimates and covariance."""
    est = np.asarray(est, dtype=float).reshape(-1)
    m = len(stat_labels)
    n, nw = domain_counts(design, dom, m)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(cov))
    return EstimateTable(
        labels=table_labels(dom, stat_labels), estimate=est, se=se,
        df=np.full(est.shape, float(design.df)), n=n, n_weighted=nw, cov=cov,
        statistic=statistic, variance_method=variance_name(design),
        deff=None if deff is None else np.asarray(deff, dtype=float).reshape(-1),
        **kwargs,  # type: ignore[arg-type]
    )
