"""Design-level reference tests against R survey 4.1.1 (tests/reference/ref_design_cases.R)."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import surveykit as sk
from surveykit._exact_csv import read_csv_exact
from surveykit.datasets import load_api
from surveykit.design import CalibrationRecord
from surveykit.design._hadamard import hadamard

REF = json.loads((Path(__file__).parents[1] / "reference" / "ref_design_cases.json").read_text())
DATA = Path(__file__).parents[1] / "reference" / "data"
REL = 1e-9


def approx(x):
    return pytest.approx(np.ravel(np.asarray(x, dtype=float)), rel=REL, abs=1e-12)


@pytest.mark.parametrize("case", REF["hadamard"], ids=lambda c: f"n={c['n']}")
def test_hadamard_matches_r(case):
    """R: hadamard(n) for n in 1:40 and selected larger n."""
    rows = ["".join(map(str, r)) for r in hadamard(case["n"])]
    assert rows == case["rows"]


def _clus1():
    return sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")


def _strat():
    return sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")


@pytest.mark.parametrize(("key", "make", "method"), [("jk1", _clus1, "jk1"),
                                                     ("jkn", _strat, "jkn")])
def test_jackknife_weights_and_variances_match_r(key, make, method):
    """R: as.svrepdesign(dclus1, type='JK1') and as.svrepdesign(dstrat, type='JKn')."""
    ref = REF[key]
    r = make().to_replicates(method)
    mult = r.replicate_weights_array / r.analysis_weights()[:, None]
    assert np.ravel(mult) == approx(ref["repweights"])
    assert r.scale == pytest.approx(ref["scale"], rel=REL)
    assert np.ravel(r.rscales) == approx(ref["rscales"])
    assert r.df == ref["degf"]
    assert np.ravel(sk.mean(r, "api00").se) == approx(ref["se_mean_api00"])
    assert np.ravel(sk.total(r, "enroll").se) == approx(ref["se_total_enroll"])
    assert sk.mean(r, "api00", by="stype").se == approx(ref["se_by_stype"])


@pytest.mark.parametrize(("key", "method", "rho"), [("brr", "brr", 0.0), ("fay", "fay", 0.3)])
def test_brr_and_fay_weights_match_r(key, method, rho):
    """R: as.svrepdesign(svydesign(id=~psu, strata=~st, weights=~w, data=design_brr),
    type='BRR') (and type='Fay', fay.rho=0.3): same Hadamard matrix, same replicates."""
    ref = REF[key]
    df = read_csv_exact(DATA / "design_brr.csv")
    d = sk.SurveyDesign(df, weights="w", strata="st", psu="psu")
    r = d.to_replicates(method, fay_rho=rho)
    mult = r.replicate_weights_array / r.analysis_weights()[:, None]
    assert np.ravel(mult) == approx(ref["repweights"])
    assert r.scale == pytest.approx(ref["scale"], rel=REL)
    assert r.df == ref["degf"]
    assert sk.mean(r, "y").se[0] == approx(ref["se_mean_y"])


def test_bootstrap_variance_formula_with_r_replicate_weights():
    """R: set.seed(42); rboot <- as.svrepdesign(dstrat, type='bootstrap', replicates=50);
    SE(svymean(~api00, rboot)); R's weights fed into ReplicateDesign give R's SEs."""
    ref = REF["bootstrap"]
    rw = np.asarray(ref["analysis_weights"])
    df = load_api("apistrat")
    r = sk.ReplicateDesign(df, weights="pw", replicate_weights=rw, method="bootstrap",
                           scale=ref["scale"])
    assert np.ravel(sk.mean(r, "api00").se) == approx(ref["se_mean_api00"])
    assert np.ravel(sk.total(r, "enroll").se) == approx(ref["se_total_enroll"])
    r_mse = sk.ReplicateDesign(df, weights="pw", replicate_weights=rw, method="bootstrap",
                               scale=ref["scale"], mse=True)
    assert sk.mean(r_mse, "api00").se[0] == approx(ref["se_mean_api00_mse"])


def test_own_bootstrap_structure():
    """Seeded bootstrap: integer counts per PSU summing to n_h in each stratum, R's scale."""
    d = _strat()
    r = d.to_replicates("bootstrap", replicates=30, seed=3)
    mult = r.replicate_weights_array / r.analysis_weights()[:, None]
    strata = d.data["stype"].to_numpy()
    for s in np.unique(strata):
        assert (mult[strata == s].sum(axis=0) == (strata == s).sum()).all()
    assert np.allclose(mult, np.round(mult))
    same = d.to_replicates("bootstrap", replicates=30, seed=3)
    assert np.array_equal(same.replicate_weights_array, r.replicate_weights_array)


@pytest.mark.parametrize("case", REF["lonely"]["cases"],
                         ids=lambda c: f"{c['policy']}-adj{c['adjust_domain_lonely']}")
