"""surveykit.estimation: estimators that take a design first and return an EstimateTable.

Every estimator supplies point values and influence values (or replicate estimates); the
variance engines in :mod:`surveykit.design` do the rest.
"""

# --- core estimators (design helper) ---
from surveykit.estimation._means import mean, total
from surveykit.estimation._ratios import ratio, var
from surveykit.estimation._results import ConfidenceInterval, EstimateTable

# --- end core estimators ---
# isort: split

# --- tables, tests, models and contrasts (estimation-reference helper) ---
from surveykit.estimation._contrast import contrast
from surveykit.estimation._glm import GLMResult, glm
from surveykit.estimation._mi import MIEstimateTable, mi_combine, with_imputations
from surveykit.estimation._olr import OrdinalGLMResult
from surveykit.estimation._predmeans import predictive_margins
from surveykit.estimation._tables import CrosstabTable, crosstab
from surveykit.estimation._ttest import TTestResult, ttest

# --- end tables, tests, models and contrasts ---
# isort: split

# --- proportions and quantiles (proportion-quantile helper) ---
from surveykit.estimation._proportions import proportion
from surveykit.estimation._quantiles import quantile

# --- end proportions and quantiles ---
# isort: split

# --- shares of a rating scale: NPS and top box ---
from surveykit.estimation._nps import nps, top_box

# --- end shares of a rating scale ---

__all__ = [
    # core estimators (design helper)
    "ConfidenceInterval",
    "EstimateTable",
    "mean",
    "ratio",
    "total",
    "var",
    # tables, tests, models and contrasts (estimation-reference helper)
    "CrosstabTable",
    "GLMResult",
    "OrdinalGLMResult",
    "TTestResult",
    "contrast",
    "crosstab",
    "glm",
    "ttest",
    # multiple imputation and predictive margins (glm-edges helper)
    "MIEstimateTable",
    "mi_combine",
    "predictive_margins",
    "with_imputations",
    # proportions and quantiles (proportion-quantile helper)
    "proportion",
    "quantile",
    # shares of a rating scale
    "nps",
    "top_box",
]
