"""Codebook (frame, Markdown, HTML, XLSX), XLSForm round trip through pyxform, DDI export."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit.cli import main
from surveykit.instruments import to_ddi, write_codebook, write_xlsform

GOOD = Path(__file__).parent / "fixtures" / "good"
NS = {"d": "ddi:codebook:2_5"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def inst() -> sk.Instrument:
    return sk.load_instrument("demo", "2.0.0", root=GOOD)


def test_codebook_frame(inst: sk.Instrument) -> None:
    cb = inst.codebook(language="en")
    assert list(cb.columns)[:8] == ["var", "item_id", "type", "group", "text", "code", "label",
                                    "is_missing"]
    sat = cb[cb["var"] == "sat_region7"]
    assert sat["code"].tolist() == [1, 2, 3, 4, 5, 6, 7, 98]
    assert sat["is_missing"].tolist() == [False] * 7 + [True]
    assert sat["missing_kind"].iloc[-1] == "dont_know"
    assert set(cb["var"]) == set(inst.data_columns)
    needs = cb[cb["item_id"] == "needs"]
    assert needs["var"].tolist() == ["needs__housing", "needs__jobs", "needs__other",
                                     "needs__none"]
    assert needs["label"].tolist()[0] == "Housing"
    assert cb.loc[cb["var"] == "svc_leisure", "group"].iloc[0].startswith("How satisfied")
    assert inst.codebook()["label"].iloc[1] == "Mann"  # source language by default
    with pytest.raises(ValueError, match="'language' must be one of"):
        inst.codebook(language="de")


def test_codebook_files(inst: sk.Instrument, tmp_path: Path) -> None:
    md = write_codebook(inst, tmp_path / "cb.md", language="en").read_text()
    assert md.startswith("# Demo survey") and inst.fingerprint in md
    assert "| 98 | Don't know | dont_know |" in md
    page = write_codebook(inst, tmp_path / "cb.html").read_text()
    assert '<html lang="nb">' in page and "Don&#x27;t" not in page and "Vet ikke" in page
    xlsx = write_codebook(inst, tmp_path / "cb.xlsx", language="en")
    sheet = pd.read_excel(xlsx, sheet_name="codebook")
    assert len(sheet) == len(inst.codebook("en"))
    with pytest.raises(ValueError, match="'format' must be one of"):
        write_codebook(inst, tmp_path / "cb.pdf")


def test_cli_codebook_all(tmp_path: Path, capsys) -> None:
    table = sk.list_instruments()
    if table.empty:
        pytest.skip("no instrument files in the repository yet")
    assert main(["codebook", "--all", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for fingerprint in table["fingerprint"]:
        assert fingerprint in out
    assert len(list(tmp_path.glob("*.md"))) == 2 * len(table)
    path = str(GOOD / "demo" / "2.0.0.yaml")
    assert main(["codebook", path, "--format", "ddi", "--format", "xlsform", "--format",
                 "html", "--language", "en", "--out", str(tmp_path / "one")]) == 0
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        "demo-2.0.0.ddi.xml", "demo-2.0.0.en.html", "demo-2.0.0.xlsform.xlsx"]
    assert main(["codebook", "--out", str(tmp_path)]) == 2


def test_cli_diff(capsys) -> None:
    a, b = (str(GOOD / "demo" / f"{v}.yaml") for v in ("1.0.0", "2.0.0"))
    assert main(["diff", a, b]) == 0
    out = capsys.readouterr().out
    assert "demo@1.0.0 -> demo@2.0.0" in out and "culture_offer" in out


def test_xlsform_sheets(inst: sk.Instrument, tmp_path: Path) -> None:
    path = write_xlsform(inst, tmp_path / "form.xlsx")
    survey = pd.read_excel(path, sheet_name="survey", dtype=str).fillna("")
    settings = pd.read_excel(path, sheet_name="settings", dtype=str)
    assert settings["version"].iloc[0] == "2026030100"
    assert "label::Norsk bokmål (nb)" in survey.columns
    needs = survey[survey["name"] == "needs"].iloc[0]
    assert needs["type"] == "select_multiple needs"
    assert "not(selected(., 'none') and count-selected(.) > 1)" in needs["constraint"]
    assert "count-selected(.) >= 1" in needs["constraint"]
    group = survey[survey["name"] == "services"]
    assert group["type"].tolist() == ["begin_group", "end_group"]
    assert group["appearance"].iloc[0] == "table-list"
    assert survey.loc[survey["name"] == "age", "constraint"].iloc[0] == ". >= 20 and . <= 40"


def test_xlsform_round_trip_through_pyxform(inst: sk.Instrument, tmp_path: Path) -> None:
    pytest.importorskip("pyxform")
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=str(write_xlsform(inst, tmp_path / "form.xlsx")),
                     warnings=warnings)
    assert warnings == []
    form = result._pyxform
    assert form["id_string"] == "demo" and form["version"] == "2026030100"
    questions = {}
    for child in form["children"]:
        for q in child.get("children", [child]) if child["type"] == "group" else [child]:
            questions[q["name"]] = q
    for v in inst.variables:
        name = v.item.var if v.option is not None else v.var
        q = questions[name]
        lang_nb, lang_en = "Norsk bokmål (nb)", "English (en)"
        assert q["label"] == {lang_nb: v.text["nb"], lang_en: v.text["en"]}
        if v.choices is not None:
            names = [c["name"] for c in form["choices"][v.item.choices]]
            assert names == [str(c) for c in v.choices.all_codes]
    assert questions["needs"]["type"] == "select all that apply"
    assert questions["needs_oth"]["bind"]["relevant"] == "selected(${needs}, 'other')"
    assert questions["age"]["bind"]["required"] == "yes"
    assert "<h:title>Demo-undersøkelse</h:title>" in result.xform


def test_ddi_export(inst: sk.Instrument, tmp_path: Path) -> None:
    xml = to_ddi(inst, tmp_path / "ddi.xml")
    root = ET.fromstring(xml.encode())
    assert root.tag == "{ddi:codebook:2_5}codeBook" and root.get("version") == "2.5"
    variables = root.findall("d:dataDscr/d:var", NS)
    assert [v.get("name") for v in variables] == inst.data_columns
    sat = root.find("d:dataDscr/d:var[@name='sat_region7']", NS)
    assert [lab.get(LANG) for lab in sat.findall("d:labl", NS)] == ["nb", "en"]
    cats = sat.findall("d:catgry", NS)
    assert [c.findtext("d:catValu", namespaces=NS) for c in cats] == [
        "1", "2", "3", "4", "5", "6", "7", "98"]
    assert [c.get("missing") for c in cats][-2:] == [None, "Y"]
    assert sat.get("nature") == "ordinal"
    age = root.find("d:dataDscr/d:var[@name='age']/d:valrng/d:range", NS)
    assert (age.get("min"), age.get("max")) == ("20", "40")
    groups = {g.get("ID"): g for g in root.findall("d:dataDscr/d:varGrp", NS)}
    assert groups["G_needs"].get("type") == "multipleResp"
    assert groups["G_needs"].get("var").split() == [f"V_needs__{c}" for c in
                                                    ("housing", "jobs", "other", "none")]
    assert groups["G_services"].get("type") == "grid"
    assert root.find("d:stdyDscr/d:citation/d:verStmt/d:version", NS).get("date") == \
        dt.date(2026, 3, 1).isoformat()
    assert (tmp_path / "ddi.xml").read_text(encoding="utf-8").startswith("<?xml")
