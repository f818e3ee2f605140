"""Files are written through a temporary file and os.replace: links are replaced, not followed."""

from __future__ import annotations

import os

import pytest

from surveykit._writing import replacing, write_atomic


def test_planted_link_is_replaced_and_its_target_kept(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out" / "appendix.html"
    link.parent.mkdir()
    link.symlink_to(victim)
    write_atomic(link, "<p>new</p>")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "<p>new</p>"
    assert sorted(p.name for p in link.parent.iterdir()) == ["appendix.html"]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "data.sav"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".sav"
        tmp.write_bytes(b"half")
        raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.sav"]


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_atomic(tmp_path / "a.csv", b"x\n")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
