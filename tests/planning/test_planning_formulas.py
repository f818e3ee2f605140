"""sk.plan: the formulas' own properties and the errors for bad input."""

from __future__ import annotations

import pandas as pd
import pytest

import surveykit as sk


def test_margin_and_n_for_margin_are_inverse():
    for kw in ({"p": 0.3}, {"sd": 1.2}, {"p": 0.5, "deff": 1.6, "population": 3000}):
        n = sk.plan.n_for_margin(0.04 if "p" in kw else 0.15, **kw)
        target = 0.04 if "p" in kw else 0.15
        assert sk.plan.margin_of_error(n, **kw) <= target < sk.plan.margin_of_error(n - 1, **kw)


def test_fpc_shrinks_the_margin_to_zero_at_a_census():
    assert sk.plan.margin_of_error(500, p=0.5, population=500) == 0.0


def test_n_for_change_is_the_smallest_n_with_the_power():
    for kw in ({"p1": 0.4}, {"sd": 1.0, "overlap": 0.5, "correlation": 0.6},
               {"p1": 0.2, "test": "pooled", "deff": 1.3}):
        delta = 0.05 if "p1" in kw else 0.2
        n = sk.plan.n_for_change(delta, **kw)
        assert sk.plan.power_for_change(n, delta, **kw) >= 0.8
        assert sk.plan.power_for_change(n - 1, delta, **kw) < 0.8


def test_mde_inverts_power():
    d = sk.plan.mde(900, p1=0.35, deff=1.2)
    assert sk.plan.power_for_change(900, d, p1=0.35, deff=1.2) == pytest.approx(0.8, abs=1e-10)
    d = sk.plan.mde(400, sd=0.8, overlap=1, correlation=0.5)
    assert sk.plan.power_for_change(400, d, sd=0.8, overlap=1,
                                    correlation=0.5) == pytest.approx(0.8, abs=1e-10)


def test_panel_overlap_needs_fewer_interviews():
    independent = sk.plan.n_for_change(0.2, sd=1.0)
    panel = sk.plan.n_for_change(0.2, sd=1.0, overlap=0.5, correlation=0.6)
    # the variance of the difference falls by the factor 1 - 0.5 * 0.6
    assert panel == pytest.approx(independent * 0.7, abs=2)


def test_multiple_comparisons_levels():
    assert sk.plan.adjusted_alpha(0.05, 10, "bonferroni") == pytest.approx(0.005)
    assert sk.plan.adjusted_alpha(0.05, 10, "bh", expected_rejections=10) == 0.05
    bonf = sk.plan.n_for_change(0.05, p1=0.5, comparisons=10, adjustment="bonferroni")
    bh = sk.plan.n_for_change(0.05, p1=0.5, comparisons=10, adjustment="bh",
                              expected_rejections=5)
    plain = sk.plan.n_for_change(0.05, p1=0.5)
    assert plain < bh < bonf
    assert "Bonferroni" in sk.plan.describe_adjustment(0.05, 10, "bonferroni")


def test_gross_sample_per_domain():
    assert sk.plan.gross_sample(300, 0.3) == 1000
    assert sk.plan.gross_sample({"a": 100, "b": 50}, 0.25) == {"a": 400, "b": 200}


@pytest.mark.parametrize(("call", "match"), [
    (lambda: sk.plan.n_for_change(0, p1=0.5), "delta is 0"),
    (lambda: sk.plan.n_for_change(0.05, p1=0.5, power=1), "power must lie strictly"),
    (lambda: sk.plan.n_for_change(0.05, p1=0.5, power=0), "power must lie strictly"),
    (lambda: sk.plan.n_for_change(0.05, p1=0.98), "outside"),
    (lambda: sk.plan.n_for_change(0.2, sd=1, overlap=1, correlation=1), "no variance"),
    (lambda: sk.plan.n_for_change(0.05, p1=0.5, adjustment="bh", comparisons=4),
     "expected_rejections"),
    (lambda: sk.plan.n_for_change(0.05), "exactly one of p="),
    (lambda: sk.plan.n_for_change(0.2, sd=1, test="pooled"), "applies to proportions"),
    (lambda: sk.plan.gross_sample(400, 0), "rate of 0"),
    (lambda: sk.plan.gross_sample({"a": 10}, {"b": 0.3}), "no rate for domain 'a'"),
    (lambda: sk.plan.margin_of_error(600, p=0.5, population=500), "exceeds the population"),
    (lambda: sk.plan.allocate({"a": 10, "b": 20}, 40), "exceeds the population"),
    (lambda: sk.plan.allocate({"a": 100, "b": 200}, 40, method="minimum"), "needs minimum"),
    (lambda: sk.plan.allocate({"a": 100, "b": 200}, 40, method="minimum", minimum=30),
     "needs 60"),
    (lambda: sk.plan.allocate({"a": 100}, 40, method="optimal"), "Did you mean"),
    (lambda: sk.plan.allocate(pd.DataFrame({"N": [1]}), 1), "'population' column"),
])
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(sk.ArgumentError, match=match):
        call()


def test_allocation_respects_caps_and_minimum():
    a = sk.plan.allocate({"big": 10000, "small": 60}, 500, method="equal")
    assert a.to_frame()["n"].tolist() == [440, 60]
    m = sk.plan.allocate({"a": 9000, "b": 800, "c": 200}, 600, method="minimum", minimum=80)
    table = m.to_frame()
    assert table["n"].sum() == 600 and table["n"].min() == 80
    assert m.deff > 1
    assert sk.plan.allocate({"a": 9000, "b": 1000}, 500).deff == pytest.approx(1.0)


def test_allocation_html_and_inputs_untouched():
    strata = pd.DataFrame({"population": [500.0, 700.0]}, index=["x", "y"])
    before = strata.copy()
    a = sk.plan.allocate(strata, 100)
    assert "<caption>proportional allocation of n = 100" in a._repr_html_()
    pd.testing.assert_frame_equal(strata, before)
    with pytest.raises(AttributeError):
        a.n = 3  # type: ignore[misc]