def test_lonely_psu_policies_match_r(case):
    """R: options(survey.lonely.psu=policy, survey.adjust.domain.lonely=adj);
    d <- svydesign(id=~dnum, strata=~cname, weights=~pw, data=apistrat, nest=TRUE);
    SE(svymean(~api00, d)); SE(svyby(~api00, ~stype, d, svymean));
    SE(svymean(~api00, subset(d, stype=='H')))."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.LonelyPSUWarning)
        d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="cname", psu="dnum",
                            nest=True, lonely_psu=case["policy"],
                            adjust_domain_lonely=case["adjust_domain_lonely"])
        assert sk.mean(d, "api00").se[0] == approx(case["se_mean_api00"])
        assert sk.total(d, "enroll").se[0] == approx(case["se_total_enroll"])
        assert sk.mean(d, "api00", by="stype").se == approx(case["se_by_stype"])
        sub = d.subset("stype == 'H'")
        assert sk.mean(sub, "api00").se[0] == approx(case["se_subset_h"])
    assert d.df == case["degf"]
    assert sub.df == case["degf_subset_h"]


def test_lonely_fail_names_the_strata():
    """R: svymean(~api00, d) with options(survey.lonely.psu='fail') stops on a lonely stratum."""
    d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="cname", psu="dnum",
                        nest=True)
    with pytest.raises(sk.DesignError, match="only one PSU"):
        sk.mean(d, "api00")


def test_two_stage_design_with_fpc_and_domains():
    """R: dclus2 <- svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2);
    svymean(~api00, dclus2, deff=TRUE); svyby(~api00, ~stype+sch.wide, dclus2, svymean)."""
    ref = REF["clus2"]
    d = sk.SurveyDesign(load_api("apiclus2"), weights="pw", psu=["dnum", "snum"],
                        fpc=["fpc1", "fpc2"])
    m = sk.mean(d, "api00", deff=True)
    assert np.ravel(m.estimate) == approx(ref["mean_api00"])
    assert np.ravel(m.se) == approx(ref["se_mean_api00"])
    assert np.ravel(m.deff) == approx(ref["deff_mean_api00"])
    assert np.ravel(sk.mean(d, "api00", deff="replace").deff) == approx(ref["deff_replace"])
    t = sk.total(d, "enroll", nan_policy="omit", deff=True)
    assert np.ravel(t.estimate) == approx(ref["total_enroll"])
    assert np.ravel(t.se) == approx(ref["se_total_enroll"])
    assert np.ravel(t.deff) == approx(ref["deff_total"])
    b = sk.mean(d, "api00", by=["stype", "sch.wide"])
    frame = b.to_frame()
    assert list(frame["stype"]) == ref["by_stype"]
    assert list(frame["sch.wide"]) == ref["by_schwide"]
    assert b.estimate == approx(ref["by_est"])
    assert b.se == approx(ref["by_se"])
    assert d.df == ref["degf"]


def test_fpc_as_fractions_equals_population_sizes():
    """R's as.fpc: fpc <= 1 are sampling fractions; the same design either way."""
    df = load_api("apiclus2")
    frac = df.assign(f1=15 / df["fpc1"] * 0 + 40 / df["fpc1"],
                     f2=df.groupby("dnum")["snum"].transform("size") / df["fpc2"])
    a = sk.SurveyDesign(df, weights="pw", psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])
    b = sk.SurveyDesign(frac, weights="pw", psu=["dnum", "snum"], fpc=["f1", "f2"])
    assert sk.mean(b, "api00").se[0] == pytest.approx(sk.mean(a, "api00").se[0], rel=1e-12)


def test_subset_keeps_design():
    """R: svymean(~api00+enroll, subset(dclus1, stype=='E')) with its vcov and degf."""
    ref = REF["clus1_subset"]
    sub = _clus1().subset("stype == 'E'")
    m = sk.mean(sub, ["api00", "enroll"])
    assert m.estimate == approx(ref["mean"])
    assert np.ravel(m.cov) == approx(ref["vcov"])
    assert sub.df == ref["degf"]


def _cal_design(weights, rec):
    return _clus1().with_weights(np.asarray(weights), calibration=rec)


def test_poststratified_linearisation_matches_r():
    """R: svymean(~api00, postStratify(dclus1, ~stype, pop.types))."""
    ref = REF["calibration"]["poststratify"]
    rec = CalibrationRecord("poststratify", cells=np.asarray(ref["cells"]),
                            weights=np.asarray(ref["weights"]),
                            oldweights=np.asarray(ref["oldweights"]))
    d = _cal_design(ref["weights"], rec)
    m = sk.mean(d, "api00")
    assert np.ravel(m.estimate) == approx(ref["mean_api00"])
    assert np.ravel(m.se) == approx(ref["se_mean_api00"])
    assert sk.total(d, "enroll").se[0] == approx(ref["se_total_enroll"])


def test_raked_linearisation_matches_r():
    """R: svymean(~api00, rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide)))."""
    ref = REF["calibration"]["raking"]
    margins = tuple((np.asarray(m["cells"]), np.asarray(m["weights"])) for m in ref["margins"])
    d = _cal_design(ref["final_weights"], CalibrationRecord("raking", margins=margins))
    m = sk.mean(d, "api00")
    assert np.ravel(m.estimate) == approx(ref["mean_api00"])
    assert np.ravel(m.se) == approx(ref["se_mean_api00"])


def test_greg_linearisation_matches_r():
    """R: svymean(~api00, calibrate(dclus1, ~stype + api99, c(6194, 755, 1018, 3914069)))."""
    ref = REF["calibration"]["greg"]
    rec = CalibrationRecord("greg", X=np.asarray(ref["X"]), w=np.asarray(ref["w"]))
    d = _cal_design(ref["final_weights"], rec)
    m = sk.mean(d, "api00")
    assert np.ravel(m.estimate) == approx(ref["mean_api00"])
    assert np.ravel(m.se) == approx(ref["se_mean_api00"])
    assert sk.mean(d, "api00", by="stype").se == approx(ref["se_by_stype"])
