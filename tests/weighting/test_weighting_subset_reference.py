"""Weighting a subset design, and calibration with negative weights, against R survey 4.1.1.

Values from ``tests/reference/ref_weighting_subset.R``. Regressions: (1) weighting a subset
design divided by the zero weights outside the domain in the linearisation (SE NaN); R drops
those rows before weighting. (2) ``with_weights`` refused the negative weights that unbounded
linear calibration produces, which R accepts.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import surveykit as sk

REF = json.loads((Path(__file__).parents[1] / "reference" / "ref_weighting_subset.json")
                 .read_text(encoding="utf-8"))
CASES = {c["id"]: c for c in REF["cases"]}


@pytest.fixture(scope="module")
def dclus1() -> sk.SurveyDesign:
    df = sk.load_api("apiclus1")
    return sk.SurveyDesign(df, psu="dnum", weights="pw", fpc="fpc")


def _check(design: object, case: dict, rel: float = 1e-9) -> None:
    """Direct methods at 1e-9; raking iterates, so 1e-6."""
    est = sk.mean(design, "api00").to_frame().iloc[0]
    assert est["estimate"] == pytest.approx(case["estimate"], rel=rel)
    assert est["se"] == pytest.approx(case["se"], rel=rel)


def test_poststratify_subset(dclus1: sk.SurveyDesign) -> None:
    """svymean(~api00, postStratify(subset(dclus1, stype != "H"), ~stype, pop.types))"""
    sub = dclus1.subset(dclus1.data["stype"] != "H")
    d = sk.poststratify(sub, population={"stype": {"E": 4421, "M": 1018}})
    _check(d, CASES["poststratify_subset_dclus1"])


def test_rake_subset(dclus1: sk.SurveyDesign) -> None:
    """svymean(~api00, rake(subset(dclus1, stype != "H"), list(~stype, ~sch.wide), ...))"""
    sub = dclus1.subset(dclus1.data["stype"] != "H")
    d = sk.rake(sub, margins={"stype": {"E": 4421, "M": 1018},
                              "sch.wide": {"No": 800, "Yes": 4639}})
    _check(d, CASES["rake_subset_dclus1"], rel=1e-6)


def test_linear_calibration_with_negative_weights(dclus1: sk.SurveyDesign) -> None:
    """svymean(~api00, calibrate(dclus1, ~stype+api99, c(..., api99=5500000)))"""
    case = CASES["calibrate_linear_negative_weights_dclus1"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.ExtremeWeightWarning)
        d = sk.calibrate(dclus1, totals={"stype": {"E": 4421, "H": 755, "M": 1018},
                                         "api99": 5500000}, method="linear")
    assert int((d.weights < 0).sum()) == case["n_negative"]
    _check(d, case)
