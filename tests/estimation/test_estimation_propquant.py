"""sk.proportion and sk.quantile: arguments, edge cases and the Wilson interval by hand.

R survey 4.1.1 has no ``svyciprop(method="wilson")``; the Wilson interval is checked against
the textbook formula (Wilson 1927, with the effective sample size of Kott and Carr 1997)
written out here independently, and against statsmodels' SRS Wilson interval, which it must
equal when the design is a simple random sample and the quantile is normal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import surveykit as sk
from surveykit.datasets import load_api


@pytest.fixture(scope="module")
def dstrat() -> sk.SurveyDesign:
    return sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="module")
def srs() -> sk.SurveyDesign:
    rng = np.random.default_rng(7)
    y = rng.choice(["a", "b", "c"], size=40, p=[0.2, 0.5, 0.3])
    return sk.SurveyDesign(pd.DataFrame({"y": y, "w": np.full(40, 2.5)}), weights="w")


def _wilson_by_hand(p: float, n_eff: float, t: float) -> tuple[float, float]:
    """Wilson's interval, textbook form: centre and half-width over 1 + t^2/n."""
    centre = p + t * t / (2 * n_eff)
    half = t * math.sqrt(p * (1 - p) / n_eff + t * t / (4 * n_eff * n_eff))
    denom = 1 + t * t / n_eff
    return (centre - half) / denom, (centre + half) / denom


def test_wilson_matches_hand_computation_with_design_df(dstrat: sk.SurveyDesign) -> None:
    """Effective n = p(1-p)/var, t on the design df (197 for dstrat)."""
    t = sk.proportion(dstrat, "sch.wide", ci_method="wilson").to_frame()
    q = stats.t.ppf(0.975, 197)
    for _, row in t.iterrows():
        p, var = row["estimate"], row["se"] ** 2
        lo, hi = _wilson_by_hand(p, p * (1 - p) / var, q)
        assert row["ci_low"] == pytest.approx(lo, rel=1e-12)
        assert row["ci_high"] == pytest.approx(hi, rel=1e-12)


def test_wilson_on_srs_equals_statsmodels(srs: sk.SurveyDesign) -> None:
    """SRS with replacement: var = p(1-p)/(n-1), so n_eff = n - 1; normal quantile."""
    t = sk.proportion(srs, "y", ci_method="wilson", df=float("inf")).to_frame()
    n_eff = len(srs.data) - 1
    for _, row in t.iterrows():
        lo, hi = proportion_confint(row["estimate"] * n_eff, n_eff, alpha=0.05,
                                    method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=1e-12)


