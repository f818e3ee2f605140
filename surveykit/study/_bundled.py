"""The bundled study files (``analysis/<study>/study.yaml``) and the demo data they run on."""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import warnings
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from surveykit.errors import ArgumentError
from surveykit.study._forks import Step, start

__all__ = ["DEMO_DATA_DIRS", "bundled_studies", "run_demo", "write_demo"]

T = TypeVar("T")

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


def _demo_jobs(out: str | os.PathLike[str], studies: list[str] | None
               ) -> dict[str, tuple[Path, Path, Path]]:
    """Return the studies to run, in order: ``{study: (study file, output, data root)}``."""
    target = Path(out)
    data = target / "data"
    return {name: (path, target / name, data / DEMO_DATA_DIRS[name])
            for name, path in bundled_studies().items() if not studies or name in studies}


def _write_data(out: str | os.PathLike[str], seed: int) -> None:
    """Write all of :func:`surveykit.make_demo_study`'s files to ``out/data``."""
    from surveykit.datasets import make_demo_study

    make_demo_study(Path(out) / "data", seed=seed)


def _run_study(job: tuple[Path, Path, Path], formats: tuple[str, ...] | None,
               show_progress: bool, processes: int = 1) -> Any:
    from surveykit.study._runner import Study

    path, out, data_root = job
    return Study.load(path).run(out, data_root=data_root, outputs=formats,
                                show_progress=show_progress, processes=processes)


def run_demo(out: str | os.PathLike[str], *, seed: int = 20260301,
             studies: list[str] | None = None, formats: tuple[str, ...] | None = None,
             show_progress: bool = False) -> dict[str, Any]:
    """Write the demo data to ``out/data`` and run the bundled studies into ``out/<study>``.

    The studies run one after the other in this process; :func:`write_demo` writes the same
    files with the studies in parallel processes.

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
    jobs = _demo_jobs(out, studies)
    _write_data(out, seed)
    return {name: _run_study(job, formats, show_progress) for name, job in jobs.items()}


def write_demo(out: str | os.PathLike[str], *, seed: int = 20260301,
               studies: list[str] | None = None, formats: tuple[str, ...] | None = None,
               show_progress: bool = False, processes: int | None = None
               ) -> dict[str, list[Path]]:
    """Write what :func:`run_demo` writes, the studies running in parallel processes.

    The files are the same bytes as :func:`run_demo`'s: each study runs alone in its
    process, as it would in this one. Only the list of files written comes back (a study's
    results stay in its process). An error in a study is raised here as it was raised
    there (a ``StudyError`` naming the study when the error cannot be passed back), and
    the studies not yet started are cancelled.

    Parameters
    ----------
    out, seed, studies, formats
        As in :func:`run_demo`.
    show_progress : bool
        One progress line over the studies on stderr (with ``processes=1``, the bars of
        each study).
    processes : int, optional
        Processes running studies at once (default: the CPU cores this process may use, at
        most one per study); 1 runs them here, one after the other.

    Returns
    -------
    dict
        ``{study: files written, relative to out/<study>}``.

    Examples
    --------
    >>> import tempfile
    >>> files = write_demo(tempfile.mkdtemp(), studies=["meeting_places"],
    ...                    formats=("html",))  # doctest: +SKIP
    >>> files["meeting_places"][0]  # doctest: +SKIP
    PosixPath('appendix.html')

    """
    from surveykit.study._progress import progress

    if processes is not None and processes < 1:
        raise ArgumentError(f"'processes' must be at least 1 (got {processes}); 1 runs the "
                            "studies one after the other.")
    jobs = _demo_jobs(out, studies)
    workers = min(len(jobs), processes or _cores())
    if workers < 2:
        _write_data(out, seed)
        return {name: _run_study(job, formats, show_progress).files
                for name, job in jobs.items()}
    from surveykit.datasets._demo import write_demo_manifest, write_demo_part

    data = Path(out) / "data"
    _preload(_DATA_MODULES)
    # the first study takes longest: its data is written in a forked process while this one
    # imports the chart and Word modules, and the study starts once that data is there
    first = next(iter(jobs))
    early = start(partial(write_demo_part, data, DEMO_DATA_DIRS[first], seed=seed),
                  f"the demo data of {first}", fork=True)
    _preload(_SHARED_MODULES)
    records = _write_other_parts(data, seed, jobs)
    tasks = {name: (job, name != first) for name, job in jobs.items()}
    with progress(len(jobs), "surveykit demo: studies", enabled=show_progress) as bar:
        study = partial(_data_and_study, formats=formats, seed=seed, processes=workers)
        done = _in_processes(study, tasks, workers, bar.update, after={first: early})
    records.update(early.result())
    for _, part in done.values():
        records.update(part)
    write_demo_manifest(data, records, seed=seed)
    return {name: files for name, (files, _) in done.items()}


def _write_other_parts(data: Path, seed: int, jobs: dict[str, tuple[Path, Path, Path]]
                       ) -> dict[str, Any]:
    """Write ``population/`` and the data no study of ``jobs`` reads; return their records."""
    from surveykit.datasets._demo import copy_population, write_demo_part

    copy_population(data)
    records: dict[str, Any] = {}
    for name, folder in DEMO_DATA_DIRS.items():
        if name not in jobs:
            records.update(write_demo_part(data, folder, seed=seed))
    return records


def _data_and_study(task: tuple[tuple[Path, Path, Path], bool],
                    formats: tuple[str, ...] | None, seed: int, processes: int
                    ) -> tuple[list[Path], dict[str, Any]]:
    """In a worker: write the study's data unless written already, then run the study.

    ``task`` is the study's job and whether to write its data here (beside the other
    workers). The study writes its outputs with ``processes`` processes: the longest study
    renders its appendix formats side by side once the shorter ones have finished.
    """
    from surveykit.datasets._demo import write_demo_part

    job, write_data = task
    records = write_demo_part(job[2].parent, job[2].name, seed=seed) if write_data else {}
    return _files_of_study(job, formats, processes), records


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


#: imported before the demo data is written: the data and every study's intervals use it
_DATA_MODULES = ("scipy.special",)
#: imported before the studies' processes fork: every study draws charts and writes Word
_SHARED_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_agg", "docx")


def _preload(modules: tuple[str, ...] = _SHARED_MODULES) -> None:
    """Import what every process imports, once here rather than once in each forked process.

    Matplotlib alone takes about 0.7 s of CPU to import, ``scipy.special`` 0.25 s; a forked
    process starts with this process's modules, a spawned one imports them again (then
    nothing is gained).
    """
    if _context().get_start_method() == "fork":
        for name in modules:
            importlib.import_module(name)


def _context() -> Any:
    """Fork where it exists (the child starts with every module imported), else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _files_of_study(job: tuple[Path, Path, Path], formats: tuple[str, ...] | None,
                    processes: int = 1) -> list[Path]:
    """Run one study in a worker; an error that cannot be pickled becomes a StudyError."""
    from surveykit.study._forks import portable

    try:
        return list(_run_study(job, formats, False, processes).files)
    except Exception as exc:
        error = portable(exc, job[1].name)
        if error is exc:
            raise
        raise error from None


