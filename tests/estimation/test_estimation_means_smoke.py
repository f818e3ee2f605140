"""Smoke tests for mean/total against values printed in R survey's api.Rout.saved."""

import pytest

import surveykit as sk
from surveykit.datasets import load_api


def test_stratified_mean_and_total_match_r_printout():
    """R: dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)
    svymean(~api00, dstrat)  # 662.29 SE 9.4089; svytotal(~enroll, dstrat) # 3687178 SE 114642
    """
    d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    m = sk.mean(d, "api00")
    assert m.estimate[0] == pytest.approx(662.29, abs=0.005)
    assert m.se[0] == pytest.approx(9.4089, abs=0.00005)
    t = sk.total(d, "enroll")
    assert t.estimate[0] == pytest.approx(3687178, abs=0.5)
    assert t.se[0] == pytest.approx(114642, abs=0.5)


def test_two_stage_total_with_missing_values_omitted():
    """R: dclus2 <- svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)
    svytotal(~enroll, dclus2, na.rm=TRUE)  # 2639273 SE 799638
    """
    d = sk.SurveyDesign(load_api("apiclus2"), weights="pw", psu=["dnum", "snum"],
                        fpc=["fpc1", "fpc2"])
    t = sk.total(d, "enroll", nan_policy="omit")
    assert t.estimate[0] == pytest.approx(2639273, abs=0.5)
    assert t.se[0] == pytest.approx(799638, abs=0.5)
    with pytest.raises(ValueError, match="nan_policy='omit'"):
        sk.total(d, "enroll")
