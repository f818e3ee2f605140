"""Score quantile intervals from one sorted sweep give the limits of the per-theta design pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.design import ExceedanceSweep
from surveykit.estimation import _quantiles
from surveykit.estimation._domains import Domains, build_domains, ratio_core
from surveykit.estimation._qrules import SortedVariable
from surveykit.estimation._quantiles import score_interval


def _frame(seed: int = 1, n: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    st = np.repeat(np.arange(4), n // 4)
    psu = st * 100 + rng.integers(0, 5, n)
    return pd.DataFrame({
        "st": st, "psu": psu, "ssu": psu * 10 + rng.integers(0, 3, n),
        "w": rng.uniform(1, 4, n), "x": np.round(rng.gamma(2.0, 3.0, n), 1),
        "g": rng.choice(["a", "b", "c"], n),
        "fpc1": 12.0, "fpc2": 40.0,
    })


NAMES = ["stratified clusters", "with fpc", "two stages", "elements", "lonely average",
         "lonely adjust", "subset"]


def _designs() -> dict[str, sk.SurveyDesign]:
    df = _frame()
    lonely = df[~((df["st"] == 3) & (df["psu"] != df.loc[df["st"] == 3, "psu"].iloc[0]))]
    return {
        "stratified clusters": sk.SurveyDesign(df, weights="w", strata="st", psu="psu"),
        "with fpc": sk.SurveyDesign(df, weights="w", strata="st", psu="psu", fpc="fpc1"),
        "two stages": sk.SurveyDesign(df, weights="w", strata="st", psu=["psu", "ssu"],
                                      fpc=["fpc1", "fpc2"]),
        "elements": sk.SurveyDesign(df, weights="w"),
        "lonely average": sk.SurveyDesign(lonely, weights="w", strata="st", psu="psu",
                                          lonely_psu="average"),
        "lonely adjust": sk.SurveyDesign(lonely, weights="w", strata="st", psu="psu",
                                         lonely_psu="adjust"),
        "subset": sk.SurveyDesign(df, weights="w", strata="st", psu="psu").subset(
            df["x"] > 2.0),
    }


@pytest.mark.filterwarnings("ignore::surveykit.LonelyPSUWarning")
@pytest.mark.parametrize("name", NAMES)
def test_sweep_variance_equals_the_design_variance(name: str) -> None:
    design = _designs()[name]
    dom = build_domains(design, "g")
    x = design.data["x"].to_numpy(dtype=float)
    for d in range(dom.n_domains):
        rows = dom.codes == d
        sweep = ExceedanceSweep.build(design, x, rows)
        one = Domains(np.where(rows, 0, -1).astype(np.int64), 1, pd.DataFrame(index=[0]))
        for theta in np.quantile(x[rows], [0.1, 0.35, 0.5, 0.8]):
            u = np.where(rows, x > theta, False).astype(float)[:, None]
            est, cov = ratio_core(design, u, np.ones_like(u), one)
            r = sweep.above(float(theta))
            assert sweep.weight_above[r] / sweep.total_weight == pytest.approx(est[0, 0],
                                                                             rel=1e-12)
            assert sweep.variance[r] == pytest.approx(cov[0, 0], rel=1e-9)


class _NoSweep:
    @staticmethod
    def applies(design: object) -> bool:
        return False

    @staticmethod
    def build(*args: object) -> None:
        return None


@pytest.mark.filterwarnings("ignore::surveykit.LonelyPSUWarning")
@pytest.mark.parametrize("name", NAMES)
def test_score_limits_equal_the_design_pass(name: str, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    design = _designs()[name]
    dom = build_domains(design, "g")
    x = design.data["x"].to_numpy(dtype=float)
    var = SortedVariable.build(x, design.analysis_weights(), dom)
    args = [(d, p) for d in range(dom.n_domains) for p in (0.25, 0.5, 0.9)]
    swept = [score_interval(design, var, "math", d, p, 0.95, 20.0, 80.0) for d, p in args]
    monkeypatch.setattr(_quantiles, "ExceedanceSweep", _NoSweep)
    direct = [score_interval(design, var, "math", d, p, 0.95, 20.0, 80.0) for d, p in args]
    assert swept == direct


def test_sweep_refuses_a_calibrated_design() -> None:
    df = _frame()
    design = sk.SurveyDesign(df, weights="w", strata="st", psu="psu")
    cal = sk.poststratify(design, pd.DataFrame({"g": ["a", "b", "c"], "N": [300.0] * 3}))
    with pytest.raises(ValueError, match="calibration"):
        ExceedanceSweep.build(cal, df["x"].to_numpy(), np.ones(len(df), dtype=bool))


def test_pps_designs_keep_the_design_pass() -> None:
    frame = pd.DataFrame({"st": [1] * 6 + [2] * 6, "p": np.linspace(0.1, 0.6, 12),
                          "x": np.arange(12.0)})
    design = sk.SurveyDesign(frame, strata="st", fpc="p", pps="brewer")
    assert not ExceedanceSweep.applies(design)
    with pytest.raises(ValueError, match="PPS"):
        ExceedanceSweep.build(design, frame["x"].to_numpy(), np.ones(12, dtype=bool))
