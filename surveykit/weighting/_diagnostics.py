"""Weight diagnostics: Kish design effect, effective n, distribution, margins, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.weighting._cells import encode

__all__ = ["WeightDiagnostics", "weight_diagnostics"]

_PERCENTILES = (1, 5, 25, 50, 75, 95, 99)


@dataclass(frozen=True)
class WeightDiagnostics:
    """Diagnostics of a design's weights (see :func:`weight_diagnostics`).

    Attributes
    ----------
    n : int
        Rows with positive weight.
    sum_weights : float
        Total weight.
    kish_deff : float
        Kish design effect of weighting, ``1 + CV^2 = n sum(w^2) / sum(w)^2``.
    kish_deft : float
        Its square root (what ``surveysd::kishFactor`` reports); named apart on purpose.
    effective_n : float
        ``sum(w)^2 / sum(w^2) = n / kish_deff``.
    efficiency : float
        ``effective_n / n``.
    distribution : pandas.Series
        min, percentiles, max, mean, cv and max/min of the positive weights.
    margins : pandas.DataFrame
        Every target of every step: target, achieved right after the step, achieved by the
        current weights, and the relative difference now.
    trimming : pandas.DataFrame
        What each trimming step moved: bounds, weights capped high / low, weight moved.
    history : pandas.DataFrame
        One row per weighting step.
    weights : numpy.ndarray
        The positive weights (for plots).

    """

    n: int
    sum_weights: float
    kish_deff: float
    kish_deft: float
    effective_n: float
    efficiency: float
    distribution: pd.Series
    margins: pd.DataFrame
    trimming: pd.DataFrame
    history: pd.DataFrame
    weights: np.ndarray

    def summary(self) -> pd.DataFrame:
        """Return the scalar diagnostics: one column ``value`` indexed by name.

        A one-column DataFrame, as every result's ``summary()`` is (it used to be a Series;
        ``summary()["value"]`` is that Series).

        Examples
        --------
        >>> import pandas as pd
        >>> from surveykit.design import SurveyDesign
        >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0]}), weights=[1.0, 1.0, 2.0])
        >>> weight_diagnostics(d).summary().loc[["n", "kish_deff"], "value"].round(4).tolist()
        [3.0, 1.125]

        """
        return pd.DataFrame({"value": [
            self.n, self.sum_weights, self.kish_deff, self.kish_deft, self.effective_n,
            self.efficiency]}, index=pd.Index(["n", "sum_weights", "kish_deff", "kish_deft",
                                               "effective_n", "efficiency"], name="statistic"),
            dtype=float)

    def to_frame(self) -> pd.DataFrame:
        """Return every scalar diagnostic and the weight distribution: ``statistic, value``.

        The rows of :meth:`summary`, then those of :attr:`distribution` (min, percentiles,
        max, mean, cv, max/min); the margins, trimming and history stay tables of their own.
        """
        dist = self.distribution.rename_axis("statistic").to_frame("value")
        return pd.concat([self.summary(), dist]).reset_index()

    def plot_distribution(self, ax: Any = None) -> Any:
        """Histogram of the weights; returns the matplotlib Figure."""
        from surveykit.weighting._plots import plot_distribution

        return plot_distribution(self, ax)

    def plot_margins(self, ax: Any = None) -> Any:
        """Achieved versus target for every margin; returns the matplotlib Figure."""
        from surveykit.weighting._plots import plot_margins

        return plot_margins(self, ax)

    def _repr_html_(self) -> str:
        parts = ["<h4>Weight diagnostics</h4>",
                 self.summary().to_html(float_format="{:.4g}".format),
                 "<h5>Weight distribution</h5>",
                 self.distribution.to_frame("value").T.to_html(float_format="{:.4g}".format)]
        if len(self.margins):
            parts += ["<h5>Margins: target vs achieved</h5>",
                      self.margins.drop(columns=["variables"]).to_html(
                          index=False, float_format="{:.6g}".format)]
        if len(self.trimming):
            parts += ["<h5>Trimming</h5>", self.trimming.to_html(index=False)]
        if len(self.history):
            parts += ["<h5>History</h5>", self.history.to_html(index=False)]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return (f"WeightDiagnostics(n={self.n}, kish_deff={self.kish_deff:.4g}, "
                f"effective_n={self.effective_n:.1f}, max/min={self.distribution['max/min']:.4g}, "
                f"steps={len(self.history)})")


def _distribution(w: np.ndarray) -> pd.Series:
    pct = np.percentile(w, _PERCENTILES)
    values = {"min": w.min(), **{f"p{p:02d}": v for p, v in zip(_PERCENTILES, pct, strict=True)},
              "max": w.max(), "mean": w.mean(), "cv": w.std() / w.mean(),
              "max/min": w.max() / w.min()}
    return pd.Series(values, dtype=float)


def _achieved_now(data: pd.DataFrame, w: np.ndarray, variables: tuple[str, ...],
                  levels: pd.Series) -> np.ndarray:
    if not variables:  # population total of calibrate(population_total=...)
        return np.full(len(levels), w.sum())
    if len(variables) == 1 and (levels == "(total)").all():
        return np.full(len(levels), float(np.nansum(data[variables[0]].to_numpy(float) * w)))
    enc = encode(data, variables)
    keep = enc.codes >= 0
    sums = np.bincount(enc.codes[keep], weights=w[keep], minlength=enc.size)
    pos = pd.Index(enc.labels).get_indexer(pd.Index(list(levels)))
    return np.where(pos >= 0, sums[np.maximum(pos, 0)], 0.0)


def _margins(design: Any, w: np.ndarray) -> pd.DataFrame:
    frames = []
    for i, step in enumerate(design.weighting_history, start=1):
        t = getattr(step, "targets", None)
        if t is None or not len(t):
            continue
        t = t.rename(columns={"achieved": "achieved_at_step"}).copy()
        t.insert(0, "step", i)
        t.insert(1, "method", step.method)
        t["achieved_now"] = np.concatenate([
            _achieved_now(design.data, w, g["variables"].iloc[0], g["level"])
            for _, g in t.groupby("margin", sort=False)]) if len(t) else []
        frames.append(t)
    if not frames:
        return pd.DataFrame(columns=["step", "method", "margin", "variables", "level", "target",
                                     "achieved_at_step", "achieved_now", "relative_difference"])
    out = pd.concat(frames, ignore_index=True)
    out["relative_difference"] = (out["achieved_now"] - out["target"]) / out["target"]
    return out


def _trimming(design: Any) -> pd.DataFrame:
    rows = [{"step": i, **step.details} for i, step in enumerate(design.weighting_history, 1)
            if getattr(step, "method", None) == "trim"]
    return pd.DataFrame(rows)


def weight_diagnostics(design: SurveyDesign | ReplicateDesign) -> WeightDiagnostics:
    """Diagnose a design's weights.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The weighted design.

    Returns
    -------
    WeightDiagnostics
        Kish design effect and effective sample size, the weight distribution, achieved
        versus target for every margin of every step, trimming, and the history. Renders as
        HTML in Jupyter; ``plot_distribution()`` and ``plot_margins()`` return figures.

    Notes
    -----
    Kish (1965): ``deff = 1 + CV^2 = n sum(w^2) / (sum w)^2`` and ``n_eff = n / deff``,
    over the rows with positive weight. It ignores clustering, stratification and the
    correlation of weights with outcomes.

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"w": [1.0, 1.0, 2.0, 4.0]})
    >>> diag = sk.weight_diagnostics(sk.SurveyDesign(df, weights="w"))
    >>> round(diag.kish_deff, 4), round(diag.effective_n, 4)
    (1.375, 2.9091)

    """
    w_all = np.asarray(design.analysis_weights(), dtype=float)
    w = w_all[w_all > 0]
    n = int(w.size)
    deff = float(n * np.sum(w**2) / np.sum(w) ** 2)
    history = pd.DataFrame([s.to_dict() if hasattr(s, "to_dict") else {"step": repr(s)}
                            for s in design.weighting_history])
    return WeightDiagnostics(
        n=n, sum_weights=float(w.sum()), kish_deff=deff, kish_deft=float(np.sqrt(deff)),
        effective_n=n / deff, efficiency=1.0 / deff, distribution=_distribution(w),
        margins=_margins(design, w_all), trimming=_trimming(design), history=history,
        weights=w,
    )
