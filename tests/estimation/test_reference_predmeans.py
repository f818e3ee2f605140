"""sk.predictive_margins against R survey 4.1.1 ``svypredmeans``.

Cases come from ``tests/reference/ref_predmeans.R``: margins by wave and by region after
gaussian, quasibinomial (logit, probit), poisson (with an offset) and Gamma (log) fits on
a synthetic two-wave survey (linearization, JKn, bootstrap), and the NHANES example of
``?svypredmeans`` with race as a factor and as a number. Tolerance rel 1e-6 (R iterates);
1e-9 for the gaussian fits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from reference import reference_cases as rc

import surveykit as sk

CASES = rc.other_cases("ref_predmeans")


def _design(name: str) -> Any:
    spec = rc.other_json_designs()[name]
    data = rc.other_dataset(spec["data"])
    if spec["data"] == "nhanes":
        data["race_f"] = data["race"].astype(str)  # R: factor(race)
    return rc.build_spec_design(spec, data)


@pytest.mark.parametrize("case", CASES)
def test_predictive_margins_match_svypredmeans(case: dict[str, Any]) -> None:
    """R: ``svypredmeans(svyglm(formula, design = D, family = f), ~group)``."""
    args = case["args"]
    fit = sk.glm(_design(case["design"]), args["formula"], family=args["family"],
                 link=args.get("link"))
    pm = sk.predictive_margins(fit, by=args["by"])
    v = case["values"]
    groups = [str(g) for g in pm.labels[args["by"]]]
    order = [groups.index(str(g)) for g in v["groups"]]  # R: order of first appearance
    rel = rc.REL if args["family"] == "gaussian" else rc.REL_ITER
    rc.compare_values(pm.estimate[order], v["estimate"], rel=rel, what="estimate",
                      call=case["call"])
    rc.compare_values(pm.se[order], v["se"], rel=rel, what="se", call=case["call"])
    # covariances on the scale of the variances: a covariance near zero is a difference of
    # larger terms, so its own relative error is no measure of agreement
    cov = np.asarray(pm.cov)[np.ix_(order, order)]
    r_cov = np.asarray(v["cov"], dtype=float).reshape(cov.shape)
    scale = np.sqrt(np.outer(np.diag(r_cov), np.diag(r_cov)))
    assert np.all(np.abs(cov - r_cov) <= rel * scale), (case["call"], cov, r_cov)


def test_group_already_in_the_model_gives_the_same_margins() -> None:
    """``y ~ x`` by wave (R's refit with + wave) equals the fit of ``y ~ x + wave`` itself."""
    d = _design("dsurvey")
    adjust = sk.predictive_margins(sk.glm(d, "satisfied ~ age + sex", family="binomial"),
                                   by="wave")
    full = sk.predictive_margins(sk.glm(d, "satisfied ~ age + sex + wave",
                                        family="binomial"), by="wave")
    np.testing.assert_allclose(full.estimate, adjust.estimate, rtol=1e-12)
    np.testing.assert_allclose(full.cov, adjust.cov, rtol=1e-10)


def test_adjusted_wave_difference_by_contrast() -> None:
    """sk.contrast on the margins: the wave difference with its SE from the covariance."""
    d = _design("dsurvey")
    pm = sk.predictive_margins(sk.glm(d, "score ~ age + sex"), by="wave")
    diff = sk.contrast(pm, {"2": 1, "1": -1})
    assert diff.estimate[0] == pytest.approx(pm.estimate[1] - pm.estimate[0], rel=1e-12)
    var = pm.cov[0, 0] + pm.cov[1, 1] - 2 * pm.cov[0, 1]
    assert diff.se[0] == pytest.approx(np.sqrt(var), rel=1e-12)


def test_margins_leave_the_data_untouched() -> None:
    """Predicting at each group does not write into the design's data."""
    d = _design("dsurvey")
    before = d.data.copy()
    sk.predictive_margins(sk.glm(d, "cost ~ age", family="gamma", link="log"), by="region")
    pd.testing.assert_frame_equal(d.data, before)


def test_margins_refuse_an_ordinal_fit() -> None:
    """The proportional-odds model has no single mean to predict."""
    d = _design("dsurvey")
    fit = sk.glm(d.with_columns(cat=pd.cut(d.data["score"], [0, 55, 65, 100],
                                           labels=False)),
                 "cat ~ age", family="ordinal")
    with pytest.raises(sk.EstimationError, match="ordinal"):
        sk.predictive_margins(fit, by="wave")
