"""sk.proportion (svyciprop's interval methods) and sk.quantile against R survey 4.1.1.

Cases come from ``tests/reference/ref_estimation_quantiles.R``; each test id carries the
exact R call, e.g. ``svyciprop(~I(sch.wide == "Yes"), dclus1, method = "beta")`` or
``svyquantile(~api00, dclus1, quantiles = c(0.25, 0.5, 0.75), ci = TRUE, qrule = "hf7")``.
Tolerance: rel 1e-9; rel 1e-6 for the iterative logit and likelihood intervals (R fits them
with glm).
"""

from __future__ import annotations

from typing import Any

import pytest
from reference import reference_cases as rc

import surveykit as sk

# surveykit ci_method -> R svyciprop(method=); the names are R's
CI_METHODS = {m: m for m in ("logit", "likelihood", "asin", "beta", "mean", "xlogit")}
ITERATIVE = {"logit", "likelihood"}


def _by(args: dict[str, Any]) -> dict[str, Any]:
    return {"by": args["by"]} if "by" in args else {}


@pytest.mark.parametrize(
    "case", rc.case_params("quantiles", lambda c: c["estimator"] == "proportion"))
def test_proportion_matches_svyciprop(case: dict[str, Any]) -> None:
    """R: the case's ``call`` (see the test id); proportion, SE and the method's interval."""
    args = case["args"]
    design = rc.build_design(case["design"])
    est = sk.proportion(design, args["variables"], ci_method=CI_METHODS[args["ci_method"]],
                        **_by(args))
    by = [args["by"]] if "by" in args else []
    rel = rc.REL_ITER if args["ci_method"] in ITERATIVE else rc.REL
    rc.compare_rows(est.to_frame(), case["values"]["rows"], [*by, "variable", "level"],
                    ["estimate", "se", "ci_low", "ci_high"], rel=rel, call=case["call"])


def _quantile_frame(est: Any) -> Any:
    frame = est.to_frame()
    if "quantile" not in frame.columns and "level" in frame.columns:
        frame = frame.assign(quantile=frame["level"].astype(float))
    return frame


@pytest.mark.parametrize(
    "case", rc.case_params("quantiles", lambda c: c["estimator"] == "quantile"))
def test_quantile_matches_svyquantile(case: dict[str, Any]) -> None:
    """R: the case's ``call`` (see the test id); quantiles, interval and SE from the interval."""
    args = case["args"]
    design = rc.build_design(case["design"])
    kwargs = _by(args)
    for key in ("qrule", "interval_type"):
        if key in args:
            kwargs[key] = args[key]
    quantiles = args["quantiles"] if isinstance(args["quantiles"], list) else [args["quantiles"]]
    est = sk.quantile(design, args["variables"], quantiles,
                      nan_policy="omit" if args.get("na_rm") else "raise", **kwargs)
    by = [args["by"]] if "by" in args else []
    rc.compare_rows(_quantile_frame(est), case["values"]["rows"],
                    [*by, "variable", "quantile"], ["estimate", "se", "ci_low", "ci_high"],
                    call=case["call"])
