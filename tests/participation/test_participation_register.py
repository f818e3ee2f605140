"""EventRegister: YAML and CSV registers, validation errors naming file, row and key."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from participation_fixtures import write_fixtures

from surveykit import IngestionError
from surveykit.participation import PROJECT_PERIOD, EventRegister


def test_yaml_register_is_typed_and_keeps_optional_columns(tmp_path):
    reg = EventRegister.load(write_fixtures(tmp_path)["register"])
    assert len(reg) == 5
    assert reg.concepts == ["open_evening_venue", "activity_night", "newcomer_networking",
                            "outdoor_meetup"]
    assert reg.events["date"].dtype.kind == "M"
    assert reg.events.loc[0, "venue"] == "Kulturhuset"
    assert reg.events.loc[0, "municipality"] == "3403"
    assert reg.period == PROJECT_PERIOD == (dt.date(2025, 6, 1), dt.date(2027, 6, 1))
    assert reg.outside_period["event_id"].tolist() == ["OLD-01"]


def test_csv_register_with_norwegian_headers_and_dates(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("Arrangement;Konsept;Dato;Kommune;Arrangør\n"
                    "KV-01;open_evening_venue;04.09.2025;Hamar;Frivilligsentralen\n"
                    "AK-01;activity_night;2025-09-10;Ringsaker;Ungdomsrådet\n", encoding="utf-8")
    reg = EventRegister.load(path)
    assert reg.events["date"].tolist() == [pd.Timestamp("2025-09-04"), pd.Timestamp("2025-09-10")]
    assert reg.events["organiser"].tolist() == ["Frivilligsentralen", "Ungdomsrådet"]


def test_every_problem_is_listed_with_rows_and_keys(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("events:\n"
                    "  - {event_id: A, concept: activity_night, date: 2025-09-01}\n"
                    "  - {event_id: A, concept: outdoor_meetup, date: 2025-09-02}\n"
                    "  - {event_id: B, concept: '', date: someday}\n", encoding="utf-8")
    with pytest.raises(IngestionError) as err:
        EventRegister.load(path)
    msg = str(err.value)
    assert str(path) in msg
    assert "3 problem(s)" in msg
    assert "blank 'concept' at events[2].concept" in msg
    assert "'date' not a date" in msg and "events[2].date" in msg and "someday" in msg
    assert "duplicate 'event_id' ['A'] at events[0].event_id, events[1].event_id" in msg


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,venue\nA,Hall\n", encoding="utf-8")
    with pytest.raises(IngestionError, match=r"no column for \['concept', 'date'\]"):
        EventRegister.load(path)


def test_yaml_without_events_list_is_explained(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("title: pilots\n", encoding="utf-8")
    with pytest.raises(IngestionError, match="list of events under the key 'events'"):
        EventRegister.load(path)


def test_period_is_checked_and_input_frame_not_mutated():
    frame = pd.DataFrame({"id": ["A"], "concept": ["x"], "date": ["2025-09-01"]})
    before = frame.copy()
    reg = EventRegister.from_frame(frame, period=("2025-01-01", "2025-12-31"))
    pd.testing.assert_frame_equal(frame, before)
    assert reg.events["event_id"].tolist() == ["A"]
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        EventRegister.from_frame(frame, period=("2026-01-01", "2025-01-01"))
