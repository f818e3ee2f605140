"""A study run's outputs appear together, under a lock, and never through a planted link."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_study import write_study

import surveykit as sk
from surveykit.study._publish import LOCK_NAME, output_lock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study_file(tmp_path_factory) -> Path:
    return write_study(tmp_path_factory.mktemp("publish") / "study", rows=40)


def _snapshot(out: Path) -> dict[str, str]:
    """Digest of every visible file under ``out`` (hidden lock and staging names skipped)."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def _consistent(out: Path) -> dict:
    """The manifest lists exactly the files present, with their digests."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = _snapshot(out)
    assert set(files) == {*manifest["outputs"], "manifest.json", "timings.json"}
    assert all(files[f] == d for f, d in manifest["outputs"].items())
    assert not list(out.glob(".surveykit*")), "lock or staging folder left behind"
    return manifest


def test_rerun_with_fewer_formats_removes_the_stale_files(study_file, tmp_path):
    out = tmp_path / "out"
    (out).mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    sk.Study.load(study_file).run(out, outputs=("html", "xlsx"))
    assert (out / "appendix.xlsx").is_file()
    result = sk.Study.load(study_file).run(out, outputs=("html",))
    assert not (out / "appendix.xlsx").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept
    (out / "notes.txt").unlink()
    manifest = _consistent(out)
    assert sorted(manifest["outputs"]) == ["appendix.html", "tables/accounting.csv",
                                           "tables/estimates.csv"]
    assert result.out == out and all((out / f).is_file() for f in result.files)


def test_planted_links_are_replaced_not_followed(study_file, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tables").mkdir(parents=True)
    victim = elsewhere / "victim.html"
    victim.write_text("precious", encoding="utf-8")
    (elsewhere / "tables" / "estimates.csv").write_text("precious too", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "appendix.html").symlink_to(victim)
    (out / "tables").symlink_to(elsewhere / "tables", target_is_directory=True)
    sk.Study.load(study_file).run(out, outputs=("html",))
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (elsewhere / "tables" / "estimates.csv").read_text(encoding="utf-8") == "precious too"
    assert not (out / "appendix.html").is_symlink() and not (out / "tables").is_symlink()
    _consistent(out)


def test_symlinked_output_folder_is_refused_unless_allowed(study_file, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(sk.StudyError, match="symbolic link"):
        sk.Study.load(study_file).run(link, outputs=("html",))
    assert list(real.iterdir()) == []
    sk.Study.load(study_file).run(link, outputs=("html",), allow_symlink_out=True)
    assert (real / "manifest.json").is_file()


def test_second_run_into_a_locked_folder_is_refused(study_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            (out / LOCK_NAME).write_text(f"{other.pid}\n", encoding="ascii")
            with pytest.raises(sk.StudyError, match=f"process {other.pid}"):
                sk.Study.load(study_file).run(out, outputs=("html",))
            assert (out / LOCK_NAME).read_text(encoding="ascii") == f"{other.pid}\n"
        finally:
            other.kill()
    # the holder is gone: its lock is stale and is taken over
    sk.Study.load(study_file).run(out, outputs=("html",))
    _consistent(out)


def test_lock_is_released_when_the_run_fails(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError), output_lock(out):
        assert (out / LOCK_NAME).read_text(encoding="ascii").strip() == str(os.getpid())
        raise RuntimeError("stage failed")
    assert not (out / LOCK_NAME).exists()


_CHILD = """
import os, signal, sys
import surveykit as sk
import surveykit.study._publish as publish
from surveykit.reporting import Appendix

study, out, point = sys.argv[1:4]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "render":            # while the appendix is written into the staging folder
    Appendix.to_docx = die
elif point == "moving":          # after the second file was moved into place
    real_replace, real_publish, calls = os.replace, publish.publish, []
    def replace(src, dst):
        calls.append(dst)
        real_replace(src, dst)
        if len(calls) == 2:
            die()
    def publish_and_die(*args):
        os.replace = replace
        real_publish(*args)
    runner = sys.modules["surveykit.study._runner"]
    runner.publish = publish_and_die
elif point == "cleanup":         # everything moved, staging folder and lock still there
    publish.shutil.rmtree = die
sk.Study.load(study).run(out, outputs=("html", "docx"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("point", ["render", "moving", "cleanup"])
def test_killed_run_never_leaves_a_mix(study_file, tmp_path, point):
    out = tmp_path / "out"
    sk.Study.load(study_file).run(out, outputs=("html", "xlsx"))
    before = _snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", _CHILD, str(study_file), str(out), point],
                           env=env, capture_output=True, text=True, timeout=600)
    assert child.returncode == -9, child.stderr[-2000:]
    if point == "render":
        assert _snapshot(out) == before  # the previous output, untouched
    elif point == "moving":
        assert not (out / "manifest.json").exists()  # incomplete, and says so
    else:
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert "appendix.docx" in manifest["outputs"]  # the new run, complete
        assert not (out / "appendix.xlsx").exists()
    # the next run takes over the dead run's lock and leaves one complete output
    sk.Study.load(study_file).run(out, outputs=("html", "docx"))
    manifest = _consistent(out)
    assert "appendix.docx" in manifest["outputs"] and "appendix.xlsx" not in manifest["outputs"]
