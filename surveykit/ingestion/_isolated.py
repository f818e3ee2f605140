"""Run the native SPSS/Stata parser in a child process, so a crash cannot take the caller.

ReadStat is C: a corrupted variable record can make it die with SIGSEGV or loop forever,
which would kill a Jupyter kernel or ``surveykit run`` without a message. The parse runs in
a forked child (no re-import, so the cost is the transfer of the result, a pickle through a
pipe) with a time limit and an address-space limit; a crash, a hang or an exhausted limit
becomes an :class:`IngestionError` that names the file. Where ``fork`` does not exist
(Windows) the child is spawned, which costs an interpreter start; inside a daemonic
process (a ``multiprocessing`` pool worker), which may not start children, the parse runs
in-process without that protection.
"""

from __future__ import annotations

import faulthandler
import multiprocessing as mp
import pickle
import resource
import signal
import sys
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from surveykit._limits import get_input_limits, limit_hint
from surveykit.errors import IngestionError

__all__ = ["read_isolated"]

_META = ("column_names", "column_labels", "variable_value_labels", "missing_ranges",
         "variable_measure", "file_label")


def _parse(path: str, fmt: str) -> tuple[Any, dict[str, Any]]:
    import pyreadstat

    reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
    frame, m = reader(path, user_missing=True, dates_as_pandas_datetime=True)
    return frame, {k: getattr(m, k, None) for k in _META}


def _child(conn: Connection, path: str, fmt: str, memory: int) -> None:
    faulthandler.disable()  # a crash is reported by the parent, not as a dump on stderr
    if sys.platform != "win32":
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    result = _guarded_parse(path, fmt)
    conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.close()


def _guarded_parse(path: str, fmt: str) -> tuple[Any, ...]:
    try:
        return ("ok", *_parse(path, fmt))
    except MemoryError:
        return ("memory", "", "")
    except Exception as exc:  # pyreadstat raises ReadstatError/PyreadstatError/OSError
        return ("error", type(exc).__name__, str(exc)[:300])


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def read_isolated(path: Path, fmt: str) -> tuple[Any, dict[str, Any]]:
    """Parse an SPSS/Stata file in a child; return ``(frame, metadata dict)``.

    Raises
    ------
    IngestionError
        The parser failed, crashed, ran past ``binary_timeout_s`` or ran out of memory.

    """
    lim = get_input_limits()
    if mp.current_process().daemon:  # a pool worker may not start children: parse here
        return _unpack(_guarded_parse(str(path), fmt), path, fmt)
    memory = int(max(4 * 1024**3, 16 * path.stat().st_size))
    # imported here, before the fork, so that each child starts with it (importing it in
    # every child cost more than the parse of a survey-sized file)
    import pyreadstat  # noqa: F401

    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
        proc = ctx.Process(target=_child, args=(send, str(path), fmt, memory))
        proc.start()
    send.close()
    try:
        if not receive.poll(lim.binary_timeout_s):
            raise IngestionError(
                f"{path}: the {_kind(fmt)} parser ran longer than binary_timeout_s = "
                f"{lim.binary_timeout_s:g} s and was stopped; the file is damaged or hostile "
                f"({limit_hint('binary_timeout_s')}). Export it again."
            )
        try:
            result = pickle.loads(receive.recv_bytes())
        except (EOFError, OSError):
            proc.join(5)
            raise _crashed(path, fmt, proc.exitcode) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    return _unpack(result, path, fmt)


def _unpack(result: tuple[Any, ...], path: Path, fmt: str) -> tuple[Any, dict[str, Any]]:
    status, first, second = result
    if status == "ok":
        return first, second
    if status == "memory":
        raise IngestionError(f"{path}: the {_kind(fmt)} parser ran out of memory; the file "
                             "claims more data than it holds (damaged or hostile). Export "
                             "it again.")
    raise IngestionError(
        f"{path}: not a readable {_kind(fmt)} file ({first}: {second}); it is truncated or "
        "corrupt. Export it from the survey platform again."
    )


def _crashed(path: Path, fmt: str, code: int | None) -> IngestionError:
    how = f"exit code {code}"
    if code is not None and code < 0:
        try:
            how = f"signal {signal.Signals(-code).name}"
        except ValueError:
            how = f"signal {-code}"
    return IngestionError(
        f"{path}: the {_kind(fmt)} parser (ReadStat) crashed on this file ({how}); the file "
        "is corrupt or hostile. Export it from the survey platform again."
    )


def _kind(fmt: str) -> str:
    return "Stata" if fmt == "dta" else "SPSS"
