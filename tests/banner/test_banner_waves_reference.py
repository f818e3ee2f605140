"""Wave columns of sk.banner against R survey 4.1.1 (``tests/reference/ref_banner_waves.R``).

Two waves with their own designs (apistrat by linearization, apiclus1 as JK1 replicates):
each wave column equals ``svymean`` (through ``svycontrast`` for nets and the Likert mean)
on its wave's design; the difference, its SE ``sqrt(se_a^2 + se_b^2)`` and the p-value
``2 * pt(-abs(d / SE), degf(a) + degf(b))`` of the two wave columns, and the letters at
95 % (upper case) and 90 % (lower case), equal R's.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.banner._rows import resolve_rows
from surveykit.banner._waves import wave_columns, wave_tests
from surveykit.datasets import load_api
from tests.reference.reference_cases import HERE, compare_values

DOC: dict[str, Any] = json.loads((HERE / "ref_banner_waves.json").read_text(encoding="utf-8"))


def _likert(frame: pd.DataFrame) -> pd.DataFrame:
    api = frame["api00"]
    return frame.assign(lik=1 + sum((api > cut).astype(int) for cut in (550, 650, 750, 850)))


@cache
def _waves() -> dict[str, Any]:
    a = sk.SurveyDesign(_likert(load_api("apistrat")), weights="pw", strata="stype",
                        fpc="fpc")
    b = sk.SurveyDesign(_likert(load_api("apiclus1")), psu="dnum", weights="pw", fpc="fpc")
    return {"a": a, "b": b.to_replicates("jk1")}


@cache
def _table() -> sk.BannerTable:
    waves = _waves()
    return sk.banner(waves["b"], rows=[c["row"] for c in DOC["cases"]], banner=["wave"],
                     waves=waves, row_kinds={"lik": "likert"}, min_base=0, suppress_below=1,
                     level=DOC["level"], second_level=DOC["second_level"], language="en")


def _ids(case: dict[str, Any]) -> str:
    return f"{case['row']}: {case['call']}"


@pytest.mark.parametrize("case", DOC["cases"], ids=_ids)
def test_wave_columns_are_svymean_on_each_wave_and_letters_are_rs(case):
    f = _table().to_frame()
    part = f[(f.row_variable == case["row"]) & (f.banner_variable == "wave")]
    est = part["estimate"].to_numpy().reshape(-1, 2)
    se = part["se"].to_numpy().reshape(-1, 2)
    letters = part["letters"].to_numpy().reshape(-1, 2).tolist()
    assert len(est) == len(case["rows"])
    for r, ref in enumerate(case["rows"]):
        assert part["row_kind"].iloc[2 * r] == ref["kind"]
        compare_values(est[r], ref["estimate"], what=f"estimate row {r}", call=case["call"])
        compare_values(se[r], ref["se"], what=f"se row {r}", call=case["call"])
        assert letters[r] == ref["letters"], (r, case["call"])
    assert part["base_unweighted"].to_numpy()[:2].tolist() == case["n"]


@pytest.mark.parametrize("case", DOC["cases"], ids=_ids)
def test_wave_pair_p_values_match_r(case):
    waves = _waves()
    (q,) = resolve_rows(waves["b"].data, [case["row"]], None, {"lik": "likert"}
                        if case["row"] == "lik" else None, "top2", "en")
    pairs, diff, p = wave_tests(q, wave_columns(waves["b"], waves, None, "en"))
    assert pairs == ((0, 1),)
    ref = case["rows"]
    compare_values(diff[:, 0], np.array([r["difference"] for r in ref]), what="difference",
                   call=case["call"])
    compare_values(p[:, 0], np.array([r["p_value"] for r in ref]), what="p", call=case["call"])


def test_reference_has_upper_and_lower_case_wave_letters():
    letters = "".join(s for c in DOC["cases"] for r in c["rows"] for s in r["letters"])
    assert any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters)