def test_proportions_sum_to_one_and_match_mean(dstrat: sk.SurveyDesign) -> None:
    p = sk.proportion(dstrat, "stype", by="sch.wide").to_frame()
    assert p.groupby("sch.wide")["estimate"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    m = sk.mean(dstrat, "stype", by="sch.wide").to_frame()
    np.testing.assert_allclose(p["estimate"], m["estimate"], rtol=1e-14)
    np.testing.assert_allclose(p["se"], m["se"], rtol=1e-12)


def test_levels_order_absent_level_and_unlisted_value(dstrat: sk.SurveyDesign) -> None:
    t = sk.proportion(dstrat, "stype", levels=["M", "E", "H", "X"]).to_frame()
    assert list(t["level"]) == ["M", "E", "H", "X"]
    assert t.loc[3, "estimate"] == 0.0
    with pytest.raises(ValueError, match=r"values not in 'levels': \['H'\]"):
        sk.proportion(dstrat, "stype", levels=["E", "M"])


def test_boolean_and_zero_one_columns(dstrat: sk.SurveyDesign) -> None:
    data = dstrat.data.assign(yes=dstrat.data["sch.wide"] == "Yes",
                              yes01=(dstrat.data["sch.wide"] == "Yes").astype(int))
    d = sk.SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    a = sk.proportion(d, "yes").to_frame()
    b = sk.proportion(d, "yes01").to_frame()
    assert list(a["level"]) == [False, True]
    assert list(b["level"]) == [0, 1]
    np.testing.assert_allclose(a["ci_low"], b["ci_low"], rtol=1e-14)


def test_confidence_interval_at_another_level_recomputes_the_method(
        dstrat: sk.SurveyDesign) -> None:
    for method in ("logit", "likelihood", "beta", "asin"):
        t95 = sk.proportion(dstrat, "sch.wide", ci_method=method)
        t90 = sk.proportion(dstrat, "sch.wide", ci_method=method, confidence_level=0.9)
        ci = t95.confidence_interval(0.9)
        np.testing.assert_allclose(ci.low, t90.to_frame()["ci_low"], rtol=1e-12)
        np.testing.assert_allclose(ci.high, t90.to_frame()["ci_high"], rtol=1e-12)


def test_degenerate_proportion_gives_nan_limits_not_an_error(dstrat: sk.SurveyDesign) -> None:
    t = sk.proportion(dstrat, "stype", by="stype", ci_method="logit").to_frame()
    ones = t[t["stype"] == t["level"]]
    assert (ones["estimate"] == 1.0).all()
    assert ones["ci_low"].isna().all()


def test_nan_policy_for_both_estimators(dstrat: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match=r"acs\.k3"):
        sk.quantile(dstrat, "acs.k3", 0.5)
    q = sk.quantile(dstrat, "acs.k3", 0.5, nan_policy="omit").to_frame()
    assert q.loc[0, "n"] == dstrat.data["acs.k3"].notna().sum()
    data = dstrat.data.assign(g=dstrat.data["sch.wide"].where(dstrat.data["api00"] > 500))
    d = sk.SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    with pytest.raises(ValueError, match="nan_policy='omit'"):
        sk.proportion(d, "g")
    p = sk.proportion(d, "g", nan_policy="omit").to_frame()
    assert p["estimate"].sum() == pytest.approx(1.0)


def test_argument_errors(dstrat: sk.SurveyDesign) -> None:
    rep = dstrat.to_replicates("jkn")
    with pytest.raises(ValueError, match="likelihood"):
        sk.proportion(rep, "sch.wide", ci_method="likelihood")
    with pytest.raises(ValueError, match="'ci_method' must be one of"):
        sk.proportion(dstrat, "sch.wide", ci_method="wald")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one column"):
        sk.proportion(dstrat, ["sch.wide", "stype"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ReplicateDesign"):
        sk.quantile(dstrat, "api00", 0.5, interval_type="quantile")
    with pytest.raises(ValueError, match="linearisation"):
        sk.quantile(rep, "api00", 0.5, interval_type="score")
    with pytest.raises(ValueError, match="'qrule' must be one of"):
        sk.quantile(dstrat, "api00", 0.5, qrule="hf10")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'quantiles' must be a number in"):
        sk.quantile(dstrat, "api00", [0.5, 50])


def test_quantile_table_layout_and_covariance(dstrat: sk.SurveyDesign) -> None:
    t = sk.quantile(dstrat, ["api00", "api99"], [0.25, 0.75], by="sch.wide")
    f = t.to_frame()
    assert list(f.columns[:3]) == ["sch.wide", "variable", "quantile"]
    assert len(f) == 2 * 2 * 2
    assert np.isnan(t.cov[0, 1]) and t.cov[0, 0] == pytest.approx(f.loc[0, "se"] ** 2)
    rep = sk.quantile(dstrat.to_replicates("jkn"), "api00", [0.25, 0.75],
                      interval_type="quantile")
    assert np.isfinite(rep.cov).all()


def test_quantile_other_level_matches_a_new_call(dstrat: sk.SurveyDesign) -> None:
    for kind in ("mean", "score"):
        t = sk.quantile(dstrat, "api00", [0.1, 0.5], interval_type=kind)
        t90 = sk.quantile(dstrat, "api00", [0.1, 0.5], interval_type=kind,
                          confidence_level=0.9).to_frame()
        ci = t.confidence_interval(0.9)
        np.testing.assert_array_equal(ci.low, t90["ci_low"])
        np.testing.assert_array_equal(ci.high, t90["ci_high"])


def test_inputs_are_not_modified(dstrat: sk.SurveyDesign) -> None:
    before = dstrat.data.copy()
    sk.proportion(dstrat, "sch.wide", by="stype", ci_method="likelihood")
    sk.quantile(dstrat, "api00", 0.5, by="stype", interval_type="score")
    pd.testing.assert_frame_equal(dstrat.data, before)
