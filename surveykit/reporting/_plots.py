"""``plot()``: estimates with confidence intervals as a horizontal bar or dot chart."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from surveykit._validate import check_option
from surveykit.estimation import EstimateTable
from surveykit.instruments import Instrument
from surveykit.reporting._format import check_language
from surveykit.reporting._labels import Labeller
from surveykit.reporting._plots_axes import axis_formatter, scale_key, scale_title, wrap

__all__ = ["PALETTE", "new_figure", "panel_figure", "plot"]

#: colour-blind-safe series colours (first is the report's accent colour)
PALETTE = ("#1f4e79", "#e08a2c", "#4a9c6d", "#b5485d", "#7a68a6", "#8c8c8c", "#3ba3c7",
           "#c9b037")

_NOTE = {
    "nb": "Ikke vist (færre enn {k} respondenter): {names}.",
    "en": "Not shown (fewer than {k} respondents): {names}.",
}


def new_figure(width: float, height: float, *,
               layout: Literal["constrained", "tight"] | None = "constrained") -> Any:
    """Make a :class:`matplotlib.figure.Figure` for a report, without pyplot.

    Every chart of the package is drawn on such a figure: no global pyplot state, nothing
    to close, no "more than 20 figures" warning. matplotlib is imported here, on first use.

    Parameters
    ----------
    width, height : float
        Size in inches.
    layout : {"constrained", "tight"} or None, default "constrained"
        matplotlib's layout engine; None leaves the layout to the caller.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = new_figure(6, 3)
    >>> ax = fig.subplots()
    >>> fig.get_size_inches().tolist(), type(fig.get_layout_engine()).__name__
    ([6.0, 3.0], 'ConstrainedLayoutEngine')

    """
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is a core dependency
        raise ImportError("Charts need matplotlib: pip install matplotlib") from exc
    return Figure(figsize=(width, height), layout=layout)


def panel_figure(width: float, height: float, ratios: list[float]) -> tuple[Any, Any]:
    """Make a figure of panels stacked in one column; return it and its axes, top first.

    The panels' plotting areas share the height in proportion to ``ratios``; their margins
    come from their labels, measured once when the figure is drawn (see
    :class:`surveykit.reporting._plots_layout.PanelStack`), not from constrained layout.

    Examples
    --------
    >>> fig, axes = panel_figure(6.0, 4.0, [3.0, 1.0])
    >>> len(axes), type(fig.get_layout_engine()).__name__
    (2, 'PanelStack')

    """
    from surveykit.reporting._plots_layout import PanelStack

    fig = new_figure(width, height, layout=None)
    fig.set_layout_engine(PanelStack(ratios))
    axes = fig.subplots(len(ratios), 1, squeeze=False,
                        gridspec_kw={"height_ratios": ratios}).ravel()
    return fig, axes


def _plot_frame(est: EstimateTable, lab: Labeller) -> pd.DataFrame:
    """Category, series and values of each estimate, labelled."""
    frame = est.to_frame()
    variables = frame["variable"].astype(str).tolist()
    by = [c for c in est.labels.columns if c not in ("variable", "level")]
    if "level" in frame:
        cat = [lab.value(v, c) for v, c in zip(variables, frame["level"], strict=True)]
        if frame["variable"].nunique() > 1:
            cat = [f"{lab.variable(v)}: {c}" for v, c in zip(variables, cat, strict=True)]
    else:
        cat = [lab.variable(v) for v in variables]
    if by:
        parts = [lab.values(b, frame[b].tolist()) for b in by]
        series = [" · ".join(p) for p in zip(*parts, strict=True)]
    else:
        series = [""] * len(frame)
    if len(set(cat)) == 1 and len(set(series)) > 1:  # one statistic by domain: domains on y
        cat, series = series, [""] * len(frame)
    return pd.DataFrame({"variable": variables, "category": [wrap(c) for c in cat],
                         "series": series,
                         "estimate": frame["estimate"].to_numpy(float),
                         "ci_low": frame["ci_low"].to_numpy(float),
                         "ci_high": frame["ci_high"].to_numpy(float),
                         "n": frame["n"].to_numpy(float)})


def _draw(ax: Any, data: pd.DataFrame, kind: str, scale: float) -> None:
    cats = list(dict.fromkeys(data["category"]))
    series = list(dict.fromkeys(data["series"]))
    k = len(series)
    height = 0.8 / k
    pos = {c: i for i, c in enumerate(cats)}
    for j, s in enumerate(series):
        part = data[data["series"] == s]
        y = np.array([pos[c] for c in part["category"]]) - 0.4 + height * (j + 0.5)
        x = part["estimate"].to_numpy() * scale
        err = np.vstack([x - part["ci_low"].to_numpy() * scale,
                         part["ci_high"].to_numpy() * scale - x])
        err = np.where(np.isfinite(err), err, 0.0)
        color = PALETTE[j % len(PALETTE)]
        if kind == "bar":
            ax.barh(y, x, height=height * 0.9, color=color, label=s or None, zorder=2)
            ax.errorbar(x, y, xerr=err, fmt="none", ecolor="#222222", elinewidth=1,
                        capsize=2.5, zorder=3)
        else:
            ax.errorbar(x, y, xerr=err, fmt="o", color=color, ecolor=color, elinewidth=1.6,
                        capsize=0, markersize=5, label=s or None, zorder=3)
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd", linewidth=0.8, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if k > 1:
        ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                  ncols=min(k, 4), fontsize=9)


def _scale_groups(data: pd.DataFrame, lab: Labeller, scale: float) -> list[pd.DataFrame]:
    """Split rows into one frame per scale (a 0-100 index never shares an axis with 1-5)."""
    keys = {}
    for var, part in data.groupby("variable", sort=False):
        largest = float(np.nanmax(np.abs(part[["estimate", "ci_high"]].to_numpy(float)),
                                  initial=0.0)) * scale
        keys[var] = scale_key(lab.instrument, str(var), largest)
    order = list(dict.fromkeys(keys.values()))
    groups = []
    for key in order:
        part = data[data["variable"].map(keys) == key].copy()
        part.attrs["title"] = scale_title(key, lab.language)
        part.attrs["range"] = key[1:] if key[0] == "range" else None
        groups.append(part)
    return groups or [data]


def _panel(ax: Any, data: pd.DataFrame, kind: str, scale: float, percent: bool,
           language: str, xlabel: str | None) -> None:
    _draw(ax, data, kind, scale)
    if percent:
        ax.set_xlim(0, max(100.0, float(np.nanmax(data["ci_high"].to_numpy() * 100,
                                                  initial=0.0))))
    elif data.attrs.get("range") and kind == "dot":
        lo, hi = data.attrs["range"]
        pad = (hi - lo) * 0.03
        ax.set_xlim(min(lo, float(np.nanmin(data["ci_low"], initial=lo))) - pad,
                    max(hi, float(np.nanmax(data["ci_high"], initial=hi))) + pad)
    ax.xaxis.set_major_formatter(axis_formatter(language, float(np.ptp(ax.get_xlim())),
                                                percent=percent))
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=9)


def plot(est: EstimateTable, *, instrument: Instrument | None = None, language: str = "en",
         kind: Literal["bar", "dot"] = "bar", percent: bool | None = None,
         suppress_below: int = 5, title: str | None = None, xlabel: str | None = None,
         width: float = 7.0) -> Any:
    """Chart of estimates with confidence-interval error bars.

    Parameters
    ----------
    est : EstimateTable
        Estimates (proportions, means, ...); ``by`` domains become coloured series.
    instrument : Instrument, optional
        Source of category labels in ``language``.
    language : {"en", "nb"}
        Labels and axis number format (decimal comma for nb).
    kind : {"bar", "dot"}, default "bar"
        Horizontal bars with error bars, or dots with interval lines.
    percent : bool, optional
        Show proportions as percentages (default: for proportions).
    suppress_below : int, default 5
        Estimates based on fewer respondents are left out and listed in a note.
    title, xlabel : str, optional
        Axis title and x-axis label.
    width : float, default 7.0
        Figure width in inches (height follows the number of bars).

    Returns
    -------
    matplotlib.figure.Figure
        A figure not attached to pyplot (no global state); display it in Jupyter or add
        it to an :class:`Appendix` with ``section.figure(fig, caption=...)``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> fig = plot(sk.proportion(d, "sch.wide", by="stype"), language="nb")
    >>> len(fig.axes[0].patches)
    6

    """
    if not isinstance(est, EstimateTable):
        raise TypeError(f"'est' must be an EstimateTable (got {type(est).__name__}); "
                        "comparisons have trend_plot() and dumbbell_plot().")
    language = check_language(language)
    check_option("kind", kind, ("bar", "dot"))
    lab = Labeller(instrument, language)
    data = _plot_frame(est, lab)
    if percent is None:
        percent = est.statistic == "proportion"
    scale = 100.0 if percent else 1.0
    small = (data["n"] > 0) & (data["n"] < suppress_below)
    shown = data[~small]
    groups = _scale_groups(shown, lab, scale) if not percent else [shown]
    sizes = [max(len(g), 1) for g in groups]
    fig, axes = panel_figure(width, max(2.0, 0.8 * len(groups) + 0.36 * sum(sizes)),
                             [s + 1.2 for s in sizes])
    for ax, group in zip(axes, groups, strict=True):
        _panel(ax, group, kind, scale, percent, language,
               xlabel if xlabel is not None else group.attrs.get("title"))
    if title:
        axes[0].set_title(title, loc="left", fontsize=11, fontweight="bold")
    if small.any():
        names = ", ".join(f"{c} ({s})".replace("\n", " ") if s else c.replace("\n", " ")
                          for c, s in
                          zip(data.loc[small, "category"], data.loc[small, "series"],
                              strict=True))
        fig.text(0.0, -0.02, _NOTE[language].format(k=suppress_below, names=names),
                 fontsize=8, color="#555555", ha="left", va="top")
    return fig
