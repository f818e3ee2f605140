"""The public API of surveykit, one section per subpackage: what ``sk.<name>`` finds.

``surveykit/__init__.py`` imports this module the first time a public name is read
(``import surveykit`` alone stays fast); import from ``surveykit`` (``import surveykit as
sk``) or from a subpackage, never from a private module. See ``ARCHITECTURE.md`` for the
layers.
"""

from surveykit._limits import InputLimits, get_input_limits, input_limits, set_input_limits
from surveykit._version import __version__
from surveykit import errors
from surveykit.errors import *  # noqa: F403  (every error and warning class, errors.__all__)

# --- instruments (section owned by surveykit/instruments) ---
from surveykit import instruments
from surveykit.instruments import (
    Crosswalk,
    Instrument,
    InstrumentDiff,
    diff_instruments,
    evaluate_expression,
    lint_instruments,
    list_instruments,
    load_crosswalk,
    load_instrument,
    parse_expression,
)

# --- end instruments ---

# --- ingestion (section owned by surveykit/ingestion) ---
from surveykit import ingestion
from surveykit.ingestion import (
    Accounting,
    Deployment,
    FileMetadata,
    Responses,
    ValidationReport,
    pseudonymize,
    read_responses,
)

# --- end ingestion ---

# --- design (section owned by surveykit/design) ---
from surveykit.design import HartleyRao, PPSMatrix, ReplicateDesign, SurveyDesign

# --- end design ---

# --- estimation (section owned by surveykit/estimation) ---
from surveykit.estimation import ConfidenceInterval, EstimateTable, mean, ratio, total, var
from surveykit.estimation import (  # models and tables (estimation-reference helper)
    CrosstabTable,
    GLMResult,
    OrdinalGLMResult,
    TTestResult,
    contrast,
    crosstab,
    glm,
    ttest,
)
from surveykit.estimation import proportion, quantile  # proportion-quantile helper
from surveykit.estimation import nps, top_box  # shares of a rating scale
from surveykit.estimation import (  # imputations and margins (glm-edges helper)
    MIEstimateTable,
    mi_combine,
    predictive_margins,
    with_imputations,
)

# --- end estimation ---

# --- weighting (section owned by surveykit/weighting) ---
from surveykit.weighting import (
    WeightDiagnostics,
    WeightingStep,
    adjust_nonresponse,
    calibrate,
    population_margins,
    poststratify,
    rake,
    trim,
    weight_diagnostics,
)
# --- end weighting ---

# --- datasets (section owned by surveykit/datasets) ---
from surveykit import datasets
from surveykit.datasets import generate_responses, load_api, load_population, make_demo_study

# --- end datasets ---

# --- scales (section owned by surveykit/scales) ---
from surveykit.scales import ReliabilityResult, index_scores, reliability, scale_score

# --- end scales ---

# --- comparison (section owned by surveykit/comparison) ---
from surveykit.comparison import ComparisonTable, adjust_pvalues, compare

# --- end comparison ---

# --- banner (section owned by surveykit/banner) ---
from surveykit.banner import BannerTable, banner  # sk.banner is the function, not the package

# --- end banner ---

# --- reporting and study (sections owned by surveykit/reporting, surveykit/study) ---
from surveykit import reporting as report  # sk.report.table(...), sk.report.Appendix
from surveykit import planning as plan  # sk.plan.n_for_change(...), sk.plan.allocate(...)
from surveykit.participation import (  # meeting places (participation helper)
    EventRegister,
    ParticipationResult,
    participation,
    read_attendance,
)
from surveykit import study  # study runner (study helper): sk.study.bundled_studies(), run_demo
from surveykit.study import Study, StudyFile, StudyResult

# --- end reporting and study ---

__all__ = [
    "__version__",
    # input limits (every reader)
    "InputLimits", "get_input_limits", "input_limits", "set_input_limits",
    # instruments
    "Crosswalk", "Instrument", "InstrumentDiff", "diff_instruments", "evaluate_expression",
    "instruments", "lint_instruments", "list_instruments", "load_crosswalk", "load_instrument",
    "parse_expression",
    # ingestion
    "Accounting", "Deployment", "FileMetadata", "Responses", "ValidationReport", "ingestion",
    "pseudonymize", "read_responses",
    # design
    "HartleyRao", "PPSMatrix", "ReplicateDesign", "SurveyDesign",
    # estimation
    "ConfidenceInterval", "EstimateTable", "mean", "ratio", "total", "var",
    "CrosstabTable", "GLMResult", "OrdinalGLMResult", "TTestResult", "contrast", "crosstab",
    "glm", "ttest",
    "proportion", "quantile", "nps", "top_box",
    "MIEstimateTable", "mi_combine", "predictive_margins", "with_imputations",
    # weighting
    "WeightDiagnostics", "WeightingStep", "adjust_nonresponse", "calibrate",
    "population_margins", "poststratify", "rake", "trim", "weight_diagnostics",
    # datasets
    "datasets", "generate_responses", "load_api", "load_population", "make_demo_study",
    # scales
    "ReliabilityResult", "index_scores", "reliability", "scale_score",
    # comparison
    "ComparisonTable", "adjust_pvalues", "compare",
    # banner
    "BannerTable", "banner",
    # reporting and study
    "plan", "report",
    "EventRegister", "ParticipationResult", "participation", "read_attendance",
    "Study", "StudyFile", "StudyResult", "study",
]


__all__ += errors.__all__  # the exception and warning classes

# Every public class and function prints as ``surveykit.Name`` (``surveykit.SurveyDesign``,
# ``surveykit.ColumnError: ...`` in a traceback): the one place ``__module__`` is rewritten
# (``surveykit/__init__`` does the same for the errors it binds before this module loads).
# Names public only in a subpackage keep their defining module.
for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj):  # classes and functions; not the report/plan/study modules
        _obj.__module__ = "surveykit"
del _name, _obj
