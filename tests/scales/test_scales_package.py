"""Scales and the rating-scale shares have one home each; the public names stay the same."""

from __future__ import annotations

import surveykit as sk
import surveykit.comparison
import surveykit.estimation
import surveykit.scales


def test_scale_scores_and_reliability_live_in_scales():
    for name in ("scale_score", "index_scores", "reliability", "ReliabilityResult"):
        assert getattr(sk, name) is getattr(surveykit.scales, name)
    assert sorted(surveykit.scales.__all__) == ["ReliabilityResult", "index_scores",
                                                "reliability", "scale_score"]


def test_nps_and_top_box_are_estimators():
    assert sk.nps is surveykit.estimation.nps
    assert sk.top_box is surveykit.estimation.top_box


def test_comparison_means_comparing_waves():
    assert sorted(surveykit.comparison.__all__) == ["ComparisonTable", "adjust_pvalues",
                                                    "compare"]
