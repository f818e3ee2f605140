"""sk.mi_combine / sk.with_imputations against mitools 2.4 ``MIcombine`` with survey 4.1.1.

Cases come from ``tests/reference/ref_mi.R`` on mitools' ``data(smi)`` (5 completed data
sets, cluster design by subject, strata by sex; and its JKn replicates); each test id
carries the exact R call. Tolerance rel 1e-9 (1e-6 for the quasibinomial glm).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest
from reference import reference_cases as rc

import surveykit as sk

CASES = rc.other_cases("ref_mi")


@cache
def _designs(name: str) -> tuple[Any, ...]:
    smi = rc.other_dataset("smi")
    out = []
    for _, frame in smi.groupby("imputation", sort=True):
        # R: svydesign(id = ~id, strata = ~sex) without weights, i.e. weights of one
        d = sk.SurveyDesign(frame.reset_index(drop=True).assign(one=1.0), psu="id",
                            strata="sex", weights="one")
        out.append(d.to_replicates("jkn") if name == "rsmi_jkn" else d)
    return tuple(out)


def _combined(case: dict[str, Any]) -> sk.MIEstimateTable:
    args = dict(case["args"])
    df_complete = case.get("df_complete")
    extra = {} if df_complete is None else {"df_complete": float(df_complete)}
    designs = _designs(case["design"])
    if case["estimator"] == "glm":
        return sk.with_imputations(designs, sk.glm, args.pop("formula"), **args, **extra)
    func = getattr(sk, case["estimator"])
    return sk.with_imputations(designs, func, args.pop("variables"), **args, **extra)


def _names(table: sk.MIEstimateTable, case: dict[str, Any]) -> list[str]:
    frame = table.to_frame()
    if "by" in case["args"]:
        return [str(v) for v in frame[case["args"]["by"]]]
    if "level" in frame.columns:
        return [f"{v}{lv}" for v, lv in zip(frame["variable"], frame["level"], strict=True)]
    return list(frame["variable"])


@pytest.mark.parametrize("case", CASES)
def test_mi_combine_matches_micombine(case: dict[str, Any]) -> None:
    """R: ``MIcombine(with(designs, estimator))``: coef, SE, df, missinfo, summary limits."""
    table = _combined(case)
    v = case["values"]
    rel = rc.REL_ITER if case["args"].get("family") == "binomial" else rc.REL
    names = v["names"] if isinstance(v["names"], list) else [v["names"]]
    order = [_names(table, case).index(n) for n in names]  # R orders factor levels its way
    frame = table.to_frame().iloc[order]
    assert table.n_imputations == v["m"]
    for col, key in (("estimate", "estimate"), ("se", "se"), ("df", "df"),
                     ("missing_info", "missing_info"), ("ci_low", "ci_low"),
                     ("ci_high", "ci_high")):
        rc.compare_values(frame[col].to_numpy(), v[key], rel=rel, what=col, call=case["call"])
    if "by" not in case["args"]:  # svyby's vcov is diagonal in R: compare full T elsewhere
        cov = np.asarray(table.cov)[np.ix_(order, order)].ravel()
        rc.compare_values(cov, np.asarray(v["cov"], dtype=float).ravel(), rel=rel,
                          what="cov", call=case["call"])


def test_contrast_works_on_combined_table() -> None:
    """A combined table is an EstimateTable: sk.contrast takes wave differences from it."""
    table = sk.with_imputations(_designs("dsmi"), sk.mean, "cistot", by="wave")
    diff = sk.contrast(table, {"6": 1, "1": -1})
    assert diff.estimate[0] == pytest.approx(table.estimate[5] - table.estimate[0], rel=1e-12)
    var = table.cov[5, 5] + table.cov[0, 0] - 2 * table.cov[0, 5]
    assert diff.se[0] == pytest.approx(np.sqrt(var), rel=1e-12)


def test_mi_combine_refuses_results_that_do_not_line_up() -> None:
    """Results with other rows (here another variable) are refused, naming the index."""
    d = _designs("dsmi")
    with pytest.raises(sk.EstimationError, match=r"'results'\[1\] has other rows"):
        sk.mi_combine([sk.mean(d[0], "cistot"), sk.mean(d[1], "alcdhi")])


def test_mi_combine_needs_two_results() -> None:
    """One result, or a bare table, is not a set of imputations."""
    t = sk.mean(_designs("dsmi")[0], "cistot")
    for bad in ([t], t):
        with pytest.raises(sk.EstimationError, match="at least two results"):
            sk.mi_combine(bad)  # type: ignore[arg-type]
