"""table(): labels from the instrument, nb formatting, suppression, free text refusal."""

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit import report
from surveykit.datasets import load_api

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def example():
    inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    rng = np.random.default_rng(3)
    n = 120
    df = pd.DataFrame({
        "sat_region": rng.choice([1, 2, 3, 4, 5], size=n, p=[0.02, 0.1, 0.3, 0.4, 0.18]),
        "age": rng.integers(20, 40, size=n),
        "area": np.where(np.arange(n) < 6, "small", "big"),
        "w": rng.uniform(0.5, 2.0, size=n),
    })
    return inst, sk.SurveyDesign(df, weights="w")


def test_proportions_labelled_in_nb_with_decimal_comma(example):
    inst, d = example
    est = sk.proportion(d, "sat_region")
    ft = report.table(est, instrument=inst, language="nb")
    labels = [inst.choice_list(inst.variable("sat_region").item.choices).label(c, "nb")
              for c in (1, 2, 3, 4, 5)]
    assert ft.display["Svar"].tolist() == labels
    assert ft.caption == inst.variable("sat_region").text["nb"]
    frame = est.to_frame()
    expected = [f"{100 * p:.1f}".replace(".", ",") for p in frame["estimate"]]
    assert ft.display["Prosent"].tolist() == expected
    assert all("," in c and "–" in c for c in ft.display["95 % KI"])
    # numbers stay numbers for Excel
    assert ft.numeric["Prosent"].to_numpy() == pytest.approx(frame["estimate"].to_numpy())
    assert ft.number_formats["Prosent"] == "0.0%"
    assert ft.numeric_columns == ("Prosent", "95 % KI", "n (uvektet)")


def test_english_labels_and_format(example):
    inst, d = example
    ft = report.table(sk.mean(d, "age"), instrument=inst, language="en", digits=3)
    assert ft.display.columns.tolist() == ["Estimate", "95% CI", "Unweighted n"]
    value = float(sk.mean(d, "age").estimate[0])
    assert ft.display.iloc[0, 0] == f"{value:,.3f}"


def test_small_domain_suppressed_with_footnote(example):
    inst, d = example
    est = sk.proportion(d, "sat_region", by="area")
    ft = report.table(est, instrument=inst, language="nb", suppress_below=10)
    small = (est.to_frame()["area"] == "small").to_numpy()
    assert ft.suppressed.tolist() == small.tolist()
    assert (ft.display.loc[small, "Prosent"] == ":").all()
    assert ft.numeric.loc[small, "Prosent"].isna().all()
    assert ft.numeric.loc[~small, "Prosent"].notna().all()
    assert "færre enn 10 respondenter" in ft.notes[0]
    # no suppression, no footnote
    free = report.table(est, instrument=inst, language="nb", suppress_below=1)
    assert not free.suppressed.any()
    assert not any("prikket" in n for n in free.notes)


def test_crosstab_secondary_suppression():
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    ct = sk.crosstab(d, "stype", "sch.wide")
    frame = ct.to_frame()
    threshold = int(np.sort(frame["n"].to_numpy())[0]) + 1  # exactly one small cell
    ft = report.table(ct, language="en", suppress_below=threshold)
    hidden = ft.suppressed
    assert hidden.sum() >= 2
    kinds = report.suppress(frame, threshold=threshold, groups=["stype", "sch.wide"])
    assert hidden.tolist() == (kinds["suppressed"] != "").tolist()
    for col in ("stype", "sch.wide"):  # no row/column with a lone hidden cell
        counts = pd.Series(hidden).groupby(frame[col].to_numpy()).sum()
        assert not (counts == 1).any()
    assert any("Rao–Scott" in n for n in ft.notes)


def test_free_text_refused_unless_asked():
    df = pd.DataFrame({"group": ["a", "b"], "comment": ["Jeg bor i Storgata 1", "ok"],
                       "n": [10, 12]})
    df.attrs["surveykit"] = {"free_text": ["comment"]}
    with pytest.raises(ValueError, match="free text"):
        report.table(df)
    ft = report.table(df, include_free_text=True)
    assert ft.display["comment"].tolist() == ["Jeg bor i Storgata 1", "ok"]
    app = report.Appendix("x", language="en")
    with pytest.raises(ValueError, match="include_free_text=True"):
        app.section("s").table(df)


def test_free_text_item_of_instrument_refused():
    inst = sk.load_instrument("reputation", version="2.0.0")
    df = pd.DataFrame({"open_improve": ["tekst"], "n": [9]})
    with pytest.raises(ValueError, match="open_improve"):
        report.table(df, instrument=inst)


def test_plain_frame_columns_by_kind_and_order():
    df = pd.DataFrame({"wave": ["2024", "2026"], "difference": [0.01234, -0.5],
                       "p_adjusted": [0.00001, 0.2], "n_2026": [1500, 20]})
    ft = report.table(df, language="nb", digits={"difference": 2})
    assert ft.display.columns.tolist() == df.columns.tolist()
    assert ft.display["difference"].tolist() == ["0,01", "\u22120,50"]
    assert ft.display["p_adjusted"].tolist() == ["< 0,0001", "0,2000"]
    assert ft.display["n_2026"].tolist() == [f"1{NBSP}500", "20"]
    assert ft.number_formats["p_adjusted"] == "0.0000"


def test_bad_arguments():
    with pytest.raises(TypeError, match="'est' must be"):
        report.table([1, 2])
    with pytest.raises(ValueError, match="'language' must be one of"):
        report.table(pd.DataFrame({"a": [1]}), language="sv")
    spec = sk.instruments.example_instrument_dict()
    spec["languages"] = {"source": "en", "targets": [], "names": {"en": "English"}}
    _drop_language(spec, "nb")
    inst = sk.Instrument.from_dict(spec)
    with pytest.raises(ValueError, match="instrument's languages"):
        report.table(pd.DataFrame({"a": [1]}), instrument=inst, language="nb")


