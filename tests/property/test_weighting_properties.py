"""Invariants of the weighting steps, on random designs and targets (Hypothesis).

- raking and calibration reproduce their targets;
- raking by calibration (method="raking") equals IPF (sk.rake);
- post-stratification equals raking on one variable;
- inputs are never mutated;
- permuting the rows permutes the weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, dict[int, float]]]:
    """A sample where every category of two variables occurs, plus consistent margins."""
    k_a = draw(st.integers(2, 4))
    k_b = draw(st.integers(2, 3))
    n = draw(st.integers(3 * k_a * k_b, 60))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    a = np.concatenate([np.arange(k_a), rng.integers(0, k_a, n - k_a)])
    b = np.concatenate([np.arange(k_b), rng.integers(0, k_b, n - k_b)])
    # every cell of the a x b table occupied, so any positive margins are attainable
    a[: k_a * k_b] = np.repeat(np.arange(k_a), k_b)
    b[: k_a * k_b] = np.tile(np.arange(k_b), k_a)
    w = rng.uniform(0.5, 3.0, n)
    # targets near the sample's own distribution (g-weights of order 1), scaled 0.8-1.25
    total = w.sum() * draw(st.floats(0.8, 1.25))
    pa = 0.5 * np.bincount(a, weights=w) / w.sum() + 0.5 * rng.dirichlet(np.full(k_a, 20.0))
    pb = 0.5 * np.bincount(b, weights=w) / w.sum() + 0.5 * rng.dirichlet(np.full(k_b, 20.0))
    df = pd.DataFrame({"a": a, "b": b, "x": rng.normal(10, 2, n), "w": w,
                       "psu": np.arange(n) // 2})
    margins = {"a": {i: total * p for i, p in enumerate(pa)},
               "b": {i: total * p for i, p in enumerate(pb)}}
    return df, margins


def _design(df: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(df, weights="w", psu="psu")


def _margin_sums(d: sk.SurveyDesign, var: str) -> dict[int, float]:
    return d.weights.groupby(d.data[var]).sum().to_dict()


@SETTINGS
@given(samples())
def test_rake_reproduces_its_targets(sample) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    d = sk.rake(_design(df), margins, tol=1e-12)
    for var, target in margins.items():
        assert _margin_sums(d, var) == pytest.approx(target, rel=1e-9)


@SETTINGS
@given(samples(), st.sampled_from(["linear", "raking", "logit"]))
def test_calibrate_reproduces_its_targets(sample, method) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    total = sum(margins["a"].values())
    xbar = float(np.average(df["x"], weights=df["w"]))
    totals = {**margins, "x": total * xbar * 1.02}
    bounds = (0.05, 20.0) if method != "raking" else None  # linear: no negative weights
    d = sk.calibrate(_design(df), totals, method=method, bounds=bounds)
    for var, target in margins.items():
        assert _margin_sums(d, var) == pytest.approx(target, rel=1e-8)
    assert float((d.weights * df["x"]).sum()) == pytest.approx(totals["x"], rel=1e-8)


@SETTINGS
@given(samples())
def test_raking_by_calibration_equals_ipf(sample) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    ipf = sk.rake(_design(df), margins, tol=1e-13)
    cal = sk.calibrate(_design(df), margins, method="raking", tol=1e-11)
    assert cal.weights.to_numpy() == pytest.approx(ipf.weights.to_numpy(), rel=1e-8)


@SETTINGS
@given(samples())
def test_poststratify_equals_raking_on_one_variable(sample) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    ps = sk.poststratify(_design(df), {"a": margins["a"]})
    rk = sk.rake(_design(df), {"a": margins["a"]})
    assert ps.weights.to_numpy() == pytest.approx(rk.weights.to_numpy(), rel=1e-12)


@SETTINGS
@given(samples())
def test_weighting_never_mutates_its_input(sample) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    frozen = df.copy(deep=True)
    d = _design(df)
    w0 = d.weights.to_numpy().copy()
    targets = {k: dict(v) for k, v in margins.items()}
    sk.rake(d, margins)
    sk.calibrate(d, margins, method="raking")
    sk.trim(sk.poststratify(d, {"a": margins["a"]}), upper=2.0)
    pd.testing.assert_frame_equal(df, frozen)
    assert np.array_equal(d.weights.to_numpy(), w0)
    assert d.weighting_history == () and margins == targets


@SETTINGS
@given(samples(), st.integers(0, 2**31 - 1))
def test_permuting_rows_permutes_weights(sample, seed) -> None:  # type: ignore[no-untyped-def]
    df, margins = sample
    perm = np.random.default_rng(seed).permutation(len(df))
    shuffled = df.iloc[perm].reset_index(drop=True)
    for step in (lambda d: sk.rake(d, margins, tol=1e-13),
                 lambda d: sk.calibrate(d, margins, method="logit", bounds=(0.1, 10.0)),
                 lambda d: sk.trim(d, upper=1.5)):
        a = step(_design(df)).weights.to_numpy()
        b = step(_design(shuffled)).weights.to_numpy()
        assert b == pytest.approx(a[perm], rel=1e-8)
