"""``banners:`` in a study file: validation, banner.xlsx, the appendix section, reruns."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from openpyxl import load_workbook

import surveykit as sk
from surveykit.banner._rows import resolve_rows
from surveykit.banner._waves import wave_columns, wave_tests
from surveykit.study._banners import banner_rows, banner_table
from surveykit.study._outputs import write_banner_workbook
from surveykit.study._stages import crosswalk_between

MINIMAL = {
    "schema": "surveykit.study/1",
    "id": "mini",
    "title": {"en": "Mini"},
    "waves": [{"id": 2024, "instrument": "reputation@1.0.0", "data": "a.csv"},
              {"id": 2026, "instrument": "reputation@2.0.0", "data": "b.csv"}],
}


def _problems(tmp_path: Path, banners: object) -> str:
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, "banners": banners}), encoding="utf-8")
    with pytest.raises(sk.StudyError) as info:
        sk.Study.load(path)
    return str(info.value)


@pytest.mark.parametrize(("banners", "expected"), [
    ({"rows": "all"}, r"banners\.banner: required key is missing"),
    ({"banner": []}, r"banners\.banner: .*at least 1 item"),
    ({"banner": ["sex"], "colour": "red"}, r"banners\.colour: unknown key"),
    ({"banner": ["sex"], "adjustment": "tukey"}, r"banners\.adjustment: .*'bh'.*"
                                                  r"fix: use one of the listed values"),
    ({"banner": ["sex"], "rows": "every"}, r"banners\.rows: "),
    ({"banner": ["sex"], "layout": "wide"}, r"banners\.layout: .*'sheets'"),
    ({"banner": ["sex"], "min_base": 0}, r"banners\.min_base: .*greater than or equal to 1"),
    ({"banner": ["sex"], "level": 0.9, "second_level": 0.95},
     r"banners: second_level \(0\.95\) must be below level \(0\.9\)"),
    ({"banner": ["sex", "sex"]}, r"banners: banner: each variable once \(repeated: \['sex'\]\)"),
    ({"banner": ["sex"], "labels": {"age": {"nb": "Alder"}}},
     r"banners: labels: \['age'\] are not banner variables \['sex'\]"),
    ({"banner": ["sex"], "wave": 2025}, r"banners\.wave: unknown wave '2025'; the study's "
                                        r"waves are \['2024', '2026'\]"),
])
def test_invalid_banners_are_reported_by_key(tmp_path, banners, expected):
    assert re.search(expected, _problems(tmp_path, banners))


def test_defaults_and_rows_all_leave_out_the_banner_variables():
    spec = sk.StudyFile.model_validate({**MINIMAL, "banners": {"banner": ["sex", "age"]}})
    b = spec.banners
    assert (b.rows, b.wave, b.level, b.second_level, b.adjustment, b.min_base, b.layout,
            b.appendix) == ("all", None, 0.95, None, "none", 30, "sheets", True)
    rows = banner_rows(spec, sk.load_instrument("reputation", version="2.0.0"))
    assert "sex" not in rows and "age" not in rows and "municipality" in rows
    assert "pulse.trust" in rows and "mp_concepts" in rows and "open_improve" not in rows


def test_a_grid_stands_for_its_rows_but_never_its_attention_check():
    spec = sk.StudyFile.model_validate({**MINIMAL, "banners": {
        "banner": ["sex"], "rows": ["attributes", "impression7", "shoe_size"]}})
    rows = banner_rows(spec, sk.load_instrument("reputation", version="2.0.0"))
    assert rows[:2] == ["attributes.jobs", "attributes.housing"] and len(rows) == 10
    assert "attributes.attention" not in rows
    assert rows[-2:] == ["impression", "shoe_size"]  # a data column by its item; unknown kept


def test_run_writes_banner_xlsx_with_study_headings_and_the_wave_note(reputation_appendix):
    run = reputation_appendix
    assert Path("banner.xlsx") in run.files
    assert "banner.xlsx" in run.manifest["outputs"]
    book = load_workbook(run.out / "banner.xlsx")
    spec = run.study.spec.banners
    rows = run.banners.frame["row_variable"].unique().tolist()
    assert book.sheetnames == ["Innhold", *rows]
    assert rows[:4] == ["impression", "recommend_live", "recommend_work", "pulse.good_feeling"]
    ws = book["impression"]
    headings = [c.value for c in ws[4] if c.value]
    assert headings == ["Totalt", "Kommune", "Aldersgruppe", "Kjønn", "Bølge"]
    assert ws["A7"].value == "Base (uvektet)" and ws["B9"].number_format == "0%"
    notes = [c.value for c in ws["A"] if c.value]
    assert any("gjelder bølge 2026" in n and "Bølgekolonnene" in n for n in notes)
    assert run.banners.adjustment == spec.adjustment == "holm"
    assert run.banners.second_level == 0.9


def test_wave_columns_carry_the_p_value_of_the_comparison(reputation_appendix):
    """The banner's 2024 and 2026 columns are each wave's design; their letters have the
    p-value the comparison section gives the same item (before its BH adjustment)."""
    run = reputation_appendix
    cols = run.banners.columns
    assert cols.loc[cols.banner_variable == "wave", "banner_category"].tolist() == ["2024",
                                                                                     "2026"]
    assert "Annen kommune" not in cols["banner_category"].tolist()
    cmp = run.comparisons["baseline_2026"].to_frame()
    inst = run.waves["2026"].instrument
    designs = {w: run.designs[w] for w in ("2024", "2026")}
    wc = wave_columns(designs["2026"], designs, {"2024": crosswalk_between(
        run.waves["2024"].instrument, inst), "2026": None}, "nb")
    f = run.banners.frame
    kinds = {"proportion": "category", "mean": "mean", "mean_pomp": "mean", "nps": "nps"}
    for item in ("pulse.trust", "attributes.jobs", "recommend_live", "impression"):
        (q,) = resolve_rows(designs["2026"].data, [item], inst, None, "top2", "nb")
        _, _, p = wave_tests(q, wc)
        kind = kinds[cmp.loc[cmp.item == item, "measure"].iloc[0]]
        rows = [i for i, r in enumerate(q.rows) if r.kind == kind]
        np.testing.assert_allclose(p[rows, 0], cmp.loc[cmp.item == item, "p_value"],
                                   rtol=1e-9, err_msg=item)
        cells = f[(f.row_variable == item) & (f.banner_variable == "wave")]
        marked = cells["letters"].to_numpy().reshape(-1, 2)[rows].sum(axis=1) != ""
        np.testing.assert_array_equal(marked, p[rows, 0] < 0.10)


def test_appendix_gets_the_banner_section_in_every_format(reputation_appendix):
    html = (reputation_appendix.out / "appendix.html").read_text(encoding="utf-8")
    assert "Krysstabeller</h2>" in html
    assert '<th scope="colgroup" colspan="4" class="span grp">Kommune</th>' in html
    book = load_workbook(reputation_appendix.out / "appendix.xlsx", read_only=True)
    contents = [r[1] for r in book["Innhold"].iter_rows(values_only=True) if r[1]]
    assert "Alt i alt, hvilket inntrykk har du av Hamarregionen som et sted å bo?" in contents


def test_rerun_of_the_banner_stage_gives_the_same_workbook_bytes(reputation_appendix,
                                                                 tmp_path):
    run = reputation_appendix
    again = banner_table(run.study.spec, run.designs, run.waves)
    redo = dataclasses.replace(run, out=tmp_path, banners=again)
    assert write_banner_workbook(redo) == [Path("banner.xlsx")]
    assert (tmp_path / "banner.xlsx").read_bytes() == (run.out / "banner.xlsx").read_bytes()


@pytest.mark.parametrize(("change", "expected"), [
    ({"banner": ["municipality", "shoe_size"]},
     r"banners\.banner: \['shoe_size'\] are not variables of wave 2026"),
    ({"banner": ["sex"], "rows": ["impression", "favourite_colour"]},
     r"banners\.rows: \['favourite_colour'\] are not items of wave 2026 "
     r"\(reputation@2\.0\.0\)"),
])
def test_names_the_data_lacks_are_refused_before_computing(reputation_appendix, change,
                                                          expected):
    run = reputation_appendix
    spec = run.study.spec.model_copy(update={
        "banners": sk.StudyFile.model_validate({**MINIMAL, "banners": change}).banners})
    with pytest.raises(sk.StudyError, match=expected):
        banner_table(spec, run.designs, run.waves)


def test_wave_in_the_banner_needs_two_waves(tmp_path):
    path = tmp_path / "study.yaml"
    one = {**MINIMAL, "waves": MINIMAL["waves"][1:], "banners": {"banner": ["sex", "wave"]}}
    path.write_text(yaml.safe_dump(one), encoding="utf-8")
    with pytest.raises(sk.StudyError, match=r"banners\.banner: 'wave' makes a column per "
                                            r"wave and needs at least two waves"):
        sk.Study.load(path)
    spec = sk.StudyFile.model_validate({**MINIMAL, "banners": {"banner": ["sex", "wave"]}})
    assert spec.banners.banner == ("sex", "wave")
