"""Invariants of sk.compare, sk.nps and adjust_pvalues on random designs (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveykit as sk

SETTINGS = settings(max_examples=20, deadline=None)


def random_wave(seed: int, tag: str = "") -> pd.DataFrame:
    """2-3 strata with 2-5 PSUs each, 1-6 rows per PSU, weights in (1, 5), answers 0-10."""
    rng = np.random.default_rng(seed)
    rows = []
    for h in range(int(rng.integers(2, 4))):
        for c in range(int(rng.integers(2, 6))):
            for _ in range(int(rng.integers(1, 7))):
                rows.append((f"{tag}s{h}", f"{tag}s{h}p{c}"))
    df = pd.DataFrame(rows, columns=["stratum", "psu"])
    n = len(df)
    return df.assign(w=rng.uniform(1, 5, n), y=rng.integers(0, 11, n).astype(float),
                     g=rng.choice(["a", "b", "c"], n))


def design(df: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu")


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_a_wave_compared_with_itself_has_difference_zero(seed: int) -> None:
    d = design(random_wave(seed))
    t = sk.compare({"a": d, "b": d}, ["y", "g"]).to_frame()
    np.testing.assert_array_equal(t["difference"], 0.0)
    np.testing.assert_allclose(t["se_difference"], np.sqrt(2) * t["se_a"], rtol=1e-12)
    assert (t["p_value"] == 1.0).all() and (t["effect_size"] == 0.0).all()


@SETTINGS
@given(seed_a=st.integers(0, 2**32 - 1), seed_b=st.integers(0, 2**32 - 1),
       measure=st.sampled_from(["mean", "nps", "top_two_box", "proportion"]))
def test_swapping_waves_flips_the_sign(seed_a: int, seed_b: int, measure: str) -> None:
    da, db = design(random_wave(seed_a)), design(random_wave(seed_b))
    ab = sk.compare({"a": da, "b": db}, ["y"], measure=measure).to_frame()
    ba = sk.compare({"b": db, "a": da}, ["y"], measure=measure).to_frame()
    np.testing.assert_allclose(ab["difference"], -ba["difference"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ab["effect_size"], -ba["effect_size"], rtol=1e-12, atol=1e-14)
    for col in ("se_difference", "p_value", "df"):
        np.testing.assert_allclose(ab[col], ba[col], rtol=1e-12)


@SETTINGS
@given(seed_a=st.integers(0, 2**32 - 1), seed_b=st.integers(0, 2**32 - 1),
       scale=st.floats(0.01, 100.0))
def test_weight_scale_and_row_order_do_not_matter(seed_a: int, seed_b: int,
                                                  scale: float) -> None:
    a, b = random_wave(seed_a), random_wave(seed_b)
    base = sk.compare({"a": design(a), "b": design(b)}, ["y", "g"]).to_frame()
    moved = b.assign(w=b["w"] * scale).sample(frac=1.0, random_state=seed_b % 1000)
    other = sk.compare({"a": design(a), "b": design(moved)}, ["y", "g"]).to_frame()
    cols = ["estimate_b", "se_b", "difference", "se_difference", "p_value"]
    np.testing.assert_allclose(other[cols], base[cols], rtol=1e-9, atol=1e-12)


@SETTINGS
@given(seed_a=st.integers(0, 2**32 - 1), seed_b=st.integers(0, 2**32 - 1))
def test_stacking_waves_without_shared_psus_adds_no_covariance(seed_a: int, seed_b: int) -> None:
    """Waves in separate strata share no PSU: the stacked SE equals sqrt(v_a + v_b)."""
    da, db = design(random_wave(seed_a, "a")), design(random_wave(seed_b, "b"))
    ind = sk.compare({"a": da, "b": db}, ["y"]).to_frame()
    ovl = sk.compare({"a": da, "b": db}, ["y"], samples="overlapping").to_frame()
    np.testing.assert_allclose(ovl["se_difference"], ind["se_difference"], rtol=1e-10)
    np.testing.assert_allclose(ovl["difference"], ind["difference"], rtol=1e-12, atol=1e-14)
    assert ovl["df"].iloc[0] == ind["df"].iloc[0]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_shares_sum_to_one_and_nps_is_bounded(seed: int) -> None:
    d = design(random_wave(seed))
    t = sk.compare({"a": d, "b": d}, ["g"]).to_frame()
    assert t["estimate_a"].sum() == pytest.approx(1.0)
    score = sk.nps(d, "y")
    assert -100.0 <= score.estimate[0] <= 100.0 and score.se[0] >= 0


@settings(max_examples=60, deadline=None)
@given(p=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40))
def test_adjusted_p_values_are_ordered(p: list[float]) -> None:
    raw = np.array(p)
    bh, holm, bonf = (sk.adjust_pvalues(raw, m) for m in ("bh", "holm", "bonferroni"))
    assert (bh >= raw - 1e-15).all() and (bh <= 1).all()
    assert (holm >= bh - 1e-12).all() and (bonf >= holm - 1e-12).all()
    order = np.argsort(raw, kind="stable")
    for adj in (bh, holm):  # monotone in the raw p-values
        assert (np.diff(adj[order]) >= -1e-15).all()
