"""The meeting-places appendix section: tables, charts, suppression and the notes."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pytest
from participation_fixtures import fixture_result

import surveykit as sk
from surveykit.participation import (
    add_participation_section,
    concept_chart,
    progress_chart,
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return fixture_result(tmp_path_factory.mktemp("appendix"))


def _tables(sec):
    return {b.caption: b.table for b in sec.content if hasattr(b, "table")}


def test_section_content_nb(result):
    app = sk.report.Appendix(title="Vedlegg", language="nb")
    sec = add_participation_section(app, result)
    assert sec.title == "Møteplasser"
    kinds = [type(b).__name__ for b in sec.content]
    assert kinds.count("Figure") == 2
    tables = _tables(sec)
    key = tables["Nøkkeltall for møteplassene"].display
    assert key.iloc[0].tolist() == ["Unike deltakere", "5", ""]
    paragraphs = " ".join(b.text for b in sec.content if type(b).__name__ == "Paragraph")
    assert "totaltelling" in paragraphs and "300" in paragraphs
    feedback = next(b for b in sec.content if "Tilbakemeldingsskjemaet" in str(
        getattr(b, "caption", "")))
    assert any("selvselektert" in n for n in feedback.notes)


def test_small_cells_are_suppressed_with_secondary_suppression(result):
    app = sk.report.Appendix(title="Appendix", language="en")
    tables = _tables(add_participation_section(app, result, suppress_below=3))
    muni = tables["Distinct participants by municipality of residence"].display
    # 3 in Hamar, 1 in Stange, 1 in Løten: the two single counts are hidden
    assert muni.set_index("Municipality")["Distinct participants"].to_dict() == {
        "Hamar": "3", "Stange": ":", "Løten": ":"}
    events = tables["Attendance by event"].display.set_index("Event")
    assert events.loc["OLD-01", "Attendances"] == "0"
    assert events.loc["NT-01", "Attendances"] == ":"
    assert events.loc["KV-01", "Attendances"] == "4"
    # KV-01: first time 2, returning 0, unidentified 2: the 2s are primary, the 0 stays
    assert events.loc["KV-01", ["First time", "Returning", "Without identifier"]].tolist() == [
        ":", "0", ":"]
    notes = " ".join(tables["Attendance by event"].notes)
    assert "fewer than 3 people" in notes


def test_suppression_off_shows_all_counts(result):
    app = sk.report.Appendix(title="Appendix", language="en")
    tables = _tables(add_participation_section(app, result, suppress_below=1))
    muni = tables["Distinct participants by municipality of residence"]
    assert ":" not in muni.display.to_numpy()
    assert muni.numeric["Share (%)"].tolist() == pytest.approx([60.0, 20.0, 20.0])


def test_charts_have_target_line_and_period(result):
    open_before = plt.get_fignums()
    fig = progress_chart(result, language="en")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Target: 300 participants" in labels and "Project period" in labels
    target = [line for line in ax.get_lines() if np.allclose(line.get_ydata(), 300)]
    assert target
    start, end = (d.date() for d in mdates.num2date(ax.get_xlim()))
    assert start < dt.date(2025, 6, 1) and end > dt.date(2027, 6, 1)
    fig = concept_chart(result, language="nb", suppress_below=4)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["Kveldsåpent møtested", "Aktivitetskveld", "Nettverkstreff for nye i jobb",
                     "Friluftstreff"]
    # NPS points only for concepts with at least 4 forms (open evening venue, activity night)
    points = fig.axes[1].lines[0].get_xdata()
    assert len(points) == 2
    assert plt.get_fignums() == open_before  # plain Figures: no pyplot state to close


def test_html_is_written(result, tmp_path):
    app = sk.report.Appendix(title="Appendix", language="en")
    add_participation_section(app, result)
    html = app.to_html(tmp_path / "a.html")
    assert "Meeting places" in html and "data:image/png;base64," in html
    assert "self-selected" in html


def test_bad_arguments(result):
    app = sk.report.Appendix(title="Appendix", language="en")
    with pytest.raises(ValueError, match="'language'"):
        add_participation_section(app, result, language="sv")
    with pytest.raises(TypeError, match="ParticipationResult"):
        add_participation_section(app, result.indicators)
