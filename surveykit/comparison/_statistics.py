"""Analysis columns of one item and their design-based estimates in each domain.

Every measure is a mean of analysis columns (R's ``svymean`` of numeric or 0/1 values),
so the design's variance engines give the covariance of all rows at once:

============  ================================================  ==========  ===========
measure     analysis columns                                  rows        effect size
============  ================================================  ==========  ===========
mean          the item's values                                 1           Cohen's d
mean_pomp     ``100 (y - low) / (high - low)`` on the scale      1           Cohen's d
proportion    one 0/1 indicator per code                        one a code  Cohen's h
top_box       indicator of the top code (two codes: top_two)    1           Cohen's h
nps           indicators of 9-10 and 0-6; contrast ``100(p-d)``   1           Cohen's d
============  ================================================  ==========  ===========

Codes listed as missing (``98`` "don't know") are set to NaN and leave the domain, as R's
``na.rm=TRUE``; each row's ``n`` is its unweighted base.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.comparison._items import ItemSpec
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation import mean, var

__all__ = ["ItemEstimates", "analysis_columns", "effect_kind", "estimate_item"]

Design = SurveyDesign | ReplicateDesign
PROMOTERS, DETRACTORS = (9, 10), tuple(range(7))


@dataclass(frozen=True, eq=False)
class ItemEstimates:
    """Estimates of one item in every domain.

    Labels (domain columns and ``level``), estimate, covariance, unweighted base, standard
    deviation (for Cohen's d) and degrees of freedom.
    """

    labels: pd.DataFrame
    estimate: np.ndarray
    cov: np.ndarray
    n: np.ndarray
    sd: np.ndarray
    df: float


def effect_kind(measure: str) -> str:
    """``"h"`` for shares, ``"d"`` for means and scores."""
    return "h" if measure in ("proportion", "top_box", "top_two_box") else "d"


def _numeric(series: pd.Series, spec: ItemSpec, where: str) -> np.ndarray:
    try:
        values = pd.to_numeric(series, errors="raise")
    except (ValueError, TypeError) as exc:
        raise TypeError(f"Item {spec.name!r}: column {series.name!r} of {where} must be numeric "
                        f"for measure {spec.measure!r} ({exc}).") from exc
    return np.asarray(values.astype("Float64").to_numpy(dtype=float, na_value=np.nan))


def _clean(series: pd.Series, spec: ItemSpec, where: str) -> pd.Series:
    """Missing codes to NA; for shares, values outside the item's codes are an error."""
    s = series.where(~series.isin(list(spec.missing))) if spec.missing else series
    if spec.codes is not None and spec.measure in ("proportion", "top_box", "top_two_box"):
        bad = s.notna() & ~s.isin(list(spec.codes))
        if bad.any():
            extra = sorted(map(str, pd.unique(s[bad])))[:10]
            raise ValueError(f"Item {spec.name!r}: column {series.name!r} of {where} has "
                             f"values {extra} outside the codes {list(spec.codes)} (first at "
                             f"row {s.index[int(np.flatnonzero(bad.to_numpy())[0])]!r}). "
                             "Recode them or declare them missing.")
    return s


def _indicator(s: pd.Series, codes: tuple[object, ...]) -> np.ndarray:
    hit = s.isin(list(codes)).to_numpy(dtype=float)
    hit[s.isna().to_numpy()] = np.nan
    return hit


def _scale(spec: ItemSpec) -> tuple[float, float]:
    nums = [c for c in spec.codes or () if isinstance(c, int | float)]
    if not nums or len(nums) != len(spec.codes or ()):
        raise ValueError(f"Item {spec.name!r}: measure {spec.measure!r} needs a numeric "
                         "scale with known endpoints (an instrument item with numeric codes).")
    return float(min(nums)), float(max(nums))


def analysis_columns(data: pd.DataFrame, spec: ItemSpec, where: str
                     ) -> tuple[dict[str, np.ndarray], list[object], str | None]:
    """Analysis columns (name -> values), the level of each and the column for the SD.

    Column names are ``<item>|<level or measure>``; the SD column (Cohen's d) is None for
    shares.
    """
    stat, base = spec.measure, spec.name
    if len(spec.columns) > 1:  # multi-select: one 0/1 column per option
        if stat != "proportion":
            raise ValueError(f"Item {spec.name!r} is a multi-select item; compare it with "
                             f"measure='proportion' (got {stat!r}).")
        cols = {f"{base}|{c}": _numeric(data[col], spec, where)
                for c, col in zip(spec.codes or (), spec.columns, strict=True)}
        return cols, list(spec.codes or ()), None
    s = _clean(data[spec.columns[0]], spec, where)
    if stat == "proportion":
        codes = spec.codes if spec.codes is not None else tuple(sorted(pd.unique(s.dropna())))
        return ({f"{base}|{c}": _indicator(s, (c,)) for c in codes}, list(codes), None)
    if stat in ("top_box", "top_two_box"):
        k = 1 if stat == "top_box" else 2
        codes = spec.codes if spec.codes is not None else tuple(sorted(pd.unique(s.dropna())))
        return {f"{base}|{stat}": _indicator(s, tuple(codes[-k:]))}, [None], None
    y = _numeric(s, spec, where)
    if stat == "nps":
        bad = ~np.isnan(y) & ~np.isin(y, np.arange(11))
        if bad.any():
            raise ValueError(f"Item {spec.name!r}: NPS needs answers 0-10; column "
                             f"{spec.columns[0]!r} of {where} has {sorted(set(y[bad]))[:5]}.")
        prom = np.where(np.isnan(y), np.nan, np.isin(y, PROMOTERS).astype(float))
        det = np.where(np.isnan(y), np.nan, np.isin(y, DETRACTORS).astype(float))
        return ({f"{base}|promoters": prom, f"{base}|detractors": det,
                 f"{base}|score": 100.0 * (prom - det)}, [None], f"{base}|score")
    if stat == "mean_pomp":
        lo, hi = _scale(spec)
        y = 100.0 * (y - lo) / (hi - lo)
    return {f"{base}|{stat}": y}, [None], f"{base}|{stat}"


def _domain_sd(design: Design, column: str | None, by: list[str], rows: int) -> np.ndarray:
    if column is None:
        return np.full(rows, np.nan)
    v = var(design, column, by=by or None, nan_policy="omit")
    return np.sqrt(np.maximum(np.asarray(v.estimate, dtype=float), 0.0))


def estimate_item(design: Design, spec: ItemSpec, columns: list[str], levels: list[object],
                  sd_column: str | None, by: list[str]) -> ItemEstimates:
    """Estimates of one item in each domain of ``by`` (the analysis columns are in ``design``).

    For NPS the two shares are combined per domain as ``100 (promoters - detractors)`` with
    covariance ``L V L^T`` (R's ``svycontrast`` on ``svymean`` of the two indicators).
    """
    est_cols = columns[:2] if spec.measure == "nps" else columns
    t = mean(design, est_cols, by=by or None, nan_policy="omit")
    m = len(est_cols)
    n_dom = len(t.estimate) // m
    dom_labels = t.labels.iloc[::m][by].reset_index(drop=True)
    estimate, cov, n = np.asarray(t.estimate, float), np.asarray(t.cov, float), t.n
    if spec.measure == "nps":
        lmat = np.kron(np.eye(n_dom), np.array([[100.0, -100.0]]))
        estimate, cov, n = lmat @ estimate, lmat @ cov @ lmat.T, n[::2]
    k = len(levels)
    labels = dom_labels.loc[np.repeat(np.arange(n_dom), k)].reset_index(drop=True)
    labels["level"] = pd.Series(list(levels) * n_dom, index=labels.index, dtype=object)
    sd = np.repeat(_domain_sd(design, sd_column, by, n_dom), k)
    return ItemEstimates(labels, estimate, cov, np.asarray(n, dtype=float), sd,
                         float(t.df[0]) if len(t.df) else np.nan)
