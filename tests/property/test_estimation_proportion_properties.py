"""Invariants of sk.proportion and sk.quantile on random stratified cluster samples (Hypothesis).

- proportions over the levels of a factor sum to one, overall and in every domain;
- rescaling the weights leaves proportions, SEs and intervals unchanged (and quantiles too,
  exactly, for power-of-two factors, except R's "shahvaish" rule, which is not invariant);
- permuting the rows changes nothing;
- a quantile of a constant variable is that constant, under every rule;
- every proportion interval contains its estimate, and so does the Woodruff interval of the
  "math" rule;
- the quantile rules are vectorised over domains: a domain's quantile equals the quantile of
  the subset design.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# typed Any: Hypothesis draws plain strings for the Literal-typed options
RULES: tuple[Any, ...] = ("math", "school", "shahvaish", *(f"hf{k}" for k in range(1, 10)))
METHODS: tuple[Any, ...] = ("logit", "likelihood", "asin", "beta", "mean", "xlogit", "wilson")
KINDS: tuple[Any, ...] = ("mean", "beta", "xlogit", "asin", "score")


@st.composite
def samples(draw: st.DrawFn) -> pd.DataFrame:
    """2-3 strata of 3-5 PSUs, 2-6 rows each; a 3-level factor, a continuous and a domain."""
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n_strata = draw(st.integers(2, 3))
    psu_per = rng.integers(3, 6, n_strata)
    psu_stratum = np.repeat(np.arange(n_strata), psu_per)
    rows_per = rng.integers(2, 7, psu_stratum.size)
    psu = np.repeat(np.arange(psu_stratum.size), rows_per)
    n = psu.size
    cat = np.array(["a", "b", "c"])[np.r_[0, 1, 2, rng.integers(0, 3, n - 3)]]
    return pd.DataFrame({
        "stratum": psu_stratum[psu], "psu": psu, "w": rng.uniform(0.5, 4.0, n),
        "f": rng.permutation(cat), "x": rng.normal(50, 10, n).round(6),
        "g": rng.choice(["u", "v"], n), "const": 7.25,
    })


def _design(df: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu")


@SETTINGS
@given(samples(), st.sampled_from(METHODS))
def test_proportions_sum_to_one_and_intervals_contain_them(df: pd.DataFrame,
                                                          method: Any) -> None:
    f = sk.proportion(_design(df), "f", by="g", ci_method=method).to_frame()
    sums = f.groupby("g")["estimate"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=1e-12)
    inner = f[(f["estimate"] > 0) & (f["estimate"] < 1) & f["ci_low"].notna()]
    assert (inner["ci_low"] <= inner["estimate"] + 1e-12).all()
    assert (inner["estimate"] <= inner["ci_high"] + 1e-12).all()


@SETTINGS
@given(samples(), st.floats(0.01, 100.0), st.sampled_from(METHODS))
def test_rescaling_weights_changes_no_proportion(df: pd.DataFrame, factor: float,
                                                 method: Any) -> None:
    a = sk.proportion(_design(df), "f", ci_method=method).to_frame()
    b = sk.proportion(_design(df.assign(w=df["w"] * factor)), "f",
                      ci_method=method).to_frame()
    for col in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(b[col], a[col], rtol=1e-8, atol=1e-14)


# R's qrule_shahvaish places value k at (S_k + 0.5 - w_k / 2) / (n + 1) with S_k the
# cumulative weights scaled to mean one but w_k unscaled, so it depends on the scale of the
# weights; surveykit keeps R's rule and the property holds for the others.
@SETTINGS
@given(samples(), st.sampled_from([0.25, 2.0, 8.0]),
       st.sampled_from([r for r in RULES if r != "shahvaish"]))
def test_rescaling_weights_by_powers_of_two_changes_no_quantile(df: pd.DataFrame,
                                                                factor: float,
                                                                rule: Any) -> None:
    a = sk.quantile(_design(df), "x", [0.1, 0.5, 0.9], qrule=rule).to_frame()
    b = sk.quantile(_design(df.assign(w=df["w"] * factor)), "x", [0.1, 0.5, 0.9],
                    qrule=rule).to_frame()
    np.testing.assert_array_equal(b["estimate"], a["estimate"])
    np.testing.assert_allclose(b["ci_low"], a["ci_low"], rtol=1e-12)


@SETTINGS
@given(samples(), st.integers(0, 2**31 - 1), st.sampled_from(RULES))
def test_permuting_rows_changes_nothing(df: pd.DataFrame, seed: int, rule: Any) -> None:
    perm = df.iloc[np.random.default_rng(seed).permutation(len(df))]
    for frame_of in (
        lambda d: sk.proportion(_design(d), "f", by="g", ci_method="likelihood"),
        lambda d: sk.quantile(_design(d), "x", [0.2, 0.7], by="g", qrule=rule),
    ):
        a, b = frame_of(df).to_frame(), frame_of(perm).to_frame()
        for col in ("estimate", "se", "ci_low", "ci_high"):
            np.testing.assert_allclose(b[col], a[col], rtol=1e-9, atol=1e-12)


@SETTINGS
@given(samples(), st.sampled_from(RULES), st.floats(0.0, 1.0))
def test_quantile_of_a_constant_is_the_constant(df: pd.DataFrame, rule: Any,
                                                p: float) -> None:
    f = sk.quantile(_design(df), "const", p, by="g", qrule=rule).to_frame()
    if rule == "hf4" and p == 1.0:
        # R's hf4 has no value at p = 1 (documented in the rule's docstring)
        assert f["estimate"].isna().all()
        return
    # hf4 interpolates c * (1 - gamma) + c * gamma, exact only up to rounding (as in R)
    np.testing.assert_allclose(f["estimate"], 7.25, rtol=1e-13)


@SETTINGS
@given(samples(), st.sampled_from(KINDS))
def test_woodruff_interval_of_math_rule_contains_the_quantile(df: pd.DataFrame,
                                                              kind: Any) -> None:
    f = sk.quantile(_design(df), "x", [0.25, 0.5, 0.75], interval_type=kind).to_frame()
    ok = f.dropna(subset=["ci_low", "ci_high"])
    if kind != "score":
        assert (ok["ci_low"] <= ok["estimate"]).all()
        assert (ok["estimate"] <= ok["ci_high"]).all()
    assert (ok["ci_low"] <= ok["ci_high"]).all()


@SETTINGS
@given(samples(), st.sampled_from(RULES))
def test_domain_quantiles_equal_subset_design_quantiles(df: pd.DataFrame, rule: Any) -> None:
    d = _design(df)
    by = sk.quantile(d, "x", [0.3, 0.6], by="g", qrule=rule).to_frame()
    for g, part in by.groupby("g"):
        sub = sk.quantile(d.subset(df["g"] == g), "x", [0.3, 0.6], qrule=rule).to_frame()
        np.testing.assert_array_equal(part["estimate"].to_numpy(), sub["estimate"].to_numpy())
        np.testing.assert_allclose(part["ci_low"].to_numpy(), sub["ci_low"].to_numpy())


@pytest.mark.parametrize("rule", RULES)
def test_replicate_quantiles_are_the_quantiles_of_each_weight_column(rule: str) -> None:
    """Vectorised replicate quantiles equal one call per replicate column."""
    from surveykit.estimation._qrules import apply_qrule

    rng = np.random.default_rng(3)
    x = np.sort(rng.integers(0, 15, 40).astype(float))
    w = rng.uniform(0.5, 3, (40, 6)) * (rng.random((40, 6)) > 0.25)
    together = apply_qrule(rule, x, w, np.linspace(0.1, 0.9, 6))
    alone = [apply_qrule(rule, x, w[:, [k]], p)[0]
             for k, p in enumerate(np.linspace(0.1, 0.9, 6))]
    np.testing.assert_array_equal(together, alone)
