"""surveykit.design: survey designs and the two variance engines.

Public names
------------
SurveyDesign, ReplicateDesign
    The two design classes (frozen).
HartleyRao, PPSMatrix
    PPS-without-replacement variance specifications for ``SurveyDesign(pps=...)`` (R's
    ``HR()`` and ``ppsmat()``).
CalibrationRecord
    What a weighting step leaves for the linearisation engine (R's ``postStrata``).
design_covariance
    The one entry point estimators use: influence values for linearisation designs,
    replicate estimates for replicate designs.
linearized_covariance, replicate_covariance, replicate_estimates, replicate_totals
    The engines themselves (R's ``svyrecvar`` and ``svrVar``) and replicate helpers.
replicate_rank
    Rank of replicate weights (R's ``degf`` is the rank minus one).
DenseScores, DomainScores, RatioScores
    Influence values in dense or factored (many-domain, ratio-of-totals) form.
ExceedanceSweep
    Variance of a domain's weighted share above every threshold at once (score intervals).
hadamard
    R's ``hadamard()`` (0/1 matrices used for BRR).
"""

from surveykit.design._calibration import CalibrationRecord
from surveykit.design._dispatch import design_covariance
from surveykit.design._exceedance import ExceedanceSweep
from surveykit.design._linearization import linearized_covariance
from surveykit.design._pps import HartleyRao, PPSMatrix
from surveykit.design._replicate_design import ReplicateDesign, replicate_rank
from surveykit.design._replicate_engine import (
    replicate_covariance,
    replicate_estimates,
    replicate_totals,
)
from surveykit.design._scores import DenseScores, DomainScores, RatioScores
from surveykit.design._survey_design import SurveyDesign

__all__ = [
    "CalibrationRecord",
    "DenseScores",
    "DomainScores",
    "ExceedanceSweep",
    "HartleyRao",
    "PPSMatrix",
    "RatioScores",
    "ReplicateDesign",
    "SurveyDesign",
    "design_covariance",
    "linearized_covariance",
    "replicate_covariance",
    "replicate_estimates",
    "replicate_rank",
    "replicate_totals",
]
