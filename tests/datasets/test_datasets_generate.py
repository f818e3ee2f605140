"""Synthetic responses: reproducibility, skip logic, bias, correlations, shifts, problems."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import surveykit.instruments as si
from surveykit.datasets import generate_responses, load_population
from surveykit.datasets._items import column_specs
from surveykit.datasets._skip import spec_columns
from surveykit.datasets._truth import expected_item_mean

PULSE = ["pulse_feeling", "pulse_admire", "pulse_trust", "pulse_reputation"]
ATTR = [
    "attr_jobs",
    "attr_housing",
    "attr_culture",
    "attr_meeting",
    "attr_nature",
    "attr_transport",
    "attr_openness",
    "attr_international",
]
SHIFTS = {"pulse": 0.3, "attributes.meeting_places": 0.4}


@pytest.fixture(scope="module")
def rep1():
    return si.load_instrument("reputation", version="1.0.0")


@pytest.fixture(scope="module")
def rep2():
    return si.load_instrument("reputation", version="2.0.0")


@pytest.fixture(scope="module")
def wave26(rep2):
    return generate_responses(rep2, 3000, seed=26, wave="2026", shifts=SHIFTS)


@pytest.fixture(scope="module")
def wave24(rep1):
    return generate_responses(rep1, 3000, seed=24, wave="2024")


def _digest(df: pd.DataFrame) -> str:
    return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()


def _substantive(df: pd.DataFrame, var: str, missing=(98, 97, 12)) -> pd.Series:
    x = df[var].astype("Float64")
    return x[x.notna() & ~x.isin(list(missing))].astype(float)


def _clean(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    x = df[cols].astype("Float64").astype(float)
    return x.where(x < 90)


def test_same_seed_gives_identical_frames_bit_for_bit(rep2):
    a = generate_responses(rep2, 400, seed=7, shifts=SHIFTS)
    b = generate_responses(rep2, 400, seed=7, shifts=SHIFTS)
    pd.testing.assert_frame_equal(a, b)
    assert _digest(a) == _digest(b)
    assert a.attrs == b.attrs
    assert _digest(generate_responses(rep2, 400, seed=8, shifts=SHIFTS)) != _digest(a)


def test_layout_meta_then_instrument_columns(rep2, wave26):
    expected = [c for s in column_specs(rep2) for c in spec_columns(s)]
    meta = ["respondent_id", "start_time", "end_time", "duration_s", "status"]
    assert list(wave26.columns) == meta + expected
    assert wave26["respondent_id"].is_unique
    assert (wave26["end_time"] >= wave26["start_time"]).all()
    assert wave26["end_time"].is_monotonic_increasing


def test_every_not_relevant_variable_is_na(rep2, wave26):
    multi = dict(rep2.multi_options)
    hidden_total = 0
    for spec in column_specs(rep2):
        if not spec.relevant:
            continue
        shown = si.evaluate_expression(spec.relevant, wave26, multi=multi)
        hidden = wave26.loc[~shown, spec_columns(spec)]
        assert hidden.isna().all().all(), spec.var
        hidden_total += int((~shown).sum())
    assert hidden_total > 100  # the skip logic actually hides something


def test_multi_select_columns_are_all_na_or_all_answered(rep2, wave26):
    cols = [c for c in wave26.columns if c.startswith("mp_concepts__")]
    na = wave26[cols].isna()
    assert (na.all(axis=1) | ~na.any(axis=1)).all()
    answered = wave26.loc[~na.any(axis=1), cols]
    assert (answered.sum(axis=1) >= 1).all()  # min_selected: 1
    assert (answered.loc[answered["mp_concepts__none"] == 1].sum(axis=1) == 1).all()  # exclusive


def test_codes_are_in_the_choice_lists(rep2, wave26):
    for spec in column_specs(rep2):
        if spec.type in ("single", "grid"):
            values = set(wave26[spec.var].dropna().tolist())
            assert values <= set(spec.choices.all_codes), spec.var


def test_constraints_hold_except_planted_cases(rep2, wave26):
    flags = wave26.attrs["surveykit.synthetic"]["flags"]
    inside = ~wave26["respondent_id"].isin(flags["outside_universe"])
    age = wave26["age"].dropna()
    assert age[inside.loc[age.index]].between(20, 40).all()
    assert not age[~inside.loc[age.index]].between(20, 40).any()
    ok = si.evaluate_expression(". >= 0 and . <= ${age}", wave26, current="years_lived")
    shown = wave26["years_lived"].notna()
    assert ok[shown].all()


def test_nonresponse_bias_direction(wave26):
    pop = load_population(2026)
    complete = wave26[wave26["sex"].isin([1, 2])]
    pop_female = pop.loc[pop["sex"] == "female", "count"].sum() / pop["count"].sum()
    assert (complete["sex"] == 2).mean() > pop_female + 0.04
    share = wave26["municipality"].value_counts(normalize=True)
    pop_knr = pop.groupby("knr")["count"].sum() / pop["count"].sum()
    assert share[3412] < pop_knr[3412] - 0.015  # Løten under-represented
    assert share[3403] > pop_knr[3403]  # Hamar over-represented
    young = wave26["age"].between(20, 24).mean()
    pop_young = pop.loc[pop["age_group"] == "20-24", "count"].sum() / pop["count"].sum()
    assert young < pop_young - 0.03


def test_weighting_to_the_cells_reduces_the_bias(rep2, wave26):
    pop = load_population(2026)
    spec = next(s for s in column_specs(rep2) if s.var == "pulse_trust")
    truth = expected_item_mean(spec, pop, SHIFTS["pulse"])
    flags = wave26.attrs["surveykit.synthetic"]["flags"]
    attentive = ~wave26["respondent_id"].isin(flags["speeder"] + flags["straightliner"])
    df = wave26[
        attentive
        & wave26["sex"].isin([1, 2])
        & wave26["municipality"].isin([3403, 3411, 3412, 3413])
    ]
    df = df[df["age"].between(20, 40) & df["pulse_trust"].notna() & (df["pulse_trust"] < 90)]
    group = pd.cut(
        df["age"].astype(int),
        [19, 24, 29, 34, 39, 40],
        labels=["20-24", "25-29", "30-34", "35-39", "40"],
    ).astype(str)
    sex = np.where(df["sex"] == 2, "female", "male")
    cell = pd.Series(
        list(zip(df["municipality"].astype(int), group, sex, strict=True)), index=df.index
    )
    target = pop.set_index(["knr", "age_group", "sex"])["count"]
    w = cell.map(lambda c: target[c]) / cell.map(cell.value_counts())
    y = df["pulse_trust"].astype(float)
    unweighted = y.mean()
    weighted = float(np.sum(w * y) / np.sum(w))
    assert unweighted > truth  # over-represented groups are more positive
    assert abs(weighted - truth) < abs(unweighted - truth)


def test_grid_rows_correlate_and_indices_are_reliable(wave26):
    for cols in (PULSE, ATTR):
        r = _clean(wave26, cols).corr().to_numpy()
        assert r[np.triu_indices(len(cols), 1)].min() > 0.3
    x = _clean(wave26, PULSE).dropna()
    alpha = 4 / 3 * (1 - x.var().sum() / x.sum(axis=1).var())
    assert 0.72 < alpha < 0.88


def test_needs_assessment_reverse_items_correlate_negatively():
    needs = si.load_instrument("needs_assessment")
    df = generate_responses(needs, 1500, seed=3, wave="2025")
    r = _clean(df, ["bel_at_home", "bel_stranger", "bel_proud"]).corr()
    assert r.loc["bel_at_home", "bel_proud"] > 0.3
    assert r.loc["bel_at_home", "bel_stranger"] < -0.3


def test_known_shifts_are_recovered_by_a_plain_comparison(wave24, wave26):
    effects = {e["var"]: e for e in wave26.attrs["surveykit.synthetic"]["known_effects"]}
    assert set(effects) == {*PULSE, "attr_meeting"}
    for var in [*PULSE, "attr_meeting", "attr_jobs", "attr_nature", "recommend_live"]:
        a = _substantive(wave24, var)
        b = _substantive(wave26, var)
        if var == "recommend_live":
            a = a - 1  # 2024 stored positions 1-11
        diff = b.mean() - a.mean()
        se = np.sqrt(a.var() / len(a) + b.var() / len(b))
        expected = effects[var]["difference"] if var in effects else 0.0
        assert abs(diff - expected) < 4 * se, (var, diff, expected, se)
    assert effects["attr_meeting"]["difference"] > 0.3


def test_planted_problems_have_the_intended_shares(wave26):
    rec = wave26.attrs["surveykit.synthetic"]
    n = rec["n_respondents"]
    flags = rec["flags"]
    assert {k: len(v) for k, v in flags.items()} == {
        "partial": round(0.03 * n),
        "speeder": round(0.02 * n),
        "straightliner": round(0.02 * n),
        "outside_universe": round(0.005 * n),
        "duplicate": round(0.01 * n),
    }
    assert len(wave26) == n + len(flags["duplicate"])
    by_id = wave26.set_index("respondent_id")
    others = by_id.drop(index=flags["speeder"] + flags["duplicate"] + flags["partial"])
    assert (by_id.loc[flags["speeder"], "duration_s"] < 0.5 * others["duration_s"].median()).all()
    assert (by_id.loc[flags["partial"], "status"] == "partial").all()
    assert by_id.loc[flags["partial"], "email"].isna().all()
    sl = by_id.loc[flags["straightliner"], PULSE]
    assert (sl.nunique(axis=1) == 1).all()
    assert (by_id.loc[others.index, PULSE].nunique(axis=1) == 1).mean() < 0.2


def test_duplicates_repeat_an_answer_vector_under_a_new_id(rep2, wave26):
    rec = wave26.attrs["surveykit.synthetic"]
    answers = [c for s in column_specs(rep2) for c in spec_columns(s)]
    by_id = wave26.set_index("respondent_id")[answers]
    for dup, orig in rec["duplicates"].items():
        assert int(dup) != orig
        pd.testing.assert_series_equal(by_id.loc[int(dup)], by_id.loc[orig], check_names=False)


def test_dispositions_account_for_every_invitee(wave26):
    disp = wave26.attrs["surveykit.synthetic"]["dispositions"]
    invited = disp.pop("invited")
    assert invited == sum(disp.values())
    assert disp["complete"] + disp["partial"] == 3000 - round(0.005 * 3000)
    assert 0.15 < (disp["complete"] + disp["partial"]) / invited < 0.4


def test_bad_arguments_are_named(rep2):
    with pytest.raises(ValueError, match="'shifts'"):
        generate_responses(rep2, 10, seed=1, shifts={"pulse.nope": 1.0})
    with pytest.raises(ValueError, match="'quality'"):
        generate_responses(rep2, 10, seed=1, quality={"speeders": 0.1})
    with pytest.raises(ValueError, match="'n'"):
        generate_responses(rep2, 10**6, seed=1)
    with pytest.raises(TypeError, match="'seed'"):
        generate_responses(rep2, 10, seed=None)  # type: ignore[arg-type]
