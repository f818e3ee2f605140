"""A figure becomes PNG bytes from one layout and one draw, the size savefig gives it."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from matplotlib.figure import Figure

from surveykit.reporting import new_figure
from surveykit.reporting._appendix import FIGURE_DPI, figure_png
from surveykit.reporting._png import render_png


def _chart() -> Figure:
    fig = new_figure(6, 3)
    ax = fig.subplots()
    ax.barh([0, 1, 2], [3.0, 1.5, 2.2], color="#1f4e79")
    ax.set_yticks([0, 1, 2], ["En lang kategori\nover to linjer", "Kort", "Mellom"])
    ax.set_xlabel("Andel (prosent)")
    fig.legend(["serie"], loc="outside upper center")
    return fig


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _savefig_tight(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _pixels(png: bytes) -> np.ndarray:
    from matplotlib.image import imread

    return imread(io.BytesIO(png), format="png")


def _count_draws(fig: Figure, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    draw = Figure.draw

    def counting(self: Figure, renderer: object) -> None:
        calls.append(1)
        draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    return calls


def test_figure_is_laid_out_and_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fig = _chart()
    calls = _count_draws(fig, monkeypatch)
    figure_png(fig)
    assert len(calls) == 1  # savefig(bbox_inches="tight") draws twice


def test_same_size_in_pixels_as_savefig_tight() -> None:
    assert _size(figure_png(_chart())) == _size(_savefig_tight(_chart()))


def test_the_margin_is_white_and_the_content_is_drawn() -> None:
    img = _pixels(figure_png(_chart()))
    pad = round(0.05 * FIGURE_DPI)  # of the 0.1 in margin; frames may bleed a pixel or two
    for edge in (img[:pad], img[-pad:], img[:, :pad], img[:, -pad:]):
        assert np.all(edge == 1.0)
    assert (img[..., :3] < 0.5).any()  # bars and text


def test_same_bytes_twice_and_the_figure_restored() -> None:
    fig = _chart()
    canvas, dpi, face = fig.canvas, fig.dpi, fig.get_facecolor()
    first = figure_png(fig)
    assert figure_png(fig) == first
    assert fig.canvas is canvas and fig.dpi == dpi and fig.get_facecolor() == face
    assert b"tEXt" not in first and b"Matplotlib" not in first


def test_content_outside_the_figure_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A note below the figure (as plot() writes for suppressed rows) is in the picture."""
    fig = _chart()
    fig.text(0.0, -0.02, "Ikke vist (færre enn 5 respondenter): A, B.", va="top")
    engine = fig.get_layout_engine()
    png = render_png(fig, FIGURE_DPI)
    width, height = _size(png)
    assert height > 3 * FIGURE_DPI  # taller than the figure: the note is inside
    assert (width, height) == _size(_savefig_tight(fig))
    assert fig.get_layout_engine() is engine
    img = _pixels(png)
    assert (img[-int(0.2 * FIGURE_DPI):, :, :3] < 0.5).any()  # the note's text
