"""surveykit.comparison: differences between survey waves, NPS and box scores, indices.

Public names
------------
compare, ComparisonTable
    Differences between waves (independent or overlapping samples) through the crosswalk,
    with adjusted p-values, effect sizes and comparability flags.
nps, top_box
    Net Promoter Score and top-(two-)box shares with design-based standard errors.
adjust_pvalues
    Benjamini-Hochberg, Holm and Bonferroni adjustment (R's ``p.adjust``).
scale_score, index_scores
    Scale scores (mean or sum, reverse coding and missing codes from the instrument, POMP)
    and the indices an instrument declares, by name.
reliability, ReliabilityResult
    Cronbach's alpha with its interval, McDonald's omega, item-rest correlations.
"""

# --- waves (comparison helper) ---
from surveykit.comparison._multiplicity import adjust_pvalues
from surveykit.comparison._nps import nps, top_box
from surveykit.comparison._table import ComparisonTable
from surveykit.comparison._waves import compare

# --- end waves ---
# isort: split

# --- indices (indices helper) ---
from surveykit.comparison._indices import index_scores, scale_score
from surveykit.comparison._reliability import ReliabilityResult, reliability

# --- end indices ---

__all__ = [
    # waves (comparison helper)
    "ComparisonTable",
    "adjust_pvalues",
    "compare",
    "nps",
    "top_box",
    # indices (indices helper)
    "ReliabilityResult",
    "index_scores",
    "reliability",
    "scale_score",
]
