"""read_attendance: overlapping people counted once, problems reported, rows accounted for."""

from __future__ import annotations

import pandas as pd
import pytest
from participation_fixtures import EXPECTED, KEY, write_fixtures

from surveykit import IngestionError
from surveykit.participation import EventRegister, read_attendance


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    return write_fixtures(tmp_path)


@pytest.fixture
def attendance(files):
    reg = EventRegister.load(files["register"])
    signup = read_attendance([files["signup"], files["other"]], reg)  # warm-up: a subset
    assert signup.accounting.read == 11
    return read_attendance([files["signup"], files["checkin"], files["other"]], reg,
                           event_id="KV-01")


def _rules(att, rule):
    return att.report[att.report["rule"] == rule]


def test_every_row_is_accounted_for(attendance):
    acc = attendance.accounting
    assert (acc.read, acc.accepted, acc.excluded, acc.unidentified) == (
        EXPECTED["read"], EXPECTED["accepted"], EXPECTED["excluded"], EXPECTED["unidentified"])
    assert dict(acc.excluded_by) == EXPECTED["excluded_by"]
    assert acc.read == acc.accepted + acc.excluded
    assert len(attendance.data) == acc.accepted
    frame = acc.to_frame().set_index("quantity")["n"]
    assert frame["excluded: no_show"] == 1


def test_the_same_person_is_counted_once_across_events_and_concepts(attendance):
    data = attendance.data
    assert data["person_id"].nunique() == EXPECTED["participants"]
    kari = data.loc[(data["event_id"] == "KV-01") & (data["source"] == "signup.csv"),
                    "person_id"].iloc[0]
    # Kari: sign-up with e-mail + phone, check-in with phone only (dropped as duplicate), and
    # activity night with the e-mail in lower case
    assert sorted(data.loc[data["person_id"] == kari, "event_id"]) == ["AK-01", "KV-01"]
    per = data.loc[data["event_id"] == "FR-01", "person_id"]
    assert per.nunique() == 3
    ola = data.loc[data["event_id"] == "NT-01", "person_id"].iloc[0]
    assert ola.startswith(tuple("0123456789abcdef")) and len(ola) == 64


def test_duplicate_within_event_is_reported_and_counted_once(attendance):
    dup = _rules(attendance, "duplicate_within_event")
    assert dup[["source", "row", "event_id"]].values.tolist() == [["checkin-KV-01.xlsx", 1,
                                                                   "KV-01"]]
    assert (attendance.data["event_id"] == "KV-01").sum() == EXPECTED["attendances_by_event"][
        "KV-01"]


def test_malformed_identifiers_are_reported_and_kept(attendance):
    bad = _rules(attendance, "malformed_identifier")
    assert bad[["source", "row"]].values.tolist() == [["signup.csv", 2],
                                                      ["checkin-KV-01.xlsx", 2]]
    assert bad["value"].tolist() == ["no '@'", "not a phone number (4 digits)"]
    assert "unidentified attendance" in bad["message"].iloc[0]
    assert "another identifier is valid" in bad["message"].iloc[1]
    data = attendance.data
    ingrid = data[(data["source"] == "signup.csv") & (data["row"] == 2)]
    assert len(ingrid) == 1 and ingrid["person_id"].isna().all()
    assert ingrid["id_status"].tolist() == ["malformed"]
    missing = _rules(attendance, "missing_identifier")
    assert missing[["source", "row"]].values.tolist() == [["checkin-KV-01.xlsx", 3]]


def test_unknown_and_out_of_period_events_are_reported(attendance):
    unknown = _rules(attendance, "unknown_event")
    assert unknown[["source", "row", "value", "severity"]].values.tolist() == [
        ["signup.csv", 6, "XX-99", "error"]]
    outside = _rules(attendance, "date_outside_period")
    assert outside[["row", "event_id", "value"]].values.tolist() == [[7, "OLD-01", "2024-12-01"]]
    assert "2025-06-01..2027-06-01" in outside["message"].iloc[0]
    assert not attendance.data["event_id"].isin(["XX-99", "OLD-01"]).any()


def test_near_duplicates_are_listed_not_merged(attendance):
    near = attendance.near_duplicates
    assert near["group"].unique().tolist() == [1]
    assert near["person_id"].nunique() == 2
    assert sorted(near["event_id"]) == ["AK-01", "FR-01", "KV-01"]
    assert (near["birth_year"] == 1995).all()
    flagged = _rules(attendance, "near_duplicate")
    assert len(flagged) == 3 and (flagged["severity"] == "flag").all()
    assert attendance.accounting.flagged["near_duplicate"] == 3


def test_attributes_are_parsed(attendance):
    data = attendance.data.set_index(["source", "row"])
    assert data.loc[("signup.csv", 1), "municipality"] == "3403"  # "Hamar"
    assert data.loc[("other.csv", 1), "municipality"] == "3412"  # "Løten"
    assert data.loc[("signup.csv", 5), "age"] == 45
    assert data.loc[("other.csv", 1), "birth_year"] == 2000


def test_file_without_event_column_needs_event_id(files):
    reg = EventRegister.load(files["register"])
    with pytest.raises(IngestionError, match=r"checkin-KV-01\.xlsx: no event column.*event_id="):
        read_attendance(files["checkin"], reg)


def test_file_without_identifiers_is_refused(files, tmp_path):
    reg = EventRegister.load(files["register"])
    path = tmp_path / "names.csv"
    path.write_text("event_id,name\nKV-01,Kari\n", encoding="utf-8")
    with pytest.raises(IngestionError, match="no e-mail, phone or participant id column"):
        read_attendance(path, reg)


def test_two_columns_for_one_field_are_refused(files):
    reg = EventRegister.load(files["register"])
    frame = pd.DataFrame({"event_id": ["KV-01"], "E-post": ["a@b.no"], "Email": ["a@b.no"]})
    with pytest.raises(IngestionError, match=r"columns \['E-post', 'Email'\] all mean 'email'"):
        read_attendance(frame, reg)


def test_participant_list_supplies_attributes(files):
    reg = EventRegister.load(files["register"])
    lists = pd.DataFrame({"event_id": ["KV-01", "AK-01"], "participant_id": ["P1", "P2"]})
    people = pd.DataFrame({"participant_id": ["P1", "P2"], "age": [24, 41],
                           "municipality": [3403, 3411]})
    att = read_attendance(lists, reg, participants=people)
    assert att.data["age"].tolist() == [24, 41]
    assert att.data["municipality"].tolist() == ["3403", "3411"]
    assert att.data["person_id"].nunique() == 2
    assert not att.data.astype(str).isin(["P1", "P2"]).any().any()


def test_register_type_is_checked(files):
    with pytest.raises(TypeError, match="'register' must be an EventRegister"):
        read_attendance(files["signup"], str(files["register"]))
