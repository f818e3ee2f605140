"""surveykit.scales: multi-item scales, their scores and their reliability.

Public names
------------
scale_score, index_scores
    Scale scores (mean or sum, reverse coding and missing codes from the instrument, POMP)
    and the indices an instrument declares, by name.
reliability, ReliabilityResult
    Cronbach's alpha with its interval, McDonald's omega (one-factor model), item-rest
    correlations.
"""

from surveykit.scales._reliability import ReliabilityResult, reliability
from surveykit.scales._scores import index_scores, scale_score

__all__ = ["ReliabilityResult", "index_scores", "reliability", "scale_score"]
