"""Design-based t-tests (R's ``svyttest``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._lazy import lazy_module
from surveykit._validate import check_columns, check_option, check_probability
from surveykit.errors import ArgumentError
from surveykit.estimation._glm import glm
from surveykit.estimation._inputs import Design, check_design
from surveykit.estimation._results import ConfidenceInterval

stats = lazy_module("scipy.stats")

__all__ = ["TTestResult", "ttest"]

Alternative = Literal["two-sided", "less", "greater"]


@dataclass(frozen=True)
class TTestResult:
    """Result of :func:`ttest`.

    Attributes
    ----------
    statistic : float
        ``(estimate - mu) / se``.
    df : float
        Degrees of freedom of the t reference distribution.
    p_value : float
    estimate : float
        Difference in means (second level of ``by`` minus the first) or, without
        ``by``, the mean.
    se : float
    ci_low, ci_high : float
        Confidence limits for ``estimate`` (one-sided alternatives give an infinite limit).
    alternative : str
    confidence_level : float
    variable : str
    by : str or None
    levels : tuple
        The two groups compared (first, second), empty for the one-sample test.

    """

    statistic: float
    df: float
    p_value: float
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    alternative: str
    confidence_level: float
    variable: str
    by: str | None
    levels: tuple[object, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row: variable, by, estimate, se, ci_low, ci_high, statistic, df, p_value.

        Examples
        --------
        >>> import surveykit as sk
        >>> d = sk.SurveyDesign(pd.DataFrame({"y": [1.0, 2, 4, 5], "g": [0, 0, 1, 1]}),
        ...                     weights=[1.0, 1, 1, 1])
        >>> sk.ttest(d, "y", by="g").to_frame()[["estimate", "p_value"]].round(3)
           estimate  p_value
        0       3.0    0.035

        """
        return pd.DataFrame([{
            "variable": self.variable, "by": self.by, "estimate": self.estimate,
            "se": self.se, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "statistic": self.statistic, "df": self.df, "p_value": self.p_value}])

    def summary(self) -> pd.DataFrame:
        """Return the one-row table the display shows (the same as :meth:`to_frame`)."""
        return self.to_frame()

    def confidence_interval(self, confidence_level: float | None = None,
                            df: float | None = None) -> ConfidenceInterval:
        """Confidence limits of ``estimate`` at another level or on other df.

        Parameters
        ----------
        confidence_level : float, optional
            In (0, 1); default the test's ``confidence_level``.
        df : float, optional
            Degrees of freedom; default the test's ``df``; ``float("inf")`` gives normal
            limits. One-sided alternatives give an infinite limit, as the test's own.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, arrays of one value each.

        Examples
        --------
        >>> import surveykit as sk
        >>> d = sk.SurveyDesign(pd.DataFrame({"y": [1.0, 2, 4, 5], "g": [0, 0, 1, 1]}),
        ...                     weights=[1.0, 1, 1, 1])
        >>> t = sk.ttest(d, "y", by="g")
        >>> float(t.confidence_interval().low[0]) == t.ci_low
        True
        >>> [round(float(v[0]), 3) for v in t.confidence_interval(0.9)]
        [1.314, 4.686]

        """
        level = self.confidence_level if confidence_level is None else check_probability(
            "confidence_level", confidence_level)
        ddf = self.df if df is None else float(df)
        _, low, high = _p_and_ci(self.statistic, self.estimate, self.se, ddf,
                                 self.alternative, level)
        return ConfidenceInterval(np.array([low], dtype=float), np.array([high], dtype=float))

    def _repr_html_(self) -> str:
        what = f"{self.variable} by {self.by}" if self.by else self.variable
        caption = (f"Design-based t-test of {what} ({self.alternative}); "
                   f"{self.confidence_level:.0%} confidence limits")
        return object_html(caption, ("", self.summary()))


