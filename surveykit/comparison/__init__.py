"""surveykit.comparison: differences between survey waves.

Public names
------------
compare, ComparisonTable
    Differences between waves (independent or overlapping samples) through the crosswalk,
    with adjusted p-values, effect sizes and comparability flags.
adjust_pvalues
    Benjamini-Hochberg, Holm and Bonferroni adjustment (R's ``p.adjust``).

NPS and top-box shares live in :mod:`surveykit.estimation`, scale scores, indices and
reliability in :mod:`surveykit.scales`.
"""

from surveykit.comparison._multiplicity import adjust_pvalues
from surveykit.comparison._table import ComparisonTable
from surveykit.comparison._waves import compare

__all__ = ["ComparisonTable", "adjust_pvalues", "compare"]
