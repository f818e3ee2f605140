"""The demo study's organiser exports: the reader recovers what the generator planted.

The demo writes a sign-up export (``signup.csv``) and a check-in sheet (``checkin.xlsx``) with
fake names, e-mails and phones. Attendances are the check-in rows; sign-ups marked as
attended repeat them and sign-ups marked not attended are no-shows.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from participation_fixtures import EMAIL_RE, PHONE_RE, PSEUDONYM_RE, output_texts

import surveykit as sk
from surveykit.participation import EventRegister, read_attendance


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    manifest = sk.make_demo_study(out)
    base = out / "meeting_places"
    mp = pytest.MonkeyPatch()
    mp.setenv("SURVEYKIT_PSEUDONYM_KEY", "demo-test-key-not-secret")
    reg = EventRegister.load(base / "events.csv")
    att = read_attendance([base / "checkin.xlsx", base / "signup.csv"], reg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read_responses notes about the demo's quality flags
        res = sk.participation(reg, att, base / "data" / "pilot-msforms.xlsx")
    texts = output_texts(res, att, out)
    mp.undo()
    planted = manifest["files"]["meeting_places/data/pilot-msforms.xlsx"]["participation"]
    return res, att, planted, texts, base


def test_counts_match_the_generator(demo):
    res, _, planted, _, _ = demo
    lists = planted["attendance_files"]["planted"]
    assert res.participants == planted["participants"] == lists["people"] == 300
    assert res.value("attendances") == planted["attendances"] == lists["attendances"]
    assert res.value("unidentified_attendances") == 0
    assert res.value("events_held") == planted["events"]
    assert res.value("concepts_held") == planted["concepts"] >= 3
    assert res.value("returning_participants") == planted["repeat_participants"]
    assert res.value("feedback_forms") == planted["feedback_forms"]
    assert res.by_concept["participants"].min() > 0
    assert res.progress["cumulative_participants"].iloc[-1] == 300


def test_accounting_of_the_two_lists(demo):
    _, att, planted, _, _ = demo
    lists = planted["attendance_files"]["planted"]
    acc = att.accounting
    assert acc.read == lists["signup_rows"] + lists["checkin_rows"]
    assert acc.accepted == lists["checkin_rows"] == lists["attendances"]
    assert dict(acc.excluded_by) == {"no_show": lists["no_shows"],
                                     "duplicate_within_event": lists["signed_up_and_came"]}
    assert lists["signed_up_and_came"] + lists["walk_ins"] == lists["attendances"]
    assert (att.data["source"] == "checkin.xlsx").all()
    assert lists["phone_only_rows"] > 0 and lists["messy_email_rows"] > 0


def test_malformed_identifiers_are_reported_and_kept(demo):
    _, att, planted, _, _ = demo
    lists = planted["attendance_files"]["planted"]
    bad = att.report[att.report["rule"] == "malformed_identifier"]
    assert len(bad) == lists["malformed_identifiers"] == 3
    assert att.accounting.flagged["malformed_identifier"] == 3
    kept = att.data.merge(bad[["source", "row"]], on=["source", "row"])
    assert len(kept) == 3 and kept["person_id"].notna().all()  # another identifier linked them
    assert bad["message"].str.contains("another identifier is valid").all()
    assert sorted(bad["value"].str.split(" ").str[0]) == ["no", "no", "not"]


def test_near_duplicate_is_listed_not_merged(demo):
    _, att, planted, _, _ = demo
    lists = planted["attendance_files"]["planted"]
    near = att.near_duplicates
    assert near["group"].nunique() == lists["near_duplicate_pairs"] == 1
    assert near["person_id"].nunique() == lists["near_duplicate_people"] == 2
    assert len(near) == lists["near_duplicate_rows"]
    assert att.accounting.flagged["near_duplicate"] == lists["near_duplicate_rows"]


def test_exports_look_like_organiser_files(demo):
    *_, base = demo
    signup = pd.read_csv(base / "signup.csv", sep=";", dtype=str)
    checkin = pd.read_excel(base / "checkin.xlsx", dtype=str)
    assert list(signup.columns) == ["Påmeldt", "Arrangement", "Navn", "E-post", "Mobil",
                                    "Fødselsår", "Kommune", "Møtt"]
    assert {"Arrangement", "Navn", "E-post", "Mobil", "Innsjekket tid"} <= set(checkin.columns)
    mails = pd.concat([signup["E-post"], checkin["E-post"]]).dropna().str.strip().str.lower()
    assert mails.str.contains("@").sum() == len(mails) - 2
    assert mails[mails.str.contains("@")].str.endswith(("@example.org", "@example.no")).all()
    phones = pd.concat([signup["Mobil"], checkin["Mobil"]]).str.replace(r"\D", "", regex=True)
    assert phones.str[-8:-3].eq("40000").sum() == len(phones) - 1  # one malformed number
    assert phones.str.startswith("0047").any() and (phones.str.len() == 8).any()


@pytest.mark.parametrize("column", ["E-post", "Mobil", "Navn"])
def test_no_raw_identifier_in_the_demo_appendix(demo, column):
    *_, texts, base = demo
    signup = pd.read_csv(base / "signup.csv", sep=";", dtype=str)
    checkin = pd.read_excel(base / "checkin.xlsx", dtype=str)
    raw = pd.concat([signup[column], checkin[column]]).dropna().str.strip()
    forms = set(raw) | set(raw.str.lower()) | set(raw.str.replace(r"\D", "", regex=True)
                                                 if column == "Mobil" else [])
    for where, text in texts.items():
        low = text.lower()
        hits = [v for v in forms if v and v.lower() in low]
        assert not hits, f"{column} values found in {where}: {hits[:3]}"


def test_no_email_or_phone_shaped_text_in_the_demo_appendix(demo):
    *_, texts, _ = demo
    assert "Møteplasser" in texts["html:nb"] and "300" in texts["html:nb"]
    for where, text in texts.items():
        text = PSEUDONYM_RE.sub("", text)
        assert not EMAIL_RE.search(text), f"e-mail-like text in {where}: {EMAIL_RE.search(text)}"
        assert not PHONE_RE.search(text), f"phone-like text in {where}: {PHONE_RE.search(text)}"
