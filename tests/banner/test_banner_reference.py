"""Banner tables against R survey 4.1.1 (``tests/reference/ref_banner.R``).

Each case is one row question by one banner variable on one design: the column
percentages (or means, NPS) and SEs equal ``svyby(~row, ~banner, design, svymean)``,
the nets, the total column, the unweighted bases, the difference, SE and p-value of every
pair of columns equal ``svycontrast`` of the two domain estimates from ``svyby(...,
covmat = TRUE)`` with ``2 * pt(-abs(z), degf(design))``, and the letters equal those R's
``p.adjust`` gives at 95 % (upper case) and 90 % (lower case) for each adjustment.
Designs: a stratified cluster sample (synthetic, with missing answers) and its JKn
replicates, api's stratified sample and its one-stage cluster sample as JK1 replicates.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.banner._banner import _BANNER_COL, _pair_tests
from surveykit.banner._columns import resolve_banner
from surveykit.banner._domains import estimates
from surveykit.banner._letters import PairTests, assign_letters
from surveykit.banner._rows import resolve_rows
from surveykit.datasets import load_api
from tests.reference.reference_cases import HERE, compare_values

DOC: dict[str, Any] = json.loads((HERE / "ref_banner.json").read_text(encoding="utf-8"))
ROWS = {  # R's row question -> what sk.banner is given
    "likert": lambda v: ("q1", {"q1": "likert"}),
    "categories": lambda v: (v[0], None),
    "multi": lambda v: (tuple(v), None),
    "mean": lambda v: (v[0], None),
    "nps": lambda v: ("nps", {"nps": "nps"}),
}


@cache
def _design(name: str) -> Any:
    if name.startswith("syn"):
        data = pd.DataFrame(DOC["data"])
        data["q1"] = data["q1"].astype("Int64")
        lin = sk.SurveyDesign(data, strata="st", psu="psu", weights="w")
        return lin if name == "syn" else lin.to_replicates("jkn")
    if name == "strat":
        return sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    clus = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    return clus.to_replicates("jk1")


def _args(case: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    names = [case["row"]] if isinstance(case["row"], str) else case["row"]
    row, kinds = ROWS[case["kind"]](names)
    return row, {"row_kinds": kinds, "min_base": 0, "suppress_below": 1,
                 "second_level": DOC["second_level"], "level": DOC["level"], "language": "en"}


@cache
def _table(case_id: str, adjustment: str = "none") -> sk.BannerTable:
    case = next(c for c in DOC["cases"] if c["id"] == case_id)
    row, kw = _args(case)
    return sk.banner(_design(case["design"]), rows=[row], banner=[case["banner"]],
                     adjustment=adjustment, **kw)


def _vec(values: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=float))


def _ids(case: dict[str, Any]) -> str:
    return f"{case['id']}: {case['call']}"


@pytest.mark.parametrize("case", DOC["cases"], ids=_ids)
def test_cells_match_svyby(case: dict[str, Any]) -> None:
    bt = _table(case["id"])
    f = bt.to_frame()
    cols = bt.columns
    assert cols.loc[cols.banner_variable == case["banner"], "banner_category"].tolist() == \
        case["columns"]
    d = len(case["columns"])
    for r, ref in enumerate(case["rows"]):
        kind_rows = f.groupby(["row_kind", "row_category"], sort=False).ngroup()
        cells = f[kind_rows == r]
        assert (cells["row_kind"] == ref["kind"]).all()
        total, part = cells.iloc[0], cells.iloc[1:]
        assert total["banner_variable"] == "total" and len(part) == d
        compare_values(total["estimate"], ref["total"], what="total", call=case["call"])
        compare_values(total["se"], ref["total_se"], what="total se", call=case["call"])
        compare_values(part["estimate"], ref["estimate"], what=f"estimate row {r}",
                       call=case["call"])
        compare_values(part["se"], ref["se"], what=f"se row {r}", call=case["call"])
        assert part["base_unweighted"].tolist() == case["n"]
    # the category shares are svyby's own estimates (x 100)
    if case["kind"] in ("categories", "likert", "multi", "mean"):
        m = len(case["svyby_estimate"]) // d
        # shares are percents; a mean (and a Likert item's mean of its codes, last) is not
        scale = np.repeat([1.0 if case["kind"] == "mean" or name.endswith(":q1") else 100.0
                           for name in case["svyby_names"][::d]], d)
        first = f[f.row_kind != "net"].iloc[:, :]
        first = first[first.banner_variable != "total"]
        got_est = first["estimate"].to_numpy().reshape(m, d).ravel()
        got_se = first["se"].to_numpy().reshape(m, d).ravel()
        compare_values(got_est, np.asarray(case["svyby_estimate"]) * scale, what="svyby",
                       call=case["call"])
        compare_values(got_se, np.asarray(case["svyby_se"]) * scale, what="svyby se",
                       call=case["call"])


@cache
def _pairs(case_id: str) -> PairTests:
    """The raw pair tests of a case, from the engine sk.banner uses."""
    case = next(c for c in DOC["cases"] if c["id"] == case_id)
    design = _design(case["design"])
    row, kw = _args(case)
    (q,) = resolve_rows(design.data, [row], None, kw["row_kinds"], "top2", "en")
    (bv,) = resolve_banner(design, case["banner"], None, "en")
    col = _BANNER_COL.format(bv.name)
    work = design.with_columns(**q.columns, **{col: np.where(bv.position >= 0,
                                                            bv.position, np.nan)})
    t, _ = estimates(work, q, col)
    present = np.asarray(t.labels[col].to_numpy()[::len(q.columns)], dtype=np.int64)
    assert float(t.df[0]) == case["df"]
    return _pair_tests(t, q, present, np.ones(bv.size, bool), "none")


@pytest.mark.parametrize("case", DOC["cases"], ids=_ids)
def test_pair_p_values_match_svycontrast(case: dict[str, Any]) -> None:
    tests = _pairs(case["id"])
    for r, ref in enumerate(case["rows"]):
        want = zip(np.atleast_1d(ref["pair_a"]), np.atleast_1d(ref["pair_b"]), strict=True)
        assert [list(p) for p in tests.pairs] == [[int(a), int(b)] for a, b in want]
        compare_values(tests.difference[r], _vec(ref["difference"]), what=f"difference row {r}",
                       call=case["call"])
        compare_values(tests.p_value[r], _vec(ref["p_value"]), what=f"p row {r}",
                       call=case["call"])


@pytest.mark.parametrize("case", DOC["cases"], ids=_ids)
def test_letters_match_r(case: dict[str, Any]) -> None:
    """Unadjusted letters through sk.banner; each adjustment through the same engine."""
    f = _table(case["id"]).to_frame()
    part = f[f.banner_variable != "total"]
    d = len(case["columns"])
    got = part["letters"].to_numpy().reshape(-1, d).tolist()
    assert got == [ref["letters"]["none"] for ref in case["rows"]], case["call"]
    raw = _pairs(case["id"])
    letters = tuple(part["column_letter"].iloc[:d])
    for adjustment in ("bonferroni", "holm", "bh"):
        adjusted = np.vstack([sk.adjust_pvalues(p, adjustment) for p in raw.p_value])
        tests = replace(raw, p_adjusted=adjusted)
        got = assign_letters(tests, letters, DOC["level"], DOC["second_level"])
        assert got == [ref["letters"][adjustment] for ref in case["rows"]], \
            f"{adjustment}: {case['call']}"


def test_the_adjustment_reaches_the_letters() -> None:
    case = next(c for c in DOC["cases"]
                if any(r["letters"]["none"] != r["letters"]["bonferroni"] for r in c["rows"]))
    f = _table(case["id"], "bonferroni").to_frame()
    part = f[f.banner_variable != "total"]
    got = part["letters"].to_numpy().reshape(-1, len(case["columns"])).tolist()
    assert got == [ref["letters"]["bonferroni"] for ref in case["rows"]]


def test_reference_has_letters_of_both_cases_and_every_kind() -> None:
    letters = "".join(s for c in DOC["cases"] for r in c["rows"]
                      for s in r["letters"]["none"])
    assert any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters)
    assert {c["kind"] for c in DOC["cases"]} == {"likert", "categories", "multi", "mean",
                                                 "nps"}
