"""sk.report.trend_plot and sk.report.dumbbell_plot: rendered with Agg, checked by artists."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import generate_responses, load_api

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def cmp() -> sk.ComparisonTable:
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    a = generate_responses(xw.source, 300, seed=21, wave="2024", year=2025)
    b = generate_responses(xw.target, 300, seed=22, wave="2026", year=2026,
                           shifts={"pulse": 0.6})
    designs = {"2024": sk.SurveyDesign(a, weights=np.ones(len(a))),
               "2026": sk.SurveyDesign(b, weights=np.ones(len(b)))}
    return sk.compare(designs, ["impression", "pulse", "recommend_live", "mp_heard"],
                      crosswalk=xw)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    return buf.getvalue()


def _connectors(ax) -> list:
    """Lines drawn between waves (solid, no gid); error-bar markers have no line style."""
    return [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and ln.get_gid() is None]


def test_trend_plot_marks_the_break(cmp) -> None:
    fig = sk.report.trend_plot(cmp, ["impression", "pulse.trust"], title="t")
    assert _png(fig).startswith(b"\x89PNG")
    by_title = {ax.get_title(): ax for ax in fig.axes}
    imp, trust = by_title["impression"], by_title["pulse.trust"]
    assert [ln.get_gid() for ln in imp.get_lines()].count("trend_break") == 1
    assert "trend_break" not in [ln.get_gid() for ln in trust.get_lines()]
    assert _connectors(imp) == [] and len(_connectors(trust)) == 1  # no line across a break
    assert any(t.get_text() == "trend break" for t in imp.texts)
    assert [t.get_text() for t in imp.get_xticklabels()] == ["2024", "2026"]
    assert imp.get_ylabel() == "POMP (0-100)"


def test_trend_plot_from_estimate_tables_with_domains() -> None:
    d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    tables = {"a": sk.mean(d1, "api00", by="stype"), "b": sk.mean(d2, "api00", by="stype"),
              "c": sk.mean(d1, "api00", by="stype")}
    fig = sk.report.trend_plot(tables, trend_breaks={"api00": "c"})
    (ax,) = fig.axes
    assert len(ax.get_legend().get_texts()) == 4  # E, H, M and the break
    assert len(_connectors(ax)) == 3  # a-b joined per domain, b-c broken
    assert [ln.get_gid() for ln in ax.get_lines()].count("trend_break") == 1
    _png(fig)


def test_dumbbell_highlights_adjusted_significance(cmp) -> None:
    fig = sk.report.dumbbell_plot(cmp, alpha=0.05)
    assert _png(fig).startswith(b"\x89PNG")
    t = cmp.to_frame()
    shown = t[t["comparable"]]
    gids = [ln.get_gid() for ax in fig.axes for ln in ax.get_lines()]
    assert gids.count("significant") == int((shown["p_adjusted"] < 0.05).sum()) > 0
    assert gids.count("significant") + gids.count("not_significant") == len(shown)
    assert len(fig.axes) == shown["measure"].nunique()
    labels = [lab.get_text() for ax in fig.axes for lab in ax.get_yticklabels()]
    assert "impression †" in labels and "pulse.trust" in labels
    notes = [txt for txt in fig.findobj(matplotlib.text.Text) if txt.get_gid() == "notes"]
    assert "Not compared: mp_heard" in notes[0].get_text()
    legend = [txt.get_text() for leg in fig.legends for txt in leg.get_texts()]
    assert "significant (BH p < 0.05)" in legend


def test_dumbbell_with_bonferroni_and_strict_alpha(cmp) -> None:
    fig = sk.report.dumbbell_plot(cmp, alpha=1e-300)
    gids = [ln.get_gid() for ax in fig.axes for ln in ax.get_lines()]
    assert "significant" not in gids


def test_bad_arguments(cmp) -> None:
    with pytest.raises(TypeError, match="'cmp' must be a ComparisonTable"):
        sk.report.dumbbell_plot(pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'pair'"):
        sk.report.dumbbell_plot(cmp, pair=("2026", "2024"))
    with pytest.raises(ValueError, match="alpha"):
        sk.report.dumbbell_plot(cmp, alpha=2.0)
    with pytest.raises(KeyError, match="'items' names"):
        sk.report.trend_plot(cmp, ["nope"])
    with pytest.raises(ValueError, match="'mp_heard' was not compared"):
        sk.report.trend_plot(cmp, ["mp_heard"])
    with pytest.raises(TypeError, match="'source' must be"):
        sk.report.trend_plot([1, 2])  # type: ignore[arg-type]
