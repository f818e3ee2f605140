"""Input checks and invariants of sk.crosstab, sk.ttest, sk.glm and sk.contrast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference import reference_cases as rc

import surveykit as sk


@pytest.fixture
def dclus1() -> sk.SurveyDesign:
    return sk.SurveyDesign(rc.dataset("apiclus1"), psu="dnum", fpc="fpc", weights="pw")


def test_glm_rejects_unknown_family(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match="'family' must be one of"):
        sk.glm(dclus1, "api00 ~ ell", family="tweedie")  # type: ignore[arg-type]


def test_glm_names_a_missing_response(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match="api01"):
        sk.glm(dclus1, "api01 ~ ell")


def test_glm_binomial_needs_two_categories(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match="two categories"):
        sk.glm(dclus1, "stype ~ ell", family="binomial")


def test_glm_result_unpacks_to_estimate_and_se(dclus1: sk.SurveyDesign) -> None:
    fit = sk.glm(dclus1, "api00 ~ ell")
    est, se = fit
    assert est is fit.estimate and se is fit.se
    assert list(fit.covariance.index) == ["(Intercept)", "ell"]


def test_glm_weights_rescaling_leaves_results_unchanged(dclus1: sk.SurveyDesign) -> None:
    data = rc.dataset("apiclus1").assign(pw=lambda d: d["pw"] * 7.0)
    other = sk.SurveyDesign(data, psu="dnum", fpc="fpc", weights="pw")
    a = sk.glm(dclus1, "sch.wide ~ meals", family="binomial")
    b = sk.glm(other, "sch.wide ~ meals", family="binomial")
    assert a.estimate == pytest.approx(b.estimate, rel=1e-10)
    assert a.se == pytest.approx(b.se, rel=1e-10)


def test_ttest_needs_two_groups(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match="exactly two groups"):
        sk.ttest(dclus1, "api00", by="stype")


def test_ttest_missing_values_raise_by_default(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(ValueError, match="nan_policy='omit'"):
        sk.ttest(dclus1, "acs.k3", by="sch.wide")


def test_ttest_one_sided_p_values_add_up(dclus1: sk.SurveyDesign) -> None:
    less = sk.ttest(dclus1, "api00", by="sch.wide", alternative="less")
    greater = sk.ttest(dclus1, "api00", by="sch.wide", alternative="greater")
    two = sk.ttest(dclus1, "api00", by="sch.wide")
    assert less.p_value + greater.p_value == pytest.approx(1.0)
    assert 2 * min(less.p_value, greater.p_value) == pytest.approx(two.p_value)
    assert np.isinf(less.ci_low) and np.isinf(greater.ci_high)


def test_crosstab_proportions_sum_to_one(dclus1: sk.SurveyDesign) -> None:
    t = sk.crosstab(dclus1, "stype", "awards")
    assert t.estimate.sum() == pytest.approx(1.0, rel=1e-12)
    assert list(t.tests.index) == ["F", "Chisq", "Wald", "adjWald"]


def test_crosstab_missing_values_follow_nan_policy() -> None:
    data = rc.dataset("apiclus1")
    data.loc[data.index[:5], "stype"] = np.nan
    design = sk.SurveyDesign(data, psu="dnum", fpc="fpc", weights="pw")
    with pytest.raises(ValueError, match="nan_policy='omit'"):
        sk.crosstab(design, "stype", "sch.wide")
    t = sk.crosstab(design, "stype", "sch.wide", nan_policy="omit")
    assert t.estimate.sum() == pytest.approx(1.0, rel=1e-12)
    # R (survey 4.1.1) on the same data: svychisq(~stype + sch.wide, d): F = 5.0042,
    # ndf = 1.5039, ddf = 21.0542
    assert t.tests.loc["F", "statistic"] == pytest.approx(5.0042, abs=5e-5)
    assert t.tests.loc["F", "ndf"] == pytest.approx(1.5039, abs=5e-5)
    assert t.tests.loc["F", "ddf"] == pytest.approx(21.0542, abs=5e-5)


def test_crosstab_does_not_mutate_data(dclus1: sk.SurveyDesign) -> None:
    before = dclus1.data.copy()
    sk.crosstab(dclus1, "stype", "sch.wide")
    pd.testing.assert_frame_equal(dclus1.data, before)


def test_contrast_several_named_contrasts(dclus1: sk.SurveyDesign) -> None:
    est = sk.mean(dclus1, ["api00", "api99"])
    res = sk.contrast(est, {"diff": {"api00": 1, "api99": -1}, "sum": [1.0, 1.0]})
    assert list(res.to_frame()["variable"]) == ["diff", "sum"]
    assert res.estimate[1] == pytest.approx(est.estimate.sum())


def test_contrast_of_glm_coefficients(dclus1: sk.SurveyDesign) -> None:
    fit = sk.glm(dclus1, "api00 ~ ell + meals")
    res = sk.contrast(fit, {"ell": 1, "meals": -1})
    var = fit.cov[1, 1] + fit.cov[2, 2] - 2 * fit.cov[1, 2]
    assert res.se[0] == pytest.approx(np.sqrt(var), rel=1e-12)
    assert res.df[0] == fit.df_residual
