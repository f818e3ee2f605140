"""Net Promoter Score and top-box shares, with design-based standard errors."""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_type
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation._means import mean
from surveykit.estimation._results import EstimateTable

__all__ = ["USUAL_MISSING_CODES", "check_top_codes", "nps", "top_box"]

Design = SurveyDesign | ReplicateDesign


#: codes that surveys commonly use for "don't know", "refused" and "not asked"
USUAL_MISSING_CODES = (97, 98, 99, 997, 998, 999, 9999)


def check_top_codes(name: str, levels: Sequence[object]) -> None:
    """Refuse a top-box share of a bare column whose top codes look like missing codes.

    Without an instrument nothing says which codes mean "don't know": a column on a 1-5
    scale that still holds 98 and 99 would count those as its top two boxes. A code from
    :data:`USUAL_MISSING_CODES` that lies above a gap in the observed codes must be
    declared (``missing=[...]``, or ``missing=()`` when it is a real answer).
    """
    nums = sorted(float(v) for v in levels
                  if isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_))
    suspect = [v for prev, v in itertools.pairwise(nums)
               if v in USUAL_MISSING_CODES and v - prev > 1]
    if suspect:
        first = nums.index(suspect[0])
        codes = [int(v) if v.is_integer() else v for v in nums[first:]
                 if v in USUAL_MISSING_CODES]
        raise ValueError(
            f"Column {name!r} holds the code(s) {codes!r} above the others "
            f"({nums[0]:g} to {nums[first - 1]:g}); they look like missing-value codes "
            "(don't know, refused) and would count as top boxes. Pass "
            f"missing={codes!r} to drop them, the instrument (instrument=...) that "
            "declares them, or missing=() if they are real answers.")


def _values(design: Design, item: str, missing: Sequence[object]) -> np.ndarray:
    check_type("design", design, (SurveyDesign, ReplicateDesign),
               "a SurveyDesign or ReplicateDesign")
    check_columns("item", design.data, [item])
    s = design.data[item]
    s = s.where(~s.isin(list(missing))) if missing else s
    try:
        num = pd.to_numeric(s, errors="raise").astype("Float64")
    except (ValueError, TypeError) as exc:
        raise TypeError(f"'item' column {item!r} must be numeric ({exc}); declare other codes "
                        "with missing=[...].") from exc
    return np.asarray(num.to_numpy(dtype=float, na_value=np.nan))


def _indicator(y: np.ndarray, hit: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(y), np.nan, hit.astype(float))


def _share_table(design: Design, item: str, columns: dict[str, np.ndarray], by: object,
                 contrast: np.ndarray, statistic: str) -> EstimateTable:
    """``contrast @ (means of columns)`` per domain, as an EstimateTable labelled ``item``."""
    names = [f"_surveykit_{item}_{k}" for k in columns]
    work = design.with_columns(**dict(zip(names, columns.values(), strict=True)))
    by_cols = as_column_list("by", by)  # type: ignore[arg-type]
    t = mean(work, names, by=by_cols or None, nan_policy="omit")
    m = len(names)
    n_dom = len(t.estimate) // m
    lmat = np.kron(np.eye(n_dom), contrast[None, :])
    est, cov = lmat @ t.estimate, lmat @ t.cov @ lmat.T
    labels = t.labels.iloc[::m][by_cols].reset_index(drop=True)
    labels["variable"] = item
    return EstimateTable(labels=labels, estimate=est, se=np.sqrt(np.maximum(np.diag(cov), 0)),
                         df=t.df[::m].copy(), n=t.n[::m].copy(),
                         n_weighted=t.n_weighted[::m].copy(), cov=cov, statistic=statistic,
                         variance_method=t.variance_method)


