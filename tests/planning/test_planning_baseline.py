"""sk.plan.from_baseline: the inputs are the baseline's own estimates, each with its source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame({
        "area": rng.choice(["north", "south"], n, p=[0.7, 0.3]),
        "score": rng.integers(1, 8, n).astype(float),
        "w": rng.uniform(0.5, 3.0, n),
    })
    frame.loc[::17, "score"] = np.nan
    return sk.SurveyDesign(frame, weights="w")


def test_inputs_are_the_baselines_estimates(design):
    base = sk.plan.from_baseline(design, domain="area", means=["score"],
                                 shares={"t2b": ("score", [6, 7])})
    south = design.subset(design.data["area"] == "south")
    assert base.value("kish_deff", "south") == pytest.approx(
        sk.weight_diagnostics(south).kish_deff, rel=1e-12)
    est = sk.mean(south, "score", deff=True, nan_policy="omit").to_frame().iloc[0]
    assert base.value("deff", "south", "score") == pytest.approx(est["deff"], rel=1e-12)
    assert base.value("estimate", "south", "score") == pytest.approx(est["estimate"], rel=1e-12)
    p = base.value("estimate", "(all)", "t2b")
    top = design.data["score"].isin([6, 7]).to_numpy()
    ok = design.data["score"].notna().to_numpy()
    w = design.data["w"].to_numpy()
    assert p == pytest.approx((w * top)[ok].sum() / w[ok].sum(), rel=1e-12)
    assert base.value("sd", "(all)", "t2b") == pytest.approx(np.sqrt(p * (1 - p)), rel=1e-12)
    assert base.inputs["source"].str.len().min() > 10


def test_response_rates_per_domain(design):
    counts = {"north": {"I": 300, "R": 100, "NC": 600}, "south": {"I": 100, "R": 50, "NC": 250}}
    base = sk.plan.from_baseline(design, domain="area", dispositions=counts, label="wave 1")
    assert base.value("response_rate", "north") == pytest.approx(0.3)
    assert base.value("response_rate", "south") == pytest.approx(0.25)
    assert "AAPOR RR1" in base.inputs.query("input == 'response_rate'")["source"].iloc[0]


def test_baseline_errors(design):
    with pytest.raises(sk.ColumnError, match="nope"):
        sk.plan.from_baseline(design, means=["nope"])
    with pytest.raises(sk.ArgumentError, match="no interviews"):
        sk.plan.from_baseline(design, dispositions={"I": 0, "P": 0, "R": 3})
    with pytest.raises(sk.ArgumentError, match="no baseline input 'deff'"):
        sk.plan.from_baseline(design).value("deff", item="score")
