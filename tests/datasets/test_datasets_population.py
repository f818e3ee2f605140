"""Bundled data: population margins (SSB 07459) and R survey's api samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.datasets import load_api, load_population
from surveykit.datasets._files import data_file
from surveykit.datasets._population import POPULATION_FILE

ROOT = Path(__file__).resolve().parents[2]


def test_population_2026_totals_match_the_domain_note():
    pop = load_population(2026, include_age_40=False)
    assert int(pop["count"].sum()) == 23766
    by_knr = pop.groupby("knr")["count"].sum().to_dict()
    assert by_knr == {3403: 8345, 3411: 8600, 3412: 1799, 3413: 5022}
    assert list(pop.columns) == ["year", "knr", "kommune", "age_group", "sex", "count"]


def test_population_2025_and_age_40():
    pop = load_population(2025)
    assert int(pop.loc[pop["age_group"] != "40", "count"].sum()) == 23630
    assert set(pop["age_group"]) == {"20-24", "25-29", "30-34", "35-39", "40"}
    three = load_population(2026, include_age_40=False, municipalities=[3403, 3412, 3413])
    assert int(three["count"].sum()) == 15166


def test_population_bad_arguments():
    with pytest.raises(ValueError, match="'year'"):
        load_population(2024)
    with pytest.raises(ValueError, match="'municipalities'"):
        load_population(2026, municipalities=[3405])


def test_bundled_population_is_the_study_copy():
    study_copy = ROOT / "analysis" / "population" / POPULATION_FILE
    if not study_copy.exists():
        pytest.skip("analysis/population/ has no copy of the margins yet")
    assert data_file(POPULATION_FILE).read_bytes() == study_copy.read_bytes()


@pytest.mark.parametrize("name", ["apisrs", "apistrat", "apiclus1", "apiclus2"])
def test_api_copies_equal_the_reference_fixtures(name):
    fixture = ROOT / "tests" / "reference" / "data" / f"{name}.csv"
    assert data_file(f"{name}.csv").read_bytes() == fixture.read_bytes()
    df = load_api(name)
    ref = pd.read_csv(fixture, dtype={"cds": str})
    pd.testing.assert_frame_equal(df, ref)


def test_api_returns_fresh_copies():
    a = load_api("apiclus1")
    a.loc[0, "api00"] = -1
    assert load_api("apiclus1").loc[0, "api00"] != -1
    assert np.isclose(load_api("apistrat")["pw"].sum(), 6194)
    with pytest.raises(ValueError, match="'name'"):
        load_api("apipop")
