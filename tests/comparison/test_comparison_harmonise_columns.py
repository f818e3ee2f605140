"""Harmonising a wave adds the target-coding columns through the public with_columns()."""

from __future__ import annotations

import numpy as np
import pandas as pd

import surveykit as sk
from surveykit.comparison._harmonise import harmonise_design


def test_harmonised_design_keeps_design_and_input():
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    old = pd.DataFrame({"impression5": [1, 3, 5, 2, 4, 98], "kommune": list("aabbcc"),
                        "w": [1.0, 2.0, 1.0, 2.0, 1.0, 2.0]})
    before = old.copy()
    design = sk.SurveyDesign(old, weights="w", strata="kommune").subset("impression5 < 90")
    out = harmonise_design(design, xw, "2023")
    pd.testing.assert_frame_equal(old, before)
    assert "impression7" not in design.data.columns
    assert out.data["impression7"].tolist() == [1.0, 4.0, 7.0, 2.5, 5.5, 98.0]
    assert out.data["kommune"].tolist() == list("aabbcc")  # strata untouched, no error
    np.testing.assert_array_equal(out.analysis_weights(), design.analysis_weights())
    np.testing.assert_array_equal(out.domain, design.domain)
    assert harmonise_design(design, None, "2024") is design
