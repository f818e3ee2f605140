"""Estimation results: a frozen table of estimates with their covariance."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np
import pandas as pd

from surveykit._display import frame_html, frame_text
from surveykit._distributions import norm_ppf, t_ppf
from surveykit._validate import check_probability

__all__ = ["ConfidenceInterval", "EstimateTable", "wald_interval"]

IntervalFn = Callable[[float, np.ndarray], tuple[np.ndarray, np.ndarray]]


class ConfidenceInterval(NamedTuple):
    """Lower and upper confidence limits (arrays in ``to_frame()`` row order)."""

    low: np.ndarray
    high: np.ndarray


def wald_interval(estimate: np.ndarray, se: np.ndarray, confidence_level: float,
                  df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``estimate -/+ t_{df, (1+level)/2} * se`` (normal quantile where ``df`` is infinite).

    Examples
    --------
    >>> lo, hi = wald_interval(np.array([1.0]), np.array([0.5]), 0.95, np.array([np.inf]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.02, 1.98)

    """
    q = _quantile(confidence_level, df)
    return estimate - q * se, estimate + q * se


def _quantile(confidence_level: float, df: np.ndarray) -> np.ndarray:
    p = (1.0 + confidence_level) / 2.0
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(df), norm_ppf(p),
                        t_ppf(p, np.where(df > 0, df, np.nan)))


@dataclass(frozen=True, eq=False)
class EstimateTable:
    """Estimates with standard errors, confidence limits and their covariance matrix.

    Attributes
    ----------
    labels : pandas.DataFrame
        One row per estimate: the ``by`` columns, ``variable`` and (for categorical
        statistics) ``level``.
    estimate, se : ndarray
        Point estimates and standard errors.
    df : ndarray
        Degrees of freedom used for confidence intervals (design df by default).
    n : ndarray
        Unweighted number of observations used for each estimate.
    n_weighted : ndarray
        Sum of weights of those observations.
    cov : ndarray
        Covariance matrix of the estimates, in row order.
    statistic : str
        "mean", "total", "proportion", "ratio", "quantile", "variance".
    variance_method : str
        "linearization" or the replicate method.
    deff : ndarray or None
        Design effects when requested (R's ``deff=``), else None (NaN in ``to_frame()``).
    confidence_level : float
        Level of ``ci_low``/``ci_high`` in ``to_frame()``.

    Notes
    -----
    Deliberate difference from R: confidence limits use the design degrees of freedom
    (``t`` quantiles), whereas R's ``confint`` uses the normal distribution; call
    ``confidence_interval(df=float("inf"))`` for R's numbers. Iteration yields only
    ``(estimate, se)``.

    Examples
    --------
    >>> t = EstimateTable(labels=pd.DataFrame({"variable": ["y"]}),
    ...                   estimate=np.array([2.0]), se=np.array([0.5]),
    ...                   df=np.array([np.inf]), n=np.array([10]),
    ...                   n_weighted=np.array([100.0]), cov=np.array([[0.25]]),
    ...                   statistic="mean", variance_method="linearization")
    >>> est, se = t
    >>> float(t.cv()[0])
    0.25
    >>> list(t.to_frame().columns)  # doctest: +NORMALIZE_WHITESPACE
    ['variable', 'estimate', 'se', 'ci_low', 'ci_high', 'df', 'deff', 'n', 'n_weighted']

    """

    #: the number columns of :meth:`to_frame`, in its order, after the label columns
    VALUE_COLUMNS: ClassVar[tuple[str, ...]] = ("estimate", "se", "ci_low", "ci_high", "df",
                                                "deff", "n", "n_weighted")

    labels: pd.DataFrame
    estimate: np.ndarray
    se: np.ndarray
    df: np.ndarray
    n: np.ndarray
    n_weighted: np.ndarray
    cov: np.ndarray
    statistic: str
    variance_method: str
    deff: np.ndarray | None = None
    confidence_level: float = 0.95
    interval: IntervalFn | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[np.ndarray]:
        """Unpack as ``estimate, se = table`` (nothing else is iterable)."""
        return iter((self.estimate, self.se))

    def __len__(self) -> int:
        return 2

    def confidence_interval(self, confidence_level: float | None = None,
                            df: float | None = None) -> ConfidenceInterval:
        """Confidence limits at ``confidence_level`` (default: the table's level).

        Parameters
        ----------
        confidence_level : float, optional
            In (0, 1).
        df : float, optional
            Degrees of freedom; None uses each row's ``df`` (the design df);
            ``float("inf")`` gives normal-theory limits, as R's ``confint``.

        """
        level = self.confidence_level if confidence_level is None else check_probability(
            "confidence_level", confidence_level)
        dfs = self.df if df is None else np.full(self.estimate.shape, float(df))
        if self.interval is not None:
            lo, hi = self.interval(level, dfs)
        else:
            lo, hi = wald_interval(self.estimate, self.se, level, dfs)
        return ConfidenceInterval(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))

    def cv(self) -> np.ndarray:
        """Coefficient of variation ``se / estimate``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.se / self.estimate

    @property
    def covariance(self) -> pd.DataFrame:
        """Covariance matrix labelled by row (rows and columns in ``to_frame()`` order)."""
        names = [" | ".join(map(str, r)) for r in self.labels.itertuples(index=False)]
        return pd.DataFrame(self.cov, index=names, columns=names)

    def to_frame(self) -> pd.DataFrame:
        """Return the tidy frame with fixed columns.

        Columns: [by...], variable, [level], estimate, se, ci_low, ci_high, df, deff, n,
        n_weighted (``deff`` is NaN unless requested).
        """
        labels = self.labels.reset_index(drop=True)
        values = self.value_columns()
        # one block of columns, not eight inserts (a study writes hundreds of tables)
        labels = labels.drop(columns=[c for c in values if c in labels.columns])
        return pd.concat([labels, pd.DataFrame(values, index=labels.index)], axis=1)

    def value_columns(self) -> dict[str, np.ndarray]:
        """Return the number columns of :meth:`to_frame` (``VALUE_COLUMNS``) as arrays.

        Examples
        --------
        >>> t = EstimateTable(labels=pd.DataFrame({"variable": ["y"]}),
        ...                   estimate=np.array([2.0]), se=np.array([0.5]),
        ...                   df=np.array([np.inf]), n=np.array([10]),
        ...                   n_weighted=np.array([100.0]), cov=np.array([[0.25]]),
        ...                   statistic="mean", variance_method="linearization")
        >>> cols = t.value_columns()
        >>> list(cols) == list(EstimateTable.VALUE_COLUMNS), round(float(cols["ci_low"][0]), 3)
        (True, 1.02)

        """
        ci = self.confidence_interval()
        deff = (self.deff if self.deff is not None
                else np.full(len(self.estimate), np.nan))
        values = (self.estimate, self.se, ci.low, ci.high, self.df, deff, self.n,
                  self.n_weighted)
        return dict(zip(self.VALUE_COLUMNS, values, strict=True))

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def __repr__(self) -> str:
        head = f"EstimateTable({self.statistic}, {self.variance_method}, " \
               f"{len(self.estimate)} rows)"
        return head + "\n" + frame_text(self.summary())

    def _repr_html_(self) -> str:
        caption = (f"{self.statistic} ({self.variance_method}); "
                   f"{self.confidence_level:.0%} confidence limits")
        return frame_html(self.summary(), caption)
