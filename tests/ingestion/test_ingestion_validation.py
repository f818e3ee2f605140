"""Validation rules, quality flags, exclusion and accounting, privacy."""

from __future__ import annotations

import pandas as pd
import pytest
from _ingestion_fixtures import check_accounting, instrument, valid_answers

import surveykit as sk

INST = instrument()


def _read(tmp_path, df, **kw):
    p = tmp_path / "answers.csv"
    df.to_csv(p, sep=";", index=False)
    return sk.read_responses(p, INST, **kw)


def _rows(resp, rule):
    return resp.report.select(rule=rule)["row"].tolist()


def test_valid_answers_give_no_errors(tmp_path):
    resp = _read(tmp_path, valid_answers())
    check_accounting(resp)
    assert resp.report.ok, resp.report.errors.to_string()
    assert resp.data["sat_region"].cat.ordered
    assert 98 in resp.data["sat_region"].cat.categories  # missing code: explicit category
    assert resp.metadata.missing_codes["sat_region"] == {98: "dont_know"}
    assert resp.metadata.free_text == ("needs_oth",)


def test_every_rule_reported_at_once(tmp_path):
    df = valid_answers(12).astype(object)
    df.loc[0, "age"] = "tjue"            # type
    df.loc[1, "sat_region"] = 7          # code not in list
    df.loc[2, "needs"] = "none jobs"     # exclusive combined
    df.loc[3, "needs"] = "jobs garden"   # unknown option
    df.loc[4, "needs"] = ""              # required but empty
    df.loc[[3, 4], "needs_oth"] = None
    df.loc[5, "needs_oth"] = "text"      # answered but not relevant
    df.loc[5, "needs"] = "jobs"
    df.loc[6, "age"] = 55                # screener outside universe
    df.loc[7, "municipality"] = 9999     # screener constraint expression
    df.loc[8, "attention"] = 4           # failed attention check
    df.loc[9, ["svc_housing", "svc_transport", "svc_leisure"]] = 3  # straightlining
    df.loc[10, "duration"] = 20          # speeder
    df.loc[11, "respondent_id"] = "r000"  # duplicate id
    df["extra"] = 1                      # unknown column
    resp = _read(tmp_path, df, deployment={"duration": {"column": "duration"}})
    check_accounting(resp)
    assert _rows(resp, "type") == [1]
    assert _rows(resp, "code") == [2]
    assert _rows(resp, "exclusive") == [3]
    assert _rows(resp, "unknown_option") == [4]
    assert _rows(resp, "required") == [5]
    assert _rows(resp, "not_relevant") == [6]
    assert sorted(_rows(resp, "out_of_universe")) == [7, 8]
    assert _rows(resp, "attention_check") == [9]
    assert _rows(resp, "straightlining") == [10]
    assert _rows(resp, "speeder") == [11]
    assert sorted(_rows(resp, "duplicate_id")) == [1, 12]
    assert resp.report.select(rule="unknown_column")["var"].tolist() == ["extra"]
    assert resp.report.select(rule="code")["value"].tolist() == ["7"]
    assert resp.accounting.read == 12 and resp.accounting.accepted == 12  # flags delete nothing
    assert resp.accounting.flagged["speeder"] == 1
    with pytest.raises(sk.IngestionError, match=r"validation errors in \d+ rows") as err:
        resp.report.raise_if_errors()
    assert err.value.report is resp.report


def test_multiselect_is_na_when_not_shown_and_missing_columns(tmp_path):
    d = sk.instruments.example_instrument_dict()
    d["items"][3]["relevant"] = "${age} < 35"
    inst = sk.Instrument.from_dict(d)
    df = pd.DataFrame({"age": [25, 38], "sat_region": [1, 2], "needs": ["jobs", ""]})
    p = tmp_path / "a.csv"
    df.to_csv(p, index=False)
    resp = sk.read_responses(p, inst)
    check_accounting(resp)
    assert resp.data["needs__jobs"].tolist()[0] == 1 and pd.isna(resp.data["needs__jobs"][2])
    missing = resp.report.select(rule="missing_column")["var"].tolist()
    assert missing == ["needs_oth", "svc_housing", "svc_transport"]
    assert resp.report.select(rule="no_respondent_id")["severity"].tolist() == ["info"]


