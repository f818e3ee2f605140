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


def test_ratio_and_var_match_r_printout():
    """R: dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
    svyratio(~api.stu, ~enroll, dclus1, deff=TRUE)  # 0.8497087 SE 0.008386297 deff 4.339311
    svyvar(~api00, dclus1)  # 11183 SE 1386.4
    svyby(~api00, ~stype, dclus1, svyvar)  # SE 1154.930 2269.840 3180.809
    svyvar(~api00, as.svrepdesign(dclus1))  # SE 1738.7
    """
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    r = sk.ratio(d, "api.stu", "enroll", deff=True)
    assert r.estimate[0] == pytest.approx(0.8497087, rel=1e-6)
    assert r.se[0] == pytest.approx(0.008386297, rel=1e-6)
    assert r.deff[0] == pytest.approx(4.339311, rel=1e-6)
    v = sk.var(d, "api00")
    assert v.se[0] == pytest.approx(1386.4, abs=0.05)
    assert sk.var(d, "api00", by="stype").se == pytest.approx([1154.930, 2269.840, 3180.809],
                                                              abs=5e-4)
    assert sk.var(d.to_replicates("jk1"), "api00").se[0] == pytest.approx(1738.7, abs=0.05)
