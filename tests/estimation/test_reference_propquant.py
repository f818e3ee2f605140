"""sk.proportion and sk.quantile against R survey 4.1.1 beyond the basic reference cases.

Cases come from ``tests/reference/ref_estimation_propquant.R``: every ``svyciprop`` method
within ``svyby`` domains, on ``subset`` designs, on a ``postStratify``-ed design and on
replicate designs within domains, other levels and ``df = Inf``; ``svyquantile`` with several
variables, score and replicate intervals within domains and calibrated designs. Each test id
carries the exact R call, e.g.
``svyby(~I(sch.wide == "Yes"), ~stype, dclus1, svyciprop, vartype = c("se", "ci"),
method = "likelihood")``. Derived designs are rebuilt from ``args``: ``subset`` (R's
``subset(design, ...)``) and ``poststratify`` (R's ``postStratify(design, ~stype, pop)``).
Tolerance: rel 1e-9; rel 1e-6 for the logit and likelihood intervals (R iterates a glm).
"""

from __future__ import annotations

from typing import Any

import pytest
from reference import reference_cases as rc

import surveykit as sk

ITERATIVE = {"logit", "likelihood"}
_OPTIONS = ("by", "confidence_level", "qrule", "interval_type")


def _design(case: dict[str, Any]) -> Any:
    args = case["args"]
    design = rc.build_design(case["design"])
    if "poststratify" in args:
        design = sk.poststratify(design, args["poststratify"])
    if "subset" in args:
        design = design.subset(args["subset"])
    return design


def _options(args: dict[str, Any]) -> dict[str, Any]:
    out = {key: args[key] for key in _OPTIONS if key in args}
    if "df" in args:
        out["df"] = rc.r_value(args["df"])
    return out


def _quantiles(args: dict[str, Any]) -> list[float]:
    q = args["quantiles"]
    return q if isinstance(q, list) else [q]


@pytest.mark.parametrize(
    "case", rc.case_params("propquant", lambda c: c["estimator"] == "proportion"))
def test_proportion_matches_svyciprop(case: dict[str, Any]) -> None:
    """R: the case's ``call`` (see the test id); proportion, SE and the method's interval."""
    args = case["args"]
    est = sk.proportion(_design(case), args["variables"], ci_method=args["ci_method"],
                        **_options(args))
    by = [args["by"]] if "by" in args else []
    rel = rc.REL_ITER if args["ci_method"] in ITERATIVE else rc.REL
    rc.compare_rows(est.to_frame(), case["values"]["rows"], [*by, "variable", "level"],
                    ["estimate", "se", "ci_low", "ci_high"], rel=rel, call=case["call"])


@pytest.mark.parametrize(
    "case", rc.case_params("propquant", lambda c: c["estimator"] == "quantile"))
def test_quantile_matches_svyquantile(case: dict[str, Any]) -> None:
    """R: the case's ``call`` (see the test id); quantiles, interval and SE from the interval."""
    args = case["args"]
    est = sk.quantile(_design(case), args["variables"], _quantiles(args), **_options(args))
    by = [args["by"]] if "by" in args else []
    rc.compare_rows(est.to_frame(), case["values"]["rows"], [*by, "variable", "quantile"],
                    ["estimate", "se", "ci_low", "ci_high"], call=case["call"])
