"""surveykit.estimation: estimators that take a design first and return an EstimateTable.

Every estimator supplies point values and influence values (or replicate estimates); the
variance engines in :mod:`surveykit.design` do the rest.
"""

# --- core estimators (design helper) ---
from surveykit.estimation._means import mean, total
from surveykit.estimation._results import ConfidenceInterval, EstimateTable

# --- end core estimators ---

__all__ = [
    # core estimators (design helper)
    "ConfidenceInterval",
    "EstimateTable",
    "mean",
    "total",
]

for _name in ("ConfidenceInterval", "EstimateTable", "mean", "total"):
    globals()[_name].__module__ = "surveykit"
del _name
