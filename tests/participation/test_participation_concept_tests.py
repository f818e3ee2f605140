"""The concepts compared on their feedback forms: unweighted rank tests against R."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.participation._concept_tests import concept_tests

REF = json.loads((Path(__file__).parents[1] / "reference" / "ref_concept_tests.json")
                 .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tested() -> tuple[pd.DataFrame, pd.DataFrame]:
    forms = pd.DataFrame(REF["forms"]).astype({c: float for c in
                                                ("satisfaction", "come_again", "recommend")})
    return concept_tests(forms, ["cafe", "walk", "quiz", "tiny"])


def test_kruskal_wallis_matches_r(tested) -> None:
    """R: ``kruskal.test(item, concept)`` on the concepts with at least five answers."""
    overall = tested[0].set_index("item")
    assert list(overall.index) == ["satisfaction", "come_again", "recommend"]
    for item, ref in REF["overall"].items():
        row = overall.loc[item]
        assert row["n"] == ref["n"] and row["df"] == ref["df"] and row["concepts"] == 3
        np.testing.assert_allclose([row["H"], row["p_value"]], [ref["H"], ref["p_value"]],
                                   rtol=1e-9)
        k, n = 3, ref["n"]
        assert row["eta_squared_h"] == pytest.approx((ref["H"] - k + 1) / (n - k), rel=1e-12)


def test_pairwise_holm_matches_r(tested) -> None:
    """R: ``pairwise.wilcox.test(item, concept, p.adjust.method = "holm", exact = FALSE)``."""
    pairs = tested[1]
    assert "tiny" not in set(pairs["concept_a"]) | set(pairs["concept_b"])
    got = pairs.set_index(["item", "concept_a", "concept_b"])["p_holm"]
    for ref in REF["pairs"]:
        key = (ref["item"], ref["concept_a"], ref["concept_b"])
        assert got[key] == pytest.approx(ref["p_holm"], rel=1e-9)
    assert pairs["cles"].between(0, 1).all()


def test_too_few_concepts_give_empty_tables() -> None:
    forms = pd.DataFrame({"concept": ["a"] * 6 + ["b"] * 2, "satisfaction": [1.0, 2] * 4,
                          "come_again": 1.0, "recommend": 5.0})
    overall, pairs = concept_tests(forms, ["a", "b"])
    assert overall.empty and pairs.empty
    assert list(pairs.columns)[:3] == ["item", "concept_a", "concept_b"]
