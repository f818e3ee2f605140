"""participation(): census indicators worked out by hand, and feedback estimates with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from participation_fixtures import EXPECTED, KEY, feedback_forms, fixture_result, write_fixtures
from scipy import stats

import surveykit as sk
from surveykit.participation import EventRegister, ParticipationResult, read_attendance


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return fixture_result(tmp_path_factory.mktemp("participation"))


def test_headline_against_target(result):
    assert isinstance(result, ParticipationResult)
    assert result.participants == EXPECTED["participants"]
    assert result.value("target") == 300
    assert result.value("share_of_target") == pytest.approx(5 / 300)
    assert result.value("attendances") == 10
    assert result.value("unidentified_attendances") == 2
    assert result.value("events_registered") == 5 and result.value("events_held") == 4
    assert result.value("concepts_held") == 4
    assert result.value("share_20_40") == pytest.approx(EXPECTED["share_20_40"])
    assert result.value("returning_participants") == 3
    assert result.value("feedback_forms") == 12
    with pytest.raises(KeyError, match="available"):
        result.value("nope")


def test_by_concept(result):
    conc = result.by_concept.set_index("concept")
    assert conc["participants"].to_dict() == EXPECTED["participants_by_concept"]
    assert conc.loc["open_evening_venue", "attendances"] == 4
    assert conc.loc["open_evening_venue", "unidentified"] == 2
    assert conc["first_time"].sum() == EXPECTED["participants"]
    assert conc["share_of_participants"].to_dict()["outdoor_meetup"] == pytest.approx(3 / 5)


def test_per_event_first_time_and_returning(result):
    ev = result.per_event.set_index("event_id")
    assert ev["attendances"].to_dict() == EXPECTED["attendances_by_event"]
    assert ev["first_time"].to_dict() == EXPECTED["first_time_by_event"]
    assert (ev["first_time"] + ev["returning"] + ev["unidentified"] == ev["attendances"]).all()
    ftr = result.first_time_returning.set_index("concept")
    assert ftr.loc["all"].tolist() == [5, 3, 2]


def test_repeat_visits_age_and_municipality(result):
    rep = result.repeat_visits.set_index("events_attended")["participants"]
    assert rep[rep > 0].to_dict() == EXPECTED["repeat"]
    age = result.by_age_band.set_index("age_band")["participants"]
    assert age.to_dict() == {"under 20": 0, "20-24": 0, "25-29": 1, "30-34": 3, "35-40": 0,
                             "over 40": 1, "unknown": 0}
    muni = result.by_municipality.set_index("municipality")["participants"]
    assert muni.to_dict() == EXPECTED["municipality"]
    assert result.by_newcomer is None


def test_progress_is_cumulative_distinct(result):
    prog = result.progress
    assert prog["month"].iloc[0] == pd.Timestamp("2025-06-01")
    assert prog["month"].iloc[-1] == pd.Timestamp("2025-10-01")
    assert prog["new_participants"].tolist() == [0, 0, 0, 3, 2]  # Sep: Kari, Siri, Per
    assert prog["cumulative_participants"].iloc[-1] == result.participants
    assert prog["attendances"].sum() == 10
    days = (pd.Timestamp("2025-10-31") - pd.Timestamp("2025-06-01")).days + 1
    assert prog["even_pace"].iloc[-1] == pytest.approx(300 * days / 731)


def _nps_by_hand(scores: np.ndarray, n_total: int):
    """SRS domain estimator as R's svyby(~I(...), ~concept, svydesign(ids=~1, data=forms))."""
    est = scores.mean()
    se = np.sqrt(n_total / (n_total - 1) * np.sum((scores - est) ** 2)) / len(scores)
    return est, se


def test_feedback_nps_and_shares_by_hand(result):
    fb = result.feedback.set_index(["concept", "indicator"])
    forms = feedback_forms()
    n = len(forms)
    rec = forms.loc[forms["concept"] == "open_evening_venue", "recommend"]
    rec = rec[rec <= 10].to_numpy()
    scores = 100.0 * (rec >= 9) - 100.0 * (rec <= 6)
    est, se = _nps_by_hand(scores, n)
    row = fb.loc[("open_evening_venue", "nps")]
    assert row["estimate"] == pytest.approx(25.0)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    t = stats.t.ppf(0.975, n - 1)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((est - t * se, est + t * se),
                                                           rel=1e-9)
    assert row["n"] == 4
    # come again: codes 1-2 of 4 ("don't know" 98 leaves the base)
    assert fb.loc[("open_evening_venue", "come_again"), "estimate"] == pytest.approx(3 / 4)
    assert fb.loc[("activity_night", "satisfaction_top2"), "estimate"] == pytest.approx(2 / 4)
    assert fb.loc[("all", "satisfaction_mean"), "estimate"] == pytest.approx(44 / 11)
    # the form's concept is replaced by the register's where the event code is known
    assert fb.loc[("outdoor_meetup", "nps"), "n"] == 3


def test_feedback_matches_sk_nps_on_an_unweighted_design(result):
    forms = feedback_forms()
    forms = forms.assign(recommend=forms["recommend"].where(forms["recommend"] <= 10))
    d = sk.SurveyDesign(forms, weights=np.ones(len(forms)))
    direct = sk.nps(d, "recommend", by="concept").to_frame().set_index("concept")
    ours = result.feedback[result.feedback["indicator"] == "nps"].set_index("concept")
    for concept in direct.index:
        assert ours.loc[concept, "estimate"] == pytest.approx(direct.loc[concept, "estimate"])
        assert ours.loc[concept, "se"] == pytest.approx(direct.loc[concept, "se"])


def test_notes_say_census_and_self_selection(result):
    text = " ".join(result.notes)
    assert "census" in text and "no intervals" in text
    assert "self-selected" in text and "not weighted" in text


def test_register_mismatch_and_bad_level_are_refused(result, tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    files = write_fixtures(tmp_path)
    reg = EventRegister.load(files["register"])
    att = read_attendance(files["other"], reg)
    other = EventRegister.from_frame(reg.events.iloc[:2])
    with pytest.raises(ValueError, match="another event register"):
        sk.participation(other, att)
    with pytest.raises(ValueError, match="'confidence_level'"):
        sk.participation(reg, att, confidence_level=95)


def test_paths_are_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    files = write_fixtures(tmp_path)
    res = sk.participation(files["register"], [files["signup"], files["other"]])
    assert res.participants == 5  # Kari, Per, Ola, Kari (namesake), Siri; no check-in sheet
    assert res.feedback is None and len(res.notes) == 3