def nps(design: Design, item: str, *, by: str | Sequence[str] | None = None,
        missing: Sequence[object] = ()) -> EstimateTable:
    """Net Promoter Score: percent answering 9-10 minus percent answering 0-6.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    item : str
        Column with answers on the 0-10 scale.
    by : str or list of str, optional
        Domain columns.
    missing : sequence, optional
        Codes to treat as missing (e.g. ``[98]`` for "don't know"); missing answers leave
        the base. Other values outside 0-10 are an error.

    Returns
    -------
    EstimateTable
        One row per domain, ``statistic="nps"``, on the -100 to 100 scale; ``n`` is the
        unweighted base.

    Notes
    -----
    ``NPS = 100 (p_9-10 - p_0-6)``. Both shares are means of 0/1 indicators estimated
    together, so their covariance enters the variance:
    ``var = 100^2 (v_p + v_d - 2 c_pd)``. Matches R:
    ``svycontrast(svymean(~I(y >= 9) + I(y <= 6), design), c(100, -100))`` (with the
    missing rows excluded by ``subset``).

    Examples
    --------
    >>> import numpy as np, surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> api = load_api("apiclus1")
    >>> api["rec"] = np.clip(np.floor((api["api00"] - 300) / 45), 0, 10)
    >>> d = sk.SurveyDesign(api, psu="dnum", weights="pw", fpc="fpc")
    >>> t = sk.nps(d, "rec")
    >>> round(float(t.estimate[0]), 4), round(float(t.se[0]), 4)
    (-7.1038, 17.8868)

    R: ``svycontrast(svymean(~I(rec >= 9) + I(rec <= 6), dclus1), c(100, -100))``:
    -7.1038, SE 17.8868.

    """
    y = _values(design, item, missing)
    bad = ~np.isnan(y) & ~np.isin(y, np.arange(11))
    if bad.any():
        raise ValueError(f"nps needs answers 0-10 in {item!r}; found {sorted(set(y[bad]))[:5]} "
                         f"(first at row {design.data.index[int(np.flatnonzero(bad)[0])]!r}). "
                         "Declare other codes with missing=[...].")
    cols = {"promoters": _indicator(y, y >= 9), "detractors": _indicator(y, y <= 6)}
    return _share_table(design, item, cols, by, np.array([100.0, -100.0]), "nps")


def top_box(design: Design, item: str, k: int = 1, *, by: str | Sequence[str] | None = None,
            scale: tuple[float, float] | None = None,
            missing: Sequence[object] | None = None) -> EstimateTable:
    """Share of answers in the top ``k`` categories of a scale (top box, top-two box).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    item : str
        Column with integer scale codes.
    k : {1, 2}, default 1
        Number of top categories (1: top box, 2: top-two box; larger ``k`` is accepted).
    by : str or list of str, optional
        Domain columns.
    scale : (low, high), optional
        Endpoints of the scale; the top box is ``high - k + 1 .. high``. Default: the
        largest observed value as ``high`` (pass ``scale`` when the top category may be
        empty).
    missing : sequence, optional
        Codes to treat as missing (e.g. ``[98]``). Without ``scale``, a column whose top
        codes look like missing codes (97-99, 997-999, 9999 above a gap) is refused until
        they are declared here (``missing=()``: they are real answers).

    Returns
    -------
    EstimateTable
        One row per domain, ``statistic="top_box"``, a proportion between 0 and 1.

    Notes
    -----
    Matches R: ``svymean(~I(y >= high - k + 1), subset(design, !is.na(y)))``.

    Examples
    --------
    >>> import numpy as np, surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> api = load_api("apistrat")
    >>> api["rec"] = np.clip(np.floor((api["api00"] - 300) / 45), 0, 10)
    >>> d = sk.SurveyDesign(api, weights="pw", strata="stype", fpc="fpc")
    >>> t = sk.top_box(d, "rec", k=2, scale=(0, 10))
    >>> round(float(t.estimate[0]), 4), round(float(t.se[0]), 4)
    (0.3972, 0.0374)

    R: ``svymean(~as.numeric(rec >= 9), dstrat)``: 0.3972, SE 0.0374.

    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"'k' must be a positive integer (got {k!r}).")
    y = _values(design, item, missing or ())
    if scale is None and missing is None:
        check_top_codes(item, np.unique(y[~np.isnan(y)]).tolist())
    high = float(np.nanmax(y)) if scale is None else float(scale[1])
    if scale is not None and (np.nanmax(y) > scale[1] or np.nanmin(y) < scale[0]):
        raise ValueError(f"'scale' {tuple(scale)} does not cover the values of {item!r} "
                         f"({np.nanmin(y):g} to {np.nanmax(y):g}); declare other codes missing.")
    cols = {f"top{k}": _indicator(y, y >= high - k + 1)}
    return _share_table(design, item, cols, by, np.array([1.0]), "top_box")
