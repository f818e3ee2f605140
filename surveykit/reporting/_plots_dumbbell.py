"""Dumbbell charts of wave comparisons (matplotlib imported lazily).

:func:`dumbbell_plot` and :func:`dumbbell_plots` return :class:`matplotlib.figure.Figure`
objects (no pyplot state); save one with ``fig.savefig("dumbbell.png")`` or let Jupyter
display it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_probability, check_type
from surveykit.comparison import ComparisonTable
from surveykit.instruments import Instrument
from surveykit.reporting._comparison import SHARE_MEASURES, _item_label, _item_var
from surveykit.reporting._format import check_language
from surveykit.reporting._labels import Labeller
from surveykit.reporting._plots import panel_figure
from surveykit.reporting._plots_axes import axis_formatter, scale_key, scale_title, wrap

__all__ = ["dumbbell_plot", "dumbbell_plots"]

ACCENT, GREY = "#1f4e79", "#9a9a9a"


_TEXT = {
    "nb": {"share": "Andel (prosent)", "nps": "NPS (\u2212100 til 100)",
           "pomp": "POMP (0\u2013100)",
           "mean": "Gjennomsnitt", "sig": "signifikant ({method}, p < {alpha})",
           "not_sig": "ikke signifikant", "break": "\u2020 brudd i tidsserien (se merknad)",
           "refused": "Ikke sammenlignet: ", "unadjusted": "ujustert"},
    "en": {"share": "Share (percent)", "nps": "NPS (\u2212100 to 100)",
           "pomp": "POMP (0\u2013100)",
           "mean": "Mean", "sig": "significant ({method} p < {alpha})",
           "not_sig": "not significant", "break": "\u2020 trend break (see note)",
           "refused": "Not compared: ", "unadjusted": "unadjusted"},
}
#: most rows in one dumbbell figure
MAX_ROWS = 18
#: tallest dumbbell figure (inches at 7 in wide): printed 17 cm wide it leaves room for
#: the caption on an A4 page
MAX_HEIGHT_IN = 8.6


def _dumbbell_rows(cmp: ComparisonTable, pair: tuple[str, str] | None,
                   lab: Labeller) -> pd.DataFrame:
    t = cmp.to_frame()
    if pair is None:
        pair = (str(t["wave_a"].iloc[-1]), str(t["wave_b"].iloc[-1]))
    t = t[(t["wave_a"] == pair[0]) & (t["wave_b"] == pair[1])]
    if t.empty:
        raise ValueError(f"'pair' {pair} is not a pair of waves in the comparison.")
    labels, titles = [], []
    for _, r in t.iterrows():
        item, level = str(r["item"]), r["level"]
        text = _item_label(lab, item)
        titles.append("")
        if level is not None and not pd.isna(level):  # the question once, over its answers
            titles[-1], text = wrap(text, 95), lab.value(_item_var(lab, item), level)
        dom = " \u00b7 ".join(lab.value(b, r[b]) for b in cmp.by)
        text += f" [{dom}]" if dom else ""
        labels.append(wrap(text + (" \u2020" if "trend_break" in str(r["flags"]) else "")))
    keys = [_measure_key(lab, str(r["item"]), str(r["measure"]), float(r["estimate_a"]))
            + ((str(r["item"]),) if title else ())
            for title, (_, r) in zip(titles, t.iterrows(), strict=True)]
    return t.assign(label=labels, panel=pd.Series(keys, index=t.index, dtype=object),
                    title=titles)


def _measure_key(lab: Labeller, item: str, measure: str, value: float) -> tuple[Any, ...]:
    if measure in SHARE_MEASURES:
        return ("share",)
    if measure in ("nps", "mean_pomp"):
        return (measure,)
    return ("mean", *scale_key(lab.instrument, item, value))


def _panel_title(key: tuple[Any, ...], language: str) -> str:
    words = _TEXT[language]
    if key[0] == "share":
        return words["share"]
    if key[0] == "nps":
        return words["nps"]
    if key[0] == "mean_pomp":
        return words["pomp"]
    scale = scale_title(key[1:], language)
    return f"{words['mean']} ({scale[0].lower()}{scale[1:]})" if scale else words["mean"]


def _draw_dumbbells(ax: Any, rows: pd.DataFrame, alpha: float, scale: float,
                    language: str) -> None:
    y = np.arange(len(rows))[::-1]
    sig = (rows["p_adjusted"] < alpha).to_numpy()
    a = rows["estimate_a"].to_numpy(float) * scale
    b = rows["estimate_b"].to_numpy(float) * scale
    for yi, ai, bi, s in zip(y, a, b, sig, strict=True):
        ax.plot([ai, bi], [yi, yi], color=ACCENT if s else GREY, linewidth=2.5 if s else 1.5,
                gid="significant" if s else "not_significant", zorder=1)
    ax.scatter(a, y, s=36, facecolors="white", edgecolors="#444444", zorder=2, gid="wave_a")
    ax.scatter(b, y, s=36, c=np.where(sig, ACCENT, GREY), zorder=3, gid="wave_b")
    ax.set_yticks(y, rows["label"].tolist(), fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", color="#e5e5e5")
    span = float(np.ptp(ax.get_xlim()))
    ax.margins(x=0.08)
    ax.xaxis.set_major_formatter(axis_formatter(language, span))


def _panel_height(part: pd.DataFrame) -> float:
    """Inches a panel needs: its rows (by label lines), title, axis and ticks."""
    lines = part["label"].str.count("\n").to_numpy(int) + 1
    title = part["title"].iloc[0]
    return float(np.sum(0.16 + 0.12 * lines)) + 0.55 + (
        0.18 + 0.12 * title.count("\n") if title else 0.0)


def _pages(shown: pd.DataFrame, max_rows: int) -> list[list[pd.DataFrame]]:
    """Panels (one per scale) packed in order into figures that fit a page."""
    pages: list[list[pd.DataFrame]] = [[]]
    used = rows = 0.0
    for key in dict.fromkeys(shown["panel"]):
        part = shown[shown["panel"] == key]
        for start in range(0, len(part), max_rows):
            chunk = part.iloc[start:start + max_rows]
            need = _panel_height(chunk)
            if pages[-1] and (used + need > MAX_HEIGHT_IN or rows + len(chunk) > max_rows):
                pages.append([])
                used = rows = 0.0
            pages[-1].append(chunk)
            used, rows = used + need, rows + len(chunk)
    return pages


def _dumbbell_figure(panels: list[pd.DataFrame], alpha: float, adjust: str,
                     waves: tuple[str, str], notes: list[str], language: str,
                     title: str | None) -> Any:
    sizes = [_panel_height(p) for p in panels]
    note_lines = sum(n.count("\n") + 1 for n in notes)
    fig, axes = panel_figure(7.0, sum(sizes) + 0.45 + 0.13 * note_lines, sizes)
    for ax, part in zip(axes, panels, strict=True):
        key = part["panel"].iloc[0]
        _draw_dumbbells(ax, part, alpha, 100.0 if key[0] == "share" else 1.0, language)
        ax.set_xlabel(_panel_title(key, language), fontsize=8)
        if part["title"].iloc[0]:
            ax.set_title(part["title"].iloc[0], fontsize=8, loc="left")
    _legend(axes[0], waves, alpha, adjust, language)
    if notes:
        fig.supxlabel("\n".join(notes), fontsize=7, x=0.01, ha="left").set_gid("notes")
    if title:
        axes[0].set_title(title)
    return fig


def _prepare(cmp: ComparisonTable, alpha: float, pair: tuple[str, str] | None,
             instrument: Instrument | None, language: str
             ) -> tuple[pd.DataFrame, list[str], tuple[str, str], float]:
    check_type("cmp", cmp, ComparisonTable, "a ComparisonTable (from sk.compare)")
    alpha = check_probability("alpha", alpha)
    lab = Labeller(instrument, check_language(language))
    rows = _dumbbell_rows(cmp, pair, lab)
    shown = rows[rows["comparable"].astype(bool)]
    if shown.empty:
        raise ValueError("Nothing to plot: no comparable rows in the comparison.")
    words = _TEXT[lab.language]
    refused = [s.replace("\n", " ") for s in
               rows.loc[~rows["comparable"].astype(bool), "label"]]
    notes = [words["break"]] if any("\u2020" in s for s in shown["label"]) else []
    if refused:
        notes.append(wrap(words["refused"] + ", ".join(dict.fromkeys(refused)), 120))
    waves = (str(rows["wave_a"].iloc[0]), str(rows["wave_b"].iloc[0]))
    return shown, notes, waves, alpha


def dumbbell_plot(cmp: ComparisonTable, *, alpha: float = 0.05,
                  pair: tuple[str, str] | None = None, title: str | None = None,
                  instrument: Instrument | None = None, language: str = "en") -> Any:
    """Draw each item's estimate in two waves, highlighted when significant after adjustment.

    A dumbbell chart: the change is drawn dark when ``p_adjusted`` is below ``alpha``.

    Parameters
    ----------
    cmp : ComparisonTable
        From :func:`surveykit.compare`.
    alpha : float, default 0.05
        Significance level applied to ``p_adjusted`` (the table's adjustment).
    pair : (wave_a, wave_b), optional
        Which pair of waves to draw (default the newest pair).
    title : str, optional
        Figure title.
    instrument : Instrument, optional
        Source of item texts, index names, answer labels and scales (default: names).
    language : {"en", "nb"}
        Language of labels, legend and axis titles; numbers with a decimal comma in nb.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per scale (shares in percent, NPS, and means on each response scale have
        their own axes). The older wave is an open circle, the newer a filled one; the
        connecting bar is dark and thick for a significant change (``gid="significant"``),
        grey otherwise. Items with a trend break end in "\u2020"; items that were not
        compared are listed below the chart. For long lists use :func:`dumbbell_plots`,
        which splits them into figures that fit a page.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> fig = sk.report.dumbbell_plot(sk.compare({"a": d1, "b": d2}, ["api00", "sch.wide"]))
    >>> len(fig.axes)
    2

    """
    shown, notes, waves, alpha = _prepare(cmp, alpha, pair, instrument, language)
    panels = [shown[shown["panel"] == k] for k in dict.fromkeys(shown["panel"])]
    return _dumbbell_figure(panels, alpha, cmp.adjust, waves, notes, language, title)


def dumbbell_plots(cmp: ComparisonTable, *, alpha: float = 0.05,
                   pair: tuple[str, str] | None = None, instrument: Instrument | None = None,
                   language: str = "en", max_rows: int = MAX_ROWS) -> list[Any]:
    """Dumbbell charts split into figures of at most ``max_rows`` rows, each fitting a page.

    Same chart as :func:`dumbbell_plot`; panels (one per scale) are packed in order, a long
    panel continues in the next figure. Notes (trend breaks, items not compared) go under
    the last figure.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> figs = sk.report.dumbbell_plots(sk.compare({"a": d1, "b": d2}, ["api00", "api99"]),
    ...                                 max_rows=1)
    >>> len(figs)
    2

    """
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"'max_rows' must be a positive integer (got {max_rows!r}).")
    shown, notes, waves, alpha = _prepare(cmp, alpha, pair, instrument, language)
    pages = _pages(shown, max_rows)
    return [_dumbbell_figure(panels, alpha, cmp.adjust, waves,
                             notes if i == len(pages) - 1 else [], language, None)
            for i, panels in enumerate(pages)]


def _legend(ax: Any, waves: tuple[str, str], alpha: float, adjust: str, language: str) -> None:
    from matplotlib.lines import Line2D

    words = _TEXT[language]
    method = {"bh": "BH", "holm": "Holm", "bonferroni": "Bonferroni", "hochberg": "Hochberg",
              "hommel": "Hommel", "by": "BY", "none": words["unadjusted"]}
    level = f"{alpha:g}".replace(".", "," if language == "nb" else ".")
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
               markeredgecolor="#444444", label=waves[0]),
        Line2D([], [], marker="o", linestyle="", color=ACCENT, label=waves[1]),
        Line2D([], [], color=ACCENT, linewidth=2.5,
               label=words["sig"].format(method=method.get(adjust, adjust), alpha=level)),
        Line2D([], [], color=GREY, linewidth=1.5, label=words["not_sig"]),
    ]
    ax.figure.legend(handles=handles, fontsize=7, loc="outside upper center", ncols=4)
