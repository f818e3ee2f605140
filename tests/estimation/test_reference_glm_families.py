"""sk.glm families, links and offsets against R survey 4.1.1 (svyglm + summary + confint).

Cases come from ``tests/reference/ref_glm_families.R`` on a synthetic two-wave survey
(linearization, JKn and bootstrap replicates), NHANES and the 2004 election PPS sample; each
test id carries the exact R call. Tolerance rel 1e-6 (R iterates); the IRLS runs as R's
``glm.fit``, so the iteration count must agree too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from reference import reference_cases as rc

import surveykit as sk

CASES = rc.other_cases("ref_glm_families")


def _design(name: str) -> Any:
    return rc.build_spec_design(rc.other_json_designs()[name])


@pytest.mark.parametrize("case", CASES)
def test_glm_family_link_offset_matches_svyglm(case: dict[str, Any]) -> None:
    """R: ``summary(svyglm(formula, design, family = f(link = l), offset = o))``."""
    args = case["args"]
    fit = sk.glm(_design(case["design"]), args["formula"], family=args["family"],
                 link=args.get("link"), offset=args.get("offset"), start=args.get("start"))
    v = case["values"]
    frame = fit.to_frame().set_index("term")
    terms = v["terms"] if isinstance(v["terms"], list) else [v["terms"]]  # JSON unboxes one
    assert list(frame.index) == terms, (case["call"], list(frame.index))
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        rc.compare_values(frame[col].to_numpy(), v[col], rel=rc.REL_ITER, what=col,
                          call=case["call"])
    rc.compare_values(fit.df_residual, v["df_residual"], what="df_residual", call=case["call"])
    rc.compare_values(fit.dispersion, v["dispersion"], rel=rc.REL_ITER, what="dispersion",
                      call=case["call"])
    assert (fit.iterations, fit.converged, fit.link) == (v["iter"], v["converged"], v["link"])


def test_offset_argument_equals_offset_term() -> None:
    """``offset="log(exposure)"`` and ``+ offset(log(exposure))`` are one model; an array too."""
    d = _design("dsurvey")
    in_formula = sk.glm(d, "visits ~ age + offset(log(exposure))", family="poisson")
    as_arg = sk.glm(d, "visits ~ age", family="poisson", offset="log(exposure)")
    as_array = sk.glm(d, "visits ~ age", family="poisson",
                      offset=np.log(d.data["exposure"].to_numpy()))
    for other in (as_arg, as_array):
        np.testing.assert_allclose(other.estimate, in_formula.estimate, rtol=1e-13)
        np.testing.assert_allclose(other.se, in_formula.se, rtol=1e-11)


def test_missing_offset_leaves_the_fit_and_data_untouched() -> None:
    """A row with a missing offset leaves the model (R's na.omit); the data are not changed."""
    data = rc.other_dataset("glm_survey")
    data.loc[[3, 10], "exposure"] = np.nan
    before = data.copy()
    d = sk.SurveyDesign(data, psu="psu", strata="stratum", weights="weight", fpc="npsu")
    fit = sk.glm(d, "visits ~ age + offset(log(exposure))", family="poisson")
    assert fit.n == len(data) - 2
    pd.testing.assert_frame_equal(data, before)


def test_gamma_refuses_non_positive_response() -> None:
    """Gamma needs y > 0: the error names the family, the response and the first bad value."""
    data = rc.other_dataset("glm_survey").assign(cost0=lambda f: f["cost"].where(f.index != 5, 0))
    d = sk.SurveyDesign(data, psu="psu", strata="stratum", weights="weight", fpc="npsu")
    with pytest.raises(sk.EstimationError, match=r"gamma.*positive values.*'cost0'.*0\.0"):
        sk.glm(d, "cost0 ~ age", family="gamma")


def test_link_not_accepted_by_family_lists_the_links() -> None:
    """A link R's family does not accept is refused with the accepted ones listed."""
    with pytest.raises(sk.EstimationError, match=r"'link' must be one of \('log', "
                                                 r"'identity', 'sqrt'\) for family='poisson'"):
        sk.glm(_design("dsurvey"), "visits ~ age", family="poisson", link="logit")


def test_offset_of_wrong_length_is_refused() -> None:
    """An offset array must have one value per row."""
    with pytest.raises(ValueError, match="one value per row"):
        sk.glm(_design("dsurvey"), "visits ~ age", family="poisson", offset=np.zeros(3))


def test_log_binomial_without_valid_start_is_refused_as_in_r() -> None:
    """R: ``svyglm(score45 ~ age, dsurvey, family = quasibinomial(link = "log"))`` stops
    with "no valid set of coefficients has been found"; surveykit refuses the same fit."""
    with pytest.raises(sk.EstimationError, match="no valid set of coefficients"):
        sk.glm(_design("dsurvey"), "score45 ~ age", family="binomial", link="log")


def test_start_must_match_the_coefficients() -> None:
    """``start`` needs one value per coefficient; the message lists the terms."""
    with pytest.raises(sk.EstimationError, match=r"one value per coefficient \(2: "):
        sk.glm(_design("dsurvey"), "score45 ~ sex", family="binomial", link="log",
               start=[-0.5])


def test_ordinal_family_refuses_glm_only_arguments() -> None:
    """svyolr has no link choice, offset or start in sk.glm: say so instead of ignoring them."""
    d = _design("dsurvey")
    d = d.with_columns(band=pd.cut(d.data["score"], [0, 55, 65, 100], labels=False))
    with pytest.raises(sk.EstimationError, match="family='ordinal'"):
        sk.glm(d, "band ~ age", family="ordinal", link="probit")
