"""Progress bars for the long study steps: one line on stderr, no extra dependency."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress", "progress"]


class Progress:
    """A minimal progress line on a stream (no third-party progress bar).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> with Progress(2, "estimate", stream=buf) as bar:
    ...     bar.update()
    ...     bar.update()
    >>> "estimate: 2/2" in buf.getvalue()
    True

    """

    def __init__(self, total: int, desc: str, *, stream: TextIO | None = None,
                 disable: bool = False) -> None:
        self.total = max(int(total), 0)
        self.desc = desc
        self.count = 0
        self.stream = stream if stream is not None else sys.stderr
        self.disable = disable
        self._last = 0.0

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` and redraw at most ten times a second (and at the end)."""
        self.count += n
        now = time.monotonic()
        if self.disable or (now - self._last < 0.1 and self.count < self.total):
            return
        self._last = now
        width = 24
        done = int(width * self.count / self.total) if self.total else width
        self.stream.write(f"\r{self.desc}: {self.count}/{self.total} "
                          f"[{'#' * done}{'.' * (width - done)}]")
        self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if not self.disable:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def progress(total: int, desc: str, *, enabled: bool = True) -> Progress:
    """Return a :class:`Progress` bar over ``total`` steps.

    Use as a context manager and call ``update()`` once per step. ``enabled=False`` gives a
    silent bar (for library use and tests).
    """
    return Progress(total, desc, disable=not enabled)
