"""surveykit.weighting against R survey 4.1.1 (tests/reference/ref_weighting.R -> .json).

Designs, as in the R script::

    dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
    dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
    rclus1 <- as.svrepdesign(dclus1, type = "JK1")   # replicate weights taken from R

Each case compares the final weights (and replicate weights), and svymean(~api00+enroll)
and svytotal(~enroll+api99) with their standard errors after weighting. Direct methods
(post-stratification, linear calibration, trimming) at rel 1e-9; iterative ones at 1e-6.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._exact_csv import read_csv_exact

HERE = Path(__file__).parent
REF = json.loads((HERE / "ref_weighting.json").read_text())
CASES = {c["id"]: c for c in REF["cases"]}
TG = REF["targets"]
CAL_TOTALS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "api99": 3914069}


def _frame(name: str) -> pd.DataFrame:
    return pd.DataFrame(TG[name])


def _designs() -> dict[str, sk.SurveyDesign | sk.ReplicateDesign]:
    clus1 = read_csv_exact(HERE / "data" / "apiclus1.csv")
    strat = read_csv_exact(HERE / "data" / "apistrat.csv")
    rep = REF["base"]["rclus1"]["replicates"]
    return {
        "dclus1": sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc"),
        "dstrat": sk.SurveyDesign(strat, weights="pw", strata="stype", fpc="fpc"),
        "rclus1": sk.ReplicateDesign(clus1, weights="pw",
                                     replicate_weights=np.array(rep["replicate_weights"]),
                                     method="jk1", scale=rep["scale"], rscales=rep["rscales"]),
    }


def _ps_partial(d):  # type: ignore[no-untyped-def]
    extra = pd.DataFrame({"stype": ["X"], "Freq": [100]})
    with pytest.warns(sk.SurveykitWarning, match="absent from the sample"):
        return sk.poststratify(d, pd.concat([_frame("pop.types"), extra]), partial=True)


TIGHT = 1e-13
# case id -> (rel tolerance, surveykit call); the R call is in the JSON ("call").
CALLS: dict[str, tuple[float, Callable]] = {
    "ps_dclus1_stype": (1e-9, lambda d: sk.poststratify(d, _frame("pop.types"))),
    "ps_dstrat_stype_schwide": (1e-9, lambda d: sk.poststratify(d, _frame("pop.cells"))),
    "ps_dclus1_partial": (1e-9, _ps_partial),
    "ps_rclus1_stype": (1e-9, lambda d: sk.poststratify(d, _frame("pop.types"))),
    "rake_dclus1": (1e-6, lambda d: sk.rake(
        d, [_frame("pop.types"), _frame("pop.schwide")], tol=TIGHT)),
    "rake_dstrat_3": (1e-6, lambda d: sk.rake(
        d, [_frame(k) for k in ("pop.schwide", "pop.compimp", "pop.awards")], tol=TIGHT)),
    "rake_rclus1": (1e-6, lambda d: sk.rake(
        d, [_frame("pop.types"), _frame("pop.schwide")], tol=TIGHT)),
    "cal_linear_dclus1": (1e-9, lambda d: sk.calibrate(d, CAL_TOTALS)),
    "cal_raking_dclus1": (1e-6, lambda d: sk.calibrate(d, CAL_TOTALS, method="raking")),
    "cal_logit_dclus1": (1e-6, lambda d: sk.calibrate(d, CAL_TOTALS, method="logit",
                                                      bounds=(0.5, 2.5))),
    "cal_linear_bounded_dclus1": (1e-6, lambda d: sk.calibrate(d, CAL_TOTALS,
                                                               bounds=(0.6, 1.6))),
    "cal_linear_dstrat": (1e-9, lambda d: sk.calibrate(
        d, {"sch.wide": {"No": 1072, "Yes": 5122}, "api99": 3914069})),
    "cal_linear_rclus1": (1e-9, lambda d: sk.calibrate(d, CAL_TOTALS)),
    "cal_raking_rclus1": (1e-6, lambda d: sk.calibrate(d, CAL_TOTALS, method="raking")),
    "cal_logit_rclus1": (1e-6, lambda d: sk.calibrate(d, CAL_TOTALS, method="logit",
                                                      bounds=(0.5, 2.5))),
    "trim_cal_dclus1_once": (1e-9, lambda d: sk.trim(
        sk.calibrate(d, CAL_TOTALS), lower=20, upper=40, absolute=True, strict=False)),
    "trim_cal_dclus1_strict": (1e-9, lambda d: sk.trim(
        sk.calibrate(d, CAL_TOTALS), lower=20, upper=40, absolute=True)),
    "trim_dstrat_upper": (1e-9, lambda d: sk.trim(d, upper=40, absolute=True)),
}


@pytest.fixture(scope="module")
def weighted() -> dict[str, sk.SurveyDesign | sk.ReplicateDesign]:
    designs = _designs()
    return {cid: CALLS[cid][1](designs[CASES[cid]["design"]]) for cid in CALLS}


def test_every_r_case_has_a_surveykit_call() -> None:
    """Each case of ref_weighting.R is exercised here (no silently skipped reference)."""
    assert set(CALLS) == set(CASES)


@pytest.mark.parametrize("cid", sorted(CALLS))
def test_weights_match_r(cid: str, weighted) -> None:  # type: ignore[no-untyped-def]
    """Final weights: ``weights(<R call>, "sampling")``; replicates: ``weights(, "analysis")``."""
    rel, _ = CALLS[cid]
    d, case = weighted[cid], CASES[cid]
    assert d.weights.to_numpy() == pytest.approx(np.array(case["weights"]), rel=rel)
    if case.get("replicates"):
        want = np.array(case["replicates"]["replicate_weights"])
        assert d.replicate_weights_array == pytest.approx(want, rel=rel, abs=1e-9)


@pytest.mark.parametrize("cid", sorted(CALLS))
@pytest.mark.parametrize("stat", ["svymean(~api00+enroll)", "svytotal(~enroll+api99)"])
def test_estimates_and_se_after_weighting_match_r(cid: str, stat: str, weighted) -> None:  # type: ignore[no-untyped-def]
    """``svymean(~api00+enroll, d)`` / ``svytotal(~enroll+api99, d)`` after the R call.

    SEs of a calibrated total (api99 after calibrating on api99) are zero up to rounding in
    R (~1e-10); they are compared with an absolute tolerance of 1e-9 x the estimate.
    """
    rel, _ = CALLS[cid]
    ref = CASES[cid]["estimates"][stat]
    fn = sk.mean if stat.startswith("svymean") else sk.total
    got = fn(weighted[cid], ref["names"]).to_frame().set_index("variable").loc[ref["names"]]
    est = np.array(ref["estimate"])
    assert got["estimate"].to_numpy() == pytest.approx(est, rel=rel)
    assert got["se"].to_numpy() == pytest.approx(np.array(ref["se"]), rel=max(rel, 1e-9),
                                                 abs=1e-9 * float(np.abs(est).max()))
