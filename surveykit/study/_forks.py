"""Steps of one study's report run side by side in forked processes.

Writing the tables, the banner workbook and each appendix format are independent once the
numbers exist, and each takes a second or more on a large study. A forked process starts
with this process's memory (the study's results, the built appendix), so nothing is
pickled on the way in; only the step's return value, or its exception, comes back through
a pipe. Where the system cannot fork, or this process may not have children (a daemonic
``multiprocessing.Pool`` worker), a step runs here when it is started: the same files, one
after the other.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from surveykit.errors import StudyError

__all__ = ["Step", "can_fork", "portable", "start"]

T = TypeVar("T")


def can_fork() -> bool:
    """Return whether steps can run in forked child processes here.

    Examples
    --------
    >>> isinstance(can_fork(), bool)
    True

    """
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


class Step(Generic[T]):
    """A started step; :meth:`result` waits for it and returns its value or raises its error.

    :meth:`result` may be called again: it gives the same value or raises the same error.

    Examples
    --------
    >>> start(lambda: 6 * 7, "answer", fork=False).result()
    42

    """

    def __init__(self, name: str, value: T | None = None) -> None:
        self.name = name
        self._value = value

    def result(self) -> T:
        """Return the step's value."""
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the step if it still runs (nothing to do for a step that ran here)."""


class _Forked(Step[T]):
    """A step running in a forked child; its outcome comes back through a pipe."""

    def __init__(self, name: str, fn: Callable[[], T]) -> None:
        super().__init__(name)
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(fn, send, name), daemon=True)
        self._process.start()
        send.close()  # the child holds the only writing end: its exit ends the pipe
        self._outcome: tuple[str, Any] | None = None

    def _receive(self) -> tuple[str, Any]:
        """Wait for the child's ``(kind, payload)``; ``("error", None)`` if it sent none."""
        try:
            return pickle.loads(self._recv.recv_bytes())
        except EOFError:
            return "error", None
        finally:
            self._recv.close()
            self._process.join()

    def result(self) -> T:
        if self._outcome is None:
            self._outcome = self._receive()
        kind, payload = self._outcome
        if kind == "ok":
            return payload
        if payload is None:
            raise StudyError(f"{self.name}: the process ended with exit code "
                             f"{self._process.exitcode}")
        raise payload

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._recv.close()


def portable(exc: BaseException, where: str) -> BaseException:
    """Return ``exc`` if it can be pickled to another process, else a ``StudyError`` saying it.

    Examples
    --------
    >>> portable(ValueError("bad margin"), "reputation_2026")
    ValueError('bad margin')
    >>> class Unpicklable(Exception):
    ...     hook = None
    ...     def __init__(self, message):
    ...         super().__init__(message)
    ...         self.hook = lambda: None
    >>> portable(Unpicklable("no font"), "appendix.docx")
    StudyError('appendix.docx: Unpicklable: no font')

    """
    try:
        pickle.dumps(exc)
    except Exception:
        return StudyError(f"{where}: {type(exc).__name__}: {exc}")
    return exc


def _child(fn: Callable[[], Any], send: Any, name: str) -> None:
    """Run ``fn`` in the child and send back ``(kind, payload)``, pickled."""
    try:
        message = pickle.dumps(("ok", fn()))
    except BaseException as exc:  # the parent re-raises it
        error = portable(exc, name)
        error.add_note(f"(raised while writing {name} in a forked process:\n"
                       f"{traceback.format_exc().rstrip()})")
        message = pickle.dumps(("error", error))
    send.send_bytes(message)
    send.close()


def start(fn: Callable[[], T], name: str, *, fork: bool) -> Step[T]:
    """Start ``fn``: in a forked child when ``fork`` (and :func:`can_fork`), else run it now.

    Parameters
    ----------
    fn : callable
        The step, without arguments; its return value must pickle when forked.
    name : str
        What the step writes, for error messages (e.g. ``"appendix.docx"``).
    fork : bool
        Run it in a child process; the caller keeps working meanwhile.

    Returns
    -------
    Step
        Call :meth:`Step.result` to wait for the value (an error in the step is raised
        there, as it was raised in the child, with the child's traceback as a note).

    Examples
    --------
    >>> step = start(lambda: "written", "tables", fork=True)
    >>> step.result()
    'written'

    """
    if fork and can_fork():
        return _Forked(name, fn)
    return Step(name, fn())
