"""``write_demo`` runs the bundled studies in parallel processes and raises their errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.study import _bundled, _forks


def _fail_later(message: str) -> str:
    time.sleep(0.2)
    raise sk.StudyError(message, stage="validate")


def _dispatch(job: tuple[str, str]) -> str:
    kind, value = job
    return _fail_later(value) if kind == "fail" else _touch(value)


class _UnpicklableError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.hook = lambda: None  # a lambda cannot be pickled


def _touch(path: str) -> str:
    Path(path).touch()
    return Path(path).name


def _run(jobs: dict[str, object], workers: int) -> dict[str, object]:
    ticks: list[int] = []
    out = _bundled._in_processes(_touch, jobs, workers, lambda: ticks.append(1))
    assert len(ticks) == len(out)
    return out


def test_results_come_back_in_study_order(tmp_path: Path) -> None:
    jobs = {name: str(tmp_path / name) for name in ("b", "a", "c")}
    assert _run(jobs, 2) == {"b": "b", "a": "a", "c": "c"}


def test_the_error_of_a_study_is_raised_as_it_was_raised_and_no_study_starts_after(
        tmp_path: Path) -> None:
    jobs = {"first": ("fail", "wave 2024: margins do not add up"),
            "second": ("touch", str(tmp_path / "second"))}
    with pytest.raises(sk.StudyError, match="margins do not add up") as info:
        _bundled._in_processes(_dispatch, jobs, 1, lambda: None)
    assert info.value.stage == "validate"
    assert not (tmp_path / "second").exists()


def test_an_error_that_cannot_be_pickled_becomes_a_study_error(monkeypatch, tmp_path) -> None:
    def boom(*_: object) -> None:
        raise _UnpicklableError("the chart font is missing")

    monkeypatch.setattr(_bundled, "_run_study", boom)
    job = (tmp_path / "study.yaml", tmp_path / "reputation_2026", tmp_path / "data")
    with pytest.raises(sk.StudyError, match=r"reputation_2026: _UnpicklableError: the chart font"):
        _bundled._files_of_study(job, None)


def test_a_study_error_passes_through_unchanged(tmp_path) -> None:
    job = (tmp_path / "missing.yaml", tmp_path / "out", tmp_path / "data")
    with pytest.raises(sk.StudyError, match=r"missing\.yaml"):
        _bundled._files_of_study(job, None)


def _started(path: str) -> str:
    """Touch ``path`` and return the names of the files already in its folder, in order."""
    Path(path).touch()
    return ",".join(sorted(p.name for p in Path(path).parent.iterdir()))


def test_a_job_after_a_step_starts_once_the_step_is_done(tmp_path: Path) -> None:
    """The data of the first study is written first; the study starts after the others."""
    data = _forks.start(lambda: (tmp_path / "data").touch(), "the data", fork=True)
    jobs = {name: str(tmp_path / name) for name in ("first", "second", "third")}
    out = _bundled._in_processes(_started, jobs, 2, lambda: None, after={"first": data})
    assert list(out) == ["first", "second", "third"]
    assert "data" in out["first"].split(",")  # the step had written its file


def test_the_error_of_the_step_a_job_waits_for_is_raised(tmp_path: Path) -> None:
    def fail() -> None:
        raise sk.StudyError("the 2026 export could not be written", stage="data")

    data = _forks.start(fail, "the data", fork=True)
    jobs = {name: str(tmp_path / name) for name in ("first", "second")}
    with pytest.raises(sk.StudyError, match="could not be written"):
        _bundled._in_processes(_started, jobs, 2, lambda: None, after={"first": data})
    assert not (tmp_path / "first").exists()  # never started


def test_the_waiting_job_takes_the_last_place_of_the_first_round() -> None:
    names = ["reputation", "needs", "meeting", "other"]
    assert _bundled._start_order(names, {"reputation"}, 2) == [
        "needs", "reputation", "meeting", "other"]
    assert _bundled._start_order(names, {"reputation"}, 1) == [
        "reputation", "needs", "meeting", "other"]
    assert _bundled._start_order(names, {"reputation"}, 8) == [
        "needs", "meeting", "other", "reputation"]
    assert _bundled._start_order(names, set(), 2) == names


@pytest.mark.parametrize("processes", [0, -1])
def test_processes_must_be_positive(processes: int, tmp_path: Path) -> None:
    with pytest.raises(sk.ArgumentError, match="'processes' must be at least 1"):
        sk.study.write_demo(tmp_path, processes=processes)
    assert not any(tmp_path.iterdir())  # refused before any data is written


def test_forked_study_processes_start_with_the_chart_and_word_modules_imported() -> None:
    import subprocess
    import sys

    probe = ("import sys\n"
             "from surveykit.study import _bundled\n"
             "before = [m for m in _bundled._SHARED_MODULES if m in sys.modules]\n"
             "_bundled._preload()\n"
             "fork = _bundled._context().get_start_method() == 'fork'\n"
             "after = [m for m in _bundled._SHARED_MODULES if m in sys.modules]\n"
             "print(before == [], after == (list(_bundled._SHARED_MODULES) if fork else []))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True", "True"]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_parallel_demo_writes_the_same_data_as_make_demo_study(monkeypatch, tmp_path) -> None:
    """Each worker writes its study's data; the parent adds population and the manifest."""
    class _Done:
        files: tuple[Path, ...] = ()

    # the forked workers inherit the patch: only the data writing is exercised here
    monkeypatch.setattr(_bundled, "_run_study", lambda *_: _Done())
    files = sk.study.write_demo(tmp_path / "parallel", processes=2,
                                studies=["reputation_2026", "meeting_places"])
    assert files == {"reputation_2026": [], "meeting_places": []}
    sk.make_demo_study(tmp_path / "serial")
    assert _tree(tmp_path / "parallel" / "data") == _tree(tmp_path / "serial")


def test_an_unknown_demo_part_is_refused(tmp_path) -> None:
    from surveykit.datasets._demo import write_demo_part

    with pytest.raises(sk.ArgumentError, match="unknown demo data folder 'elsewhere'"):
        write_demo_part(tmp_path, "elsewhere")
