"""Weighting steps: history records, replicates, nonresponse, diagnostics, population file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._exact_csv import read_csv_exact

ROOT = Path(__file__).resolve().parents[2]
POP = ROOT / "analysis" / "population" / "hamarregionen_pop_20_40_2025_2026.csv"
AGES = ["20-24", "25-29", "30-34", "35-39"]


@pytest.fixture(scope="module")
def clus1() -> pd.DataFrame:
    return read_csv_exact(ROOT / "tests" / "reference" / "data" / "apiclus1.csv")


def test_history_records_method_targets_and_time(clus1) -> None:
    d = sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc")
    r = sk.rake(d, {"stype": {"E": 4421, "H": 755, "M": 1018},
                    "sch.wide": {"No": 1072, "Yes": 5122}})
    step = r.weighting_history[-1]
    assert isinstance(step, sk.WeightingStep)
    assert step.method == "rake" and step.converged and step.iterations >= 2
    assert step.tolerance <= 1e-10 and step.seconds >= 0 and "T" in step.started
    assert step.targets.set_index("level")["achieved"].to_dict() == pytest.approx(
        {"E": 4421, "H": 755, "M": 1018, "No": 1072, "Yes": 5122}, rel=1e-9)
    assert len(step.history) == step.iterations
    assert r.calibrations[-1].kind == "raking" and len(r.calibrations[-1].margins) == 2
    assert d.weighting_history == () and d.calibrations == ()


def test_steps_chain_and_keep_records(clus1) -> None:
    d = sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc")
    g = sk.calibrate(d, {"stype": {"E": 4421, "H": 755, "M": 1018}, "api99": 3914069})
    t = sk.trim(g, upper=1.2)
    assert [s.method for s in t.weighting_history] == ["calibrate", "trim"]
    assert [c.kind for c in t.calibrations] == ["greg"]
    assert t.weights.sum() == pytest.approx(g.weights.sum(), rel=1e-12)
    assert t.weights.max() <= 1.2 * g.weights.mean() * (1 + 1e-12)
    details = t.weighting_history[-1].details
    assert details["n_trimmed_high"] > 0 and details["weight_moved"] > 0


def test_replicate_columns_are_raked_to_the_same_margins(clus1) -> None:
    r = sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc").to_replicates("jk1")
    out = sk.rake(r, {"stype": {"E": 4421, "H": 755, "M": 1018},
                      "sch.wide": {"No": 1072, "Yes": 5122}})
    rep = out.replicate_weights_array
    for level, total in {"E": 4421, "H": 755, "M": 1018}.items():
        assert rep[(clus1["stype"] == level).to_numpy()].sum(axis=0) == pytest.approx(
            np.full(rep.shape[1], total), rel=1e-8)


def test_domain_rows_get_no_weight_in_targets(clus1) -> None:
    d = sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc").subset("stype == 'E'")
    r = sk.rake(d, {"sch.wide": {"No": 100.0, "Yes": 900.0}})
    assert r.weights.sum() == pytest.approx(1000.0)
    assert (r.weights[clus1["stype"] != "E"] == 0).all()


def test_nonresponse_classes_keep_class_totals(clus1) -> None:
    resp = (clus1["snum"] % 3 != 0).to_numpy()
    d = sk.SurveyDesign(clus1.assign(resp=resp), weights="pw", psu="dnum", fpc="fpc")
    a = sk.adjust_nonresponse(d, "resp", classes="stype")
    before = clus1.groupby("stype")["pw"].sum()
    after = a.weights.groupby(clus1["stype"]).sum()
    assert after.to_dict() == pytest.approx(before.to_dict(), rel=1e-12)
    assert (a.weights[~resp] == 0).all()
    assert a.domain is not None and (a.domain == resp).all()


def test_nonresponse_propensity_model(clus1) -> None:
    resp = (clus1["api00"] + 3 * clus1["snum"] % 200 > 650).to_numpy()
    d = sk.SurveyDesign(clus1.assign(resp=resp), weights="pw", psu="dnum", fpc="fpc")
    a = sk.adjust_nonresponse(d, "resp", model=["stype", "meals"])
    w = a.weights.to_numpy()
    assert (w[~resp] == 0).all() and (w[resp] > clus1["pw"].to_numpy()[resp]).all()
    # the propensities are a design-weighted logistic fit (as svyglm(quasibinomial) point
    # estimates); statsmodels' GLM with the same weights gives the same fitted values
    sm = pytest.importorskip("statsmodels.api")
    X = pd.get_dummies(clus1[["stype", "meals"]], drop_first=True, dtype=float)
    fit = sm.GLM(resp.astype(float), sm.add_constant(X), family=sm.families.Binomial(),
                 var_weights=clus1["pw"].to_numpy()).fit()
    assert w[resp] == pytest.approx(clus1["pw"].to_numpy()[resp] / fit.fittedvalues[resp],
                                    rel=1e-8)


def test_weight_diagnostics_kish_and_margins(clus1) -> None:
    d = sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc")
    r = sk.rake(d, {"stype": {"E": 4421, "H": 755, "M": 1018}})
    t = sk.trim(r, upper=1.5)
    diag = sk.weight_diagnostics(t)
    w = t.weights.to_numpy()
    assert diag.kish_deff == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)
    assert diag.kish_deff == pytest.approx(1 + (w.std() / w.mean()) ** 2)
    assert diag.kish_deft == pytest.approx(np.sqrt(diag.kish_deff))
    assert diag.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert diag.distribution["max/min"] == pytest.approx(w.max() / w.min())
    m = diag.margins.set_index("level")
    assert m.loc["E", "achieved_at_step"] == pytest.approx(4421)
    assert m.loc["E", "achieved_now"] == pytest.approx(w[(clus1["stype"] == "E").to_numpy()].sum())
    assert len(diag.trimming) == 1 and list(diag.history["method"]) == ["rake", "trim"]
    html = diag._repr_html_()
    assert "Kish" not in html or "kish_deff" in html
    assert "kish_deff" in html and "Trimming" in html


def test_diagnostic_plots_return_figures(clus1) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    d = sk.rake(sk.SurveyDesign(clus1, weights="pw", psu="dnum", fpc="fpc"),
                {"stype": {"E": 4421, "H": 755, "M": 1018}})
    diag = sk.weight_diagnostics(d)
    open_before = plt.get_fignums()
    for fig in (diag.plot_distribution(), diag.plot_margins()):
        assert fig.axes and fig.axes[0].get_title()
    assert plt.get_fignums() == open_before  # plain Figures: no pyplot state to close


def test_population_margins_from_the_analysis_file() -> None:
    m = sk.population_margins(POP, ["kommune", ("age_group", "sex")], count="pop_jan1_n",
                              where={"year_jan1": 2026, "age_group": AGES})
    assert m["kommune"].to_dict() == {"Hamar": 8345, "Løten": 1799, "Ringsaker": 8600,
                                      "Stange": 5022}
    assert m[("age_group", "sex")].loc[("20-24", "female")] == 2549
    assert m[("age_group", "sex")].sum() == 23766


def test_rake_to_population_file_margins() -> None:
    m = sk.population_margins(POP, ["kommune", ("age_group", "sex")], count="pop_jan1_n",
                              where={"year_jan1": 2026, "age_group": AGES})
    rng = np.random.default_rng(7)
    n = 600
    df = pd.DataFrame({
        "kommune": rng.choice(["Hamar", "Ringsaker", "Løten", "Stange"], n, p=[.35, .35, .1, .2]),
        "age_group": rng.choice(AGES, n), "sex": rng.choice(["female", "male"], n),
        "w": np.ones(n)})
    d = sk.rake(sk.SurveyDesign(df, weights="w"), m)
    got = d.weights.groupby([df["age_group"], df["sex"]]).sum()
    assert got.to_dict() == pytest.approx(m[("age_group", "sex")].to_dict(), rel=1e-9)
