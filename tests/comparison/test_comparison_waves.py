"""sk.compare on plain columns: pairs of waves, domains, flags, effect sizes, options, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import load_api


@pytest.fixture(scope="module")
def waves() -> dict[str, sk.SurveyDesign]:
    strat = load_api("apistrat")
    clus = load_api("apiclus1")
    srs = load_api("apisrs")
    return {"y1": sk.SurveyDesign(strat, weights="pw", strata="stype", fpc="fpc"),
            "y2": sk.SurveyDesign(clus, psu="dnum", weights="pw", fpc="fpc"),
            "y3": sk.SurveyDesign(srs, fpc="fpc")}


def test_consecutive_and_first_pairs(waves) -> None:
    cons = sk.compare(waves, ["api00"]).to_frame()
    first = sk.compare(waves, ["api00"], pairs="first").to_frame()
    assert list(zip(cons["wave_a"], cons["wave_b"], strict=True)) == [("y1", "y2"), ("y2", "y3")]
    assert list(zip(first["wave_a"], first["wave_b"], strict=True)) == [("y1", "y2"),
                                                                        ("y1", "y3")]
    # the difference y1 -> y3 is the sum of the two consecutive ones
    assert first["difference"].iloc[1] == pytest.approx(cons["difference"].sum(), rel=1e-12)


def test_independent_difference_df_and_interval(waves) -> None:
    """df of an independent difference = df_a + df_b; t interval on it."""
    t = sk.compare({"a": waves["y1"], "b": waves["y2"]}, ["api00"],
                   confidence_level=0.9).to_frame().iloc[0]
    df = waves["y1"].df + waves["y2"].df
    from scipy import stats

    q = stats.t.ppf(0.95, df)
    assert t["df"] == df
    assert t["ci_low"] == pytest.approx(t["difference"] - q * t["se_difference"], rel=1e-12)
    assert t["p_value"] == pytest.approx(2 * stats.t.sf(abs(t["statistic"]), df), rel=1e-12)


def test_cohens_d_uses_the_wave_sds(waves) -> None:
    a, b = waves["y1"], waves["y2"]
    row = sk.compare({"a": a, "b": b}, ["api00"]).to_frame().iloc[0]
    sd_a = np.sqrt(sk.var(a, "api00").estimate[0])
    sd_b = np.sqrt(sk.var(b, "api00").estimate[0])
    d = row["difference"] / np.sqrt((sd_a**2 + sd_b**2) / 2)
    assert row["effect_size"] == pytest.approx(d, rel=1e-12)
    assert row["effect_size_kind"] == "d"


def test_domains_and_small_base_flag(waves) -> None:
    t = sk.compare({"a": waves["y1"], "b": waves["y2"]}, ["api00"], by="stype",
                   min_base=20).to_frame()
    assert list(t.columns[:2]) == ["stype", "item"]
    assert list(t["stype"]) == ["E", "H", "M"]
    small = t.set_index("stype")["flags"]
    assert small["H"] == "small_base" and small["E"] == ""  # H: 14 schools in apiclus1
    assert t["n_b"].tolist() == [144, 14, 25]


def test_domain_missing_in_one_wave_is_not_comparable(waves) -> None:
    only_e = waves["y2"].subset("stype == 'E'")
    t = sk.compare({"a": waves["y1"], "b": only_e}, ["api00"], by="stype").to_frame()
    h = t.set_index("stype").loc["H"]
    assert not h["comparable"] and "wave 'b'" in h["note"] and np.isnan(h["difference"])
    assert np.isnan(h["p_adjusted"])


def test_adjusted_p_values_and_significant(waves) -> None:
    pair = {"a": waves["y1"], "b": waves["y2"]}
    items = ["api00", "api99", "enroll", "meals", "ell"]
    raw = sk.compare(pair, items, adjust="none").to_frame()
    for method in ("bh", "holm", "bonferroni", "hochberg", "hommel", "by"):
        cmp = sk.compare(pair, items, adjust=method)
        t = cmp.to_frame()
        np.testing.assert_allclose(t["p_adjusted"], sk.adjust_pvalues(raw["p_value"], method))
        assert cmp.adjust == method
        assert list(cmp.significant(0.05)["item"]) == list(t.loc[t["p_adjusted"] < 0.05,
                                                                 "item"])


def test_replicate_and_linearization_waves_mix(waves) -> None:
    rep = waves["y2"].to_replicates("jk1")
    t = sk.compare({"a": waves["y1"], "b": rep}, ["api00"]).to_frame().iloc[0]
    assert t["se_b"] == pytest.approx(sk.mean(rep, "api00").se[0], rel=1e-12)
    assert t["df"] == waves["y1"].df + rep.df


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"samples": "paired"}, ValueError, "'samples' must be one of"),
    ({"adjust": "fdr"}, ValueError, "'adjust' must be one of"),
    ({"pairs": "all"}, ValueError, "'pairs' must be one of"),
    ({"measure": "median"}, ValueError, "'measure' must be one of"),
    ({"measure": {"api01": "mean"}}, ValueError, "not in 'items'"),
    ({"confidence_level": 95}, ValueError, "confidence_level"),
    ({"by": "district"}, KeyError, "'by' names columns"),
    ({"wave": "stype"}, ValueError, "one stacked design"),
])
def test_bad_arguments(waves, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        sk.compare({"a": waves["y1"], "b": waves["y2"]}, ["api00"], **kwargs)


def test_bad_waves(waves) -> None:
    with pytest.raises(TypeError, match="at least two"):
        sk.compare({"a": waves["y1"]}, ["api00"])
    with pytest.raises(TypeError, match="'waves' must be a dict"):
        sk.compare([waves["y1"], waves["y2"]], ["api00"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs 'wave='"):
        sk.compare(waves["y1"], ["api00"])
    one_wave = sk.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0], "round": ["x", "x"]}),
                               weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="at least two waves"):
        sk.compare(one_wave, ["y"], wave="round")
    with pytest.raises(KeyError, match="'wave' names column"):
        sk.compare(one_wave, ["y"], wave="wave")


def test_overlapping_waves_must_share_the_design(waves) -> None:
    with pytest.raises(sk.DesignError, match="must share one design"):
        sk.compare({"a": waves["y1"], "b": waves["y2"]}, ["api00"], samples="overlapping")
    with pytest.raises(sk.DesignError, match="all be SurveyDesign"):
        sk.compare({"a": waves["y2"], "b": waves["y2"].to_replicates("jk1")}, ["api00"],
                   samples="overlapping")


def test_stacking_calibrated_waves_warns() -> None:
    df = load_api("apiclus1")
    d = sk.SurveyDesign(df, psu="dnum", weights="pw", fpc="fpc")
    raked = sk.rake(d, {"stype": df.groupby("stype")["pw"].sum() * 1.01})
    with pytest.warns(sk.SurveykitWarning, match="calibration records"):
        t = sk.compare({"a": raked, "b": raked}, ["api00"], samples="overlapping")
    assert t.to_frame()["difference"].iloc[0] == pytest.approx(0.0, abs=1e-9)
