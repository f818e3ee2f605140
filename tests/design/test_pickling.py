"""Designs, estimates and accountings pickle (multiprocessing, joblib, a cache on disk).

A pickled design gives the same numbers as the original, and so does an estimate's
``confidence_interval`` at another level after a round trip (its interval is rebuilt from
what the estimator kept, not frozen at the first level).
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest

import surveykit as sk
from surveykit.datasets import load_api
from surveykit.ingestion import Accounting
from surveykit.participation._attendance import AttendanceAccounting

STYPE = {"stype": {"E": 4421.0, "H": 755.0, "M": 1018.0}}


def _designs() -> dict[str, Any]:
    strat = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    clus = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    raked = sk.rake(clus, STYPE)
    return {
        "stratified": strat,
        "clustered": clus,
        "raked": raked,
        "raked, then subset": raked.subset(raked.data["sch.wide"] == "Yes"),
        "linear calibration": sk.calibrate(clus, {**STYPE, "enroll": 3_811_472.0}),
        "post-stratified": sk.poststratify(clus, STYPE),
        "jackknife": clus.to_replicates("jk1"),
        "bootstrap, raked": sk.rake(clus.to_replicates("bootstrap", replicates=20, seed=1),
                                    STYPE),
    }


DESIGNS = _designs()


def _round_trip(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))


def _same(a: sk.EstimateTable, b: sk.EstimateTable) -> None:
    np.testing.assert_array_equal(a.estimate, b.estimate)
    np.testing.assert_array_equal(a.se, b.se)
    for level in (0.95, 0.8):
        np.testing.assert_array_equal(a.confidence_interval(level).low,
                                      b.confidence_interval(level).low)
        np.testing.assert_array_equal(a.confidence_interval(level).high,
                                      b.confidence_interval(level).high)


@pytest.mark.parametrize("name", list(DESIGNS))
def test_a_pickled_design_gives_the_same_estimates(name: str) -> None:
    design = DESIGNS[name]
    sk.mean(design, "api00")  # fill the design's cache: it is not pickled
    again = _round_trip(design)
    assert type(again) is type(design)
    _same(sk.mean(again, "api00", by="stype"), sk.mean(design, "api00", by="stype"))
    _same(sk.proportion(again, "sch.wide"), sk.proportion(design, "sch.wide"))
    _same(sk.mean(copy.deepcopy(design), "api00"), sk.mean(design, "api00"))


def test_the_cache_is_left_out_and_starts_empty() -> None:
    design = DESIGNS["raked"]
    sk.mean(design, "api00", by="stype")
    assert design._cache
    assert "_cache" not in design.__getstate__()
    assert not hasattr(_round_trip(design), "_cache")  # built again on first use


@pytest.mark.parametrize("ci_method", ["logit", "likelihood", "wilson", "beta"])
def test_proportion_intervals_survive_pickling(ci_method: str) -> None:
    design = DESIGNS["stratified"]
    table = sk.proportion(design, "sch.wide", by="stype", ci_method=ci_method)
    _same(_round_trip(table), table)


@pytest.mark.parametrize(("name", "interval_type"), [
    ("stratified", "mean"), ("stratified", "score"), ("clustered", "beta"),
    ("jackknife", "quantile")])
def test_quantile_intervals_survive_pickling(name: str, interval_type: str) -> None:
    table = sk.quantile(DESIGNS[name], "api00", [0.25, 0.5], interval_type=interval_type)
    _same(_round_trip(table), table)


def test_accountings_pickle_and_stay_read_only_and_checked() -> None:
    a = _round_trip(Accounting(read=10, accepted=8, excluded=2, flagged={"speeder": 2}))
    assert (a.read, a.accepted, a.excluded, dict(a.flagged)) == (10, 8, 2, {"speeder": 2})
    with pytest.raises(TypeError):
        a.flagged["speeder"] = 0  # type: ignore[index]
    b = _round_trip(AttendanceAccounting(read=5, accepted=4, excluded=1, unidentified=1,
                                         excluded_by={"unknown_event": 1}))
    assert dict(b.excluded_by) == {"unknown_event": 1}
    with pytest.raises(TypeError):
        b.excluded_by["unknown_event"] = 2  # type: ignore[index]
