"""Report charts are laid out from their labels measured once, not by repeated tight boxes."""

from __future__ import annotations

import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg

import surveykit as sk
from surveykit.datasets import load_api
from surveykit.reporting._appendix import FIGURE_DPI, figure_png
from surveykit.reporting._plots_layout import PAD_POINTS


@pytest.fixture(scope="module")
def dumbbell():
    d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    cmp = sk.compare({"2024": d1, "2026": d2}, ["api00", "api99", "enroll", "sch.wide"])
    return sk.report.dumbbell_plot(cmp, language="nb", title="Endring")


@pytest.fixture(scope="module")
def bars():
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    return sk.report.plot(sk.mean(d, ["api00", "enroll"], by="stype"), kind="dot")


def _drawn(fig):
    fig.set_dpi(FIGURE_DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _decorations(ax, renderer):
    """Window extents of the drawn tick labels, the axis title and the panel titles."""
    drawn = [tick.label1 for axis in (ax.xaxis, ax.yaxis) for tick in axis._update_ticks()]
    texts = [*drawn, ax.xaxis.label, ax.title, ax._left_title]
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("name", ["dumbbell", "bars"])
def test_labels_inside_the_figure_and_clear_of_the_other_panels(name, request) -> None:
    fig = request.getfixturevalue(name)
    renderer = _drawn(fig)
    pad = PAD_POINTS * FIGURE_DPI / 72
    inner = fig.bbox.padded(-pad + 1)  # a pixel of rounding
    lefts = {round(ax.get_position().x0, 9) for ax in fig.axes}
    assert len(lefts) == 1  # the panels are aligned
    boxes = []
    for ax in fig.axes:
        own = _decorations(ax, renderer)
        assert own and all(inner.contains(b.x0, b.y0) and inner.contains(b.x1, b.y1)
                           for b in own)
        boxes.append((ax, own))
    for ax, own in boxes:  # no label of a panel runs into another panel or its labels
        for other, theirs in boxes:
            if other is not ax:
                assert not any(b.overlaps(c) for b in own
                               for c in [*theirs, other.get_window_extent(renderer)])
    legends = [leg.get_window_extent(renderer) for leg in fig.legends]
    assert all(inner.contains(b.x0, b.y0) and not b.overlaps(fig.axes[0].bbox)
               for b in legends)


def test_figure_png_asks_no_axes_for_its_tight_box(bars, monkeypatch) -> None:
    """Constrained layout and the tight crop measured every axis several times per chart."""
    calls = []
    tight = Axes.get_tightbbox

    def counting(self, *args, **kwargs):
        calls.append(self)
        return tight(self, *args, **kwargs)

    monkeypatch.setattr(Axes, "get_tightbbox", counting)
    png = figure_png(bars)
    assert png[1:4] == b"PNG" and calls == []


def test_without_the_internals_it_reads_the_layout_falls_back_to_constrained(monkeypatch) -> None:
    """A matplotlib without ``Axis._update_ticks``: a warning and the same chart, laid out."""
    from surveykit.reporting import _plots_layout

    def gone(axis):
        raise AttributeError("'YAxis' object has no attribute '_update_ticks'",
                             name="_update_ticks")

    monkeypatch.setattr(_plots_layout, "_drawn_ticklabels", gone)
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    fig = sk.report.plot(sk.mean(d, ["api00", "enroll"], by="stype"), kind="dot")
    engine = fig.get_layout_engine()
    with pytest.warns(UserWarning, match="no '_update_ticks'.*constrained layout"):
        engine.execute(fig)
    assert engine.content_box is None  # the crop measures the drawing instead
    lefts = {round(ax.get_position().x0, 9) for ax in fig.axes}
    assert len(lefts) == 1 and min(lefts) > 0.05  # aligned, with room for the labels
    with pytest.warns(UserWarning, match="constrained layout"):
        assert figure_png(fig)[1:4] == b"PNG"


def test_another_attribute_error_is_not_hidden(monkeypatch) -> None:
    from surveykit.reporting._plots_layout import PanelStack

    def broken(self, fig):
        raise AttributeError("'NoneType' object has no attribute 'get_text'", name="get_text")

    monkeypatch.setattr(PanelStack, "_place", broken)
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    fig = sk.report.plot(sk.mean(d, ["api00"], by="stype"), kind="dot")
    with pytest.raises(AttributeError, match="get_text"):
        fig.get_layout_engine().execute(fig)
