"""sk.banner: what each row question shows, bases, small bases, suppression, notes, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.banner._table import COLUMN_COLUMNS, FRAME_COLUMNS


@pytest.fixture(scope="module")
def inst() -> sk.Instrument:
    return sk.Instrument.from_dict(sk.instruments.example_instrument_dict())


@pytest.fixture(scope="module")
def data(inst: sk.Instrument) -> pd.DataFrame:
    df = sk.generate_responses(inst, n=400, seed=1)
    rng = np.random.default_rng(3)
    return df.assign(alder=np.where(df["age"] < 33, "under 33", "33+"),
                     kommune=rng.choice(["Alta", "Bodø", "Moss"], len(df), p=[0.45, 0.45, 0.1]),
                     w=rng.uniform(0.5, 2.0, len(df)))


@pytest.fixture(scope="module")
def design(data: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(data, weights="w")


@pytest.fixture(scope="module")
def table(design: sk.SurveyDesign, inst: sk.Instrument) -> sk.BannerTable:
    return sk.banner(design, rows=["sat_region", "services", "needs", "age"],
                     banner=["alder", "kommune"], instrument=inst, language="en")


def test_frame_and_columns_have_the_documented_schema(table: sk.BannerTable) -> None:
    f = table.to_frame()
    assert list(f.columns) == FRAME_COLUMNS
    assert list(table.columns.columns) == COLUMN_COLUMNS
    assert f["base_unweighted"].dtype == np.int64
    assert f["small_base"].dtype == bool and f["suppressed"].dtype == bool
    assert set(f["row_kind"]) == {"category", "net", "option", "mean"}
    # a plain mean row has no category; a Likert item's mean row names its scale
    means = f.loc[f.row_kind == "mean"]
    assert set(means["row_category"]) == {"", "Mean (1\u20135)"}
    f.loc[0, "estimate"] = -1.0       # to_frame is a copy
    assert table.frame.loc[0, "estimate"] != -1.0


def test_letters_run_across_the_banner_and_the_total_has_none(table: sk.BannerTable) -> None:
    cols = table.columns
    assert cols["column_letter"].tolist() == ["", "A", "B", "C", "D", "E"]
    assert cols["banner_category"].tolist() == ["Total", "33+", "under 33", "Alta", "Bodø",
                                                "Moss"]
    f = table.to_frame()
    assert (f.loc[f.banner_variable == "total", "letters"] == "").all()
    # letters only name columns of the same banner variable
    for var, allowed in (("alder", set("ABab")), ("kommune", set("CDEcde"))):
        assert set("".join(f.loc[f.banner_variable == var, "letters"])) <= allowed


def test_likert_rows_are_the_scale_then_the_nets(table: sk.BannerTable,
                                                  data: pd.DataFrame) -> None:
    f = table.to_frame()
    sat = f[(f.row_variable == "satisfaction_region") & (f.banner_variable == "total")]
    assert sat["row_category"].tolist() == ["Very dissatisfied", "Fairly dissatisfied",
                                            "Neither", "Fairly satisfied", "Very satisfied",
                                            "Top 2 (net)", "Bottom 2 (net)",
                                            "Mean (1\u20135)"]
    est = sat["estimate"].to_numpy()
    assert est[:5].sum() == pytest.approx(100.0)
    assert est[5] == pytest.approx(est[3] + est[4]) and est[6] == pytest.approx(est[0] + est[1])
    # "don't know" (98) and missing leave the base
    valid = data["sat_region"].isin([1, 2, 3, 4, 5])
    assert sat["base_unweighted"].iloc[0] == int(valid.sum())
    share = np.average(data.loc[valid, "sat_region"] >= 4, weights=data.loc[valid, "w"])
    assert est[5] == pytest.approx(100 * share)
    # the mean row is the mean of the codes 1-5, as svymean(~sat_region) without 98
    codes = sk.mean(sk.SurveyDesign(data[valid], weights="w"), "sat_region")
    assert est[7] == pytest.approx(float(codes.estimate[0]), rel=1e-12)
    assert sat["row_kind"].iloc[7] == "mean"
    assert any("answer codes" in n for n in table.notes)


def test_a_grid_gives_one_row_question_per_grid_row(table: sk.BannerTable) -> None:
    names = table.frame["row_variable"].unique().tolist()
    assert names == ["satisfaction_region", "services.housing_market", "services.transport",
                     "needs", "age"]


def test_multi_select_options_are_shares_of_the_base(table: sk.BannerTable,
                                                     design: sk.SurveyDesign,
                                                     data: pd.DataFrame) -> None:
    f = table.to_frame()
    needs = f[(f.row_variable == "needs") & (f.banner_variable == "kommune")]
    opts = ["needs__housing", "needs__jobs", "needs__other", "needs__none"]
    m = sk.mean(design, opts, by="kommune", nan_policy="omit")
    got = needs["estimate"].to_numpy().reshape(4, 3).T.ravel()
    np.testing.assert_allclose(got, 100 * m.estimate, rtol=1e-12)
    np.testing.assert_allclose(needs["se"].to_numpy().reshape(4, 3).T.ravel(), 100 * m.se,
                               rtol=1e-12)
    assert any("do not sum to 100" in n for n in table.notes)


def test_a_mean_row_is_the_design_mean(table: sk.BannerTable,
                                       design: sk.SurveyDesign) -> None:
    f = table.to_frame()
    age = f[(f.row_variable == "age") & (f.banner_variable == "alder")]
    m = sk.mean(design, "age", by="alder", nan_policy="omit")
    np.testing.assert_allclose(age["estimate"], m.estimate, rtol=1e-12)
    ci = m.confidence_interval(0.95)
    np.testing.assert_allclose(age["ci_low"], ci.low, rtol=1e-12)


def test_small_bases_are_shown_without_letters(design: sk.SurveyDesign,
                                               inst: sk.Instrument) -> None:
    bt = sk.banner(design, rows=["sat_region"], banner="kommune", instrument=inst,
                   min_base=45, language="en")
    f = bt.to_frame()
    moss = f[f.banner_category == "Moss"]
    assert moss["small_base"].all() and (moss["letters"] == "").all()
    assert moss["estimate"].notna().all()
    assert "e" not in "".join(f["letters"]).lower()   # nobody is compared with Moss
    assert bt.columns.set_index("banner_category").loc["Moss", "small_base"]


def test_cells_under_the_disclosure_threshold_are_suppressed(design: sk.SurveyDesign,
                                                             inst: sk.Instrument) -> None:
    bt = sk.banner(design, rows=["sat_region"], banner="kommune", instrument=inst,
                   suppress_below=60, min_base=0, language="en")
    f = bt.to_frame()
    hidden = f[f.suppressed]
    assert set(hidden["banner_category"]) == {"Moss"}
    assert hidden[["estimate", "se", "ci_low", "ci_high"]].isna().all().all()
    assert (hidden["letters"] == "").all() and (hidden["base_unweighted"] > 0).all()
    assert any("suppressed" in n for n in bt.notes)
    assert ":" in bt.summary().to_numpy().ravel().tolist()


def test_banner_columns_follow_the_instrument_and_drop_missing_codes(
        design: sk.SurveyDesign, inst: sk.Instrument) -> None:
    bt = sk.banner(design, rows=["age"], banner="sat_region", instrument=inst, min_base=0)
    cols = bt.columns
    assert cols["banner_category"].tolist()[1:] == ["Svært misfornøyd", "Ganske misfornøyd",
                                                    "Verken eller", "Ganske fornøyd",
                                                    "Svært fornøyd"]
    assert cols["banner_label"].iloc[1] == "Hvor fornøyd er du med å bo i regionen?"
    assert cols["banner_category"].iloc[0] == "Totalt"


def test_nets_option_and_nps_rows(design: sk.SurveyDesign, data: pd.DataFrame) -> None:
    d = design.with_columns(rec=np.clip(data["age"].to_numpy(dtype=float) - 25, 0, 10))
    bt = sk.banner(d, rows=["sat_region", "rec"], banner="alder",
                   row_kinds={"sat_region": "likert", "rec": "nps"}, nets="top1",
                   language="en", include_total=False)
    f = bt.to_frame()
    assert "total" not in set(f["banner_variable"])
    assert f.loc[f.row_kind == "net", "row_category"].unique().tolist() == [
        "Top 1 (net)", "Bottom 1 (net)"]
    got = f.loc[f.row_kind == "nps", "estimate"].to_numpy()
    want = sk.nps(d, "rec", by="alder").estimate
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_without_an_instrument_text_is_categories_and_numbers_are_means(
        design: sk.SurveyDesign) -> None:
    bt = sk.banner(design, rows=["kommune", "age", ("needs__jobs", "needs__none")],
                   banner="alder", language="en")
    kinds = bt.frame.groupby("row_variable", sort=False)["row_kind"].first().to_dict()
    assert kinds == {"kommune": "category", "age": "mean", "needs": "option"}
    opts = bt.frame.loc[bt.frame.row_variable == "needs", "row_category"].unique().tolist()
    assert opts == ["jobs", "none"]


def test_the_design_and_its_data_are_not_changed(design: sk.SurveyDesign,
                                                 inst: sk.Instrument) -> None:
    before = design.data.copy()
    sk.banner(design, rows=["sat_region", "needs"], banner="kommune", instrument=inst)
    pd.testing.assert_frame_equal(design.data, before)


def test_notes_name_the_test_the_levels_and_the_adjustment(design: sk.SurveyDesign) -> None:
    bt = sk.banner(design, rows=["kommune"], banner="alder", second_level=0.9,
                   adjustment="bh")
    text = " ".join(bt.notes)
    assert "Benjamini-Hochberg" in text and "p < 0,05" in text and "p < 0,1" in text
    assert bt.language == "nb" and bt.adjustment == "bh" and bt.second_level == 0.9


def test_summary_repr_and_html_show_estimates_and_letters(table: sk.BannerTable) -> None:
    s = table.summary()
    assert list(s.columns) == ["Total", "33+ (A)", "under 33 (B)", "Alta (C)", "Bodø (D)",
                               "Moss (E)"]
    assert s.index.names == ["row_variable", "row_category"]
    assert repr(table).startswith("BannerTable(5 questions x 6 columns")
    html = table._repr_html_()
    assert "<table" in html and "Moss (E)" in html


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"second_level": 0.99}, ValueError, "must be below 'level'"),
    ({"adjustment": "fdr"}, sk.ArgumentError, "'adjustment' must be one of"),
    ({"nets": "top3"}, sk.ArgumentError, "'nets' must be one of"),
    ({"language": "de"}, sk.ArgumentError, "'language' must be one of"),
    ({"min_base": -1}, ValueError, "'min_base' must be an integer"),
    ({"suppress_below": 0}, ValueError, "'suppress_below' must be an integer"),
    ({"row_kinds": {"kommune": "box"}}, sk.ArgumentError, "row_kinds"),
    ({"row_kinds": {"alder": "mean"}}, sk.ArgumentError, "'row_kinds' names \\['alder'\\]"),
])
def test_bad_arguments_are_refused(design: sk.SurveyDesign, kwargs: dict, error: type,
                                   match: str) -> None:
    with pytest.raises(error, match=match):
        sk.banner(design, rows=["kommune"], banner="alder", **kwargs)


def test_bad_rows_and_banners_are_refused_with_the_name(design: sk.SurveyDesign,
                                                        data: pd.DataFrame) -> None:
    with pytest.raises(sk.ColumnError, match="'nosuch'"):
        sk.banner(design, rows=["nosuch"], banner="alder")
    with pytest.raises(KeyError, match="'nosuch'"):
        sk.banner(design, rows=["age"], banner="nosuch")
    with pytest.raises(ValueError, match="twice"):
        sk.banner(design, rows=["age", "age"], banner="alder")
    d = design.with_columns(bad=data["age"])
    with pytest.raises(sk.ArgumentError, match=r"'bad'.*0 \(not chosen\)"):
        sk.banner(d, rows=[("bad", "needs__jobs")], banner="alder")
    with pytest.raises(sk.ArgumentError, match="NPS row and needs answers 0-10"):
        sk.banner(d, rows=["bad"], banner="alder", row_kinds={"bad": "nps"})
    with pytest.raises(TypeError, match="'design'"):
        sk.banner(data, rows=["age"], banner="alder")  # type: ignore[arg-type]


def test_a_replicate_design_gives_the_same_estimates(design: sk.SurveyDesign) -> None:
    rep = design.to_replicates("bootstrap", replicates=50, seed=1)
    a = sk.banner(design, rows=["kommune"], banner="alder").to_frame()
    b = sk.banner(rep, rows=["kommune"], banner="alder").to_frame()
    np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-12)
    assert not np.allclose(a["se"], b["se"])
