"""Each platform adapter on small files written in that platform's layout at test time."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from _ingestion_fixtures import check_accounting, instrument, valid_answers, wide_needs

import surveykit as sk

INST = instrument()
ITEMS = ["age", "municipality", "sat_region", "attention", "svc_housing", "svc_transport",
         "svc_leisure", "needs_oth"]


def _assert_matches(resp: sk.Responses, truth: pd.DataFrame, source: str) -> None:
    check_accounting(resp)
    assert resp.metadata.source == source
    assert resp.accounting.read == len(truth)
    d = resp.data
    assert d["age"].tolist() == truth["age"].tolist()
    assert d["municipality"].astype(int).tolist() == truth["municipality"].tolist()
    assert d["svc_leisure"].astype(int).tolist() == truth["svc_leisure"].tolist()
    for code in ["housing", "jobs", "other", "none"]:
        expected = truth["needs"].str.split().apply(lambda xs, c=code: int(c in xs))
        assert d[f"needs__{code}"].tolist() == expected.tolist(), code
    errors = resp.report.errors
    assert errors.empty, errors.to_string()
    assert set(d["instrument_id"]) == {"example"}
    assert set(d["source_sha256"]) == {resp.metadata.file.sha256}


def test_nettskjema_current_export(tmp_path):
    truth = valid_answers()
    df = wide_needs(truth, sep=".")
    df.insert(0, "$submission_id", 31000 + np.arange(len(df)))
    df.insert(1, "$created", "2023-06-01T20:57:15+02:00")
    df["$answer_time_ms"] = truth["duration"] * 1000
    df = df.drop(columns=["respondent_id", "duration"])
    p = tmp_path / "data-123.csv"
    df.to_csv(p, sep=";", index=False, quoting=csv.QUOTE_ALL)
    resp = sk.read_responses(p, INST)
    _assert_matches(resp, truth, "nettskjema")
    assert resp.data["respondent_id"].iloc[0] == "31000"
    assert resp.data["duration_s"].tolist() == truth["duration"].astype(float).tolist()
    assert str(resp.data["submitted_at"].dt.tz) == "UTC"


def test_nettskjema_legacy_export_with_ja_blank_and_text_durations(tmp_path):
    truth = valid_answers()
    df = wide_needs(truth, sep="_", values=("Ja", ""))
    df = df.rename(columns={f"needs_{c}": f"needs_{k}" for k, c in
                            enumerate(["housing", "jobs", "other", "none"], start=1)})
    df.insert(0, "NR", np.arange(1, len(df) + 1))
    df.insert(1, "E-post", [f"person{k}@example.no" for k in range(len(df))])
    df.insert(2, "Opprettet", "01.06.2018 12:30")
    df["Svartid"] = [f"{m} minutter" for m in truth["duration"] // 60]
    df = df.drop(columns=["respondent_id", "duration"])
    p = tmp_path / "data-82087.txt"
    df.to_csv(p, sep="\t", index=False)
    resp = sk.read_responses(p, INST)
    _assert_matches(resp, truth, "nettskjema_legacy")
    assert "email" not in resp.data.columns  # no key configured: identifier dropped
    assert not resp.report.select(rule="identifier").empty
    assert resp.data["duration_s"].tolist() == (truth["duration"] // 60 * 60.0).tolist()


def test_questback_efs_sav_with_disposition_codes(tmp_path):
    truth = valid_answers()
    df = wide_needs(truth).drop(columns=["respondent_id", "duration", "needs_oth"])
    names = {c: f"v_{k}" for k, c in enumerate(df.columns, start=1)}
    df = df.rename(columns=names).astype(float)
    df.insert(0, "lfdn", np.arange(1, len(df) + 1, dtype=float))
    df.insert(1, "dispcode", [31.0] * (len(df) - 2) + [32.0, 22.0])
    df.insert(2, "duration", truth["duration"].astype(float))
    df["v_99"] = truth["needs_oth"].fillna("")
    df.loc[df.index[-1], "v_1"] = -77.0  # EFS: not shown
    p = tmp_path / "efs.sav"
    disp = {31: "Beendet", 32: "Beendet nach Unterbrechung", 22: "Unterbrochen"}
    pyreadstat.write_sav(df, str(p), variable_value_labels={"dispcode": disp})
    deployment = {"platform": "questback", "wave": "2026",
                  "columns": {**{v: k for k, v in names.items()}, "v_99": "needs_oth"}}
    resp = sk.read_responses(p, INST, deployment=deployment)
    check_accounting(resp)
    assert resp.metadata.source == "questback" and set(resp.data["wave"]) == {"2026"}
    assert resp.data["complete"].tolist() == [True] * (len(df) - 1) + [False]
    assert resp.accounting.flagged["partial"] == 1
    assert pd.isna(resp.data["age"].iloc[-1])
    assert resp.report.select(rule="required")["row"].tolist() == [len(df)]
    assert resp.report.select(rule="file")["message"].str.contains("EFS").all()


def test_surveyxact_valgt_ikke_valgt_columns(tmp_path):
    truth = valid_answers()
    df = wide_needs(truth, sep="_").drop(columns=["duration"])
    option_cols = {f"needs_{c}": f"v_5_{k}" for k, c in
                   enumerate(["housing", "jobs", "other", "none"], start=1)}
    df = df.rename(columns={**option_cols, "respondent_id": "respondent"})
    labels = {c: {0: "Ikke valgt", 1: "Valgt"} for c in option_cols.values()}
    numeric = [c for c in df.columns if c not in ("respondent", "needs_oth")]
    df[numeric] = df[numeric].astype(float)
    p = tmp_path / "surveyxact.sav"
    pyreadstat.write_sav(df, str(p), variable_value_labels=labels)
    resp = sk.read_responses(p, INST, deployment={"columns": {"v_5": "needs"}})
    _assert_matches(resp, truth, "surveyxact")
    # and the same layout as an Excel export holding the label text
    xdf = df.copy()
    for c in option_cols.values():
        xdf[c] = np.where(df[c] == 1, "Valgt", "Ikke valgt")
    xdf.to_excel(tmp_path / "surveyxact.xlsx", index=False)
    resp = sk.read_responses(tmp_path / "surveyxact.xlsx", INST,
                             deployment={"columns": {"v_5": "needs"}})
    _assert_matches(resp, truth, "surveyxact")


def _label(code, list_name):
    ch = INST.choice_list(list_name)
    return ch.label(code, "nb")


def test_microsoft_forms_xlsx_with_texts_labels_and_packed_multiselect(tmp_path):
    truth = valid_answers()
    texts = {v.var: v.text["nb"] for v in INST.variables if v.option is None}
    df = pd.DataFrame({
        "ID": np.arange(1, len(truth) + 1),
        "Start time": pd.Timestamp("2026-03-02 10:00") + pd.to_timedelta(np.zeros(len(truth)),
                                                                          unit="s"),
        "Completion time": pd.Timestamp("2026-03-02 10:00")
        + pd.to_timedelta(truth["duration"], unit="s"),
        "Email": [f"p{k}@example.no" for k in range(len(truth))],
        "Name": [f"Person {k}" for k in range(len(truth))],
    })
    df[texts["age"]] = truth["age"]
    df[texts["municipality"]] = [_label(c, "municipality") for c in truth["municipality"]]
    for var in ("sat_region", "attention", "svc_housing", "svc_transport", "svc_leisure"):
        header = texts[var] if not var.startswith("svc") else \
            INST.variable(var).row.text["nb"]
        df[header] = [_label(int(c), "satisfaction5") for c in truth[var]]
    needs_text = INST.item("needs").text["nb"]
    df[needs_text] = truth["needs"].apply(
        lambda s: "".join(_label(c, "needs") + ";" for c in s.split()))
    df[texts["needs_oth"]] = truth["needs_oth"]
    p = tmp_path / "forms.xlsx"
    df.to_excel(p, index=False)
    resp = sk.read_responses(p, INST)
    _assert_matches(resp, truth, "msforms")
    assert resp.data["sat_region"].astype(int).tolist() == truth["sat_region"].tolist()
    assert resp.data["duration_s"].tolist() == truth["duration"].astype(float).tolist()
    assert "email" not in resp.data.columns and "name" not in resp.data.columns


def test_kobo_csv_with_group_paths_and_space_separated_multiselect(tmp_path):
    truth = valid_answers()
    df = truth.drop(columns=["respondent_id", "duration"]).rename(
        columns=lambda c: f"grp_main/{c}" if c in ("needs", "needs_oth", "age") else c)
    for code in ["housing", "jobs", "other", "none"]:  # Kobo's extra split columns
        df[f"grp_main/needs/{code}"] = truth["needs"].str.split().apply(lambda x, c=code:
                                                                         int(c in x))
    start = pd.Timestamp("2026-03-02T10:00:00+01:00")
    df.insert(0, "start", [start.isoformat()] * len(df))
    df.insert(1, "end", [(start + pd.Timedelta(seconds=int(s))).isoformat()
                         for s in truth["duration"]])
    df["_uuid"] = [f"uuid-{k}" for k in range(len(df))]
    df["_submission_time"] = "2026-03-02T11:00:00"
    df["_index"] = np.arange(1, len(df) + 1)
    p = tmp_path / "kobo.csv"
    df.to_csv(p, sep=";", index=False)
    resp = sk.read_responses(p, INST)
    _assert_matches(resp, truth, "kobo")
    assert resp.data["respondent_id"].iloc[2] == "uuid-2"
    assert resp.data["duration_s"].tolist() == truth["duration"].astype(float).tolist()


def test_generic_csv_with_decimal_comma_and_deployment_codes(tmp_path):
    truth = valid_answers()
    df = truth.rename(columns={"municipality": "kommune"})
    df["kommune"] = df["kommune"].map({3403: 1, 3411: 2, 3412: 3, 3413: 4})
    p = tmp_path / "generic.csv"
    df.to_csv(p, sep=";", index=False, encoding="cp1252")
    dep = tmp_path / "2026-generic.yaml"
    dep.write_text(
        "schema: surveykit.deployment/1\ninstrument: example@1.0.0\n"
        "columns: {kommune: municipality}\n"
        "codes: {municipality: {1: 3403, 2: 3411, 3: 3412, 4: 3413}}\n"
        "duration: {column: duration, unit: seconds}\n", encoding="utf-8")
    resp = sk.read_responses(p, INST, deployment=dep)
    _assert_matches(resp, truth, "generic")
    assert set(resp.data["wave"]) == {"2026"}  # from the file name <wave>-<platform>.yaml
    assert resp.metadata.deployment == str(dep)


def test_source_names_are_checked():
    with pytest.raises(ValueError, match="'source' must be one of"):
        sk.read_responses("x.csv", INST, source="nettskema")


def test_deployment_errors_name_the_key(tmp_path):
    dep = tmp_path / "2026-nettskjema.yaml"
    dep.write_text("colums: {a: b}\n", encoding="utf-8")
    p = tmp_path / "x.csv"
    valid_answers().to_csv(p, index=False)
    with pytest.raises(sk.IngestionError, match=r"colums: Extra inputs"):
        sk.read_responses(p, INST, deployment=dep)
