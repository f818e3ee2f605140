"""The demo study's meeting-place files: indicators agree with what the generator planted."""

from __future__ import annotations

import re
import warnings

import pytest

import surveykit as sk
from surveykit.participation import EventRegister, add_participation_section, read_attendance


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    manifest = sk.make_demo_study(out)
    base = out / "meeting_places"
    mp = pytest.MonkeyPatch()
    mp.setenv("SURVEYKIT_PSEUDONYM_KEY", "demo-test-key")
    reg = EventRegister.load(base / "events.csv")
    att = read_attendance(base / "attendance.csv", reg, participants=base / "register.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read_responses notes about the demo's quality flags
        res = sk.participation(reg, att, base / "data" / "pilot-msforms.xlsx")
    mp.undo()
    planted = manifest["files"]["meeting_places/data/pilot-msforms.xlsx"]["participation"]
    return res, planted, out


def test_counts_match_the_generator(demo):
    res, planted, _ = demo
    assert res.participants == planted["participants"] == 300
    assert res.value("attendances") == planted["attendances"]
    assert res.value("events_held") == planted["events"]
    assert res.value("concepts_held") == planted["concepts"] >= 3
    assert res.value("returning_participants") == planted["repeat_participants"]
    assert res.value("feedback_forms") == planted["feedback_forms"]
    assert res.accounting.read == res.accounting.accepted == planted["attendances"]
    assert res.by_concept["participants"].min() > 0
    assert res.progress["cumulative_participants"].iloc[-1] == 300


def test_feedback_per_concept_has_intervals(demo):
    res, _, _ = demo
    nps = res.feedback[res.feedback["indicator"] == "nps"]
    assert len(nps) == res.value("concepts_held") + 1
    assert (nps["ci_low"] < nps["estimate"]).all() and (nps["estimate"] < nps["ci_high"]).all()
    assert nps["estimate"].between(-100, 100).all()
    assert nps["n"].sum() - nps.loc[nps["concept"] == "all", "n"].sum() == nps.loc[
        nps["concept"] == "all", "n"].iloc[0]


def test_appendix_section_on_the_demo(demo):
    res, _, out = demo
    app = sk.report.Appendix(title="Vedlegg", language="nb")
    add_participation_section(app, res)
    html = app.to_html(out / "meeting_places_appendix.html")
    assert "Møteplasser" in html and "selvselektert" in html
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert not re.search(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", text)
