"""StudyError carries its problems (and the failing stage) from construction."""

from __future__ import annotations

import pickle

import pytest
import yaml

import surveykit as sk


def test_problems_and_stage_are_constructor_arguments():
    problem = {"file": "study.yaml", "path": "id", "message": "missing", "fix": "add id:"}
    err = sk.StudyError("1 problem", problems=[problem], stage="validate")
    assert err.problems == [problem] and err.stage == "validate"
    assert str(err) == "1 problem"
    plain = sk.StudyError("weighting failed")
    assert plain.problems == [] and plain.stage is None
    assert isinstance(plain, ValueError)


def test_study_file_problems_have_file_path_message_fix(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump({"schema": "surveykit.study/1", "id": "x",
                                    "title": {"en": "X"}, "waves": [], "colour": 1}),
                    encoding="utf-8")
    with pytest.raises(sk.StudyError) as info:
        sk.Study.load(path)
    problems = info.value.problems
    assert len(problems) >= 1
    for p in problems:
        assert {"file", "path", "message", "fix"} <= set(p)
        assert p["file"] == str(path)
    assert "colour" in {p["path"] for p in problems}
    assert str(len(problems)) in str(info.value)


def test_unpickled_error_keeps_its_message():
    err = pickle.loads(pickle.dumps(sk.StudyError("boom", problems=[{"path": "a"}])))
    assert str(err) == "boom"