def _drop_language(node, code):
    """Remove one language from every localized text of an instrument dict (in place)."""
    if isinstance(node, dict):
        node.pop(code, None) if "en" in node and code in node else None
        for value in node.values():
            _drop_language(value, code)
    elif isinstance(node, list):
        for value in node:
            _drop_language(value, code)


def test_plain_frame_headers_in_report_language_and_identifiers_without_separators():
    df = pd.DataFrame({"wave": [2024, 2026], "kish_deff": [1.15, 1.2], "seed": [20260302, 7],
                       "knr": [3403, 3405], "effective_n": [964.0, 1200.0]})
    nb = report.table(df, language="nb", n_column=None, headers=True)
    assert nb.display.columns.tolist() == ["Bølge", "Kish designeffekt", "Frø (seed)",
                                           "Kommunenr.", "Effektivt utvalg"]
    assert nb.display["Frø (seed)"].tolist() == ["20260302", "7"]
    assert nb.display["Kommunenr."].tolist() == ["3403", "3405"]
    assert nb.display["Bølge"].tolist() == ["2024", "2026"]
    assert nb.display["Effektivt utvalg"].tolist() == ["964", f"1{NBSP}200"]
    assert nb.number_formats["Frø (seed)"] == "0"
    en = report.table(df, language="en", n_column=None, headers={"seed": "Random seed"})
    assert en.display.columns[:3].tolist() == ["Wave", "Kish design effect", "Random seed"]
    assert en.display["Random seed"].tolist() == ["20260302", "7"]
    explicit = report.table(pd.DataFrame({"stratum": [12345]}), language="nb",
                            id_columns=["stratum"])
    assert explicit.display["stratum"].tolist() == ["12345"]


def test_plain_frame_percent_shows_shares_in_percent():
    ft = report.table(pd.DataFrame({"rate": ["RR1"], "2024": [0.2761]}), language="nb",
                      percent=True, headers=True)
    assert ft.display.iloc[0].tolist() == ["RR1", "27,6"]
    assert ft.number_formats["2024"] == "0.0%"


def test_crossed_margin_levels_labelled_not_tuples():
    from surveykit.weighting import weight_diagnostics

    data = pd.DataFrame({"municipality": [3403, 3405] * 3,
                         "age_group": ["20-24", "25-29", "20-24"] * 2,
                         "sex_binary": ["male", "female"] * 3})
    d = sk.rake(sk.SurveyDesign(data, weights=np.ones(6)), {
        ("age_group", "sex_binary"): {("20-24", "male"): 40, ("20-24", "female"): 20,
                                      ("25-29", "male"): 10, ("25-29", "female"): 30}})
    inst = sk.load_instrument("reputation", version="2.0.0")
    labels = {"sex_binary": report.VariableLabels("Kjønn", {"male": "Mann",
                                                            "female": "Kvinne"})}
    _, nb = report.weighting_tables(weight_diagnostics(d), instrument=inst, language="nb",
                                    labels=labels, caption="2024: Vekting")
    assert nb.caption == "2024: Vekting"
    assert set(nb.display["Kategori"]) == {"20–24 × Mann", "20–24 × Kvinne",
                                           "25–29 × Mann", "25–29 × Kvinne"}
    # the margin's name once per group on the page, on every row in Excel
    assert nb.display["Margin"].tolist() == ["age_group × Kjønn", "", "", ""]
    assert set(nb.numeric["Margin"]) == {"age_group × Kjønn"}
    _, en = report.weighting_tables(weight_diagnostics(d), language="en")
    assert "20–24 × male" in set(en.display["Category"])
    assert not any("(" in v for v in en.display["Category"])


def test_plain_frame_hides_the_rows_or_single_cells_it_is_given():
    frame = pd.DataFrame({"concept": ["a", "b", "c"], "first": [12, 3, 7],
                          "returning": [8, 9, 2]})
    rows = report.table(frame, n_column=None, hide=np.array([False, True, False]))
    assert rows.display["first"].tolist() == ["12", ":", "7"]
    assert rows.display["returning"].tolist() == ["8", ":", "2"]
    assert rows.suppressed.tolist() == [False, True, False]
    assert "respondents" in rows.notes[0]
    cells = pd.DataFrame({"first": [False, True, False], "returning": [False, False, True]})
    ft = report.table(frame, n_column=None, hide=cells, suppress_below=5,
                      suppressed_note='":" = fewer than 5 people.')
    assert ft.display["first"].tolist() == ["12", ":", "7"]
    assert ft.display["returning"].tolist() == ["8", "9", ":"]
    assert ft.numeric["returning"].isna().tolist() == [False, False, True]
    assert ft.suppressed.tolist() == [False, True, True]
    assert ft.notes == ('":" = fewer than 5 people.',)
    assert cells.sum().sum() == 2  # the mask given is not changed
    with pytest.raises(ValueError, match="one row per table row"):
        report.table(frame, n_column=None, hide=cells.iloc[:2])
    with pytest.raises(ValueError, match="only have number columns"):
        report.table(frame, n_column=None, hide=cells.assign(concept=False))
    with pytest.raises(ValueError, match="one entry per table row"):
        report.table(frame, n_column=None, hide=np.array([True]))


def test_hide_is_refused_for_estimates(example):
    _, d = example
    with pytest.raises(TypeError, match="plain DataFrame only"):
        report.table(sk.mean(d, "age"), hide=np.array([True]))