def test_column_that_never_parses_is_an_ingestion_error(tmp_path):
    df = valid_answers(5).astype(object)
    df["age"] = ["tjue", "tretti", "førti", "x", "y"]
    with pytest.raises(sk.IngestionError, match=r"column 'age' does not parse.*row 1"):
        _read(tmp_path, df)


def test_exclude_records_what_and_why(tmp_path):
    df = valid_answers(10).astype(object)
    df.loc[2, "duration"] = 10
    df.loc[5, "age"] = 60
    resp = _read(tmp_path, df, deployment={"duration": {"column": "duration"}})
    out = resp.exclude(["speeder", "out_of_universe"])
    check_accounting(out)
    assert (out.accounting.read, out.accounting.accepted, out.accounting.excluded) == (10, 8, 2)
    assert out.accounting.exclusions["row"].tolist() == [3, 6]
    assert set(out.accounting.exclusions["rule"]) == {"speeder", "out_of_universe"}
    assert 3 not in out.data.index and out.report.select(rule="speeder").empty
    again = out.exclude(rows=[1], reason="test respondent")
    check_accounting(again)
    assert again.accounting.excluded == 3
    assert again.accounting.exclusions.iloc[-1]["reason"] == "test respondent"
    assert len(resp.data) == 10  # the original is unchanged
    with pytest.raises(ValueError, match="'rules' must be one of"):
        resp.exclude("speeders")
    with pytest.raises(KeyError, match="not in the data"):
        out.exclude(rows=[3])


def test_accounting_refuses_numbers_that_do_not_add_up():
    with pytest.raises(ValueError, match="does not add up"):
        sk.Accounting(read=5, accepted=5, excluded=1)


def test_identifiers_pseudonymised_with_key_and_dropped_without(tmp_path, monkeypatch):
    df = valid_answers(4)
    df["kontakt"] = ["kari@hamar.no", "ola@stange.no", "Kari@Hamar.no", None]
    df["ip"] = ["10.0.0.1"] * 4
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    resp = _read(tmp_path, df)
    check_accounting(resp)
    assert "kontakt" not in resp.data.columns and "ip" not in resp.data.columns
    assert resp.metadata.identifiers == {"kontakt": "dropped", "ip": "dropped"}
    dup = resp.report.select(rule="duplicate_identifier")
    assert dup[dup["var"] == "kontakt"]["row"].tolist() == [3]
    assert dup[dup["var"] == "ip"]["row"].tolist() == [2, 3, 4]
    assert dup["value"].isna().all()  # the identifier itself never enters the report
    key_file = tmp_path / "key.txt"
    key_file.write_text("not-a-real-secret", encoding="utf-8")
    resp = _read(tmp_path, df, pseudonym_key_file=key_file)
    col = resp.data["kontakt"]
    assert col.str.len().tolist()[:3] == [64, 64, 64] and col.iloc[0] == col.iloc[2]
    assert "kari" not in resp.data.to_string().casefold()
    assert "not-a-real-secret" not in resp.report.to_frame().to_string()
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "other-key-not-a-secret")
    resp2 = _read(tmp_path, df)
    assert resp2.data["kontakt"].iloc[0] != col.iloc[0]


def test_key_file_inside_a_git_repository_is_refused(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    key = tmp_path / "repo" / "key.txt"
    key.write_text("k", encoding="utf-8")
    with pytest.raises(sk.IngestionError, match="inside the git repository"):
        _read(tmp_path, valid_answers(3).assign(email="a@b.no"), pseudonym_key_file=key)


def test_to_numeric_makes_missing_codes_na(tmp_path):
    df = valid_answers(6)
    df["sat_region"] = [1, 98, 3, 4, 5, 2]
    resp = _read(tmp_path, df)
    num = resp.to_numeric(["sat_region"])["sat_region"]
    assert num.isna().tolist() == [False, True, False, False, False, False]
    assert num.dropna().tolist() == [1, 3, 4, 5, 2]


def test_html_displays_show_the_summary_line_escaped(tmp_path):
    """The ``<Responses ...>``/``<ValidationReport ...>`` lines are text, not markup."""
    resp = _read(tmp_path, valid_answers())
    for obj, table in ((resp, "accounting"), (resp.report, "problems per rule"),
                       (resp.accounting, "rows")):
        shown = obj._repr_html_()
        assert "<p>&lt;" in shown or "<p>Accounting: read" in shown
        assert f"<caption>{table}</caption>" in shown
        assert "<Responses" not in shown and "<ValidationReport" not in shown
