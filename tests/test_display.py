"""p-values print as "< 0.0001", never 0.0000, in reprs and HTML displays of results."""

from __future__ import annotations

import numpy as np
import pandas as pd

import surveykit as sk
from surveykit._display import frame_html, frame_text


def _fit() -> sk.GLMResult:
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    data = pd.DataFrame({"x": x, "y": 3 * x + rng.normal(scale=0.1, size=200), "w": 1.0})
    return sk.glm(sk.SurveyDesign(data, weights="w"), "y ~ x")


def test_tiny_p_values_print_as_below_the_floor() -> None:
    fit = _fit()
    assert fit.p_value[1] < 1e-4
    assert "< 0.0001" in repr(fit) and "0.0000" not in repr(fit)
    assert "&lt; 0.0001" in fit._repr_html_() and "0.0000<" not in fit._repr_html_()


def test_p_columns_only() -> None:
    frame = pd.DataFrame({"estimate": [0.00001], "p_value": [0.00001], "p_adjusted": [0.5]})
    text = frame_text(frame)
    assert "< 0.0001" in text and "0.5000" in text and "0.00001" in text
    assert "<td>0.0000</td>" in frame_html(frame, "x")  # an estimate is not a p-value
    assert "<td>&lt; 0.0001</td>" in frame_html(frame, "x")
