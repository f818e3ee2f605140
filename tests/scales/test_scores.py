"""sk.scale_score and sk.index_scores on hand-computed cases and the bundled instruments."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import generate_responses

BELONGING = ["bel_at_home", "bel_community", "bel_stranger", "bel_common", "bel_proud",
             "bel_anywhere"]
PULSE = ["pulse_feeling", "pulse_admire", "pulse_trust", "pulse_reputation"]
ATTRIBUTES = ["attr_jobs", "attr_housing", "attr_culture", "attr_meeting", "attr_nature",
              "attr_transport", "attr_openness", "attr_international"]


@cache
def _needs() -> tuple[sk.Instrument, pd.DataFrame]:
    inst = sk.load_instrument("needs_assessment", version="1.0.0")
    return inst, generate_responses(inst, 250, seed=11)


@cache
def _reputation() -> tuple[sk.Instrument, pd.DataFrame]:
    inst = sk.load_instrument("reputation", version="2.0.0")
    return inst, generate_responses(inst, 250, seed=12)


def _by_hand(values: pd.DataFrame, min_valid: int) -> pd.Series:
    """Row mean of the valid items; NaN with fewer than ``min_valid`` valid items."""
    mean = values.mean(axis=1, skipna=True)
    return mean.where(values.notna().sum(axis=1) >= min_valid)


def test_mean_with_reverse_and_missing_codes_by_hand() -> None:
    """Without an instrument: reverse=, missing_codes= and scale_range= do the work."""
    df = pd.DataFrame({"a": [1, 5, 98, 4, 2], "b": [2, 4, 3, 98, 99],
                       "c": [5, 1, 3, 98, 98]})
    got = sk.scale_score(df, ["a", "b", "c"], reverse=["c"], missing_codes=[98, 99],
                         scale_range=(1, 5), min_valid=2)
    expected = [(1 + 2 + 1) / 3, (5 + 4 + 5) / 3, (3 + 3) / 2, np.nan, np.nan]
    np.testing.assert_allclose(got.to_numpy(), expected)
    assert got.name == "score" and got.index.equals(df.index)


def test_belonging_reverse_codes_from_the_instrument() -> None:
    """needs_assessment belonging: 6 - x on the two reversed rows, 98 never enters."""
    inst, df = _needs()
    flags = {v.var: v.reverse for v in inst.variables if v.var in BELONGING}
    assert flags["bel_stranger"] and flags["bel_anywhere"] and not flags["bel_at_home"]
    raw = df[BELONGING].astype("float64").mask(df[BELONGING] == 98)
    for var in ("bel_stranger", "bel_anywhere"):
        raw[var] = 6 - raw[var]
    expected = _by_hand(raw, 4)
    got = sk.scale_score(df, instrument=inst, index="belonging")
    pd.testing.assert_series_equal(got, expected.rename("belonging"))
    assert got.between(1, 5).all() or got.isna().any()


def test_loneliness_is_a_sum_of_three_with_no_missing_item() -> None:
    """UCLA-3: sum of three 1-3 items; refused (97) leaves the score missing."""
    inst, df = _needs()
    cols = ["ucla_companionship", "ucla_left_out", "ucla_isolated"]
    raw = df[cols].astype("float64").mask(df[cols] == 97)
    expected = raw.sum(axis=1, min_count=3)
    got = sk.scale_score(df, instrument=inst, index="loneliness")
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())
    assert set(got.dropna().unique()) <= set(range(3, 10))
    assert got.isna().sum() == raw.isna().any(axis=1).sum()


def test_pulse_pomp_and_attributes_raw() -> None:
    """reputation 2.0.0: Pulse = 100 (mean - 1) / 6 on 7-point rows; attributes skip attn."""
    inst, df = _reputation()
    scores = sk.index_scores(df, inst)
    assert list(scores.columns) == ["pulse", "attributes"]
    raw = df[PULSE].astype("float64").mask(df[PULSE] == 98)
    np.testing.assert_allclose(scores["pulse"], 100 * (_by_hand(raw, 3) - 1) / 6)
    att = df[ATTRIBUTES].astype("float64").mask(df[ATTRIBUTES] == 98)
    np.testing.assert_allclose(scores["attributes"], _by_hand(att, 5))


def test_item_keys_and_columns_give_the_same_score() -> None:
    """Items may be named by data column or by item key (grid.row)."""
    inst, df = _reputation()
    keys = ["pulse.good_feeling", "pulse.admire_respect", "pulse.trust",
            "pulse.overall_reputation"]
    by_key = sk.scale_score(df, keys, instrument=inst, scale="pomp", min_valid=3)
    by_var = sk.scale_score(df, PULSE, instrument=inst, scale="pomp", min_valid=3)
    pd.testing.assert_series_equal(by_key, by_var)
    by_index = sk.scale_score(df, instrument=inst, index="pulse")
    np.testing.assert_array_equal(by_index.to_numpy(), by_var.to_numpy())


def test_ingested_categoricals_score_like_codes(tmp_path: object) -> None:
    """read_responses types items as categoricals of codes (98 a category): same scores."""
    inst, df = _needs()
    path = f"{tmp_path}/needs.csv"
    df.to_csv(path, index=False)
    resp = sk.read_responses(path, instrument=inst)
    assert isinstance(resp.data["bel_stranger"].dtype, pd.CategoricalDtype)
    got = sk.index_scores(resp.data, inst)
    expected = sk.index_scores(df, inst)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())


def test_ordered_label_categoricals_use_positions() -> None:
    """Ordered categoricals of labels score 1..K; a label declared missing drops out."""
    levels = ["disagree", "neutral", "agree", "don't know"]
    a = pd.Categorical(["agree", "disagree", "don't know", None], levels, ordered=True)
    b = pd.Categorical(["neutral", "agree", "agree", "agree"], levels, ordered=True)
    df = pd.DataFrame({"a": a, "b": b})
    got = sk.scale_score(df, ["a", "b"], missing_codes=["don't know"], min_valid=1,
                         scale="pomp")
    np.testing.assert_allclose(got.to_numpy(), [75.0, 50.0, 100.0, 100.0])


def test_prorated_sum_and_min_valid() -> None:
    """A sum with a missing item is prorated (mean times k); min_valid gates it."""
    df = pd.DataFrame({"a": [1.0, 2.0, np.nan], "b": [3.0, np.nan, np.nan],
                       "c": [2.0, 4.0, 5.0]})
    got = sk.scale_score(df, ["a", "b", "c"], method="sum", min_valid=2)
    np.testing.assert_allclose(got.to_numpy(), [6.0, 9.0, np.nan])
    strict = sk.scale_score(df, ["a", "b", "c"], method="sum")
    np.testing.assert_allclose(strict.to_numpy(), [6.0, np.nan, np.nan])


def test_input_is_not_mutated() -> None:
    inst, df = _needs()
    before = df.copy()
    sk.index_scores(df, inst)
    pd.testing.assert_frame_equal(df, before)


def test_value_outside_the_choice_list_is_reported() -> None:
    """A code that is neither substantive nor missing names the column and the value."""
    inst, df = _needs()
    bad = df.assign(bel_proud=df["bel_proud"].mask(df.index == df.index[3], 7))
    with pytest.raises(ValueError, match=r"'bel_proud'.*\['7'\].*1 row"):
        sk.scale_score(bad, instrument=inst, index="belonging")


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"index": "pulse"}, ValueError, "needs the instrument"),
    ({"index": "pulse", "items": ["x"], "instrument": "rep"}, ValueError, "do not also pass"),
    ({"index": "nope", "instrument": "rep"}, sk.InstrumentError, "declares no index 'nope'"),
    ({"items": ["pulse"], "instrument": "rep"}, sk.InstrumentError, "name the rows"),
    ({"items": ["gender"], "instrument": "rep"}, sk.InstrumentError, "nominal"),
    ({"items": PULSE, "min_valid": 5}, ValueError, "'min_valid' must be an integer from 1"),
    ({"items": PULSE, "method": "median"}, ValueError, "'method' must be one of"),
    ({"items": PULSE, "scale": "pomp"}, ValueError, "one known scale range"),
    ({"items": PULSE, "reverse": ["pulse_trust"]}, ValueError, "scale_range"),
    ({"items": PULSE, "reverse": ["attr_jobs"], "instrument": "rep"}, ValueError,
     "not among 'items'"),
    ({"items": ["pulse_trust", "nope"]}, KeyError, "not in the data"),
    ({}, ValueError, "Pass 'items'"),
])
def test_bad_arguments_are_named(kwargs: dict[str, object], error: type[Exception],
                                 message: str) -> None:
    inst, df = _reputation()
    if kwargs.get("instrument") == "rep":
        kwargs = {**kwargs, "instrument": inst}
    if "gender" in kwargs.get("items", ()):  # type: ignore[operator]
        nominal = next(v.var for v in inst.variables
                       if v.choices is not None and v.choices.measure == "nominal"
                       and v.option is None)
        kwargs = {**kwargs, "items": [nominal]}
    with pytest.raises(error, match=message):
        sk.scale_score(df, **kwargs)  # type: ignore[arg-type]
