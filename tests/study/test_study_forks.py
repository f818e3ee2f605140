"""Report steps in forked processes: values and errors come back as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.study import _forks

needs_fork = pytest.mark.skipif(not _forks.can_fork(), reason="the system does not fork")


class _UnpicklableError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.hook = lambda: None  # a lambda cannot be pickled


def _write(path: Path) -> list[Path]:
    path.write_text("written in the child", encoding="utf-8")
    return [path]


@needs_fork
def test_a_forked_step_returns_its_value_and_its_files_exist(tmp_path) -> None:
    step = _forks.start(lambda: _write(tmp_path / "t.csv"), "t.csv", fork=True)
    assert isinstance(step, _forks._Forked)
    assert step.result() == [tmp_path / "t.csv"]
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "written in the child"
    assert step.result() == [tmp_path / "t.csv"]  # asked again: the same value


@needs_fork
def test_the_error_of_a_forked_step_is_raised_as_it_was_raised() -> None:
    def fail() -> None:
        raise sk.StudyError("the banner has no rows", stage="banners")

    step = _forks.start(fail, "banner.xlsx", fork=True)
    with pytest.raises(sk.StudyError, match="the banner has no rows") as info:
        step.result()
    assert info.value.stage == "banners"
    assert any("banner.xlsx in a forked process" in note for note in info.value.__notes__)
    with pytest.raises(sk.StudyError, match="the banner has no rows"):
        step.result()  # asked again: the same error


@needs_fork
def test_an_error_that_cannot_be_pickled_becomes_a_study_error() -> None:
    def fail() -> None:
        raise _UnpicklableError("the chart font is missing")

    step = _forks.start(fail, "appendix.docx", fork=True)
    with pytest.raises(sk.StudyError,
                       match=r"appendix.docx: _UnpicklableError: the chart font is missing"):
        step.result()


@needs_fork
def test_a_child_that_dies_without_a_word_is_reported_with_its_exit_code() -> None:
    step = _forks.start(lambda: os._exit(3), "appendix.xlsx", fork=True)
    with pytest.raises(sk.StudyError, match=r"appendix.xlsx: the process ended with exit code 3"):
        step.result()


def test_without_fork_a_step_runs_at_once_and_raises_at_once(tmp_path) -> None:
    step = _forks.start(lambda: _write(tmp_path / "t.csv"), "t.csv", fork=False)
    assert (tmp_path / "t.csv").exists() and step.result() == [tmp_path / "t.csv"]
    with pytest.raises(ZeroDivisionError):
        _forks.start(lambda: 1 / 0, "x", fork=False)


@needs_fork
def test_cancel_stops_a_running_step() -> None:
    import time

    step = _forks.start(lambda: time.sleep(30), "appendix.pdf", fork=True)
    step.cancel()
    assert not step._process.is_alive()


def test_processes_must_be_positive(tmp_path) -> None:
    study = sk.Study.load(sk.study.bundled_studies()["meeting_places"])
    with pytest.raises(sk.ArgumentError, match="'processes' must be at least 1"):
        study.run(tmp_path / "out", processes=0)
