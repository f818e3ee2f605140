"""The bundled study files (``analysis/<study>/study.yaml``) and the demo data they run on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["DEMO_DATA_DIRS", "bundled_studies", "run_demo"]

#: bundled study -> folder of :func:`surveykit.make_demo_study` output holding its data
DEMO_DATA_DIRS: dict[str, str] = {
    "reputation_2026": "reputation_2026",
    "needs_assessment": "needs_assessment_2025",
    "meeting_places": "meeting_places",
}

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _analysis_dir() -> Path:
    """``analysis/`` of a source checkout, else the copy a wheel bundles."""
    for candidate in (_PACKAGE_DIR.parent / "analysis", _PACKAGE_DIR / "_bundled" / "analysis"):
        if (candidate / "reputation_2026" / "study.yaml").is_file():
            return candidate
    raise FileNotFoundError(
        "the bundled study files (analysis/<study>/study.yaml) were not found next to the "
        "package nor in surveykit/_bundled/analysis; reinstall surveykit from a full source "
        "checkout.")


def bundled_studies() -> dict[str, Path]:
    """Return ``{study: path of its study.yaml}`` for the bundled studies, in demo order.

    Examples
    --------
    >>> sorted(bundled_studies())
    ['meeting_places', 'needs_assessment', 'reputation_2026']

    """
    root = _analysis_dir()
    return {name: root / name / "study.yaml" for name in DEMO_DATA_DIRS}


def run_demo(out: str | os.PathLike[str], *, seed: int = 20260301,
             studies: list[str] | None = None, formats: tuple[str, ...] | None = None,
             show_progress: bool = False) -> dict[str, Any]:
    """Write the demo data to ``out/data`` and run the bundled studies into ``out/<study>``.

    Parameters
    ----------
    out : path-like
        Output directory (``out/data`` gets :func:`surveykit.make_demo_study`'s files).
    seed : int
        Master seed of the synthetic data.
    studies : list of str, optional
        Bundled studies to run (default: all, see :func:`bundled_studies`).
    formats : tuple of str, optional
        Appendix formats (default: each study file's ``report.outputs``).
    show_progress : bool
        Progress bars on stderr.

    Returns
    -------
    dict
        ``{study: StudyResult}``.

    """
    from surveykit.datasets import make_demo_study
    from surveykit.study._runner import Study

    target = Path(out)
    data = target / "data"
    make_demo_study(data, seed=seed)
    results = {}
    for name, path in bundled_studies().items():
        if studies and name not in studies:
            continue
        results[name] = Study.load(path).run(target / name, data_root=data / DEMO_DATA_DIRS[name],
                                             outputs=formats, show_progress=show_progress)
    return results
