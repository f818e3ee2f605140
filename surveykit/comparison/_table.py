"""``ComparisonTable``: differences between waves, one row per item, level, domain and pair."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveykit._display import frame_html, frame_text
from surveykit._validate import check_probability
from surveykit.estimation import ConfidenceInterval
from surveykit.estimation._results import wald_interval

__all__ = ["COLUMNS", "WAVE_COLUMNS", "ComparisonTable"]

#: columns of ``ComparisonTable.to_frame()`` after the ``by`` columns
COLUMNS = [
    "item", "level", "measure", "wave_a", "wave_b",
    "estimate_a", "se_a", "n_a", "estimate_b", "se_b", "n_b",
    "difference", "se_difference", "ci_low", "ci_high", "statistic", "df",
    "p_value", "p_adjusted", "effect_size", "effect_size_kind",
    "comparable", "status", "flags", "note",
]
#: columns of ``ComparisonTable.wave_estimates`` after the ``by`` columns
WAVE_COLUMNS = ["item", "level", "measure", "wave", "estimate", "se", "ci_low", "ci_high",
                "df", "n", "trend_break"]


@dataclass(frozen=True, eq=False)
class ComparisonTable:
    """Differences between survey waves with their design-based standard errors.

    Build one with :func:`surveykit.compare`. Differences are ``wave_b - wave_a`` (newer
    minus older).

    Attributes
    ----------
    waves : tuple of str
        Wave labels, oldest first.
    by : tuple of str
        Domain columns (the first columns of :meth:`to_frame`).
    samples : str
        ``"independent"`` (variance of a difference = sum of the wave variances) or
        ``"overlapping"`` (stacked design, covariance from shared PSUs).
    adjust : str
        Multiple-comparison method behind ``p_adjusted`` (``"bh"``, ``"holm"``,
        ``"bonferroni"``, ``"none"``); the family is every comparable row of the table.
    confidence_level : float
        Level of ``ci_low``/``ci_high``.
    crosswalk : str or None
        ``"name@a -> name@b"`` of the crosswalk used, if any.

    Notes
    -----
    Columns of :meth:`to_frame` (fixed, whatever the level or the waves are called):
    ``[by...], item, level, measure, wave_a, wave_b, estimate_a, se_a, n_a, estimate_b,
    se_b, n_b, difference, se_difference, ci_low, ci_high, statistic, df, p_value,
    p_adjusted, effect_size, effect_size_kind, comparable, status, flags, note``.
    ``n_*`` are unweighted bases (respondents with a valid answer in the domain);
    ``statistic`` is ``difference / se_difference``, referred to a t distribution with
    ``df`` degrees of freedom; ``effect_size_kind`` is ``"h"`` (Cohen's h, shares) or
    ``"d"`` (Cohen's d, means, POMP means, NPS); ``flags`` is a comma-separated subset of
    ``approximate``, ``trend_break``, ``small_base``. Items the crosswalk marks
    ``not_comparable``, ``new`` or ``dropped`` (or whose measure it forbids) have one row
    with ``comparable=False``, no numbers, and the crosswalk's reason in ``note``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> api = load_api("apistrat")
    >>> d = sk.SurveyDesign(api, weights="pw", strata="stype", fpc="fpc")
    >>> cmp = sk.compare({"a": d, "b": d}, ["api00"])
    >>> cmp.to_frame()[["item", "difference", "p_value"]]
        item  difference  p_value
    0  api00         0.0      1.0

    """

    table: pd.DataFrame = field(repr=False)
    wave_estimates_table: pd.DataFrame = field(repr=False)
    waves: tuple[str, ...]
    by: tuple[str, ...] = ()
    samples: str = "independent"
    adjust: str = "bh"
    confidence_level: float = 0.95
    crosswalk: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """Return the comparison as a DataFrame with the fixed columns (a copy)."""
        return self.table.copy()

    @property
    def wave_estimates(self) -> pd.DataFrame:
        """Estimates per wave: one row per item, level, domain and wave.

        Columns ``[by...], item, level, measure, wave, estimate, se, ci_low, ci_high, df, n,
        trend_break`` (``trend_break``: the item has a break between the previous wave and
        this one). Used by the trend plots.
        """
        return self.wave_estimates_table.copy()

    @property
    def refused(self) -> pd.DataFrame:
        """Rows that were not compared, with the crosswalk's reason in ``note``."""
        t = self.table
        return t.loc[~t["comparable"].astype(bool)].reset_index(drop=True)

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        """Rows whose adjusted p-value is below ``alpha``."""
        alpha = check_probability("alpha", alpha)
        t = self.table
        return t.loc[t["p_adjusted"] < alpha].reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.table)

    def summary(self) -> pd.DataFrame:
        """Return the short table the display shows (a copy).

        Columns ``[by...], item, level, measure, estimate_a, estimate_b, difference,
        se_difference, p_adjusted, flags``; :meth:`to_frame` has every column.
        """
        shown = [*self.by, "item", "level", "measure", "estimate_a", "estimate_b",
                 "difference", "se_difference", "p_adjusted", "flags"]
        return self.table[shown].copy()

    def confidence_interval(self, confidence_level: float | None = None,
                            df: float | None = None) -> ConfidenceInterval:
        """Confidence limits of the differences at another level or on other df.

        Parameters
        ----------
        confidence_level : float, optional
            In (0, 1); default the table's ``confidence_level`` (its ``ci_low, ci_high``).
        df : float, optional
            Degrees of freedom; default each row's ``df``; ``float("inf")`` gives normal
            limits, as R's ``confint``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` in :meth:`to_frame` row order (NaN where not compared).

        Examples
        --------
        >>> import surveykit as sk
        >>> from surveykit.datasets import load_api
        >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype",
        ...                     fpc="fpc")
        >>> e = d.subset(d.data["stype"] == "E")
        >>> cmp = sk.compare({"all": d, "E": e}, ["api00"])
        >>> bool(cmp.confidence_interval().low[0] == cmp.to_frame()["ci_low"][0])
        True

        """
        level = self.confidence_level if confidence_level is None else check_probability(
            "confidence_level", confidence_level)
        t = self.table
        dfs = t["df"].to_numpy(dtype=float) if df is None else np.full(len(t), float(df))
        low, high = wald_interval(t["difference"].to_numpy(dtype=float),
                                  t["se_difference"].to_numpy(dtype=float), level, dfs)
        return ConfidenceInterval(np.asarray(low, dtype=float), np.asarray(high, dtype=float))

    def __repr__(self) -> str:
        head = (f"ComparisonTable({' -> '.join(self.waves)}, {self.samples}, "
                f"p adjusted: {self.adjust}, {len(self.table)} rows)")
        return head + "\n" + frame_text(self.summary())

    def _repr_html_(self) -> str:
        caption = (f"Waves {' → '.join(self.waves)} ({self.samples} samples); "
                   f"{self.confidence_level:.0%} confidence limits; p adjusted: {self.adjust}")
        if self.crosswalk:
            caption += f"; crosswalk {self.crosswalk}"
        return frame_html(self.summary(), caption)
