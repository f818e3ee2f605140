"""sk.crosstab, sk.ttest, sk.glm and sk.contrast against R survey 4.1.1.

Cases come from ``tests/reference/ref_estimation_models.R``; each test id carries the exact
R call (``svychisq(~stype + sch.wide, dclus1, statistic = "F")``,
``svyttest(api00 ~ sch.wide, dclus1)``, ``svyglm(api00 ~ ell + meals + mobility, dclus1,
family = gaussian())``, ``svycontrast(est, c(api00 = 1, api99 = -1))``). Tolerance: rel
1e-9; rel 1e-6 for glm fits with a non-identity link (R iterates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from reference import reference_cases as rc

import surveykit as sk


def _of(kind: str) -> list[Any]:
    return rc.case_params("models", lambda c: c["estimator"] == kind)


@pytest.mark.parametrize("case", _of("crosstab"))
def test_crosstab_tests_match_svychisq(case: dict[str, Any]) -> None:
    """R: ``svychisq(~row + col, design, statistic = s)`` for s in F, Chisq, Wald, adjWald."""
    args = case["args"]
    result = sk.crosstab(rc.build_design(case["design"]), args["row"], args["col"])
    tests = result.tests
    for row in case["values"]["tests"]:
        got = tests.loc[row["test"]]
        expected = {**row, "ddf": np.inf if row["ddf"] is None else row["ddf"]}
        for col in ("statistic", "ndf", "ddf", "p_value"):
            rc.compare_values(got[col], expected[col], what=f"{row['test']}.{col}",
                              call=case["call"])


@pytest.mark.parametrize("case", _of("crosstab"))
def test_crosstab_proportions_match_svymean(case: dict[str, Any]) -> None:
    """R: ``svymean(~interaction(row, col, sep = ":"), design)``: cell proportions, SEs."""
    args = case["args"]
    result = sk.crosstab(rc.build_design(case["design"]), args["row"], args["col"])
    rc.compare_rows(result.to_frame(), case["values"]["proportions"],
                    [args["row"], args["col"]], ["estimate", "se"], call=case["call"])


@pytest.mark.parametrize("case", _of("ttest"))
def test_ttest_matches_svyttest(case: dict[str, Any]) -> None:
    """R: ``svyttest(y ~ group, design)`` (or ``y ~ 0``): t, df, p, difference, 95% CI."""
    args = case["args"]
    design = rc.build_design(case["design"])
    res = sk.ttest(design, args["variable"], by=args.get("by"), nan_policy="omit")
    v = case["values"]
    for name, expected in (("statistic", v["statistic"]), ("df", v["df_t"]),
                           ("p_value", v["p_value"]), ("estimate", v["estimate"]),
                           ("ci_low", v["ci_low"]), ("ci_high", v["ci_high"])):
        rc.compare_values(getattr(res, name), expected, what=name, call=case["call"])


@pytest.mark.parametrize("case", _of("glm"))
def test_glm_matches_svyglm(case: dict[str, Any]) -> None:
    """R: ``summary(svyglm(formula, design, family))`` and ``confint()`` of the case's call."""
    args = case["args"]
    design = rc.build_design(case["design"])
    fit = sk.glm(design, args["formula"], family=args["family"])
    v = case["values"]
    rel = rc.REL if args["family"] == "gaussian" else rc.REL_ITER
    frame = fit.to_frame().set_index("term")
    assert list(frame.index) == v["terms"], (case["call"], list(frame.index))
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        rc.compare_values(frame[col].to_numpy(), v[col], rel=rel, what=col, call=case["call"])
    rc.compare_values(fit.df_residual, v["df_residual"], what="df_residual", call=case["call"])
    rc.compare_values(fit.dispersion, v["dispersion"], rel=rel, what="dispersion",
                      call=case["call"])


def _contrast_weights(spec: dict[str, Any]) -> Any:
    if list(spec) == ["contrast"]:
        return spec["contrast"]
    return spec


@pytest.mark.parametrize("case", _of("contrast"))
def test_contrast_matches_svycontrast(case: dict[str, Any]) -> None:
    """R: ``svycontrast(est, contrasts)`` on the case's ``svymean``/``svytotal``/``svyby``."""
    args = case["args"]
    design = rc.build_design(case["design"])
    stat = args["stat_args"]
    func = getattr(sk, args["estimator"])
    est = func(design, stat["variables"], **({"by": stat["by"]} if "by" in stat else {}))
    result = sk.contrast(est, _contrast_weights(args["contrasts"]))
    frame = result.to_frame()
    v = case["values"]
    names = v["names"] if isinstance(v["names"], list) else [v["names"]]  # JSON unboxes one
    assert list(frame["variable"]) == names, (case["call"], list(frame["variable"]))
    rc.compare_values(frame["estimate"].to_numpy(), v["estimate"], what="estimate",
                      call=case["call"])
    rc.compare_values(frame["se"].to_numpy(), v["se"], what="se", call=case["call"])


def test_contrast_vector_form_equals_named_form() -> None:
    """A contrast given in row order equals the same contrast given by names."""
    design = rc.build_design("dclus1")
    est = sk.mean(design, ["api00", "api99"])
    named = sk.contrast(est, {"api00": 1, "api99": -1})
    ordered = sk.contrast(est, [1.0, -1.0])
    assert named.estimate == pytest.approx(ordered.estimate, rel=1e-15)
    assert named.se == pytest.approx(ordered.se, rel=1e-15)


def test_contrast_unknown_name_lists_the_estimates() -> None:
    """A misspelt estimate name raises ValueError naming the available ones."""
    est = sk.mean(rc.build_design("dclus1"), ["api00", "api99"])
    with pytest.raises(ValueError, match="api99"):
        sk.contrast(est, {"api00": 1, "api98": -1})


def test_glm_keeps_design_when_rows_are_missing() -> None:
    """Missing predictors leave the domain, not the design (R's na.omit in svyglm)."""
    data = rc.dataset("apiclus1")
    design = sk.SurveyDesign(data, psu="dnum", fpc="fpc", weights="pw")
    fit = sk.glm(design, "api00 ~ acs.k3 + meals")
    assert fit.n == int(data["acs.k3"].notna().sum())
    pd.testing.assert_frame_equal(data, rc.dataset("apiclus1"))
