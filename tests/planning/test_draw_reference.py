"""sk.plan.draw against R's sampling and survey (tests/reference/ref_draw.R).

The inputs (frame, allocation, the samples sk.plan.draw drew with fixed seeds) are in
``tests/reference/data/draw_input.json``; R's values in ``tests/reference/ref_draw.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.planning._selection import systematic_positions

REF = Path(__file__).resolve().parents[1] / "reference"
REL = 1e-9


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads((REF / name).read_text(encoding="utf-8"))


def _input() -> dict[str, Any]:
    return _load("data/draw_input.json")


def _r() -> dict[str, Any]:
    return _load("ref_draw.json")


@cache
def _frame() -> pd.DataFrame:
    return pd.DataFrame(_input()["frame"])


@cache
def _draw(name: str) -> sk.plan.Draw:
    return sk.plan.draw(_frame(), _input()["allocation"], **_input()["samples"][name]["args"])


@pytest.mark.parametrize("name", ["srswor", "systematic", "poisson"])
def test_the_seeds_still_select_the_people_r_was_given(name):
    rows = (_draw(name).sample.index.to_numpy() + 1).tolist()
    assert rows == _input()["samples"][name]["rows"]


def test_inclusion_probabilities_are_rs():
    table = _draw("srswor").to_frame().set_index("stratum")
    for case in _r()["inclusion"]:
        row = table.loc[case["stratum"]]
        assert (row["N"], row["n"]) == (case["N"], case["n"])
        assert row["inclusion_prob"] == pytest.approx(case["pik"], rel=REL)


@pytest.mark.parametrize("name", ["srswor", "systematic", "poisson"])
def test_per_stratum_sizes_and_probabilities_are_those_of_sampling_strata(name):
    table = _draw(name).to_frame().set_index("stratum")
    sample = _draw(name).sample
    for case in _r()["strata"][name]:
        got = sample.loc[sample["stratum"] == case["stratum"], "inclusion_prob"].unique()
        assert got == pytest.approx([case["prob"]], rel=REL)
        if name != "poisson":                                # Poisson sizes are random
            assert table.loc[case["stratum"], "n"] == case["n"]


@pytest.mark.parametrize("case", _r()["systematic_cases"], ids=lambda c: f"N{c['N']}n{c['n']}")
def test_systematic_positions_are_upsystematic_at_the_same_start(case):
    got = systematic_positions(int(case["N"]), int(case["n"]), case["u"])
    assert got.tolist() == case["positions"]


def test_the_systematic_draw_is_upsystematic_on_the_sorted_frame_at_its_starts():
    rows = (_draw("systematic").sample.index.to_numpy() + 1).tolist()
    assert rows == _r()["systematic_rows"]


def _estimate(design: Any, case: dict[str, Any]) -> Any:
    fn = sk.mean if case["statistic"] == "mean" else sk.total
    if case["by"] is None:
        return fn(design, case["variable"])
    variable = {"mean": "y", "total": "z"}[case["statistic"]]
    return fn(design, variable, by=case["by"])


def _case_id(case: dict[str, Any]) -> str:
    given = "-given-sizes" if case["conditional"] else ""
    return f"{case['sample']}{given}-{case['statistic']}-{case['by'] or 'all'}"


@pytest.mark.parametrize("case", _r()["cases"], ids=_case_id)
def test_estimates_on_the_drawn_design_are_rs(case):
    design = _draw(case["sample"]).design(conditional=case["conditional"])
    table = _estimate(design, case)
    assert np.allclose(table.estimate, case["estimate"], rtol=REL, atol=0)
    assert np.allclose(table.se, case["se"], rtol=REL, atol=0)
