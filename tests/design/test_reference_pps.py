"""PPS designs without replacement against R survey 4.1.1 (tests/reference/ref_pps.R).

Brewer, Overton, Hartley-Rao (known and estimated ``psum``) and joint-probability designs,
Horvitz-Thompson and Yates-Grundy forms, on R's ``election_pps`` sample and two synthetic
stratified PPS samples: totals, means, ratios, domain means, glm coefficients (with their
full covariance matrices), subsets and a quantile.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from tests.reference.reference_cases import HERE, compare_values

DOC: dict[str, Any] = json.loads((HERE / "ref_pps.json").read_text(encoding="utf-8"))


@cache
def _data(name: str) -> pd.DataFrame:
    return pd.DataFrame(DOC["data"][name])


def build(name: str) -> sk.SurveyDesign:
    """The surveykit design of R's design ``name``."""
    spec = DOC["designs"][name]
    pps = spec["pps"]
    method: Any
    if pps["kind"] == "brewer" or pps["kind"] == "overton":
        method = pps["kind"]
    elif pps["kind"] == "hr":
        psum = pps.get("psum")
        if isinstance(psum, dict):
            psum = {int(k): v for k, v in psum.items()}
        method = sk.HartleyRao(psum=psum)
    else:
        method = sk.PPSMatrix(np.asarray(DOC["joint"][pps["joint"]], dtype=float))
    return sk.SurveyDesign(_data(spec["data"]).copy(), pps=method, **spec["spec"])


def _calibrated_total(name: str, args: dict[str, Any]) -> Any:
    """R's number for a calibrated PPS design (see ``SurveyDesign`` Notes)."""
    design = build(name)
    n_pop = args["population_total"]
    with pytest.warns(sk.ExtremeWeightWarning):
        cal = sk.calibrate(design, {"votes": args["votes"] / n_pop}, population_total=n_pop)
    if design.pps == "brewer":
        return sk.total(cal, args["variables"])
    # R 4.1.1's ppsvar ignores the calibration residuals on matrix designs: its SE is the
    # PPS variance with the calibrated weights given as plain weights
    spec = DOC["designs"][name]["spec"]
    plain = sk.SurveyDesign(design.data.assign(wcal=cal.weights), weights="wcal",
                            pps=design.pps, fpc=spec.get("fpc", spec.get("probs")),
                            variance=design.variance)
    return sk.total(plain, args["variables"])


def _estimate(case: dict[str, Any]) -> Any:
    if case["kind"] == "calibrated_total":
        return _calibrated_total(case["design"], case["args"])
    design: Any = build(case["design"])
    args = dict(case["args"])
    if "subset" in args:
        design = design.subset(args.pop("subset"))
    kind = case["kind"]
    if kind == "glm":
        return sk.glm(design, args["formula"], family=args["family"])
    if kind == "ratio":
        return sk.ratio(design, args["numerator"], args["denominator"])
    if kind == "quantile":
        return sk.quantile(design, args["variables"], args["q"], df=float("inf"))
    fn = {"total": sk.total, "mean": sk.mean}[kind]
    return fn(design, args["variables"], by=args.get("by"))


@pytest.mark.parametrize("case", DOC["cases"], ids=lambda c: f"{c['id']}: {c['call']}")
def test_pps_matches_r(case: dict[str, Any]) -> None:
    got = _estimate(case)
    rel = float(case["rel"])
    compare_values(got.estimate, case["estimate"], rel=rel, what="estimate", call=case["call"])
    compare_values(got.se, case["se"], rel=rel, what="se", call=case["call"])
    if case.get("vcov"):  # R writes {} where it gives no covariance (svyby on PPS)
        compare_values(np.asarray(got.cov).ravel(), np.asarray(case["vcov"]).ravel(), rel=rel,
                       what="vcov", call=case["call"])
    if "ci" in case:
        ci = got.confidence_interval()
        compare_values([ci.low[0], ci.high[0]], case["ci"], rel=rel, what="ci", call=case["call"])


@pytest.mark.parametrize("name", sorted(DOC["degf"]))
def test_pps_degrees_of_freedom(name: str) -> None:
    assert build(name).df == DOC["degf"][name]
