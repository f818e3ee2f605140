"""The XLSForm expression subset: parsing, errors, vectorised evaluation, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk


@pytest.fixture
def data() -> pd.DataFrame:
    return pd.DataFrame({
        "age": [25, 41, None, 30],
        "sex": pd.array([1, 2, 3, pd.NA], dtype="Int64"),
        "name": ["a", "", None, "b"],
        "needs__housing": [1, 0, None, 0],
        "needs__other": [1, 1, None, 0],
        "needs__none": [0, 0, None, 1],
        "raw_multi": ["housing other", "other", None, ""],
    })


@pytest.mark.parametrize(("expr", "expected"), [
    ("${age} >= 25 and ${age} <= 40", [True, False, False, True]),
    ("${age} > 40 or ${sex} = 2", [False, True, False, False]),
    ("not(${age} > 40)", [True, False, True, True]),
    ("${age} != 41", [True, False, True, True]),  # missing != number is true (XPath)
    ("${age} = 41", [False, True, False, False]),
    ("${name} != ''", [True, False, False, True]),  # the "answered" idiom
    ("${name} = ''", [False, True, True, False]),
    ("${sex} = '2'", [False, True, False, False]),
    ("selected(${needs}, 'other')", [True, True, False, False]),
    ("count-selected(${needs}) >= 2", [True, False, False, False]),
    ("not(selected(${needs}, 'none') and count-selected(${needs}) > 1)",
     [True, True, True, True]),
    ("selected(${raw_multi}, 'housing')", [True, False, False, False]),
    ("count-selected(${raw_multi}) = 1", [False, True, False, False]),
    ("${age} div 5 = 5 or ${age} mod 10 = 1", [True, True, False, False]),
    ("-${age} < -40", [False, True, False, False]),
    ("(${age} + 5) * 2 >= 70", [False, True, False, True]),
    ("true() and not(false())", [True, True, True, True]),
])
def test_evaluate(data: pd.DataFrame, expr: str, expected: list[bool]) -> None:
    out = sk.evaluate_expression(expr, data)
    assert out.dtype == bool
    assert out.tolist() == expected
    assert out.index.equals(data.index)


def test_current_value_in_constraints(data: pd.DataFrame) -> None:
    out = sk.evaluate_expression(". >= 20 and . <= 40", data, current="age")
    assert out.tolist() == [True, False, False, True]
    with pytest.raises(sk.ExpressionError, match="only allowed in a constraint"):
        sk.evaluate_expression(". > 1", data)


def test_data_not_mutated_and_nothing_evaluated_as_python(data: pd.DataFrame) -> None:
    before = data.copy()
    with pytest.raises(sk.ExpressionError, match="unknown function or word '__import__'"):
        sk.evaluate_expression("__import__('os')", data)
    sk.evaluate_expression("${age} > 1", data)
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize(("expr", "words"), [
    ("${age} >= ", "character 11: expected a value, found the end"),
    ("${age} >= 20 20", "expected an operator or the end"),
    ("(${age} > 1", "expected ')'"),
    ("slected(${needs}, 'x')", "Did you mean selected()"),
    ("selected(${needs})", "takes 2 argument(s), got 1"),
    ("selected('x', 'y')", "first argument of selected() must be ${var}"),
    ("${ag e} > 1", "not a valid variable reference"),
    ("", "empty"),
])
def test_syntax_errors_name_position(expr: str, words: str) -> None:
    with pytest.raises(sk.ExpressionError, match=None) as info:
        sk.parse_expression(expr)
    assert words in str(info.value)
    assert repr(expr) in str(info.value)


def test_unknown_reference_suggests(data: pd.DataFrame) -> None:
    with pytest.raises(sk.ExpressionError, match=r"\$\{agee\}.*Did you mean \$\{age\}"):
        sk.evaluate_expression("${agee} > 1", data)


def test_references() -> None:
    expr = sk.parse_expression("selected(${needs}, 'other') and ${age} > ${min_age}")
    assert expr.references == ("needs", "age", "min_age")
    assert expr.selected_references == ("needs",)
    assert not expr.uses_current


def test_instrument_bound_evaluation() -> None:
    inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    df = pd.DataFrame({f"needs__{c}": [1, 0] for c in ("housing", "jobs", "other", "none")}
                      | {"needs__count": [9, 9]})
    # the instrument's option list, not every needs__* column, is counted
    assert inst.evaluate("count-selected(${needs}) = 4", df).tolist() == [True, False]
    with pytest.raises(sk.ExpressionError, match="'nothing' is not an option"):
        inst.evaluate("selected(${needs}, 'nothing')", df)
    relevant = inst.item("needs_other").relevant
    assert inst.evaluate(relevant, df).tolist() == [True, False]


def test_large_frame_is_vectorised() -> None:
    n = 200_000
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"age": rng.integers(15, 45, n), "needs__a": rng.integers(0, 2, n),
                       "needs__b": rng.integers(0, 2, n)})
    out = sk.evaluate_expression("${age} >= 20 and count-selected(${needs}) = 2", df)
    expected = (df["age"] >= 20) & (df["needs__a"] + df["needs__b"] == 2)
    assert out.tolist() == expected.tolist()


def test_categorical_with_integer_categories_and_missing_values() -> None:
    """Regression: integer categories with a missing entry raised 'Cannot convert float NaN to
    integer' (found when the SurveyXact demo export was read with skip logic on a blank
    immigrant_background)."""
    import pandas as pd

    import surveykit as sk

    df = pd.DataFrame({"x": pd.Categorical([1, None, 2], categories=[1, 2])})
    assert sk.evaluate_expression("${x} = 1", df).tolist() == [True, False, False]
    assert sk.evaluate_expression("${x} > 1", df).tolist() == [False, False, True]
