"""Input paths of a study file stay inside the study unless the study file says otherwise.

Data, deployment, population, disposition and register paths are relative to the data root.
Each is resolved (``..`` and links followed) and must lie in the data root or the study
file's folder, or in a folder ``allow_outside`` lists; ``allow_outside: true`` in the study
file (or ``allow_outside=True`` / ``--allow-outside`` for one run) lifts the check. A copied
study file with ``data: ../../other-project/answers.csv`` or an absolute path is refused
instead of read silently.

The manifest records input paths relative to the data root (``../population/pop.csv``),
never as absolute paths of the machine that ran the study.
"""

from __future__ import annotations

import os
from pathlib import Path

from surveykit.errors import StudyError
from surveykit.study._model import StudyFile

__all__ = ["check_inputs", "input_paths", "manifest_path"]


def input_paths(spec: StudyFile) -> list[tuple[str, str]]:
    """Return ``(key path, path as written)`` for every input file the study file names."""
    named: list[tuple[str, str | None]] = []
    for i, w in enumerate(spec.waves):
        named.append((f"waves[{i}].data", w.data))
        if w.deployment:
            named.append((f"waves[{i}].deployment", w.deployment))
    named += [("weighting.population", spec.weighting.population),
              ("dispositions", spec.dispositions)]
    p = spec.participation
    if p is not None:
        lists = (p.attendance,) if isinstance(p.attendance, str) else p.attendance
        named += [("participation.events", p.events),
                  *((f"participation.attendance[{i}]", a) for i, a in enumerate(lists)),
                  ("participation.participants", p.participants)]
    return [(key, rel) for key, rel in named if rel]


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == f or path.is_relative_to(f) for f in folders)


def check_inputs(spec: StudyFile, root: Path, study_dir: Path, *,
                 allow_outside: bool = False) -> None:
    """Refuse input paths that resolve outside the data root and the study folder.

    Raises
    ------
    StudyError
        One line per path outside, naming the key, the path as written and where it
        leads, with the fix.
    """
    if allow_outside or spec.allow_outside is True:
        return
    base = root.resolve()
    extra = () if spec.allow_outside is False else spec.allow_outside
    folders = [base, study_dir.resolve(), *((base / e).resolve() for e in extra)]
    outside = []
    for key, rel in input_paths(spec):
        resolved = (base / rel).resolve()
        if not _inside(resolved, folders):
            outside.append(f"{key}: {rel!r} leads to {manifest_path(resolved, base)!r}")
    if outside:
        raise StudyError(
            f"{len(outside)} input path(s) of the study file lead outside the data root "
            f"{str(root)!r} and the study folder {str(study_dir)!r}: " + "; ".join(outside)
            + ". Move the files into the study, or allow it: 'allow_outside: true' (or a list "
            "of folders, relative to the data root) in the study file, or --allow-outside "
            "for this run.", stage="paths")


def manifest_path(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` as written in the manifest (never absolute).

    Examples
    --------
    >>> manifest_path(Path("/a/data/x.csv"), Path("/a/data"))
    'x.csv'
    >>> manifest_path(Path("/a/population/p.csv"), Path("/a/data"))
    '../population/p.csv'

    """
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.name
