"""Impossible targets fail before iterating, naming the cells; non-convergence is loud."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk


@pytest.fixture
def design() -> sk.SurveyDesign:
    df = pd.DataFrame({
        "sex": ["f", "m", "f", "m", "f", "m", "f", "m"],
        "age": ["y", "y", "o", "o", "y", "o", "o", "y"],
        "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "w": [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0],
    })
    return sk.SurveyDesign(df, weights="w")


SEX = {"f": 50.0, "m": 50.0}
AGE = {"y": 40.0, "o": 60.0}


def test_target_category_absent_from_sample_is_listed(design) -> None:
    with pytest.raises(sk.WeightingError, match=r"absent from the sample: \['x' \(target 10\)\]"):
        sk.rake(design, {"sex": {"f": 45.0, "m": 45.0, "x": 10.0}, "age": AGE})


def test_sample_category_absent_from_targets_is_listed(design) -> None:
    with pytest.raises(sk.WeightingError, match=r"without a positive target: \['m'"):
        sk.rake(design, {"sex": {"f": 100.0}, "age": AGE})


def test_margins_that_disagree_on_the_total(design) -> None:
    with pytest.raises(sk.WeightingError, match=r"disagree.*'sex' sums to 100.*'age' sums to 90"):
        sk.rake(design, {"sex": SEX, "age": {"y": 40.0, "o": 50.0}})


def test_proportions_must_sum_to_one(design) -> None:
    with pytest.raises(sk.WeightingError, match="proportions that must sum to 1"):
        sk.rake(design, {"sex": {"f": 0.5, "m": 0.6}}, population_total=100)


def test_proportions_with_population_total_equal_counts(design) -> None:
    a = sk.rake(design, {"sex": {"f": 0.5, "m": 0.5}, "age": {"y": 0.4, "o": 0.6}},
                population_total=100)
    b = sk.rake(design, {"sex": SEX, "age": AGE})
    assert a.weights.to_numpy() == pytest.approx(b.weights.to_numpy(), rel=1e-12)


def test_missing_values_in_a_weighting_variable(design) -> None:
    df = design.data.assign(sex=design.data["sex"].where(design.data.index != 3))
    d = sk.SurveyDesign(df, weights="w")
    with pytest.raises(sk.WeightingError, match=r"missing values in \['sex'\].*\[3\]"):
        sk.rake(d, {"sex": SEX, "age": AGE})


def test_unknown_column_is_named(design) -> None:
    with pytest.raises(KeyError, match="'gender'"):
        sk.rake(design, {"gender": SEX})


def test_bounds_that_cannot_be_met_are_listed(design) -> None:
    with pytest.raises(sk.WeightingError, match=r"bounds \(0.9, 1.1\) cannot be met.*'sex'"):
        sk.calibrate(design, {"sex": {"f": 80.0, "m": 20.0}}, bounds=(0.9, 1.1))


def test_logit_needs_finite_bounds(design) -> None:
    with pytest.raises(sk.WeightingError, match="finite with lower < 1 < upper"):
        sk.calibrate(design, {"sex": SEX}, method="logit")


def test_unknown_method_lists_the_options(design) -> None:
    with pytest.raises(ValueError, match=r"must be one of \('linear', 'raking', 'logit'\)"):
        sk.calibrate(design, {"sex": SEX}, method="rakin")  # type: ignore[arg-type]


def test_contradictory_overlapping_margins(design) -> None:
    cross = {("sex", "age"): {("f", "y"): 20.0, ("f", "o"): 40.0, ("m", "y"): 20.0,
                              ("m", "o"): 20.0}}
    with pytest.raises(sk.WeightingError, match="contradict"):
        sk.calibrate(design, {**cross, "sex": SEX})


def test_rake_nonconvergence_raises_with_history(design) -> None:
    with pytest.raises(sk.ConvergenceError) as info:
        sk.rake(design, {"sex": SEX, "age": AGE, "x": {float(v): 12.5 for v in range(1, 9)}},
                max_iter=3, tol=1e-15)
    err = info.value
    assert err.iterations == 3
    assert set(err.misfit) == {"sex", "age", "x"}
    assert list(err.history.columns) == ["sex", "age", "x"] and len(err.history) == 3


def test_allow_nonconvergence_returns_flagged_design(design) -> None:
    margins = {"sex": SEX, "age": AGE, "x": {float(v): 12.5 for v in range(1, 9)}}
    with pytest.warns(sk.NonConvergenceWarning, match="did not converge"):
        d = sk.rake(design, margins, max_iter=1, tol=1e-15, allow_nonconvergence=True)
    assert d.weighting_history[-1].converged is False


def test_extreme_weights_warn_with_counts() -> None:
    df = pd.DataFrame({"g": ["a"] * 19 + ["b"], "w": np.ones(20)})
    d = sk.SurveyDesign(df, weights="w")
    with pytest.warns(sk.ExtremeWeightWarning, match=r"1 of 20 weights exceed 10 x the mean"):
        sk.poststratify(d, pd.DataFrame({"g": ["a", "b"], "N": [19.0, 500.0]}))


def test_no_warning_for_ordinary_weights(design) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sk.rake(design, {"sex": SEX, "age": AGE})


def test_trim_bounds_that_cannot_hold_the_total(design) -> None:
    with pytest.raises(sk.WeightingError, match="cannot be met"):
        sk.trim(design, upper=0.5)


def test_poststratify_takes_one_table(design) -> None:
    with pytest.raises(sk.WeightingError, match="one table of cells"):
        sk.poststratify(design, {"sex": SEX, "age": AGE})


def test_nonresponse_class_without_respondents() -> None:
    df = pd.DataFrame({"r": [1, 0, 0, 1], "k": ["a", "b", "b", "a"], "w": np.ones(4)})
    with pytest.raises(sk.WeightingError, match=r"without respondents: \[\"'b'\"\]"):
        sk.adjust_nonresponse(sk.SurveyDesign(df, weights="w"), "r", classes="k")
