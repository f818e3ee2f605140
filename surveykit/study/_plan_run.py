"""``run_plan``: read a plan file, weight its baseline wave, compute the plan, write outputs."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from surveykit.errors import StudyError
from surveykit.reporting import Labeller
from surveykit.study._ingest import resolve_instrument
from surveykit.study._plan import PlanResult, compute_plan, read_dispositions
from surveykit.study._plan_model import load_plan_file
from surveykit.study._plan_report import write_plan_outputs
from surveykit.study._runner import Study
from surveykit.study._weight import margins_for

__all__ = ["run_plan"]


def _population(study: Study, domain: str, year: int | None, root: Path) -> Any:
    spec = study.spec.weighting
    margins = margins_for(spec, year, root)
    if domain not in margins:
        raise StudyError(f"plan domain {domain!r} is not a weighting margin of study "
                         f"{study.spec.id}; margins: {[str(k) for k in margins]}. Plan across "
                         "a variable the study weights to, so that its population is known.")
    return margins[domain]


def _labels(study: Study, wave: str, domain: str, codes: list[Any], lang: str) -> dict[str, str]:
    spec = next(w for w in study.spec.waves if w.id == wave)
    inst = resolve_instrument(spec.instrument, study.directory)
    lab = Labeller(inst, lang)
    return {str(c): lab.value(domain, c) for c in codes}


def run_plan(path: str | os.PathLike[str], out: str | os.PathLike[str], *,
             data_root: str | os.PathLike[str] | None = None,
             outputs: tuple[str, ...] | None = None,
             allow_outside: bool = False) -> PlanResult:
    """Run a plan file (``analysis/<study>/plan.yaml``) and write its tables and appendix.

    Parameters
    ----------
    path : path-like
        The plan file.
    out : path-like
        Output folder: ``tables/plan_*.csv`` and ``plan.html``/``.docx``/``.xlsx``.
    data_root : path-like, optional
        Data root of the plan's study (as ``surveykit run --data-root``).
    outputs : tuple of str, optional
        Appendix formats (default: the plan file's ``report.outputs``).
    allow_outside : bool
        Read study inputs outside the data root and study folder.

    Returns
    -------
    PlanResult

    """
    plan_path = Path(path)
    p = load_plan_file(plan_path)
    study = Study.load(plan_path.resolve().parent / p.study)
    if p.baseline not in [w.id for w in study.spec.waves]:
        raise StudyError(f"plan baseline {p.baseline!r} is not a wave of study "
                         f"{study.spec.id}: {[w.id for w in study.spec.waves]}.")
    root = study.data_root(data_root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = study.weighted_design(p.baseline, data_root=data_root,
                                       allow_outside=allow_outside)
    population = _population(study, p.domain, p.population_year, root)
    disp = (read_dispositions(root / study.spec.dispositions, p.baseline)
            if study.spec.dispositions else None)
    lang = p.report.language
    labels = _labels(study, p.baseline, p.domain, list(population.index), lang)
    result = compute_plan(p, design, population, dispositions=disp, labels=labels)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    files = write_plan_outputs(result, target, title=p.title.get(lang, p.id),
                               outputs=outputs or tuple(p.report.outputs))
    return PlanResult(**{**result.__dict__, "files": files})
