"""Publish a study run's outputs as a whole: lock, stage, then move into place.

A run writes into a staging folder inside the output folder (``.surveykit-staging-*``) and
only then moves its files into place, ``manifest.json`` last; before it starts moving, it
removes the old ``manifest.json``, so an output folder holding a ``manifest.json`` always holds
one complete run. A run killed while it computes or renders leaves the previous output as it
was; one killed during the moves (a few renames) leaves a folder without ``manifest.json``,
and the next run into that folder finishes the moves before it starts (the staging folder is
marked complete before the first move). Files the previous manifest listed that this run did
not write are removed; nothing else in the folder is touched.

One run at a time: a lock file (``.surveykit.lock``, holding the process id) refuses a second
run into the same folder; a lock left by a process that no longer exists is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from surveykit._writing import write_atomic
from surveykit.errors import StudyError

__all__ = ["LOCK_NAME", "check_out_folder", "output_lock", "publish", "staging_folder"]

LOCK_NAME = ".surveykit.lock"
_STAGING = ".surveykit-staging-"
_COMPLETE = ".complete.json"
_MANIFEST = "manifest.json"


def check_out_folder(out: Path, *, allow_symlink: bool = False) -> None:
    """Refuse an output folder that is a symbolic link (unless ``allow_symlink``)."""
    if out.is_symlink() and not allow_symlink:
        raise StudyError(
            f"output folder {str(out)!r} is a symbolic link (to {os.readlink(out)!r}); a run "
            "would write into the folder it points to. Pass a real folder, or allow it with "
            "allow_symlink_out=True / --allow-symlinked-out.")
    if out.exists() and not out.is_dir():
        raise StudyError(f"output folder {str(out)!r} exists and is not a folder; pass a "
                         "folder (it is created if missing).")


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there; keep the lock
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return True


def _holder(lock: Path) -> int | None:
    """Process id in a lock file, or None when the file is unreadable or not a number."""
    try:
        return int(lock.read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _take(lock: Path) -> bool:
    """Create the lock file with this process id in one step; False if it exists."""
    fd, tmp = tempfile.mkstemp(prefix=".surveykit-lock-", dir=lock.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        os.link(tmp, lock)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: create and fill in two steps
        return _take_plain(lock)
    finally:
        os.unlink(tmp)


def _take_plain(lock: Path) -> bool:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{os.getpid()}\n")
    return True


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for a run; finish a killed run's moves first.

    Raises
    ------
    StudyError
        Another live process holds the lock.
    """
    lock = out / LOCK_NAME
    if not _take(lock):
        pid = _holder(lock)
        if pid is not None and pid != os.getpid() and _alive(pid):
            raise StudyError(
                f"another surveykit run (process {pid}) is writing to {str(out)!r}; wait until "
                f"it has finished. If no such run exists, delete {LOCK_NAME} in that folder.")
        lock.unlink(missing_ok=True)  # left by a process that is gone
        if not _take(lock):
            raise StudyError(f"another surveykit run took the lock of {str(out)!r} just now; "
                             "wait until it has finished.")
    try:
        _recover(out)
        yield
    finally:
        lock.unlink(missing_ok=True)


def staging_folder(out: Path) -> Path:
    """Create a fresh staging folder inside ``out`` (same file system, so moves are renames)."""
    return Path(tempfile.mkdtemp(prefix=_STAGING, dir=out))


def _recover(out: Path) -> None:
    """Finish the moves of a run killed while publishing; drop unfinished staging folders."""
    for stage in sorted(out.glob(_STAGING + "*")):
        if stage.is_symlink() or not stage.is_dir():
            stage.unlink()
            continue
        marker = stage / _COMPLETE
        if marker.is_file():
            plan = json.loads(marker.read_text(encoding="utf-8"))
            _finish(stage, out, [Path(f) for f in plan["files"]],
                    [Path(f) for f in plan["stale"]])
        shutil.rmtree(stage)


def _previous_outputs(out: Path) -> list[Path]:
    """Files the manifest in ``out`` lists (empty when there is none or it is unreadable)."""
    try:
        manifest = json.loads((out / _MANIFEST).read_text(encoding="utf-8"))
        listed = [Path(p) for p in manifest.get("outputs", {})] + [Path("timings.json")]
    except (OSError, ValueError, AttributeError):
        return []
    return [p for p in listed if not p.is_absolute() and ".." not in p.parts]


def _real_parent(out: Path, rel: Path) -> None:
    """Make every folder between ``out`` and ``rel`` a real folder (a planted link is removed)."""
    here = out
    for part in rel.parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
        here.mkdir(exist_ok=True)


def _finish(stage: Path, out: Path, moves: list[Path], stale: list[Path]) -> None:
    """Drop the old manifest and the stale files, then move ``moves`` (manifest last)."""
    (out / _MANIFEST).unlink(missing_ok=True)
    for rel in stale:
        target = out / rel
        linked = any((out / Path(*rel.parts[:i])).is_symlink() for i in range(1, len(rel.parts)))
        if not linked and (target.is_symlink() or target.is_file()):
            target.unlink()
    for rel in moves:
        if (stage / rel).exists():
            _real_parent(out, rel)
            os.replace(stage / rel, out / rel)


def publish(stage: Path, out: Path, files: list[Path]) -> None:
    """Move the staged ``files`` and then ``manifest.json`` from ``stage`` into ``out``.

    Files of the previous run that this run did not write are removed first. The plan is
    written into the staging folder before anything in ``out`` changes, so that the next
    run can finish it if this one is killed half-way.
    """
    moves = [f for f in files if f.as_posix() != _MANIFEST] + [Path(_MANIFEST)]
    stale = sorted(set(_previous_outputs(out)) - set(moves))
    plan = {"files": [f.as_posix() for f in moves], "stale": [f.as_posix() for f in stale]}
    write_atomic(stage / _COMPLETE, json.dumps(plan))
    _finish(stage, out, moves, stale)
    shutil.rmtree(stage)
