"""Trend plots of estimates across waves (matplotlib imported lazily).

:func:`trend_plot` returns a :class:`matplotlib.figure.Figure` (no pyplot state); save it
with ``fig.savefig("trend.png")`` or let Jupyter display it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_type
from surveykit.comparison import ComparisonTable
from surveykit.estimation import EstimateTable
from surveykit.reporting._plots import new_figure

__all__ = ["trend_plot"]

BREAK = "#b5485d"
SERIES = ("#1f4e79", "#e08a2c", "#4a9c6d", "#b5485d", "#7a68a6", "#3ba3c7")
MEASURE_LABELS = {"mean": "mean", "mean_pomp": "POMP (0-100)", "proportion": "share",
                  "nps": "NPS (-100 to 100)", "top_box": "top-box share",
                  "top_two_box": "top-two-box share"}


def _from_tables(tables: Mapping[str, EstimateTable],
                 trend_breaks: Mapping[str, str]) -> pd.DataFrame:
    """Long frame (as ``ComparisonTable.wave_estimates``) from ``{wave: EstimateTable}``."""
    parts = []
    for wave, table in tables.items():
        check_type(f"estimates[{wave!r}]", table, EstimateTable, "an EstimateTable")
        f = table.to_frame().rename(columns={"variable": "item"})
        if "level" not in f:
            f["level"] = None
        f["measure"], f["wave"] = table.statistic, str(wave)
        f["trend_break"] = [trend_breaks.get(i) == str(wave) for i in f["item"]]
        parts.append(f)
    return pd.concat(parts, ignore_index=True)


def _panel_key(row: pd.Series) -> str:
    level = row["level"]
    return str(row["item"]) if level is None or pd.isna(level) else f"{row['item']}: {level}"


def _draw_panel(ax: Any, sub: pd.DataFrame, waves: list[str], by: list[str]) -> None:
    series = sub.groupby(by, sort=False) if by else [((), sub)]
    for k, (name, s) in enumerate(series):
        x = np.array([waves.index(w) for w in s["wave"]])
        y = s["estimate"].to_numpy(float)
        err = np.vstack([y - s["ci_low"].to_numpy(float), s["ci_high"].to_numpy(float) - y])
        colour = SERIES[k % len(SERIES)]
        label = " · ".join(map(str, name if isinstance(name, tuple) else (name,))) or None
        ax.errorbar(x, y, yerr=err, fmt="o", color=colour, capsize=3, label=label)
        breaks = s["trend_break"].to_numpy(bool)
        for i in range(1, len(x)):  # connect consecutive waves unless a break lies between
            if not breaks[i]:
                ax.plot(x[i - 1:i + 1], y[i - 1:i + 1], color=colour, linewidth=1.2)
    for w in sorted({waves.index(w) for w in sub.loc[sub["trend_break"].astype(bool), "wave"]}):
        ax.axvline(w - 0.5, color=BREAK, linestyle="--", linewidth=1.2, gid="trend_break",
                   label="trend break")
        ax.annotate("trend break", (w - 0.5, 0.98), xycoords=("data", "axes fraction"),
                    ha="center", va="top", fontsize=7, color=BREAK,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_xticks(range(len(waves)), waves)
    ax.set_xlim(-0.5, len(waves) - 0.5)


def trend_plot(source: ComparisonTable | Mapping[str, EstimateTable],
               items: Sequence[str] | None = None, *, ncols: int = 3,
               trend_breaks: Mapping[str, str] | None = None,
               title: str | None = None) -> Any:
    """Estimates with confidence intervals per wave, one panel per item (and level).

    Parameters
    ----------
    source : ComparisonTable or dict of {wave: EstimateTable}
        A comparison (its ``wave_estimates``, with the crosswalk's trend breaks), or
        estimates per wave, oldest first.
    items : list of str, optional
        Items to show (default all).
    ncols : int, default 3
        Panels per row.
    trend_breaks : dict of {item: wave}, optional
        With a dict of estimates: the wave from which an item is measured differently.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Points with interval bars; consecutive waves are joined by a line except across a
        trend break, which is drawn as a dashed vertical line labelled "trend break"
        (``gid="trend_break"``). Domains (``by``) are separate series.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> fig = sk.report.trend_plot(sk.compare({"a": d1, "b": d2}, ["api00", "api99"]))
    >>> len(fig.axes)
    2

    """
    if isinstance(source, ComparisonTable):
        frame, waves, by = source.wave_estimates, list(source.waves), list(source.by)
        refused = source.refused.set_index("item")["note"]
        asked = [i for i in items or () if i in refused.index]
        if asked:
            raise ValueError(f"{asked[0]!r} was not compared, so it has no estimates to "
                             f"plot: {refused[asked[0]]}")
    elif isinstance(source, Mapping):
        frame = _from_tables(source, dict(trend_breaks or {}))
        waves = [str(w) for w in source]
        by = [c for c in frame.columns if c not in (
            "item", "level", "measure", "wave", "trend_break", "estimate", "se", "ci_low",
            "ci_high", "df", "deff", "n", "n_weighted")]
    else:
        raise TypeError("'source' must be a ComparisonTable or a dict {wave: EstimateTable} "
                        f"(got {type(source).__name__}).")
    if items is not None:
        unknown = sorted(set(items) - set(frame["item"]))
        if unknown:
            raise KeyError(f"'items' names {unknown}, which are not in the estimates "
                           f"({sorted(set(frame['item']))}).")
        frame = frame[frame["item"].isin(list(items))]
    if frame.empty:
        raise ValueError("Nothing to plot: no estimates (refused items have none).")
    frame = frame.assign(panel=[_panel_key(r) for _, r in frame.iterrows()])
    panels = list(dict.fromkeys(frame["panel"]))
    cols = max(1, min(ncols, len(panels)))
    rows = int(np.ceil(len(panels) / cols))
    fig = new_figure(3.4 * cols, 2.6 * rows + (0.4 if title else 0))
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        sub = frame[frame["panel"] == panel]
        _draw_panel(ax, sub, waves, by)
        ax.set_title(panel, fontsize=9)
        ax.set_ylabel(MEASURE_LABELS.get(str(sub["measure"].iloc[0]), ""), fontsize=8)
        if by:
            ax.legend(fontsize=7)
    for ax in axes[len(panels):]:
        fig.delaxes(ax)
    if title:
        fig.suptitle(title)
    return fig
