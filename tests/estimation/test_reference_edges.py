"""R parity at the edges (issue 12) against ``tests/reference/ref_edges.json``.

``tests/reference/ref_edges.R`` builds a synthetic two-stage municipal survey (regions as
strata, municipalities as PSUs, fpc at both stages, region 4 a certainty stratum, one
municipality and a few persons with zero weight, relative weights) and exports it to
``tests/reference/data/edges_muni.csv``; R survey's ``nhanes`` data are exported beside it.
Every test id carries the R call.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from typing import Any

import pandas as pd
import pytest
from reference import reference_cases as rc

import surveykit as sk
from surveykit._exact_csv import read_csv_exact


@cache
def _doc() -> dict[str, Any]:
    with open(rc.HERE / "ref_edges.json", encoding="utf-8") as fh:
        return json.load(fh)


def _params(cls: str) -> list[Any]:
    return [pytest.param(c, id=f"{c['id']}: {c['call']}") for c in _doc()["cases"]
            if c["class"] == cls]


@cache
def _muni() -> pd.DataFrame:
    return read_csv_exact(rc.DATA / "edges_muni.csv")


def muni() -> pd.DataFrame:
    """A fresh copy of the municipal survey (``sat`` as a Categorical with the unused 5)."""
    df = _muni().copy()
    df["satf"] = pd.Categorical(df["sat"], categories=[1, 2, 3, 4, 5])
    return df


def _calibrated(kind: str) -> Any:
    base = design("dmuni")
    if kind == "dps":
        cells = pd.DataFrame({"sex": ["F", "M"], "Freq": [20500.0, 19500.0]})
        return sk.poststratify(base, cells)
    return sk.calibrate(base, {"sex": {"F": 20500.0, "M": 19500.0},
                               "agegrp": {"18-39": 15000.0, "40-66": 15000.0,
                                          "67+": 10000.0}})


def design(name: str) -> Any:
    """The surveykit design matching R's design ``name`` (see ``designs`` in the JSON)."""
    if name == "dmuni":
        return sk.SurveyDesign(muni(), psu=["muni", "pid"], strata="region", fpc=["N1", "M"])
    if name == "dzero":
        return sk.SurveyDesign(muni(), psu="muni", strata="region", weights="wz")
    if name == "drel":
        return sk.SurveyDesign(muni(), psu="muni", strata="region", weights="wrel")
    if name == "dnhanes":
        data = read_csv_exact(rc.DATA / "nhanes.csv")
        data["hi_chol"] = data["HI_CHOL"].map({1: True, 0: False}).astype("boolean")
        return sk.SurveyDesign(data, psu="SDMVPSU", strata="SDMVSTRA", weights="WTMEC2YR",
                               nest=True)
    if name in ("dps", "dcal"):
        return _calibrated(name)
    if name == "rtie":
        tie = read_csv_exact(rc.DATA / "edges_tie.csv")
        return sk.SurveyDesign(tie, psu="psu", strata="st", weights="w").to_replicates("jkn")
    if name == "rmuni":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return design("dmuni").to_replicates("jkn")
    raise KeyError(name)


def _design_of(case: dict[str, Any]) -> Any:
    d = design(case["design"])
    return d if not case.get("subset") else d.subset(case["subset"])


@pytest.mark.parametrize("case", _params("ttest_subset"))
def test_ttest_on_subset(case: dict[str, Any]) -> None:
    r = sk.ttest(_design_of(case), "income", by="sex", nan_policy="omit")
    v = case["values"]
    # R's svyttest reports mean(M) - mean(F) as the coefficient of sexM
    rc.compare_values([r.estimate, r.statistic, r.df, r.p_value],
                      [v["estimate"], v["statistic"], v["df"], v["p_value"]], call=case["call"])


@pytest.mark.parametrize("case", _params("proportion_na"))
def test_proportion_keeps_design_df_with_missing(case: dict[str, Any]) -> None:
    variable = "smoker" if case["design"] == "dmuni" else "hi_chol"
    level = 1 if case["design"] == "dmuni" else True
    t = sk.proportion(design(case["design"]), variable, ci_method=case["method"],
                      nan_policy="omit").to_frame()
    row = t[t["level"] == level].iloc[0]
    v = case["values"]
    rel = rc.REL_ITER if case["method"] in ("logit", "likelihood") else rc.REL
    rc.compare_values([row["estimate"], row["se"], row["ci_low"], row["ci_high"]],
                      [v["estimate"], v["se"], v["ci_low"], v["ci_high"]], rel=rel,
                      call=case["call"])


@pytest.mark.parametrize("case", _params("likelihood_deff"))
def test_likelihood_interval_at_large_deff(case: dict[str, Any]) -> None:
    d = design(case["design"])
    t = sk.proportion(d, "pool", ci_method="likelihood").to_frame()
    row = t[t["level"] == 1].iloc[0]
    v = case["values"]
    rc.compare_values([row["estimate"], row["ci_low"], row["ci_high"]],
                      [v["estimate"], v["ci_low"], v["ci_high"]], rel=rc.REL_ITER,
                      call=case["call"])
    deff = sk.mean(d, "pool", deff=True).to_frame()["deff"].iloc[0]
    rc.compare_values(deff, v["deff"], call=case["call"])


