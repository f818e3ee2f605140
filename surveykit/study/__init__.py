"""surveykit.study: study files and the study runner.

A study file (``analysis/<study>/study.yaml``, model :class:`StudyFile`) names the
instrument version and data file of each wave, the exclusion rules, derived variables,
population margins and weighting, the design, the analysis plan and the report options.
:meth:`Study.load` validates it and :meth:`Study.run` executes it: ingest, validate,
exclude, weight, estimate, compare, report; ``manifest.json`` records what produced the
outputs (versions, instrument fingerprints, SHA-256 of every input, weighting history,
seeds) and ``timings.json`` how long each stage took.
"""

from surveykit.study._bundled import DEMO_DATA_DIRS, bundled_studies, run_demo, write_demo
from surveykit.study._model import StudyFile, load_study_file
from surveykit.study._plan import PlanResult, compute_plan
from surveykit.study._plan_model import PlanFile, load_plan_file
from surveykit.study._plan_report import add_plan_section
from surveykit.study._plan_run import run_plan
from surveykit.study._runner import Study, StudyResult

__all__ = ["DEMO_DATA_DIRS", "PlanFile", "PlanResult", "Study", "StudyFile", "StudyResult",
           "add_plan_section", "bundled_studies", "compute_plan", "load_plan_file",
           "load_study_file", "run_demo", "run_plan", "write_demo"]
