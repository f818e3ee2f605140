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
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_atomic"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh temporary path next to ``path``; move it onto ``path`` on success.

    For writers that take a file name (pyreadstat, pyarrow). The temporary file keeps the
    target's extension; it is removed if the block raises. The parent folder is created if
    needed, and the file gets the usual permissions (``0o666`` less the umask).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | os.PathLike[str], content: bytes | str) -> Path:
    """Write ``content`` (text is UTF-8) to ``path`` atomically; return the path."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
