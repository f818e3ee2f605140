"""Charts never mix scales on one axis and speak the report language (issue: appendix charts)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import surveykit as sk
from surveykit.datasets import generate_responses
from surveykit.reporting._docx import TEXT_AREA_CM, figure_size_cm
from surveykit.reporting._plots_axes import scale_key, value_range

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def waves():
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    a = generate_responses(xw.source, 300, seed=31, wave="2024", year=2025)
    b = generate_responses(xw.target, 300, seed=32, wave="2026", year=2026,
                           shifts={"pulse": 0.6})
    designs = {"2024": sk.SurveyDesign(a, weights=np.ones(len(a))),
               "2026": sk.SurveyDesign(b, weights=np.ones(len(b)))}
    return xw, designs


def _ticks(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]


def test_value_range_reads_the_scale_from_the_instrument():
    inst = sk.load_instrument("reputation", "2.0.0")
    assert value_range(inst, "pulse") == (0.0, 100.0)  # POMP index
    assert value_range(inst, "attributes") == (1.0, 5.0)  # mean of 1-5 statements
    assert value_range(inst, "pulse.trust") == value_range(inst, "pulse_trust") == (1.0, 7.0)
    assert scale_key(None, "x", 62.0) != scale_key(None, "y", 3.4)  # by size, no instrument


def test_plot_puts_each_scale_on_its_own_axis_with_reader_labels(waves):
    xw, designs = waves
    cols = ["pulse_trust", "attr_jobs", "attr_housing"]
    data = designs["2026"].data[cols]
    answers = data.where(data < 90)  # generated data carry the missing codes (97, 98)
    est = sk.mean(sk.SurveyDesign(answers, weights=np.ones(len(answers))), cols,
                  nan_policy="omit")
    fig = sk.report.plot(est, instrument=xw.target, language="nb", kind="dot")
    assert len(fig.axes) == 2
    assert [ax.get_xlabel() for ax in fig.axes] == ["Skala 1–7", "Skala 1–5"]
    labels = _ticks(fig)
    assert all("_" not in s and "." not in s.replace("\n", " ").split()[-1] for s in labels)
    assert any(s.startswith("Hamarregionen er et sted") for s in labels)
    fig.canvas.draw()
    numbers = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() if t.get_text()]
    assert any("," in t for t in numbers) and not any("." in t for t in numbers)


def test_dumbbell_in_norwegian_with_instrument_texts_and_one_scale_per_panel(waves):
    xw, designs = waves
    cmp = sk.compare(designs, ["impression", "pulse", "recommend_live", "attributes",
                               "education", "mp_heard"], crosswalk=xw,
                     measure={"education": "proportion"})
    figs = sk.report.dumbbell_plots(cmp, instrument=xw.target, language="nb")
    labels = [s for f in figs for s in _ticks(f)]
    assert not [s for s in labels if "." in s.split(" ")[0] or "_" in s]
    assert "Grunnskole" in labels  # answer label, question once as the panel title
    titles = [ax.get_title(loc="left") for f in figs for ax in f.axes]
    assert any(t.startswith("Hva er den høyeste utdanningen") for t in titles)
    xlabels = [ax.get_xlabel() for f in figs for ax in f.axes]
    assert "Gjennomsnitt (skala 1–7)" in xlabels and "Gjennomsnitt (skala 1–5)" in xlabels
    assert "Andel (prosent)" in xlabels and "NPS (−100 til 100)" in xlabels
    legend = [t.get_text() for f in figs for leg in f.legends for t in leg.get_texts()]
    assert "signifikant (BH, p < 0,05)" in legend and "ikke signifikant" in legend
    notes = [t.get_text() for f in figs for t in f.findobj(matplotlib.text.Text)
             if t.get_gid() == "notes"]
    assert len(notes) == 1 and notes[0].count("Ikke sammenlignet: Har du hørt om") == 1
    for f in figs:  # rows per figure fit a page: printed without shrinking the type much
        width, height = (v * 150 for v in f.get_size_inches())
        assert figure_size_cm(int(width), int(height))[1] <= TEXT_AREA_CM[1] - 2.6
        assert f.get_size_inches()[1] * 2.54 * (TEXT_AREA_CM[0] / (7.0 * 2.54)) \
            <= TEXT_AREA_CM[1]
    assert sum(len(_ticks(f)) for f in figs) == int(cmp.to_frame()["comparable"].sum())


def test_dumbbell_plots_refuses_a_bad_row_limit(waves):
    xw, designs = waves
    cmp = sk.compare(designs, ["impression"], crosswalk=xw)
    with pytest.raises(ValueError, match="'max_rows' must be a positive integer"):
        sk.report.dumbbell_plots(cmp, max_rows=0)
