"""A study's result pickles whole: designs, estimates with their intervals, comparisons."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd

import surveykit as sk


def test_a_study_result_pickles_and_gives_the_same_numbers(reputation_appendix) -> None:
    result = reputation_appendix
    again = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(again.to_frame(), result.to_frame())
    assert list(again.comparisons) == list(result.comparisons)
    for name, table in result.comparisons.items():
        pd.testing.assert_frame_equal(again.comparisons[name].to_frame(), table.to_frame())
    for wave, design in result.designs.items():
        got = sk.mean(again.designs[wave], "age", by="sex")
        want = sk.mean(design, "age", by="sex")
        np.testing.assert_array_equal(got.se, want.se)
    block = next(b for b in result.estimates if b.table.statistic == "proportion")
    twin = again.estimates[result.estimates.index(block)]
    np.testing.assert_array_equal(twin.table.confidence_interval(0.9).low,
                                  block.table.confidence_interval(0.9).low)