def _p_and_ci(t: float, est: float, se: float, df: float, alternative: str,
              level: float) -> tuple[float, float, float]:
    if alternative == "two-sided":
        q = stats.t.ppf((1 + level) / 2, df)
        return float(2 * stats.t.sf(abs(t), df)), est - q * se, est + q * se
    q = stats.t.ppf(level, df)
    if alternative == "less":
        return float(stats.t.cdf(t, df)), -np.inf, est + q * se
    return float(stats.t.sf(t, df)), est - q * se, np.inf


def _group_levels(design: Design, by: str) -> tuple[object, ...]:
    values = design.data[by]
    dom = design.domain
    if dom is not None:
        values = values[dom]
    levels = sorted(values.dropna().unique().tolist())
    if len(levels) != 2:
        raise ArgumentError(
            f"'by' must name a column with exactly two groups (R: 'group must be binary'); "
            f"{by!r} has {len(levels)}: {levels[:10]!r}. Compare two of them on a subset "
            f"(design.subset(...)), or use sk.glm(design, '<variable> ~ {by}') for all at once.")
    return tuple(levels)


def ttest(design: Design, variable: str, *, by: str | None = None, mu: float = 0.0,
          alternative: Alternative = "two-sided", confidence_level: float = 0.95,
          nan_policy: Literal["raise", "omit"] = "raise") -> TTestResult:
    """Design-based t-test of a difference in means between two groups, or of one mean.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    variable : str
        Numeric column.
    by : str, optional
        Column with exactly two groups; the estimate is mean(second) - mean(first) in
        sorted level order (R's factor order). Without ``by``: a one-sample test of
        ``mean == mu``.
    mu : float, default 0
        Null value.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        Alternative hypothesis (scipy's convention); one-sided tests get one-sided limits.
    confidence_level : float, default 0.95
        Level of ``ci_low``/``ci_high``.
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" leaves rows with a missing ``variable`` or ``by`` out of the domain (R's
        ``svyttest``, which always omits them); the design stays whole.

    Returns
    -------
    TTestResult

    Notes
    -----
    Matches ``svyttest(variable ~ by, design)`` of R survey 4.1.1: the difference is the
    coefficient of ``svyglm(variable ~ by)``, tested on its ``df.residual`` (design df - 1);
    the one-sample form matches ``svyttest(variable ~ 0, design)`` (``svymean`` on design
    df - 1). R has only the two-sided test at 95%.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> r = sk.ttest(d, "api00", by="sch.wide")
    >>> round(r.estimate, 4), round(r.statistic, 4), r.df, round(r.p_value, 5)
    (41.319, 2.109, 13.0, 0.05491)
    >>> # R: svyttest(api00 ~ sch.wide, dclus1): t = 2.109, df = 13, p-value = 0.05491

    """
    design = check_design(design)
    check_columns("variable", design.data, [variable])
    if by is not None:
        check_columns("by", design.data, [by])
    check_option("alternative", alternative, ("two-sided", "less", "greater"))
    check_option("nan_policy", nan_policy, ("raise", "omit"))
    level = check_probability("confidence_level", confidence_level)
    cols = [variable] + ([by] if by is not None else [])
    missing = design.data[cols].isna().any(axis=1).to_numpy()
    if design.domain is not None:
        missing = missing & design.domain  # a new array: pandas may hand out read-only views
    if missing.any() and nan_policy == "raise":
        raise ValueError(f"Columns {cols!r} have {int(missing.sum())} row(s) with missing "
                         "values. Pass nan_policy='omit' to leave them out of the domain "
                         "(R's svyttest does).")
    levels = () if by is None else _group_levels(design, by)
    rhs = "1" if by is None else by
    fit = glm(design, f"{variable} ~ {rhs}", family="gaussian")
    k = 0 if by is None else 1
    est, se = float(fit.estimate[k]), float(fit.se[k])
    df = fit.df_residual - 1 if by is None else fit.df_residual
    t = (est - mu) / se
    p, lo, hi = _p_and_ci(t, est, se, df, alternative, level)
    return TTestResult(statistic=t, df=df, p_value=p, estimate=est, se=se, ci_low=float(lo),
                       ci_high=float(hi), alternative=alternative, confidence_level=level,
                       variable=variable, by=by, levels=levels)
