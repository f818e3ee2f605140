"""Invariants of the designs and the core estimators, on random small designs (Hypothesis).

- permuting the rows changes no estimate and no SE (overall, in domains, with missing values);
- rescaling the weights leaves means and their SEs unchanged;
- a domain mean is the ratio estimator sum(w y 1[d]) / sum(w 1[d]) (estimate and SE);
- SRS without strata reproduces the textbook (1 - n/N) s^2 / n, and s^2 / n without fpc;
- doubling rscales doubles the replicate variance;
- no input DataFrame is mutated;
- strata and PSUs given as strings or as integers give identical results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk

pytestmark = pytest.mark.filterwarnings("ignore::surveykit.errors.SurveykitWarning")

SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw: st.DrawFn) -> pd.DataFrame:
    """Stratified cluster sample: 2-4 strata, 2-4 PSUs each, 1-4 rows per PSU, 3 domains."""
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n_strata = draw(st.integers(2, 4))
    psu_per = rng.integers(2, 5, n_strata)
    psu_stratum = np.repeat(np.arange(n_strata), psu_per)
    rows_per = rng.integers(1, 5, psu_stratum.shape[0])
    psu = np.repeat(np.arange(psu_stratum.shape[0]), rows_per)
    n = psu.shape[0]
    dom = rng.integers(0, 3, n)
    dom[:3] = np.arange(3) if n >= 3 else dom[:3]
    return pd.DataFrame({
        "stratum": psu_stratum[psu] + 1,
        "psu": psu + 101,
        "w": rng.uniform(0.5, 4.0, n),
        "y": rng.normal(10.0, 3.0, n),
        "z": rng.normal(0.0, 1.0, n),
        "x": rng.uniform(1.0, 5.0, n),
        "g": dom,
    })


def _design(df: pd.DataFrame, **kw: object) -> sk.SurveyDesign:
    return sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu", **kw)


def _results(d: sk.SurveyDesign | sk.ReplicateDesign) -> list[sk.EstimateTable]:
    return [sk.mean(d, ["y", "z"]), sk.mean(d, ["y", "z"], by="g"), sk.total(d, "y"),
            sk.ratio(d, "y", "x", by="g"), sk.var(d, "y")]


def _assert_same(a: list[sk.EstimateTable], b: list[sk.EstimateTable]) -> None:
    for ta, tb in zip(a, b, strict=True):
        assert ta.estimate == pytest.approx(tb.estimate, rel=1e-10, abs=1e-12)
        assert ta.se == pytest.approx(tb.se, rel=1e-9, abs=1e-12)


@SETTINGS
@given(samples(), st.integers(0, 2**31 - 1))
def test_row_order_changes_nothing(df: pd.DataFrame, seed: int) -> None:
    perm = df.sample(frac=1.0, random_state=seed % 2**32)
    _assert_same(_results(_design(df)), _results(_design(perm)))
    # element sampling (every row its own PSU): the engine's row-level domain path
    elements = [sk.SurveyDesign(f, weights="w", strata="stratum") for f in (df, perm)]
    _assert_same(_results(elements[0]), _results(elements[1]))
    reps = _design(df).to_replicates("jkn")
    reps_perm = _design(perm).to_replicates("jkn")
    _assert_same(_results(reps), _results(reps_perm))


@SETTINGS
@given(samples(), st.integers(0, 2**31 - 1))
def test_row_order_with_missing_values_and_subset(df: pd.DataFrame, seed: int) -> None:
    df = df.assign(z=df["z"].mask(df["z"] > 0.8))
    perm = df.sample(frac=1.0, random_state=seed % 2**32)
    a = _design(df, lonely_psu="adjust").subset("x > 1.5")
    b = _design(perm, lonely_psu="adjust").subset("x > 1.5")
    ta = sk.mean(a, ["y", "z"], by="g", nan_policy="omit")
    tb = sk.mean(b, ["y", "z"], by="g", nan_policy="omit")
    assert ta.estimate == pytest.approx(tb.estimate, rel=1e-10)
    assert ta.se == pytest.approx(tb.se, rel=1e-9, abs=1e-12)


@SETTINGS
@given(samples(), st.floats(1e-3, 1e3))
def test_rescaled_weights_leave_means_unchanged(df: pd.DataFrame, factor: float) -> None:
    scaled = df.assign(w=df["w"] * factor)
    for by in (None, "g"):
        a = sk.mean(_design(df), ["y", "z"], by=by)
        b = sk.mean(_design(scaled), ["y", "z"], by=by)
        assert b.estimate == pytest.approx(a.estimate, rel=1e-10)
        assert b.se == pytest.approx(a.se, rel=1e-9)


@SETTINGS
@given(samples())
def test_domain_mean_is_a_ratio(df: pd.DataFrame) -> None:
    d = _design(df)
    by_domain = sk.mean(d, "y", by="g")
    for i, level in enumerate(by_domain.labels["g"]):
        inside = (df["g"] == level).astype(float)
        dd = _design(df.assign(num=df["y"] * inside, den=inside))
        r = sk.ratio(dd, "num", "den")
        assert r.estimate[0] == pytest.approx(by_domain.estimate[i], rel=1e-10)
        assert r.se[0] == pytest.approx(by_domain.se[i], rel=1e-9)


@SETTINGS
@given(st.integers(3, 40), st.integers(0, 2**31 - 1), st.booleans())
def test_srs_matches_textbook_formula(n: int, seed: int, with_fpc: bool) -> None:
    rng = np.random.default_rng(seed)
    y = rng.normal(5.0, 2.0, n)
    big_n = float(n * rng.integers(2, 50))
    df = pd.DataFrame({"y": y, "N": big_n, "w": big_n / n})
    if with_fpc:
        d = sk.SurveyDesign(df, fpc="N")
        expected = (1 - n / big_n) * y.var(ddof=1) / n
    else:
        d = sk.SurveyDesign(df, weights="w")
        expected = y.var(ddof=1) / n
    t = sk.mean(d, "y")
    assert t.estimate[0] == pytest.approx(y.mean(), rel=1e-12)
    assert t.se[0] ** 2 == pytest.approx(expected, rel=1e-10)


@SETTINGS
@given(samples(), st.integers(0, 2**31 - 1))
def test_doubling_rscales_doubles_the_variance(df: pd.DataFrame, seed: int) -> None:
    boot = _design(df).to_replicates("bootstrap", replicates=12, seed=seed)
    rscales = np.random.default_rng(seed).uniform(0.5, 2.0, boot.n_replicates)

    def rep(rs: np.ndarray) -> sk.ReplicateDesign:
        return sk.ReplicateDesign(df, weights=boot.weights.to_numpy(),
                                  replicate_weights=boot.replicate_weights_array,
                                  method="other", scale=0.3, rscales=rs)

    a = sk.mean(rep(rscales), ["y", "z"], by="g")
    b = sk.mean(rep(2 * rscales), ["y", "z"], by="g")
    assert b.estimate == pytest.approx(a.estimate, rel=1e-12)
    assert b.se**2 == pytest.approx(2 * a.se**2, rel=1e-10)
    assert b.cov == pytest.approx(2 * a.cov, rel=1e-10, abs=1e-14)


@SETTINGS
@given(samples())
def test_inputs_are_never_mutated(df: pd.DataFrame) -> None:
    df = df.assign(z=df["z"].mask(df["z"] > 1.0), label=np.where(df["g"] == 0, "a", "b"))
    before = df.copy(deep=True)
    d = _design(df, lonely_psu="adjust")
    sk.mean(d, ["y", "label"], by="g")
    sk.mean(d.subset("y > 9"), "z", nan_policy="omit")
    sk.total(d, "y", by=["g", "label"], deff=True)
    sk.ratio(d, "y", "x", deff=True)
    sk.var(d, "z", nan_policy="omit")
    rep = d.to_replicates("bootstrap", replicates=5, seed=1)
    sk.mean(rep, ["y", "z"], by="g", nan_policy="omit")
    pd.testing.assert_frame_equal(df, before)


@SETTINGS
@given(samples())
def test_string_and_integer_design_labels_agree(df: pd.DataFrame) -> None:
    as_text = df.assign(stratum="s" + df["stratum"].astype(str),
                        psu="p" + df["psu"].astype(str))
    _assert_same(_results(_design(df)), _results(_design(as_text)))
    assert _design(df).df == _design(as_text).df
    elements = [sk.SurveyDesign(f, weights="w", strata="stratum") for f in (df, as_text)]
    _assert_same(_results(elements[0]), _results(elements[1]))
