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
"""

# --- waves (comparison helper) ---
from surveykit.comparison._multiplicity import adjust_pvalues
from surveykit.comparison._nps import nps, top_box
from surveykit.comparison._table import ComparisonTable
from surveykit.comparison._waves import compare

# --- end waves ---

__all__ = [
    # waves (comparison helper)
    "ComparisonTable",
    "adjust_pvalues",
    "compare",
    "nps",
    "top_box",
]

for _name in ("ComparisonTable", "adjust_pvalues", "compare", "nps", "top_box"):
    globals()[_name].__module__ = "surveykit"
del _name
