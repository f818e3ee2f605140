"""The package's own errors for bad arguments (issue 12): class, pandas-compatible base, hint."""

from __future__ import annotations

import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import load_api


@pytest.fixture(scope="module")
def dclus1() -> sk.SurveyDesign:
    return sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")


def test_missing_by_column_is_a_column_error_with_a_hint(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(sk.ColumnError, match="Did you mean 'stype'") as err:
        sk.mean(dclus1, "api00", by="stypo")
    assert isinstance(err.value, KeyError) and isinstance(err.value, sk.SurveykitError)
    assert str(err.value).startswith("'by' names columns")  # not quoted as KeyError does


def test_missing_variable_is_a_column_error(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(sk.ColumnError, match="Did you mean 'api00'"):
        sk.proportion(dclus1, "api0")


def test_quantile_outside_unit_interval(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(sk.ArgumentError, match=r"\[0, 1\]") as err:
        sk.quantile(dclus1, "api00", 50)
    assert isinstance(err.value, ValueError)
    assert "Write 0.5 for 50%" in str(err.value)


def test_ttest_by_three_groups(dclus1: sk.SurveyDesign) -> None:
    with pytest.raises(sk.ArgumentError, match=r"exactly two groups.*'stype' has 3"):
        sk.ttest(dclus1, "api00", by="stype")


def test_decimal_comma_strings_are_refused_by_mean(dclus1: sk.SurveyDesign) -> None:
    n = dclus1.n
    values = pd.Series(["512,5", "1 012,25"] * (n // 2) + ["3,0"] * (n % 2))
    d = dclus1.with_columns(score=values)
    with pytest.raises(sk.ArgumentError, match=r"decimal comma.*pd\.to_numeric"):
        sk.mean(d, "score")
    fixed = values.str.replace(" ", "").str.replace(",", ".").astype(float)
    assert sk.mean(dclus1.with_columns(score=fixed), "score").estimate.shape == (1,)


def test_category_strings_still_give_shares(dclus1: sk.SurveyDesign) -> None:
    t = sk.mean(dclus1, "stype")
    assert list(t.to_frame()["level"]) == ["E", "H", "M"]


def test_fpc_all_one_says_what_one_means() -> None:
    data = load_api("apiclus1").assign(f1=1.0)
    with pytest.raises(sk.DesignError, match=r"100 %.*population of one"):
        sk.SurveyDesign(data, psu="dnum", weights="pw", fpc="f1")
