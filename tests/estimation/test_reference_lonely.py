"""Lonely PSUs under each policy against R's ``options(survey.lonely.psu=)`` (survey 4.1.1).

The design (``tests/reference/ref_estimation_lonely.R``) groups apiclus2's 40 districts 3 by
3 into strata, so stratum 14 has a single PSU. In surveykit the policy is a field of the
design: ``SurveyDesign(..., lonely_psu=policy)``. Each test id carries the R call, e.g.
``options(survey.lonely.psu = "average"); svymean(~api00 + api.stu, dlonely)``.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from reference import reference_cases as rc

import surveykit as sk


def _estimate(case: dict[str, Any]) -> Any:
    args = case["args"]
    design = rc.build_design(case["design"], lonely_psu=args["lonely_psu"])
    if case["estimator"] == "ratio":
        return sk.ratio(design, args["numerator"], args["denominator"])
    func = getattr(sk, case["estimator"])
    kwargs = {"by": args["by"]} if "by" in args else {}
    return func(design, args["variables"], **kwargs)


@pytest.mark.parametrize("case", rc.case_params("lonely", lambda c: "error" in c["values"]))
def test_fail_policy_raises(case: dict[str, Any]) -> None:
    """R: the case's ``call`` stops with 'Stratum (14) has only one PSU at stage 1'."""
    with pytest.raises(sk.DesignError, match="14"):
        _estimate(case)


@pytest.mark.parametrize("case", rc.case_params("lonely", lambda c: "rows" in c["values"]))
def test_policy_matches_r(case: dict[str, Any]) -> None:
    """R: the case's ``call`` (see the test id); estimates and SEs under the policy."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.LonelyPSUWarning)
        frame = _estimate(case).to_frame()
    rows = case["values"]["rows"]
    by = [case["args"]["by"]] if "by" in case["args"] else []
    keys = [] if case["estimator"] == "ratio" else by + [
        k for k in ("variable", "level") if k in rows[0]]
    rc.compare_rows(frame, rows, keys, ["estimate", "se", "ci_low", "ci_high"],
                    call=case["call"])
