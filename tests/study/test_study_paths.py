"""Input paths of a study file that lead outside the study are refused unless allowed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hostile_study import write_study

import surveykit as sk
from surveykit.cli import main


def _study(tmp_path: Path, **changes) -> Path:
    """The small study with its data file moved to ``tmp_path/outside``."""
    path = write_study(tmp_path / "study", rows=30)
    (tmp_path / "outside").mkdir()
    shutil.move(path.parent / "data.csv", tmp_path / "outside" / "secret.csv")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["waves"][0]["data"] = "../outside/secret.csv"
    spec["report"]["outputs"] = ["html"]
    spec.update(changes)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_relative_path_leaving_the_study_is_refused(tmp_path):
    study = sk.Study.load(_study(tmp_path))
    with pytest.raises(sk.StudyError) as info:
        study.run(tmp_path / "out")
    message = str(info.value)
    assert "waves[0].data" in message and "'../outside/secret.csv'" in message
    assert "allow_outside" in message and "--allow-outside" in message
    assert not (tmp_path / "out").exists()  # refused before anything was written
    with pytest.raises(sk.StudyError, match=r"waves\[0\]\.data"):
        study.weighted_design("2026")


def test_absolute_path_and_link_out_of_the_study_are_refused(tmp_path):
    path = _study(tmp_path)
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["waves"][0]["data"] = str(tmp_path / "outside" / "secret.csv")
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(sk.StudyError, match=r"waves\[0\]\.data"):
        sk.Study.load(path).run(tmp_path / "out")
    (path.parent / "data.csv").symlink_to(tmp_path / "outside" / "secret.csv")
    spec["waves"][0]["data"] = "data.csv"  # inside by name, outside by the link
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(sk.StudyError, match=re.escape("leads to '../outside/secret.csv'")):
        sk.Study.load(path).run(tmp_path / "out")


def test_allowed_folder_is_read_and_the_manifest_path_is_relative(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "a-key-that-must-not-be-written")
    study = sk.Study.load(_study(tmp_path, allow_outside=["../outside"]))
    result = study.run(tmp_path / "out")
    text = (result.out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert manifest["waves"][0]["inputs"][0]["path"] == "../outside/secret.csv"
    assert str(tmp_path) not in text
    assert manifest["study"]["pseudonym_key"] == "configured"
    assert "a-key-that-must-not-be-written" not in text


def test_cli_flag_allows_one_run(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    path = _study(tmp_path)
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "allow_outside" in capsys.readouterr().err
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet",
                 "--allow-outside"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["study"]["pseudonym_key"] == "none"  # no key: identifiers dropped
