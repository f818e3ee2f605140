"""surveykit.weighting: weighting steps (design -> new design) and their diagnostics.

Public names
------------
poststratify, rake, calibrate, trim, adjust_nonresponse
    Weighting steps. Each returns a new design with new full-sample and replicate weights,
    appends a :class:`WeightingStep` to ``design.weighting_history`` and, for linearisation
    designs, the record the variance engine needs (R's ``design$postStrata``).
weight_diagnostics, WeightDiagnostics
    Kish design effect, effective n, weight distribution, achieved vs target, plots.
population_margins
    Raking margins summed from a long population table (e.g. ``analysis/population/``).
WeightingStep
    One entry of ``design.weighting_history``.
"""

from surveykit.weighting._calibrate import calibrate
from surveykit.weighting._diagnostics import WeightDiagnostics, weight_diagnostics
from surveykit.weighting._history import WeightingStep
from surveykit.weighting._nonresponse import adjust_nonresponse
from surveykit.weighting._population import population_margins
from surveykit.weighting._poststratify import poststratify
from surveykit.weighting._rake import rake
from surveykit.weighting._trim import trim

__all__ = [
    "WeightDiagnostics",
    "WeightingStep",
    "adjust_nonresponse",
    "calibrate",
    "population_margins",
    "poststratify",
    "rake",
    "trim",
    "weight_diagnostics",
]
