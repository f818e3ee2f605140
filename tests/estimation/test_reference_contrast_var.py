"""Nonlinear contrasts and covariance matrices against R survey 4.1.1.

Cases from ``tests/reference/ref_contrast_var.R``: ``svycontrast(stat, list(name =
quote(expr)))`` (the delta method) on means, totals, domain means, category shares and a
logistic glm, and ``svyvar`` of several variables (the full matrix and the covariance of
its entries), each on a linearisation design and its JKn and BRR replicate versions.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from tests.reference.reference_cases import HERE, REL, REL_ITER, compare_values

DOC: dict[str, Any] = json.loads((HERE / "ref_contrast_var.json").read_text(encoding="utf-8"))


@cache
def _design(name: str) -> Any:
    data = pd.DataFrame(DOC["data"])
    lin = sk.SurveyDesign(data, strata="st", psu="psu", weights="w")
    return lin if name == "lin" else lin.to_replicates(name)


def _stat(design: Any, spec: dict[str, Any]) -> Any:
    if spec["kind"] == "glm":
        return sk.glm(design, spec["formula"], family=spec["family"])
    fn = {"mean": sk.mean, "total": sk.total}[spec["kind"]]
    return fn(design, spec["variables"], by=spec.get("by"))


@pytest.mark.parametrize("case", DOC["contrast_cases"], ids=lambda c: f"{c['id']}: {c['call']}")
def test_nonlinear_contrast_matches_r(case: dict[str, Any]) -> None:
    stat = _stat(_design(case["design"]), case["stat"])
    got = sk.contrast(stat, case["contrasts"])
    rel = REL_ITER if case["stat"]["kind"] == "glm" else REL
    compare_values(got.estimate, case["estimate"], rel=rel, what="estimate", call=case["call"])
    compare_values(got.cov.ravel(), np.asarray(case["vcov"]).ravel(), rel=rel, what="vcov",
                   call=case["call"])
    if isinstance(case["contrasts"], dict):
        assert got.labels["variable"].tolist() == list(case["contrasts"])


@pytest.mark.parametrize("case", DOC["var_cases"], ids=lambda c: f"{c['id']}: {c['call']}")
def test_covariance_matrix_matches_r(case: dict[str, Any]) -> None:
    design = _design(case["design"])
    args = dict(case["args"])
    if "subset" in args:
        design = design.subset(args.pop("subset"))
    got = sk.var(design, covariance=True, **args)
    expected, se = np.asarray(case["estimate"]), np.asarray(case["se"])
    if "by" in args:   # svyby's coef runs over domains first, surveykit's rows over entries
        n_dom = len(got.labels[args["by"]].unique())
        expected, se = (x.reshape(-1, n_dom).T.ravel() for x in (expected, se))
    compare_values(got.estimate, expected, what="estimate", call=case["call"])
    compare_values(got.se, se, what="se", call=case["call"])
    if case.get("vcov"):
        compare_values(got.cov.ravel(), np.asarray(case["vcov"]).ravel(), what="vcov",
                       call=case["call"])


def test_covariance_false_keeps_the_variances_only() -> None:
    design = _design("lin")
    full = sk.var(design, ["income", "spend"], covariance=True)
    diag = sk.var(design, ["income", "spend"])
    assert diag.labels.columns.tolist() == ["variable"]
    np.testing.assert_allclose(diag.estimate, full.estimate[[0, 3]], rtol=1e-13)
    np.testing.assert_allclose(diag.cov, full.cov[np.ix_([0, 3], [0, 3])], rtol=1e-12)
    matrix = full.to_frame().pivot(index="variable", columns="variable2", values="estimate")
    np.testing.assert_allclose(matrix.to_numpy(), matrix.to_numpy().T)
    assert sk.contrast(full, "`income:spend` / sqrt(`income:income` * `spend:spend`)") \
        .estimate[0] == pytest.approx(
            full.estimate[1] / np.sqrt(full.estimate[0] * full.estimate[3]), rel=1e-14)


def test_contrast_expression_errors() -> None:
    m = sk.mean(_design("lin"), ["income", "spend"])
    with pytest.raises(ValueError, match="Did you mean 'income'"):
        sk.contrast(m, "log(incom)")
    with pytest.raises(ValueError, match="not allowed"):
        sk.contrast(m, "income if spend else 1")
    with pytest.raises(ValueError, match="is not available"):
        sk.contrast(m, "max(income, spend)")
    with pytest.raises(ValueError, match="mix expressions"):
        sk.contrast(m, {"a": "income/spend", "b": {"income": 1}})
    with pytest.raises(ValueError, match="not a valid arithmetic"):
        sk.contrast(m, "income /")