@pytest.mark.parametrize("case", _params("crosstab_df"))
def test_crosstab_df_as_r(case: dict[str, Any]) -> None:
    row, col = case["call"].split("~")[1].split(",")[0].split("+")
    t = sk.crosstab(_design_of(case), row.strip(), col.strip(), nan_policy="omit")
    for name, v in case["values"].items():
        got = t.tests.loc[name]
        rc.compare_values([got["statistic"], got["ndf"], got["ddf"], got["p_value"]],
                          [rc.r_value(v[k]) for k in ("statistic", "ndf", "ddf", "p_value")],
                          what=name, call=case["call"])


@pytest.mark.parametrize("case", _params("glm_dispersion"))
def test_glm_dispersion_with_zero_weights_and_missing(case: dict[str, Any]) -> None:
    m = sk.glm(_design_of(case), case["formula"])
    v = case["values"]
    rc.compare_values(m.estimate, v["estimate"], rel=rc.REL_ITER, what="coef",
                      call=case["call"])
    rc.compare_values(m.se, v["se"], rel=rc.REL_ITER, what="se", call=case["call"])
    rc.compare_values(m.dispersion, v["dispersion"], rel=rc.REL_ITER, what="dispersion",
                      call=case["call"])
    rc.compare_values(m.df_residual, v["df_residual"], what="df", call=case["call"])


@pytest.mark.parametrize("case", _params("deff_relative"))
def test_deff_with_relative_weights_is_nan_not_negative(case: dict[str, Any]) -> None:
    by = case["by"]
    v = case["values"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = sk.mean(design(case["design"]), "income", by=by, deff=True,
                    nan_policy="omit").to_frame()
    rows = [{by: k, "estimate": e, "se": s, "deff": d}
            for k, e, s, d in zip(v[by], v["estimate"], v["se"], v["deff"], strict=True)]
    rc.compare_rows(t, rows, [by], ["estimate", "se", "deff"], call=case["call"])
    assert any("weights" in str(w.message) for w in caught), "no warning about the weights"


@pytest.mark.parametrize("case", _params("unused_levels"))
def test_unused_levels_are_kept(case: dict[str, Any]) -> None:
    d = design(case["design"])
    v = case["values"]
    if "by" in case:
        t = sk.mean(d, "satf", by="sex").to_frame()
        rows = [{"sex": s, "level": lv, "estimate": v["estimate"][i][j], "se": v["se"][i][j]}
                for i, s in enumerate(v["sex"]) for j, lv in enumerate(v["level"])]
        rc.compare_rows(t, rows, ["sex", "level"], ["estimate", "se"], call=case["call"])
        return
    func = sk.total if "svytotal" in case["call"] else sk.mean
    t = func(d, "satf").to_frame()
    rows = [{"level": lv, "estimate": e, "se": s}
            for lv, e, s in zip(v["level"], v["estimate"], v["se"], strict=True)]
    rc.compare_rows(t, rows, ["level"], ["estimate", "se"], call=case["call"])


@pytest.mark.parametrize("case", _params("replicate_flat"))
def test_replicate_variance_of_identical_replicates_is_zero(case: dict[str, Any]) -> None:
    d = design(case["design"])
    v = case["values"]
    if case["id"] == "jkn_mean_tie":
        data = d.data.assign(low=(d.data["tiey"] <= 480).astype(float))
        t = sk.mean(d.with_columns(low=data["low"]), "low").to_frame()
        rc.compare_values([t["estimate"].iloc[0], t["se"].iloc[0]], [v["estimate"], v["se"]],
                          call=case["call"])
        return
    column = "y" if case["design"] == "rtie" else "tiey"
    t = sk.quantile(d, column, case["quantiles"]).to_frame()
    for col in ("estimate", "ci_low", "ci_high", "se"):
        rc.compare_values(t[col].to_numpy(), v[col], what=col, call=case["call"])


@pytest.mark.parametrize("case", _params("missing_codes"))
def test_top_two_box_drops_missing_codes(case: dict[str, Any]) -> None:
    d = design(case["design"])
    v = case["values"]
    t = sk.compare({"a": d, "b": d}, "q", measure="top_two_box", missing=[98, 99]).to_frame()
    rc.compare_values([t["estimate_a"].iloc[0], t["se_a"].iloc[0]], [v["estimate"], v["se"]],
                      call=case["call"])
    t = sk.top_box(d, "q", k=2, missing=[98, 99])
    rc.compare_values([t.estimate[0], t.se[0]], [v["estimate"], v["se"]], call=case["call"])
    # a bare column that still holds 98/99 above its 1-5 scale needs missing=
    with pytest.raises(ValueError, match=r"missing=\[98, 99\]"):
        sk.compare({"a": d, "b": d}, "q", measure="top_two_box")
    with pytest.raises(ValueError, match="look like missing-value codes"):
        sk.top_box(d, "q", k=2)


@pytest.mark.parametrize("case", _params("refusal"))
def test_jkn_refuses_unstratified(case: dict[str, Any]) -> None:
    d = sk.SurveyDesign(muni(), psu="muni", weights="w")
    with pytest.raises(sk.DesignError, match="jk1") as err:
        d.to_replicates("jkn")
    assert case["values"]["error"] in str(err.value)
