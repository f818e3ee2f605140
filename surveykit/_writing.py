r"""Write a file in one step: a temporary file in the same folder, then ``os.replace``.

A reader never sees half a file, and a link planted at the output path is replaced, not
followed: ``os.replace`` renames over the link itself, and the temporary file is created
with ``O_EXCL`` under a fresh random name, so no existing link is opened for writing.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_atomic(folder / "a.txt", "hello\n")
>>> path.read_text(), sorted(p.name for p in folder.iterdir())
('hello\n', ['a.txt'])

"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | os.PathLike[str], content: bytes | str) -> Path:
    """Write ``content`` (text is UTF-8) to ``path`` atomically; return the path.

    The parent folder is created if needed. The file gets the usual permissions
    (``0o666`` less the umask).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
