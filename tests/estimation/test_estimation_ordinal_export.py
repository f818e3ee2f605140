"""OrdinalGLMResult is public: what glm(family="ordinal") returns can be named and checked."""

from __future__ import annotations

import numpy as np
import pandas as pd

import surveykit as sk
from surveykit.estimation import OrdinalGLMResult


def test_ordinal_result_is_exported_and_returned():
    assert sk.OrdinalGLMResult is OrdinalGLMResult
    assert issubclass(OrdinalGLMResult, sk.GLMResult)
    assert "OrdinalGLMResult" in sk.__all__ and "OrdinalGLMResult" in sk.estimation.__all__
    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    y = np.digitize(x + rng.logistic(size=300), [-1.0, 0.5])  # three ordered categories
    d = sk.SurveyDesign(pd.DataFrame({"y": y, "x": x}), weights=np.ones(300))
    fit = sk.glm(d, "y ~ x", family="ordinal")
    assert isinstance(fit, OrdinalGLMResult)
    assert repr(fit).startswith("OrdinalGLMResult(")
    assert tuple(fit.terms[-2:]) == ("0|1", "1|2")