def _in_processes(run: Callable[[Any], T], jobs: dict[str, Any], workers: int,
                  done: Callable[[], None], *, after: dict[str, Step[Any]] | None = None
                  ) -> dict[str, T]:
    """``{name: run(job)}`` over ``workers`` processes, returned in the order of ``jobs``.

    A job starts when a process is free, in the order of ``jobs``, except that a job named
    in ``after`` starts once that step has finished (its error is raised then): it takes the
    last place of the first round, so the jobs before it start at once. After an error no
    job starts, the jobs already running finish (their outputs are published whole or not at
    all) and the error is raised, with its traceback in the worker attached.
    """
    steps = after or {}
    waiting = iter(_start_order(list(jobs), set(steps), workers))
    results: dict[str, T] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
        with ProcessPoolExecutor(workers, mp_context=_context()) as pool:

            def submit(name: str) -> Future[T]:
                if name in steps:
                    steps[name].result()  # the job's data is written (or its error raised)
                return pool.submit(run, jobs[name])

            running: dict[Future[T], str] = {}
            for name in islice(waiting, workers):
                running[submit(name)] = name
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    results[running.pop(future)] = future.result()
                    done()
                    for name in islice(waiting, 1):
                        running[submit(name)] = name
    return {name: results[name] for name in jobs}


def _start_order(names: list[str], late: set[str], workers: int) -> list[str]:
    """``names`` with those in ``late`` moved to the end of the first round of ``workers``.

    Examples
    --------
    >>> _start_order(["reputation", "needs", "meeting"], {"reputation"}, 2)
    ['needs', 'reputation', 'meeting']
    >>> _start_order(["a", "b", "c"], set(), 2)
    ['a', 'b', 'c']

    """
    ready = [n for n in names if n not in late]
    k = max(workers - len(late), 0)
    return [*ready[:k], *(n for n in names if n in late), *ready[k:]]
