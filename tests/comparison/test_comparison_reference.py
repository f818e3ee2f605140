"""sk.compare, sk.nps and sk.top_box against R survey 4.1.1 (tests/reference/ref_comparison.R).

Independent waves: wave a = ``dstrat`` (apistrat), wave b = ``dclus1`` (apiclus1); the SE of a
difference is ``sqrt(var_a + var_b)``. Overlapping waves: two waves sharing PSUs stacked into
one design, ``svycontrast(svyby(~y, ~wave, d, svymean, covmat=TRUE), c(-1, 1))``. Each case's
R call is in the JSON (``call``) and in the test id. Tolerance rel 1e-9 (same algorithm).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import load_api

REF = json.loads((Path(__file__).resolve().parents[1] / "reference" /
                  "ref_comparison.json").read_text(encoding="utf-8"))
CASES = {c["name"]: c for c in REF["cases"]}
REL = 1e-9
CLUS = {"psu": "dnum", "weights": "pw", "fpc": "fpc"}
STRAT = {"strata": "stype", "weights": "pw", "fpc": "fpc"}


def rec(x: pd.Series) -> pd.Series:
    """The constructed 0-10 answer of the R script: ``pmin(10, pmax(0, floor((x-300)/45)))``."""
    return np.clip(np.floor((x - 300) / 45), 0, 10)


def api(name: str) -> pd.DataFrame:
    df = load_api(name)
    return df.assign(rec00=rec(df["api00"]), rec99=rec(df["api99"]))


def wave(df: pd.DataFrame, y: str, label: str) -> pd.DataFrame:
    return df.assign(y=df[y], wave=label)


def panel(df: pd.DataFrame, y1: str, y2: str) -> pd.DataFrame:
    return pd.concat([wave(df, y1, "w1"), wave(df, y2, "w2")], ignore_index=True)


def dstrat() -> sk.SurveyDesign:
    return sk.SurveyDesign(api("apistrat"), **STRAT)


def dclus1() -> sk.SurveyDesign:
    return sk.SurveyDesign(api("apiclus1"), **CLUS)


def indep(items: str, **kw: Any) -> sk.ComparisonTable:
    return sk.compare({"a": dstrat(), "b": dclus1()}, [items], **kw)


def clus_panel_dict(y1: str, y2: str, **kw: Any) -> sk.ComparisonTable:
    c = api("apiclus1")
    waves = {"w1": sk.SurveyDesign(wave(c, y1, "w1"), **CLUS),
             "w2": sk.SurveyDesign(wave(c, y2, "w2"), **CLUS)}
    return sk.compare(waves, ["y"], samples="overlapping", **kw)


def clus_panel_stacked(y1: str, y2: str, **kw: Any) -> sk.ComparisonTable:
    d = sk.SurveyDesign(panel(api("apiclus1"), y1, y2), **CLUS)
    return sk.compare(d, ["y"], wave="wave", **kw)


def strat_panel_part() -> sk.ComparisonTable:
    s = api("apistrat")
    spec = {"psu": "snum", **STRAT}
    waves = {"w1": sk.SurveyDesign(wave(s.iloc[:150], "api99", "w1"), **spec),
             "w2": sk.SurveyDesign(wave(s.iloc[50:], "api00", "w2"), **spec)}
    return sk.compare(waves, ["y"], samples="overlapping")


def split_clus1() -> sk.ComparisonTable:
    c = api("apiclus1")
    c = c.assign(y=c["api00"], wave=np.where(c["snum"] % 2 == 0, "w2", "w1"))
    return sk.compare(sk.SurveyDesign(c, **CLUS), ["y"], wave="wave")


def jk1_stacked() -> sk.ComparisonTable:
    d = sk.SurveyDesign(panel(api("apiclus1"), "api99", "api00"), **CLUS)
    return sk.compare(d.to_replicates("jk1"), ["y"], wave="wave")


def jk1_dict() -> sk.ComparisonTable:
    c = api("apiclus1")
    waves = {w: sk.SurveyDesign(wave(c, y, w), **CLUS).to_replicates("jk1")
             for w, y in (("w1", "api99"), ("w2", "api00"))}
    return sk.compare(waves, ["y"], samples="overlapping")


def yes_panel(stacked: bool) -> sk.ComparisonTable:
    """Share "Yes" of sch.wide (w1) and comp.imp (w2), as the level "Yes" of a proportion."""
    run = clus_panel_stacked if stacked else clus_panel_dict
    return run("sch.wide", "comp.imp", measure="proportion")


RUNS: list[tuple[str, str, Callable[[], sk.ComparisonTable]]] = [
    ("indep_mean_api00", "", lambda: indep("api00")),
    ("indep_proportion_sch_wide", "", lambda: indep("sch.wide")),
    ("indep_nps_rec00", "", lambda: indep("rec00", measure="nps")),
    ("indep_mean_api00_by_stype", "", lambda: indep("api00", by="stype")),
    ("indep_mean_api00_jk1", "", lambda: sk.compare(
        {"a": dstrat(), "b": dclus1().to_replicates("jk1")}, ["api00"])),
    ("overlap_panel_clus1_mean", "dict", lambda: clus_panel_dict("api99", "api00")),
    ("overlap_panel_clus1_mean", "stacked", lambda: clus_panel_stacked("api99", "api00")),
    ("overlap_split_clus1_mean", "stacked", split_clus1),
    ("overlap_panel_part_strat_mean", "dict", strat_panel_part),
    ("overlap_panel_clus1_proportion", "dict", lambda: yes_panel(False)),
    ("overlap_panel_clus1_proportion", "stacked", lambda: yes_panel(True)),
    ("overlap_panel_clus1_nps", "dict", lambda: clus_panel_dict("rec99", "rec00",
                                                                measure="nps")),
    ("overlap_panel_clus1_nps", "stacked", lambda: clus_panel_stacked("rec99", "rec00",
                                                                      measure="nps")),
    ("overlap_panel_clus1_mean_by_stype", "dict", lambda: clus_panel_dict(
        "api99", "api00", by="stype")),
    ("overlap_panel_clus1_mean_jk1", "stacked", jk1_stacked),
    ("overlap_panel_clus1_mean_jk1", "dict", jk1_dict),
]
VALUES = ["estimate_a", "se_a", "estimate_b", "se_b", "difference", "se_difference"]


def _pick(frame: pd.DataFrame, expected: dict[str, Any]) -> pd.Series:
    sel = pd.Series(True, index=frame.index)
    for col, value in (expected["by"] or {}).items():
        sel &= frame[col] == value
    if expected["level"] is not None:
        sel &= frame["level"] == expected["level"]
    assert int(sel.sum()) == 1, (expected, frame)
    return frame.loc[sel].iloc[0]


@pytest.mark.parametrize(("name", "variant", "run"), RUNS,
                         ids=[f"{n}-{v}" if v else n for n, v, _ in RUNS])
def test_compare_matches_r(name: str, variant: str,
                           run: Callable[[], sk.ComparisonTable]) -> None:
    """R: the case's ``call`` (``CASES[name]["call"]``), e.g. for the panel
    ``svycontrast(svyby(~y, ~wave, d, svymean, covmat = TRUE), c(-1, 1))``."""
    case = CASES[name]
    frame = run().to_frame()
    assert len(frame) == len(case["rows"]), case["call"]
    for expected in case["rows"]:
        got = _pick(frame, expected)
        for col in VALUES:
            assert got[col] == pytest.approx(expected[col], rel=REL), (col, case["call"])
        assert bool(got["comparable"])


def test_overlapping_panel_is_not_the_independent_answer() -> None:
    """The shared PSUs matter: the panel SE (3.085) is far below sqrt(v_a + v_b)."""
    expected = CASES["overlap_panel_clus1_mean"]["rows"][0]
    row = clus_panel_dict("api99", "api00").to_frame().iloc[0]
    naive = np.hypot(row["se_a"], row["se_b"])
    assert row["se_difference"] == pytest.approx(expected["se_difference"], rel=REL)
    assert naive > 5 * row["se_difference"]


def test_normal_interval_matches_r_confint() -> None:
    """R: ``confint(svycontrast(svyby(~y, ~wave, d, svymean, covmat = TRUE), c(-1, 1)))``
    is ``difference -/+ qnorm(0.975) SE``; ``df=float("inf")`` gives it."""
    expected = CASES["overlap_panel_clus1_mean"]["rows"][0]
    row = clus_panel_stacked("api99", "api00", df=float("inf")).to_frame().iloc[0]
    half = 1.959963984540054 * expected["se_difference"]
    assert row["ci_low"] == pytest.approx(expected["difference"] - half, rel=REL)
    assert row["ci_high"] == pytest.approx(expected["difference"] + half, rel=REL)
    assert row["df"] == float("inf")


def test_nps_matches_r() -> None:
    """R: ``svycontrast(svymean(~prom00 + det00, dclus1), c(prom00 = 100, det00 = -100))``."""
    expected = CASES["nps_rec00_clus1"]["rows"][0]
    t = sk.nps(dclus1(), "rec00")
    assert t.estimate[0] == pytest.approx(expected["estimate"], rel=REL)
    assert t.se[0] == pytest.approx(expected["se"], rel=REL)


def test_top_two_box_matches_r() -> None:
    """R: ``svymean(~as.numeric(rec00 >= 9), dstrat)`` (codes 9 and 10 of a 0-10 scale)."""
    expected = CASES["top_two_box_rec00"]["rows"][0]
    t = sk.top_box(dstrat(), "rec00", k=2, scale=(0, 10))
    assert t.estimate[0] == pytest.approx(expected["estimate"], rel=REL)
    assert t.se[0] == pytest.approx(expected["se"], rel=REL)


def test_reference_versions() -> None:
    """The JSON was produced by survey 4.1.1."""
    assert REF["survey_version"] == "4.1.1"
