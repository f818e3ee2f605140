"""Panels stacked in one column, laid out from their measured labels in one pass.

matplotlib's constrained layout finds each panel's margins by asking every axis for its
tight box, twice per draw, and a tight crop asks again: on the report's charts that was
most of the time spent drawing them. These charts are simple (one column of panels; tick
labels left and below, the axis title below them, a panel title or legend above), so
:class:`PanelStack` measures just those labels, once, and places the panels as constrained
layout does: :data:`PAD_POINTS` around the content and around each panel, the plotting
areas in the given height ratios, a figure legend on top and the figure's x label (the
notes) at the bottom. It also keeps the box its content fills (``content_box``), so that
:func:`surveykit.reporting._png.render_png` need not measure the drawing again.

Measuring reads a few matplotlib internals (``Axis._update_ticks``, ``Axes._left_title``,
``Figure._supxlabel``, ``Figure._get_renderer``; the last is what matplotlib's own layout
engines call). Should a matplotlib release drop one, the figure is laid out by constrained
layout instead, with a warning: the same chart, drawn more slowly.

This module imports matplotlib; it is imported on a chart's first use.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.transforms import Bbox

__all__ = ["PAD_POINTS", "PanelStack"]

#: space around the content and around each panel (points), constrained layout's default
PAD_POINTS = 3.0


def _extents(artists: list[Any], renderer: Any) -> list[Any]:
    return [a.get_window_extent(renderer) for a in artists
            if a.get_visible() and a.get_text()]


def _drawn_ticklabels(axis: Any) -> list[Any]:
    """Tick labels the axis will draw, with their text and place set as drawing sets them."""
    return [tick.label1 for tick in axis._update_ticks()]


def _margins(ax: Any, renderer: Any, dpi: float) -> tuple[float, float, float, float]:
    """Left, bottom, right, top space (pixels) the axes' labels take outside its box."""
    box = ax.bbox
    ticks = _extents(_drawn_ticklabels(ax.yaxis) + _drawn_ticklabels(ax.xaxis), renderer)
    left = max([box.x0 - t.x0 for t in ticks], default=0.0)
    right = max([t.x1 - box.x1 for t in ticks], default=0.0)
    below = max([box.y0 - t.y0 for t in ticks], default=0.0)
    label = ax.xaxis.label
    if label.get_visible() and label.get_text():
        below += ax.xaxis.labelpad * dpi / 72 + label.get_window_extent(renderer).height
    above = [ax.title, ax._left_title, ax._right_title]  # the three titles
    tops = _extents(above, renderer)
    if ax.get_legend() is not None:
        tops.append(ax.get_legend().get_window_extent(renderer))
    top = max([t.y1 - box.y1 for t in tops], default=0.0)
    return max(left, 0.0), max(below, 0.0), max(right, 0.0), max(top, 0.0)


class PanelStack(LayoutEngine):
    """Lay out a figure's axes as one column of panels, from one measuring pass.

    Parameters
    ----------
    ratios : sequence of float
        Relative heights of the panels' plotting areas, top to bottom (one per axes).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = Figure(figsize=(4, 3), layout=PanelStack([2, 1]))
    >>> top, bottom = fig.subplots(2, 1)
    >>> _ = top.set_yticks([0, 1], ["a long label", "b"])
    >>> FigureCanvasAgg(fig).draw()
    >>> bool(top.get_position().x0 == bottom.get_position().x0 > 0.2)  # aligned, room left
    True
    >>> [round(float(v), 3) for v in fig.get_layout_engine().content_box.extents]  # inches
    [0.042, 0.042, 3.958, 2.958]

    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(self, ratios: Sequence[float]) -> None:
        super().__init__()
        self._params = {"ratios": tuple(float(r) for r in ratios)}
        #: what the last layout drew into (inches, figure coordinates); None before
        self.content_box: Any = None

    def execute(self, fig: Any) -> None:
        """Place the axes, the figure legend and the notes; keep the content box."""
        try:
            self._place(fig)
        except AttributeError as exc:
            if not (exc.name or "").startswith("_"):
                raise
            warnings.warn(f"this matplotlib has no {exc.name!r}, which surveykit's chart "
                          "layout reads: the chart is laid out by constrained layout "
                          "instead (the same chart, drawn more slowly).", stacklevel=2)
            self.content_box = None
            ConstrainedLayoutEngine().execute(fig)

    def _place(self, fig: Any) -> None:
        renderer = fig._get_renderer()  # as matplotlib's own engines do
        dpi = fig.dpi
        width, height = fig.bbox.width, fig.bbox.height
        pad = PAD_POINTS * dpi / 72
        top = max([height - leg.get_window_extent(renderer).y0 + pad
                   for leg in fig.legends], default=pad)
        notes = fig._supxlabel  # the figure's x label, if any
        bottom = pad
        if notes is not None and notes.get_visible() and notes.get_text():
            notes.set_y(pad / height)
            notes.set_verticalalignment("bottom")
            bottom += notes.get_window_extent(renderer).height + pad
        axes = fig.axes
        margins = [_margins(ax, renderer, dpi) for ax in axes]
        left = pad + max(m[0] for m in margins)
        right = pad + max(m[2] for m in margins)
        ratios = self._params["ratios"]
        free = (height - top - bottom - sum(m[1] + m[3] for m in margins)
                - 2 * pad * (len(axes) - 1))
        y = height - top
        for ax, (_, below, _, above), ratio in zip(axes, margins, ratios, strict=True):
            h = max(free * ratio / sum(ratios), 1.0)
            y -= above + h
            ax.set_position([left / width, y / height, (width - left - right) / width,
                             h / height])
            y -= below + 2 * pad
        self.content_box = self._content(fig, renderer, pad)

    @staticmethod
    def _content(fig: Any, renderer: Any, pad: float) -> Any:
        """Return the figure less ``pad``, grown by any figure text outside it (inches)."""
        box = fig.bbox.padded(-pad)
        outside = [t.get_window_extent(renderer) for t in fig.texts
                   if t.get_visible() and t.get_text()]
        return Bbox.union([box, *outside]).transformed(fig.dpi_scale_trans.inverted())
